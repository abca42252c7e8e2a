#include "tokenizer/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace ponder {

bool normalizeNfc(std::string_view text, std::string& out)
{
    // U+0300, the first code point NFC can change or compose onto a
    // predecessor, is encoded as 0xCC 0x80.
    if (std::none_of(text.begin(), text.end(), [](char c) { return uint8_t(c) >= 0xCC; }))
        return false;
    // ICU measures strings in int32_t. A section beyond 2 GiB is left as it
    // is rather than split where a combining sequence might straddle the cut.
    if (text.size() > size_t(std::numeric_limits<int32_t>::max()))
        return false;
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || !nfc)
        return false;
    const icu::StringPiece piece(text.data(), int32_t(text.size()));
    if (nfc->isNormalizedUTF8(piece, status) || U_FAILURE(status))
        return false;
    std::string normalized;
    normalized.reserve(text.size() + text.size() / 8);
    icu::StringByteSink<std::string> sink(&normalized);
    nfc->normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_FAILURE(status))
        return false;
    out = std::move(normalized);
    return true;
}

} // namespace ponder
