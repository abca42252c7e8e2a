// libFuzzer target for everything a model file feeds once its header parses:
// the model info and its validation, the memory plan, the tokenizer built
// from the file's vocabulary (encoding, decoding, streaming), and the chat
// template chosen from the file.
//
// The input is the bytes of a GGUF header. It is parsed as the start of a
// file far larger than itself, so seeds (and mutants) need no tensor data:
// any extent a tensor info declares lies inside the claimed file. Each stage
// runs whether or not the one before it accepted the file, the way the
// tokenizer tool reads a vocabulary without a usable model, so a broken
// model config does not hide the vocabulary behind it.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_model_checks.h"
#include "ponder/gguf.h"
#include "ponder/model_info.h"
#include "ponder/tokenizer_gguf.h"

using namespace ponder;
using namespace ponder::fuzz;

namespace {

// 1 TiB: larger than any tensor extent a small header can declare, so only
// the header's own consistency decides whether it parses.
constexpr uint64_t kClaimedFileSize = 1ull << 40;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    const GgufPrefixParse parsed = parseGgufPrefix(bytes, kClaimedFileSize);
    if (!parsed.header)
        return 0;
    const GgufHeader& header = *parsed.header;

    const Result<ModelInfo> info = readModelInfo(header);
    if (info) {
        checkModelInfo(header, *info);
        checkMemoryPlans(*info);
    }

    // The model's embedding table bounds the vocabulary, as ModelFile does;
    // without a usable model the input's size bounds it anyway.
    const uint64_t bound = info ? info->config.vocabSize : UINT64_MAX;
    Result<TokenizerVocab> vocab = readTokenizerVocab(header, bound);
    if (!vocab)
        return 0;
    require(vocab->tokens.size() <= bound);
    require(vocab->merges.size() <= bound);
    const Result<Tokenizer> tokenizer = Tokenizer::create(std::move(*vocab));
    if (!tokenizer)
        return 0;
    if (info)
        require(uint64_t(tokenizer->vocabSize()) <= info->config.vocabSize);
    checkTokenizer(*tokenizer, header);
    checkChat(*tokenizer, header.getString("tokenizer.chat_template").value_or(""));
    return 0;
}
