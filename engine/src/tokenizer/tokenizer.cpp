// Building a Tokenizer from a vocabulary, and its lookups. Encoding and
// decoding live in encode.cpp.
#include "ponder/tokenizer.h"

#include <limits>
#include <memory>

#include "tokenizer/byte_level.h"
#include "tokenizer/tokenizer_data.h"
#include "tokenizer/utf8.h"

namespace ponder {

namespace {

constexpr int32_t kLastTokenType = int32_t(TokenType::Byte);

// "<0xAB>" → 0xAB, for Byte tokens.
std::string byteTokenValue(std::string_view text)
{
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    if (text.size() != 6 || !text.starts_with("<0x") || text[5] != '>' || hex(text[3]) < 0 || hex(text[4]) < 0)
        return {};
    return std::string(1, char(hex(text[3]) * 16 + hex(text[4])));
}

std::string decodedBytes(std::string_view text, TokenType type)
{
    switch (type) {
    case TokenType::Undefined:
    case TokenType::Normal:
        return byte_level::decode(text);
    case TokenType::Control:
    case TokenType::UserDefined:
        return std::string(text);
    case TokenType::Byte:
        return byteTokenValue(text);
    case TokenType::Unknown:
    case TokenType::Unused:
        break;
    }
    return {};
}

bool isNormal(TokenType type)
{
    return type == TokenType::Normal || type == TokenType::Undefined;
}

Result<void> checkSpecialId(int32_t id, size_t count, const char* what)
{
    if (id >= 0 && size_t(id) >= count)
        return fail(ErrorCode::Malformed, std::string(what) + " " + std::to_string(id) +
                                              " is outside the vocabulary of " + std::to_string(count) + " tokens");
    return {};
}

// Merge rules name their two halves by text; the merged token is their
// concatenation. Rules whose parts are not all tokens can never apply and
// are skipped.
Result<void> addMerges(Tokenizer::Data& data, const std::vector<std::string>& merges)
{
    if (merges.size() > size_t(std::numeric_limits<int32_t>::max()))
        return fail(ErrorCode::Malformed, "too many merges: " + std::to_string(merges.size()));
    data.merges.reserve(merges.size());
    std::string joined;
    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const std::string_view line = merges[rank];
        const size_t space = line.find(' ');
        if (space == std::string_view::npos || space == 0 || space + 1 == line.size())
            return fail(ErrorCode::Malformed, "merge " + std::to_string(rank) + " is not two tokens separated by a space");
        const std::string_view left = line.substr(0, space);
        const std::string_view right = line.substr(space + 1);
        joined.assign(left).append(right);
        const auto leftId = data.byText.find(left);
        const auto rightId = data.byText.find(right);
        const auto mergedId = data.byText.find(joined);
        if (leftId == data.byText.end() || rightId == data.byText.end() || mergedId == data.byText.end())
            continue;
        data.merges.add(leftId->second, rightId->second, mergedId->second, int32_t(rank));
    }
    return {};
}

} // namespace

Tokenizer::Tokenizer(std::shared_ptr<const Data> data)
    : m_data(std::move(data))
{
}

