// The CPU reference forward pass of llama and qwen2 models: float32
// activations, weights of any type dequantized on the fly, one token at a
// time, written to read like the model. Slow by design; the GPU engine's
// logits are tested against it.
//
// The KV cache holds float32 by default. For comparing an engine's f16 or
// Q8_0 cache, the reference can keep the same precision: every key and value
// row (one head at one position) goes through f16, or through the engine's
// Q8_0 codec (quant.h: quantize, then dequantize), before it is cached.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ponder/error.h"
#include "ponder/kv_cache_type.h"
#include "ponder/model_info.h"
#include "ponder/model_weights.h"

namespace ponder::reference {

// The KV cache of one sequence.
struct ReferenceState {
    std::vector<std::vector<float>> keys;    // per layer: (length, n_head_kv * head_dim)
    std::vector<std::vector<float>> values;  // per layer: (length, n_head_kv * head_dim)
    uint32_t length = 0;                     // tokens processed
};

class ReferenceModel {
public:
    // `info` and `weights` (and the memory they view) must outlive the model.
    ReferenceModel(const ModelInfo& info, const ModelWeights& weights, uint32_t contextLength,
                   KvCacheType cacheType = KvCacheType::F32);

    ReferenceState newState() const;

    // Runs `tokens` after the state's tokens. Returns logits of every new
    // position, (tokens.size(), n_vocab), when allLogits, else of the last
    // one only, (n_vocab). A token id out of range or a full context is an error.
    Result<std::vector<float>> forward(ReferenceState& state, std::span<const int32_t> tokens,
                                       bool allLogits = false) const;

    const ModelConfig& config() const { return m_info.config; }
    uint32_t contextLength() const { return m_contextLength; }
    KvCacheType cacheType() const { return m_cacheType; }

private:
    Result<void> layer(uint32_t index, ReferenceState& state, std::vector<float>& x, uint32_t pos) const;

    const ModelInfo& m_info;
    const ModelWeights& m_weights;
    uint32_t m_contextLength;
    KvCacheType m_cacheType;
    std::vector<float> m_ropeFactors;  // empty when the model has none
};

} // namespace ponder::reference
