#include "cpu/huge_page_memory.h"

#include <sys/mman.h>

#include <utility>

#include "ponder/cpu_memory_plan.h"

namespace ponder::cpu {

// Twice the alignment is mapped and the ends are given back, so exactly
// [m_data, m_data + m_bytes) stays mapped.
HugePageMemory::HugePageMemory(uint64_t bytes)
{
    if (bytes == 0)
        return;
    const uint64_t mapped = bytes + kHugePageBytes;
    void* raw = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return;
    const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t aligned = (start + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    if (aligned > start)
        ::munmap(raw, aligned - start);
    if (start + mapped > aligned + bytes)
        ::munmap(reinterpret_cast<void*>(aligned + bytes), start + mapped - (aligned + bytes));
    ::madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);
    m_data = reinterpret_cast<std::byte*>(aligned);
    m_bytes = bytes;
}

HugePageMemory::HugePageMemory(HugePageMemory&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_bytes(std::exchange(other.m_bytes, 0))
{
}

HugePageMemory& HugePageMemory::operator=(HugePageMemory&& other) noexcept
{
    std::swap(m_data, other.m_data);
    std::swap(m_bytes, other.m_bytes);
    return *this;
}

HugePageMemory::~HugePageMemory()
{
    if (m_data)
        ::munmap(m_data, m_bytes);
}

void HugePageMemory::makeReadOnly()
{
    if (m_data)
        ::mprotect(m_data, m_bytes, PROT_READ);
}

} // namespace ponder::cpu
