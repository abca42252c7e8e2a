#include "ponder/backend.h"

#include <algorithm>

#include "ponder/kernels.h"

namespace ponder {

Result<void> checkEvaluation(std::span<const int32_t> tokens, uint32_t cached, uint32_t capacity, uint32_t vocab)
{
    if (tokens.empty())
        return fail(ErrorCode::InvalidArgument, "no tokens to evaluate");
    if (uint64_t(cached) + tokens.size() > capacity)
        return fail(ErrorCode::ContextFull, "the context holds " + std::to_string(capacity) + " tokens; " +
                                                std::to_string(cached) + " are used and " +
                                                std::to_string(tokens.size()) + " more do not fit");
    return checkTokenIds(tokens, vocab);
}

Result<void> checkPartBatch(const ModelPart& part, const ModelConfig& config, const PartInput& input, uint32_t first,
                            uint32_t outputRows, const PartLimits& limits)
{
    const uint32_t n = uint32_t(input.tokens.size());
    if (n == 0 || n > limits.batch)
        return fail(ErrorCode::InvalidArgument, "a part runs 1 to " + std::to_string(limits.batch) + " tokens at a time");
    if (first != limits.cached || uint64_t(first) + n > limits.capacity)
        return fail(ErrorCode::InvalidArgument, "a part's batch must follow its cached tokens and fit its context");
    if (!part.embedding && input.hidden.size() != size_t(n) * config.embeddingLength)
        return fail(ErrorCode::InvalidArgument, "a part without the embedding needs n_embd hidden values per token");
    if (part.embedding)
        PONDER_TRY(checkTokenIds(input.tokens, config.vocabSize));
    if (part.output && outputRows > std::min(n, limits.logitRows))
        return fail(ErrorCode::InvalidArgument, "the part with the output returns at most " +
                                                    std::to_string(std::min(n, limits.logitRows)) + " rows of logits");
    return {};
}

} // namespace ponder
