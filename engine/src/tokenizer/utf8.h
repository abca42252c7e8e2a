// UTF-8 helpers for the tokenizer: lossy validation that agrees with WHATWG's
// decoder (one U+FFFD per maximal invalid subpart) and can stop before an
// incomplete tail for streaming, and code point iteration.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ponder::utf8 {

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Appends `in` to `out` with every invalid sequence replaced by U+FFFD.
// When `final` is false an incomplete but so far valid sequence at the very
// end is left out (at most 3 bytes); returns how many bytes of `in` were
// used, so the caller keeps the rest for later. When `final` is true the
// whole input is used and an incomplete tail becomes U+FFFD.
size_t appendValid(std::string_view in, std::string& out, bool final);

// True when `text` is valid UTF-8 (no overlongs, surrogates or values above
// U+10FFFF).
bool isValid(std::string_view text);

// Appends the UTF-8 encoding of `codePoint` (<= U+10FFFF).
void appendCodePoint(std::string& out, char32_t codePoint);

// Reads one code point of valid UTF-8 at `pos` and advances it. Returns
// false at the end or on an invalid sequence (then `pos` is unchanged).
bool next(std::string_view text, size_t& pos, char32_t& codePoint);

} // namespace ponder::utf8
