#include "ponder/reference/forward.h"

#include <cmath>
#include <string>

#include "ponder/half.h"
#include "ponder/quant.h"
#include "ponder/reference/ops.h"

namespace ponder::reference {
namespace {

std::vector<float> dequantizeAll(const WeightView& w)
{
    std::vector<float> values(w.rowLength() * w.rows());
    if (!dequantize(w.type(), w.data, values))
        values.clear();
    return values;
}

// Rounds each row of headDim values in x, (rows, headDim), to what a cache
// of `type` holds.
Result<void> roundToCache(std::vector<float>& x, uint32_t headDim, KvCacheType type)
{
    if (type == KvCacheType::F32)
        return {};
    if (type == KvCacheType::F16) {
        for (float& value : x)
            value = halfToFloat(floatToHalf(value));
        return {};
    }
    PONDER_TRY(checkKvRow(type, headDim));
    std::vector<std::byte> row(kvRowBytes(type, headDim));
    for (size_t at = 0; at < x.size(); at += headDim) {
        const std::span<float> values(x.data() + at, headDim);
        PONDER_TRY(quantize(TensorType::Q8_0, values, row));
        PONDER_TRY(dequantize(TensorType::Q8_0, row, values));
    }
    return {};
}

} // namespace

ReferenceModel::ReferenceModel(const ModelInfo& info, const ModelWeights& weights, uint32_t contextLength,
                               KvCacheType cacheType)
    : m_info(info), m_weights(weights), m_contextLength(contextLength), m_cacheType(cacheType)
{
    if (m_weights.ropeFreqs)
        m_ropeFactors = dequantizeAll(m_weights.ropeFreqs);
}

ReferenceState ReferenceModel::newState() const
{
    ReferenceState state;
    state.keys.resize(config().blockCount);
    state.values.resize(config().blockCount);
    return state;
}

Result<std::vector<float>> ReferenceModel::forward(ReferenceState& state, std::span<const int32_t> tokens,
                                                   bool allLogits) const
{
    const ModelConfig& c = config();
    if (tokens.empty())
        return fail(ErrorCode::InvalidArgument, "no tokens to evaluate");
    if (state.length + tokens.size() > m_contextLength)
        return fail(ErrorCode::ContextFull, "the context holds " + std::to_string(m_contextLength) + " tokens; " +
                                                std::to_string(state.length) + " are used and " +
                                                std::to_string(tokens.size()) + " more do not fit");
    std::vector<float> logits;
    logits.reserve(size_t(allLogits ? tokens.size() : 1) * c.vocabSize);
    std::vector<float> x(c.embeddingLength);
    std::vector<float> normed(c.embeddingLength);
    std::vector<float> row(c.vocabSize);

    for (size_t t = 0; t < tokens.size(); ++t) {
        const int32_t token = tokens[t];
        if (token < 0 || uint32_t(token) >= c.vocabSize)
            return fail(ErrorCode::InvalidArgument, "token id " + std::to_string(token) + " is outside the vocabulary of " +
                                                        std::to_string(c.vocabSize));
        const uint32_t pos = state.length;
        PONDER_TRY(lookupRow(m_weights.tokenEmbedding, uint64_t(token), x));
        for (uint32_t l = 0; l < c.blockCount; ++l)
            PONDER_TRY(layer(l, state, x, pos));
        ++state.length;

        if (allLogits || t + 1 == tokens.size()) {
            rmsNorm(normed, x, dequantizeAll(m_weights.outputNorm), c.rmsEpsilon);
            PONDER_TRY(matVec(m_weights.output, normed, row));
            logits.insert(logits.end(), row.begin(), row.end());
        }
    }
    return logits;
}

// h += Wo·attention(rope(Wq·n(h) + bq), rope(Wk·n(h) + bk), Wv·n(h) + bv)
// h += Wdown·(silu(Wgate·n(h)) * Wup·n(h))
Result<void> ReferenceModel::layer(uint32_t index, ReferenceState& state, std::vector<float>& x, uint32_t pos) const
{
    const ModelConfig& c = config();
    const LayerWeights& w = m_weights.layers[index];

    std::vector<float> normed(c.embeddingLength);
    rmsNorm(normed, x, dequantizeAll(w.attnNorm), c.rmsEpsilon);

    std::vector<float> q(c.qDim());   // (n_head, head_dim)
    std::vector<float> k(c.kvDim());  // (n_head_kv, head_dim)
    std::vector<float> v(c.kvDim());  // (n_head_kv, head_dim)
    PONDER_TRY(matVec(w.attnQ, normed, q));
    PONDER_TRY(matVec(w.attnK, normed, k));
    PONDER_TRY(matVec(w.attnV, normed, v));
    if (c.hasQkvBias) {
        add(q, dequantizeAll(w.attnQBias));
        add(k, dequantizeAll(w.attnKBias));
        add(v, dequantizeAll(w.attnVBias));
    }
    rope(q, c.headDim, c.ropeDimensions, pos, c.ropeFreqBase, c.ropeLayout, m_ropeFactors);
    rope(k, c.headDim, c.ropeDimensions, pos, c.ropeFreqBase, c.ropeLayout, m_ropeFactors);
    PONDER_TRY(roundToCache(k, c.headDim, m_cacheType));
    PONDER_TRY(roundToCache(v, c.headDim, m_cacheType));
    state.keys[index].insert(state.keys[index].end(), k.begin(), k.end());
    state.values[index].insert(state.values[index].end(), v.begin(), v.end());

    std::vector<float> attended(c.qDim());  // (n_head, head_dim)
    PONDER_TRY(attention(attended, q, state.keys[index], state.values[index], c.headCount, c.headCountKv, c.headDim,
                         pos));
    std::vector<float> projected(c.embeddingLength);
    PONDER_TRY(matVec(w.attnOutput, attended, projected));
    add(x, projected);

    rmsNorm(normed, x, dequantizeAll(w.ffnNorm), c.rmsEpsilon);
    std::vector<float> gate(c.feedForwardLength);
    std::vector<float> up(c.feedForwardLength);
    PONDER_TRY(matVec(w.ffnGate, normed, gate));
    PONDER_TRY(matVec(w.ffnUp, normed, up));
    siluMul(gate, up);
    PONDER_TRY(matVec(w.ffnDown, gate, projected));
    add(x, projected);
    return {};
}

} // namespace ponder::reference
