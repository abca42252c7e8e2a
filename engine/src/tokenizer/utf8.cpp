#include "tokenizer/utf8.h"

#include <cstdint>

namespace ponder::utf8 {

namespace {

// The byte ranges a well-formed sequence may take (Unicode table 3-7): the
// lead byte fixes the length and the range of the second byte; the rest are
// always 0x80..0xBF. Returns the length, or 0 for a byte that cannot lead.
int sequenceLength(uint8_t lead, uint8_t& secondLow, uint8_t& secondHigh)
{
    secondLow = 0x80;
    secondHigh = 0xBF;
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (lead == 0xE0)
            secondLow = 0xA0;  // no overlongs
        if (lead == 0xED)
            secondHigh = 0x9F;  // no surrogates
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (lead == 0xF0)
            secondLow = 0x90;  // no overlongs
        if (lead == 0xF4)
            secondHigh = 0x8F;  // nothing above U+10FFFF
        return 4;
    }
    return 0;
}

// Length of the valid sequence at `pos`, or -k when only its first k bytes
// are valid: k = 0 for a bad lead, otherwise the maximal subpart (complete
// in `text` when followed by a bad byte, or cut off by the end of `text`).
// `truncated` tells the two apart.
int validPrefix(std::string_view text, size_t pos, bool& truncated)
{
    truncated = false;
    uint8_t low = 0;
    uint8_t high = 0;
    const int length = sequenceLength(uint8_t(text[pos]), low, high);
    if (length == 0)
        return 0;
    for (int i = 1; i < length; ++i) {
        if (pos + size_t(i) >= text.size()) {
            truncated = true;
            return -i;
        }
        const uint8_t byte = uint8_t(text[pos + size_t(i)]);
        if (byte < low || byte > high)
            return -i;
        low = 0x80;
        high = 0xBF;
    }
    return length;
}

} // namespace

size_t appendValid(std::string_view in, std::string& out, bool final)
{
    size_t pos = 0;
    while (pos < in.size()) {
        // Runs of ASCII, the common case, are copied in one go.
        size_t ascii = pos;
        while (ascii < in.size() && uint8_t(in[ascii]) < 0x80)
            ++ascii;
        out.append(in.substr(pos, ascii - pos));
        pos = ascii;
        if (pos == in.size())
            break;
        bool truncated = false;
        const int length = validPrefix(in, pos, truncated);
        if (length > 0) {
            out.append(in.substr(pos, size_t(length)));
            pos += size_t(length);
        } else if (truncated && !final) {
            return pos;
        } else {
            out.append(kReplacement);
            pos += length == 0 ? 1 : size_t(-length);
        }
    }
    return pos;
}

bool isValid(std::string_view text)
{
    size_t pos = 0;
    char32_t ignored = 0;
    while (pos < text.size()) {
        if (!next(text, pos, ignored))
            return false;
    }
    return true;
}

void appendCodePoint(std::string& out, char32_t codePoint)
{
    if (codePoint < 0x80) {
        out.push_back(char(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(char(0xC0 | (codePoint >> 6)));
        out.push_back(char(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.push_back(char(0xE0 | (codePoint >> 12)));
        out.push_back(char(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(char(0x80 | (codePoint & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (codePoint >> 18)));
        out.push_back(char(0x80 | ((codePoint >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(char(0x80 | (codePoint & 0x3F)));
    }
}

bool next(std::string_view text, size_t& pos, char32_t& codePoint)
{
    if (pos >= text.size())
        return false;
    bool truncated = false;
    const int length = validPrefix(text, pos, truncated);
    if (length <= 0)
        return false;
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data() + pos);
    static constexpr uint8_t kLeadMask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t value = bytes[0] & kLeadMask[length];
    for (int i = 1; i < length; ++i)
        value = (value << 6) | (bytes[i] & 0x3F);
    codePoint = value;
    pos += size_t(length);
    return true;
}

} // namespace ponder::utf8
