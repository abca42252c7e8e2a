// One allocation of the CPU engine's memory plan: exactly `bytes` bytes,
// aligned to a cache line, uninitialized (pages are committed as they are
// first written, so a long KV cache costs nothing until it fills).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

#include "ponder/cpu_memory_plan.h"

namespace ponder::cpu {

class AlignedBuffer {
public:
    AlignedBuffer() = default;
    explicit AlignedBuffer(uint64_t bytes)
        : m_data(bytes ? static_cast<std::byte*>(::operator new(bytes, std::align_val_t(kCpuAlignment))) : nullptr),
          m_bytes(bytes)
    {
    }
    AlignedBuffer(AlignedBuffer&& other) noexcept
        : m_data(std::exchange(other.m_data, nullptr)), m_bytes(std::exchange(other.m_bytes, 0))
    {
    }
    AlignedBuffer& operator=(AlignedBuffer&& other) noexcept
    {
        std::swap(m_data, other.m_data);
        std::swap(m_bytes, other.m_bytes);
        return *this;
    }
    ~AlignedBuffer()
    {
        if (m_data)
            ::operator delete(m_data, std::align_val_t(kCpuAlignment));
    }

    std::byte* data() const { return m_data; }
    float* floats() const { return reinterpret_cast<float*>(m_data); }
    uint64_t bytes() const { return m_bytes; }

private:
    std::byte* m_data = nullptr;
    uint64_t m_bytes = 0;
};

} // namespace ponder::cpu
