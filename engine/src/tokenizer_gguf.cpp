#include "ponder/tokenizer_gguf.h"

#include <limits>
#include <string>

#include "ponder/gguf.h"
#include "ponder/gguf_writer.h"

namespace ponder {
namespace {

Result<std::vector<std::string>> stringArray(const GgufHeader& header, const char* key, bool required,
                                             uint64_t maxCount)
{
    const GgufValue* value = header.find(key);
    if (!value) {
        if (required)
            return fail(ErrorCode::NotFound, std::string("the model has no tokenizer vocabulary (") + key + ")");
        return std::vector<std::string>{};
    }
    // Counted before anything is copied: a crafted file's millions of entries
    // must cost nothing but this comparison.
    if (value->size() > maxCount)
        return fail(ErrorCode::Malformed, std::string("metadata key '") + key + "' has " +
                                              std::to_string(value->size()) + " entries, more than the " +
                                              std::to_string(maxCount) + " the model's embedding table allows");
    const auto views = value->toStringArray();
    if (!views)
        return fail(ErrorCode::Malformed, std::string("metadata key '") + key + "' is not an array of strings");
    return std::vector<std::string>(views->begin(), views->end());
}

Result<int32_t> optionalId(const GgufHeader& header, const char* key, size_t vocabSize)
{
    if (!header.find(key))
        return -1;
    const auto id = header.getUint(key);
    if (!id || *id >= vocabSize)
        return fail(ErrorCode::Malformed, std::string("metadata key '") + key + "' is not a token id of the vocabulary");
    return int32_t(*id);
}

} // namespace

Result<TokenizerVocab> readTokenizerVocab(const GgufHeader& header, uint64_t maxTokens)
{
    TokenizerVocab vocab;
    if (auto model = header.getString("tokenizer.ggml.model"))
        vocab.model = std::string(*model);
    else
        return fail(ErrorCode::NotFound, "the model has no tokenizer (tokenizer.ggml.model)");
    if (auto pre = header.getString("tokenizer.ggml.pre"))
        vocab.pre = std::string(*pre);

    auto tokens = stringArray(header, "tokenizer.ggml.tokens", true, maxTokens);
    if (!tokens)
        return std::unexpected(tokens.error());
    vocab.tokens = std::move(*tokens);
    // A byte-level BPE vocabulary holds each merge's result as a token.
    auto merges = stringArray(header, "tokenizer.ggml.merges", false, maxTokens);
    if (!merges)
        return std::unexpected(merges.error());
    vocab.merges = std::move(*merges);

    if (const GgufValue* types = header.find("tokenizer.ggml.token_type")) {
        const auto values = types->toIntArray();
        if (!values || values->size() != vocab.tokens.size())
            return fail(ErrorCode::Malformed, "tokenizer.ggml.token_type does not give one integer per token");
        vocab.tokenType.reserve(values->size());
        for (size_t id = 0; id < values->size(); ++id) {
            // Checked before narrowing: 2^32 + 1 would otherwise pass as 1 (Normal).
            const int64_t v = (*values)[id];
            if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
                return fail(ErrorCode::Malformed, "token " + std::to_string(id) + " has unknown type " + std::to_string(v));
            vocab.tokenType.push_back(int32_t(v));
        }
    }
    auto bos = optionalId(header, "tokenizer.ggml.bos_token_id", vocab.tokens.size());
    auto eos = optionalId(header, "tokenizer.ggml.eos_token_id", vocab.tokens.size());
    if (!bos)
        return std::unexpected(bos.error());
    if (!eos)
        return std::unexpected(eos.error());
    vocab.bosTokenId = *bos;
    vocab.eosTokenId = *eos;
    vocab.addBosToken = header.getBool("tokenizer.ggml.add_bos_token").value_or(false);
    return vocab;
}

Result<Tokenizer> loadTokenizer(const GgufHeader& header, uint64_t maxTokens)
{
    auto vocab = readTokenizerVocab(header, maxTokens);
    if (!vocab)
        return std::unexpected(vocab.error());
    return Tokenizer::create(std::move(*vocab));
}

void writeTokenizerVocab(GgufWriter& writer, const TokenizerVocab& vocab)
{
    writer.addString("tokenizer.ggml.model", vocab.model);
    if (!vocab.pre.empty())
        writer.addString("tokenizer.ggml.pre", vocab.pre);
    writer.addArray("tokenizer.ggml.tokens", std::span<const std::string>(vocab.tokens));
    if (!vocab.tokenType.empty())
        writer.addArray("tokenizer.ggml.token_type", std::span<const int32_t>(vocab.tokenType));
    writer.addArray("tokenizer.ggml.merges", std::span<const std::string>(vocab.merges));
    if (vocab.bosTokenId >= 0)
        writer.addUint32("tokenizer.ggml.bos_token_id", uint32_t(vocab.bosTokenId));
    if (vocab.eosTokenId >= 0)
        writer.addUint32("tokenizer.ggml.eos_token_id", uint32_t(vocab.eosTokenId));
    writer.addBool("tokenizer.ggml.add_bos_token", vocab.addBosToken);
}

} // namespace ponder
