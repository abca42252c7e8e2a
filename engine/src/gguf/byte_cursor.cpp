#include "gguf/byte_cursor.h"

#include <cassert>

namespace ponder::gguf {

ByteCursor::ByteCursor(std::span<const std::byte> prefix, uint64_t fileSize)
    : m_prefix(prefix), m_fileSize(fileSize)
{
    assert(prefix.size() <= fileSize);
}

bool ByteCursor::reserve(uint64_t bytes)
{
    if (bytes > unclaimed())
        return false;
    m_reserve += bytes;
    return true;
}

ByteCursor::Status ByteCursor::take(uint64_t n, uint64_t counted, const std::byte*& out)
{
    assert(counted <= n && counted <= m_reserve);
    // Invariant: position + reserve <= fileSize, so neither sum overflows
    // once n is known to fit in what is left.
    const uint64_t reserveAfter = m_reserve - counted;
    const uint64_t left = m_fileSize - m_position - reserveAfter;
    if (n > left)
        return Status::PastEnd;
    const uint64_t need = m_position + n + reserveAfter;
    if (need > m_prefix.size()) {
        m_needed = need;
        return Status::NeedMoreData;
    }
    out = m_prefix.data() + m_position;
    m_position += n;
    m_reserve = reserveAfter;
    return Status::Ok;
}

} // namespace ponder::gguf
