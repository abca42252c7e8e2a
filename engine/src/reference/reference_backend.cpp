#include "ponder/reference/reference_backend.h"

namespace ponder::reference {

ReferenceBackend::ReferenceBackend(const ModelInfo& info, const ModelWeights& weights, uint32_t contextLength,
                                   KvCacheType cacheType)
    : m_model(info, weights, contextLength, cacheType), m_state(m_model.newState())
{
}

Result<void> ReferenceBackend::truncate(uint32_t length)
{
    if (length > m_state.length)
        return fail(ErrorCode::InvalidArgument, "cannot truncate the cache to more tokens than it holds");
    const size_t keep = size_t(length) * m_model.config().kvDim();
    for (auto& keys : m_state.keys)
        keys.resize(keep);
    for (auto& values : m_state.values)
        values.resize(keep);
    m_state.length = length;
    return {};
}

Result<std::vector<float>> ReferenceBackend::evaluate(std::span<const int32_t> tokens, bool allLogits)
{
    const uint32_t before = m_state.length;
    auto logits = m_model.forward(m_state, tokens, allLogits);
    if (!logits && m_state.length >= before)
        (void)truncate(before);  // a failure midway leaves no half-evaluated token behind
    return logits;
}

} // namespace ponder::reference
