#include "ponder/backend.h"

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

} // namespace ponder
