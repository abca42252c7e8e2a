// Anonymous memory that starts on a 2 MiB boundary and is asked for
// transparent huge pages, so every 2 MiB of it can be one page (one TLB
// entry where 4 KiB pages take 512: streaming weights from it reads faster,
// measured in BENCHMARKS.md). Where the kernel has no huge pages to give,
// it is the same memory in 4 KiB pages. The engine's copy of the weights,
// the read-bandwidth probe and the kernels' benchmark use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ponder::cpu {

class HugePageMemory {
public:
    HugePageMemory() = default;
    // Maps `bytes` (none for 0); empty, with errno set, when the kernel refuses.
    explicit HugePageMemory(uint64_t bytes);
    HugePageMemory(HugePageMemory&& other) noexcept;
    HugePageMemory& operator=(HugePageMemory&& other) noexcept;
    HugePageMemory(const HugePageMemory&) = delete;
    HugePageMemory& operator=(const HugePageMemory&) = delete;
    ~HugePageMemory();

    explicit operator bool() const { return m_data != nullptr; }
    std::byte* data() const { return m_data; }
    uint64_t bytes() const { return m_bytes; }
    std::span<std::byte> span() const { return {m_data, m_bytes}; }

    // No more writes: a stray one faults instead of changing the weights.
    void makeReadOnly();

private:
    std::byte* m_data = nullptr;
    uint64_t m_bytes = 0;
};

} // namespace ponder::cpu