Result<Tokenizer> Tokenizer::create(TokenizerVocab vocab)
{
    if (vocab.model != "gpt2")
        return fail(ErrorCode::Unsupported, "tokenizer model '" + vocab.model +
                                                "' is not supported; only byte-level BPE ('gpt2') is");
    if (vocab.pre.empty())
        return fail(ErrorCode::Unsupported, "the vocabulary names no pre-tokenizer (tokenizer.ggml.pre); "
                                            "known: qwen2, deepseek-r1-qwen, llama-bpe, llama3");
    const auto style = preTokenizerStyle(vocab.pre);
    if (!style)
        return fail(ErrorCode::Unsupported, "pre-tokenizer '" + vocab.pre +
                                                "' is not supported; known: qwen2, deepseek-r1-qwen, llama-bpe, llama3");
    const size_t count = vocab.tokens.size();
    if (count == 0)
        return fail(ErrorCode::Malformed, "the vocabulary has no tokens");
    if (count > size_t(std::numeric_limits<int32_t>::max()))
        return fail(ErrorCode::Malformed, "the vocabulary has too many tokens: " + std::to_string(count));
    if (!vocab.tokenType.empty() && vocab.tokenType.size() != count)
        return fail(ErrorCode::Malformed, "the vocabulary has " + std::to_string(count) + " tokens but " +
                                              std::to_string(vocab.tokenType.size()) + " token types");
    PONDER_TRY(checkSpecialId(vocab.bosTokenId, count, "BOS token id"));
    PONDER_TRY(checkSpecialId(vocab.eosTokenId, count, "EOS token id"));

    auto pre = PreTokenizer::create(style->pattern);
    if (!pre)
        return std::unexpected(pre.error());

    auto data = std::make_shared<Data>();
    data->pre = vocab.pre;
    data->style = *style;
    data->preTokenizer = std::move(*pre);
    data->bos = vocab.bosTokenId < 0 ? -1 : vocab.bosTokenId;
    data->eos = vocab.eosTokenId < 0 ? -1 : vocab.eosTokenId;
    data->addBos = vocab.addBosToken;
    data->types.resize(count, TokenType::Normal);
    for (size_t id = 0; id < vocab.tokenType.size(); ++id) {
        const int32_t type = vocab.tokenType[id];
        if (type < 0 || type > kLastTokenType)
            return fail(ErrorCode::Malformed, "token " + std::to_string(id) + " has unknown type " + std::to_string(type));
        data->types[id] = TokenType(type);
    }
    data->texts = std::move(vocab.tokens);
    data->bytes.resize(count);
    for (size_t id = 0; id < count; ++id)
        data->bytes[id] = decodedBytes(data->texts[id], data->types[id]);

    // The maps hold views, so they are built only now that the strings
    // they point into stay put.
    data->byText.reserve(count);
    data->normalByBytes.reserve(count);
    for (size_t id = 0; id < count; ++id) {
        data->byText.try_emplace(data->texts[id], int32_t(id));
        const TokenType type = data->types[id];
        if (isNormal(type))
            data->normalByBytes.try_emplace(data->bytes[id], int32_t(id));
        // A text that is not valid UTF-8 could match inside a character and
        // leave invalid sections behind, so such tokens are never matched.
        if ((type == TokenType::Control || type == TokenType::UserDefined) && utf8::isValid(data->texts[id]))
            data->specials.add(data->texts[id], int32_t(id), type == TokenType::Control);
    }
    data->specials.finish();
    for (size_t b = 0; b < 256; ++b) {
        const char byte = char(b);
        const auto it = data->byText.find(byte_level::encode(std::string_view(&byte, 1)));
        data->byteToken[b] = it == data->byText.end() ? -1 : it->second;
    }
    PONDER_TRY(addMerges(*data, vocab.merges));
    return Tokenizer(std::move(data));
}

std::string_view Tokenizer::tokenText(int32_t id) const
{
    if (id < 0 || size_t(id) >= m_data->texts.size())
        return {};
    return m_data->texts[size_t(id)];
}

std::string_view Tokenizer::tokenBytes(int32_t id) const
{
    return m_data->piece(id, true);
}

TokenType Tokenizer::tokenType(int32_t id) const
{
    if (id < 0 || size_t(id) >= m_data->types.size())
        return TokenType::Undefined;
    return m_data->types[size_t(id)];
}

std::optional<int32_t> Tokenizer::findToken(std::string_view text) const
{
    const auto it = m_data->byText.find(text);
    if (it == m_data->byText.end())
        return std::nullopt;
    return it->second;
}

int32_t Tokenizer::bos() const
{
    return m_data->bos;
}

int32_t Tokenizer::eos() const
{
    return m_data->eos;
}

bool Tokenizer::addBos() const
{
    return m_data->addBos;
}

int32_t Tokenizer::vocabSize() const
{
    return int32_t(m_data->texts.size());
}

std::string_view Tokenizer::preTokenizer() const
{
    return m_data->pre;
}

} // namespace ponder
