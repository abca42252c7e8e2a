// Tokenizer::encode and Tokenizer::decode; the pipeline is described in
// ponder/tokenizer.h.
#include <functional>
#include <string>
#include <unordered_map>

#include "ponder/tokenizer.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/tokenizer_data.h"
#include "tokenizer/utf8.h"

namespace ponder {

namespace {

// Pieces up to this many bytes are remembered for the rest of the call:
// prose repeats its words, so most pieces skip the merge loop.
constexpr size_t kCachedPieceBytes = 48;

// Lets the cache be searched with a string_view, without building a string.
struct PieceHash {
    using is_transparent = void;
    size_t operator()(std::string_view piece) const { return std::hash<std::string_view>{}(piece); }
};

// Per-call working memory, so that one encode() allocates little and
// concurrent calls share nothing.
struct EncodeScratch {
    std::string normalized;
    std::vector<std::string_view> pieces;
    std::vector<int32_t> byteTokens;
    BpeMerges::Scratch bpe;
    // piece bytes → (offset, count) in cachedIds
    std::unordered_map<std::string, std::pair<uint32_t, uint32_t>, PieceHash, std::equal_to<>> cache;
    std::vector<int32_t> cachedIds;
};

void encodePiece(const Tokenizer::Data& data, std::string_view piece, std::vector<int32_t>& out,
                 EncodeScratch& scratch)
{
    if (data.style.ignoreMerges) {
        if (const auto it = data.normalByBytes.find(piece); it != data.normalByBytes.end()) {
            out.push_back(it->second);
            return;
        }
    }
    const bool cacheable = piece.size() <= kCachedPieceBytes;
    if (cacheable) {
        if (const auto it = scratch.cache.find(piece); it != scratch.cache.end()) {
            const auto [offset, count] = it->second;
            out.insert(out.end(), scratch.cachedIds.begin() + offset, scratch.cachedIds.begin() + offset + count);
            return;
        }
    }
    scratch.byteTokens.clear();
    for (const char c : piece)
        scratch.byteTokens.push_back(data.byteToken[uint8_t(c)]);
    const size_t first = out.size();
    data.merges.merge(scratch.byteTokens, out, scratch.bpe);
    if (cacheable) {
        const auto offset = uint32_t(scratch.cachedIds.size());
        scratch.cachedIds.insert(scratch.cachedIds.end(), out.begin() + ptrdiff_t(first), out.end());
        scratch.cache.emplace(std::string(piece), std::pair{offset, uint32_t(out.size() - first)});
    }
}

// A stretch of text between added tokens.
void encodeSection(const Tokenizer::Data& data, std::string_view section, std::vector<int32_t>& out,
                   EncodeScratch& scratch)
{
    if (section.empty())
        return;
    if (data.style.nfc && normalizeNfc(section, scratch.normalized))
        section = scratch.normalized;
    scratch.pieces.clear();
    data.preTokenizer->split(section, scratch.pieces);
    for (const std::string_view piece : scratch.pieces)
        encodePiece(data, piece, out, scratch);
}

} // namespace

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool addBos, bool parseSpecial) const
{
    const Data& data = *m_data;
    std::vector<int32_t> out;
    out.reserve(text.size() / 3 + 2);
    if (addBos && data.bos >= 0)
        out.push_back(data.bos);

    std::string repaired;
    if (!utf8::isValid(text)) {
        utf8::appendValid(text, repaired, true);
        text = repaired;
    }
    EncodeScratch scratch;
    size_t pos = 0;
    while (pos < text.size()) {
        const auto special = data.specials.empty() ? std::nullopt : data.specials.find(text, pos, parseSpecial);
        const size_t end = special ? special->begin : text.size();
        encodeSection(data, text.substr(pos, end - pos), out, scratch);
        if (!special)
            break;
        out.push_back(special->id);
        pos = special->begin + special->length;
    }
    return out;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool renderControl) const
{
    std::string bytes;
    for (const int32_t id : ids)
        bytes.append(m_data->piece(id, renderControl));
    std::string text;
    text.reserve(bytes.size());
    utf8::appendValid(bytes, text, true);
    return text;
}

} // namespace ponder
