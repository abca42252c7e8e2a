// GPT-2's byte-to-unicode alphabet: byte-level vocabularies store each byte
// as a printable code point, so a token's text never holds raw control bytes
// or spaces. Bytes that print (! to ~, ¡ to ¬, ® to ÿ) stand for themselves;
// the other 68 take U+0100, U+0101, ... in byte order (space is U+0120 'Ġ',
// newline U+010A 'Ċ').
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ponder::byte_level {

// The code point that stands for `byte`.
char32_t codePointOf(uint8_t byte);

// The byte that `codePoint` stands for, if it is one of the 256.
std::optional<uint8_t> byteOf(char32_t codePoint);

// `bytes` in the alphabet (UTF-8 of the code points).
std::string encode(std::string_view bytes);

// The bytes a token text in the alphabet stands for. A code point outside the
// alphabet (a damaged or foreign vocabulary) is kept as its own UTF-8, so
// nothing is silently lost.
std::string decode(std::string_view text);

} // namespace ponder::byte_level
