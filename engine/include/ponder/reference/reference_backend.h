// The CPU reference forward pass behind the InferenceBackend interface, so
// the CLI and the app can run a model without a GPU (slowly) and tests can
// compare whole generations.
#pragma once

#include "ponder/backend.h"
#include "ponder/reference/forward.h"

namespace ponder::reference {

class ReferenceBackend final : public InferenceBackend {
public:
    // `info` and `weights` (and the mapping behind them) must outlive this.
    // `cacheType`: what the KV cache rounds keys and values to (ReferenceModel).
    ReferenceBackend(const ModelInfo& info, const ModelWeights& weights, uint32_t contextLength,
                     KvCacheType cacheType = KvCacheType::F32);

    const ModelConfig& config() const override { return m_model.config(); }
    uint32_t contextLength() const override { return m_model.contextLength(); }
    uint32_t length() const override { return m_state.length; }
    Result<void> truncate(uint32_t length) override;
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override;
    std::string deviceName() const override { return "cpu-reference"; }

private:
    ReferenceModel m_model;
    ReferenceState m_state;
};

} // namespace ponder::reference
