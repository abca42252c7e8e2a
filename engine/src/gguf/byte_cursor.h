// A read position in the first bytes (a prefix) of a file of known size,
// for parsing a header that may not have fully arrived yet.
//
// Besides the position, the cursor keeps a reserve: the fewest bytes that
// the structure read so far promises will follow (for example 13 bytes for
// every metadata entry not yet read). A read of n bytes then needs
// position + n + reserve bytes of file: more than the file has means the
// file is malformed; more than the prefix has means the caller must fetch
// that many bytes. Because the reserve only counts what must follow, that
// request never exceeds the header's real size, and every answer is larger
// than the last, so fetching what is asked always converges.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ponder::gguf {

class ByteCursor {
public:
    enum class Status {
        Ok,
        NeedMoreData,  // the bytes lie beyond the prefix: see needed()
        PastEnd,       // the bytes cannot fit in the file
    };

    ByteCursor(std::span<const std::byte> prefix, uint64_t fileSize);

    uint64_t position() const { return m_position; }
    uint64_t fileSize() const { return m_fileSize; }
    uint64_t prefixSize() const { return m_prefix.size(); }
    std::span<const std::byte> prefix() const { return m_prefix; }

    // Bytes of the file after the position that the reserve does not claim.
    uint64_t unclaimed() const { return m_fileSize - m_position - m_reserve; }

    // Promises that at least `bytes` more will follow. False (and no
    // change) when they cannot fit in the file.
    bool reserve(uint64_t bytes);

    // Makes `n` bytes at the position readable and moves past them; on Ok
    // `out` points at them. `counted` of the n bytes were promised earlier
    // through reserve() and are released from the reserve now.
    Status take(uint64_t n, uint64_t counted, const std::byte*& out);

    // After NeedMoreData: the prefix length needed to get past that read.
    uint64_t needed() const { return m_needed; }

private:
    std::span<const std::byte> m_prefix;
    uint64_t m_fileSize = 0;
    uint64_t m_position = 0;
    uint64_t m_reserve = 0;
    uint64_t m_needed = 0;
};

} // namespace ponder::gguf
