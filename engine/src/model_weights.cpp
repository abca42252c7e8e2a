#include "ponder/model_weights.h"

#include <string>

namespace ponder {
namespace {

class Binder {
public:
    Binder(const ModelInfo& info, const TensorDataLookup& lookup) : m_info(info), m_lookup(lookup) {}

    Result<WeightView> required(const std::string& name) const
    {
        const TensorDesc* desc = m_info.findTensor(name);
        if (!desc)
            return fail(ErrorCode::Malformed, "the model has no tensor '" + name + "'");
        return view(*desc);
    }

    Result<WeightView> optional(const std::string& name) const
    {
        const TensorDesc* desc = m_info.findTensor(name);
        if (!desc)
            return WeightView{};
        return view(*desc);
    }

private:
    Result<WeightView> view(const TensorDesc& desc) const
    {
        const auto data = m_lookup(desc);
        if (data.size() != desc.bytes)
            return fail(ErrorCode::Malformed, "tensor '" + desc.name + "' has " + std::to_string(data.size()) +
                                                  " bytes of data, expected " + std::to_string(desc.bytes));
        return WeightView{&desc, data};
    }

    const ModelInfo& m_info;
    const TensorDataLookup& m_lookup;
};

} // namespace

Result<ModelWeights> bindWeights(const ModelInfo& info, const TensorDataLookup& lookup)
{
    const Binder bind(info, lookup);
    ModelWeights weights;

#define PONDER_BIND(target, call)          \
    do {                                   \
        auto bound = (call);               \
        if (!bound)                        \
            return std::unexpected(bound.error()); \
        (target) = *bound;                 \
    } while (false)

    PONDER_BIND(weights.tokenEmbedding, bind.required("token_embd.weight"));
    PONDER_BIND(weights.outputNorm, bind.required("output_norm.weight"));
    if (info.config.tiedOutput)
        weights.output = weights.tokenEmbedding;
    else
        PONDER_BIND(weights.output, bind.required("output.weight"));
    PONDER_BIND(weights.ropeFreqs, bind.optional("rope_freqs.weight"));

    weights.layers.resize(info.config.blockCount);
    for (uint32_t i = 0; i < info.config.blockCount; ++i) {
        auto& layer = weights.layers[i];
        PONDER_BIND(layer.attnNorm, bind.required(layerTensorName(i, "attn_norm.weight")));
        PONDER_BIND(layer.attnQ, bind.required(layerTensorName(i, "attn_q.weight")));
        PONDER_BIND(layer.attnK, bind.required(layerTensorName(i, "attn_k.weight")));
        PONDER_BIND(layer.attnV, bind.required(layerTensorName(i, "attn_v.weight")));
        PONDER_BIND(layer.attnOutput, bind.required(layerTensorName(i, "attn_output.weight")));
        PONDER_BIND(layer.ffnNorm, bind.required(layerTensorName(i, "ffn_norm.weight")));
        PONDER_BIND(layer.ffnGate, bind.required(layerTensorName(i, "ffn_gate.weight")));
        PONDER_BIND(layer.ffnUp, bind.required(layerTensorName(i, "ffn_up.weight")));
        PONDER_BIND(layer.ffnDown, bind.required(layerTensorName(i, "ffn_down.weight")));
        if (info.config.hasQkvBias) {
            PONDER_BIND(layer.attnQBias, bind.required(layerTensorName(i, "attn_q.bias")));
            PONDER_BIND(layer.attnKBias, bind.required(layerTensorName(i, "attn_k.bias")));
            PONDER_BIND(layer.attnVBias, bind.required(layerTensorName(i, "attn_v.bias")));
        }
    }
#undef PONDER_BIND
    return weights;
}

std::vector<WeightView> partWeights(const ModelWeights& weights, const ModelConfig& config, const ModelPart& part)
{
    std::vector<WeightView> all;
    forEachView(weights, [&](const WeightView& w) {
        // A tied output is the embedding's tensor: once.
        if (&w != &weights.output || w.desc != weights.tokenEmbedding.desc)
            all.push_back(w);
    });
    std::erase_if(all, [&](const WeightView& w) { return !w || !part.holdsTensor(config, w.desc->name); });
    return all;
}

uint64_t partWeightBytes(const ModelWeights& weights, const ModelConfig& config, const ModelPart& part)
{
    uint64_t bytes = 0;
    for (const WeightView& w : partWeights(weights, config, part))
        bytes += w.data.size();
    return bytes;
}

} // namespace ponder
