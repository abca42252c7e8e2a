#include "tokenizer/byte_level.h"

#include <array>

#include "tokenizer/utf8.h"

namespace ponder::byte_level {

namespace {

constexpr bool printsAsItself(unsigned byte)
{
    return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE && byte <= 0xFF);
}

struct Alphabet {
    std::array<char32_t, 256> codePoint{};
    // Inverse over U+0000..U+0143 (the highest code point used is
    // U+0100 + 67); -1 where no byte maps.
    std::array<int16_t, 0x144> byte{};
};

constexpr Alphabet makeAlphabet()
{
    Alphabet alphabet;
    alphabet.byte.fill(-1);
    char32_t shifted = 0x100;
    for (unsigned b = 0; b < 256; ++b) {
        const char32_t cp = printsAsItself(b) ? char32_t(b) : shifted++;
        alphabet.codePoint[b] = cp;
        alphabet.byte[cp] = int16_t(b);
    }
    return alphabet;
}

constexpr Alphabet kAlphabet = makeAlphabet();
static_assert(kAlphabet.codePoint[' '] == 0x120 && kAlphabet.codePoint['\n'] == 0x10A);

} // namespace

char32_t codePointOf(uint8_t byte)
{
    return kAlphabet.codePoint[byte];
}

std::optional<uint8_t> byteOf(char32_t codePoint)
{
    if (codePoint >= kAlphabet.byte.size() || kAlphabet.byte[codePoint] < 0)
        return std::nullopt;
    return uint8_t(kAlphabet.byte[codePoint]);
}

std::string encode(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes)
        utf8::appendCodePoint(out, codePointOf(uint8_t(c)));
    return out;
}

std::string decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t start = pos;
        char32_t cp = 0;
        if (!utf8::next(text, pos, cp)) {
            out.push_back(text[pos]);  // not UTF-8 at all: keep the byte
            ++pos;
            continue;
        }
        if (const auto byte = byteOf(cp))
            out.push_back(char(*byte));
        else
            out.append(text.substr(start, pos - start));
    }
    return out;
}

} // namespace ponder::byte_level
