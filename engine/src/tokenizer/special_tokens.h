// Finds added tokens (control and user-defined) in raw text before it is
// normalized or pre-tokenized: the leftmost match wins, and among tokens
// starting there the longest, as in Hugging Face's added-token splitter.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

class SpecialTokenMatcher {
public:
    // `control` tokens are only matched when the caller asks for them.
    void add(std::string text, int32_t id, bool control);
    // Call once after the last add().
    void finish();
    bool empty() const { return m_tokens.empty(); }

    struct Match {
        size_t begin;
        size_t length;
        int32_t id;
    };
    std::optional<Match> find(std::string_view text, size_t from, bool includeControl) const;

private:
    struct Entry {
        std::string text;
        int32_t id;
        bool control;
    };
    std::vector<Entry> m_tokens;  // by first byte, then longest first
    // The range of m_tokens starting with each byte; empty for most bytes,
    // which the scan skips at once.
    std::array<uint32_t, 257> m_firstByteStart{};
};

} // namespace ponder
