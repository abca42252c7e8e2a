#include "ponder/model_layout.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ponder {
namespace {

struct MixEntry {
    QuantMix mix;
    std::string_view name;
    uint32_t fileType;  // llama.cpp's LLAMA_FTYPE_MOSTLY_* value
};

constexpr std::array<MixEntry, 10> kMixes{{
    {QuantMix::F32, "F32", 0},
    {QuantMix::F16, "F16", 1},
    {QuantMix::Q4_0, "Q4_0", 2},
    {QuantMix::Q8_0, "Q8_0", 7},
    {QuantMix::Q2_K, "Q2_K", 10},
    {QuantMix::Q3_K_M, "Q3_K_M", 12},
    {QuantMix::Q4_K_M, "Q4_K_M", 15},
    {QuantMix::Q5_K_M, "Q5_K_M", 17},
    {QuantMix::Q6_K, "Q6_K", 18},
    {QuantMix::BF16, "BF16", 32},
}};

// llama.cpp spends more bits on attn_v and ffn_down in these layers: the
// first and last eighth, and every third layer between.
bool moreBitsLayer(uint32_t layer, uint32_t count)
{
    return layer < count / 8 || layer >= 7 * count / 8 || (layer - count / 8) % 3 == 2;
}

bool endsWith(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

TensorType baseType(QuantMix mix)
{
    switch (mix) {
    case QuantMix::F32: return TensorType::F32;
    case QuantMix::F16: return TensorType::F16;
    case QuantMix::BF16: return TensorType::BF16;
    case QuantMix::Q8_0: return TensorType::Q8_0;
    case QuantMix::Q6_K: return TensorType::Q6_K;
    case QuantMix::Q5_K_M: return TensorType::Q5_K;
    case QuantMix::Q4_K_M: return TensorType::Q4_K;
    case QuantMix::Q4_0: return TensorType::Q4_0;
    case QuantMix::Q3_K_M: return TensorType::Q3_K;
    case QuantMix::Q2_K: return TensorType::Q2_K;
    }
    return TensorType::F32;
}

bool isKQuantMix(QuantMix mix)
{
    return mix == QuantMix::Q2_K || mix == QuantMix::Q3_K_M || mix == QuantMix::Q4_K_M || mix == QuantMix::Q5_K_M ||
           mix == QuantMix::Q6_K;
}

// The type llama-quantize gives a value matrix. Grouped-query attention
// makes attn_v small (one head shared by n_head / n_head_kv query heads), so
// llama.cpp gives it more bits cheaply: Q4_K in Q2_K files of models with 4+
// query heads per KV head (all six distills), and Q5_K in place of Q3_K/Q4_K
// in its "70B" class, recognised by 80 layers.
TensorType valueMatrixType(QuantMix mix, const LayoutShape& shape, uint32_t layer)
{
    TensorType type = baseType(mix);
    switch (mix) {
    case QuantMix::Q2_K: type = shape.queryHeadsPerKvHead >= 4 ? TensorType::Q4_K : TensorType::Q3_K; break;
    case QuantMix::Q3_K_M: type = layer < 2 ? TensorType::Q5_K : TensorType::Q4_K; break;
    case QuantMix::Q4_K_M:
    case QuantMix::Q5_K_M:
        if (moreBitsLayer(layer, shape.layerCount))
            type = TensorType::Q6_K;
        break;
    default: break;
    }
    if (shape.layerCount == 80 && (type == TensorType::Q3_K || type == TensorType::Q4_K))
        type = TensorType::Q5_K;
    return type;
}

TensorType matrixType(QuantMix mix, std::string_view name, uint32_t layer, const LayoutShape& shape)
{
    // The output matrix, or the token embedding that doubles as it in a
    // tied model, decides every logit: K-quant and Q4_0 files keep it Q6_K.
    const bool actsAsOutput = name == "output.weight" || (shape.tiedOutput && name == "token_embd.weight");
    if (actsAsOutput)
        return isKQuantMix(mix) || mix == QuantMix::Q4_0 ? TensorType::Q6_K : baseType(mix);
    if (endsWith(name, "attn_v.weight"))
        return valueMatrixType(mix, shape, layer);
    if (endsWith(name, "ffn_down.weight")) {
        switch (mix) {
        case QuantMix::Q2_K: return TensorType::Q3_K;
        case QuantMix::Q3_K_M: return layer < shape.layerCount / 16 ? TensorType::Q5_K : TensorType::Q4_K;
        case QuantMix::Q4_K_M:
        case QuantMix::Q5_K_M:
            return moreBitsLayer(layer, shape.layerCount) ? TensorType::Q6_K : baseType(mix);
        default: return baseType(mix);
        }
    }
    if (endsWith(name, "attn_output.weight")) {
        if (mix == QuantMix::Q2_K)
            return TensorType::Q3_K;
        if (mix == QuantMix::Q3_K_M)
            return TensorType::Q4_K;
    }
    return baseType(mix);
}

} // namespace

LayoutShape layoutShape(const ModelConfig& config)
{
    LayoutShape shape;
    shape.layerCount = config.blockCount;
    shape.queryHeadsPerKvHead = config.headCountKv ? config.headCount / config.headCountKv : 1;
    shape.tiedOutput = config.tiedOutput;
    return shape;
}

std::string_view quantMixName(QuantMix mix)
{
    for (const auto& entry : kMixes)
        if (entry.mix == mix)
            return entry.name;
    return "?";
}

std::optional<QuantMix> quantMixFromName(std::string_view name)
{
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    for (const auto& entry : kMixes)
        if (entry.name == upper)
            return entry.mix;
    return std::nullopt;
}

uint32_t quantMixFileType(QuantMix mix)
{
    for (const auto& entry : kMixes)
        if (entry.mix == mix)
            return entry.fileType;
    return 0;
}

TensorType tensorTypeFor(QuantMix mix, std::string_view tensorName, uint32_t layer, const LayoutShape& shape,
                         uint64_t rowLength)
{
    const bool isMatrix = endsWith(tensorName, ".weight") && !endsWith(tensorName, "norm.weight") &&
                          tensorName != "rope_freqs.weight";
    if (!isMatrix)
        return TensorType::F32;
    TensorType type = matrixType(mix, tensorName, layer, shape);
    if (rowLength % traits(type).blockSize != 0)
        type = rowLength % 32 == 0 ? TensorType::Q8_0 : TensorType::F16;
    if (type == TensorType::Q8_0 && (mix == QuantMix::F32 || mix == QuantMix::F16 || mix == QuantMix::BF16))
        type = baseType(mix);
    return type;
}

std::vector<TensorDesc> standardTensors(const ModelConfig& c, QuantMix mix)
{
    std::vector<TensorDesc> tensors;
    const LayoutShape shape = layoutShape(c);
    auto add = [&](std::string name, std::vector<uint64_t> dims, uint32_t layer) {
        TensorDesc desc;
        desc.type = tensorTypeFor(mix, name, layer, shape, dims[0]);
        uint64_t count = 1;
        for (uint64_t d : dims)
            count *= d;
        desc.bytes = tensorBytes(desc.type, count);
        desc.name = std::move(name);
        desc.dims = std::move(dims);
        tensors.push_back(std::move(desc));
    };
    add("token_embd.weight", {c.embeddingLength, c.vocabSize}, 0);
    if (c.hasRopeFreqs)
        add("rope_freqs.weight", {c.ropeDimensions / 2}, 0);
    for (uint32_t i = 0; i < c.blockCount; ++i) {
        add(layerTensorName(i, "attn_norm.weight"), {c.embeddingLength}, i);
        add(layerTensorName(i, "attn_q.weight"), {c.embeddingLength, c.qDim()}, i);
        add(layerTensorName(i, "attn_k.weight"), {c.embeddingLength, c.kvDim()}, i);
        add(layerTensorName(i, "attn_v.weight"), {c.embeddingLength, c.kvDim()}, i);
        if (c.hasQkvBias) {
            add(layerTensorName(i, "attn_q.bias"), {c.qDim()}, i);
            add(layerTensorName(i, "attn_k.bias"), {c.kvDim()}, i);
            add(layerTensorName(i, "attn_v.bias"), {c.kvDim()}, i);
        }
        add(layerTensorName(i, "attn_output.weight"), {c.qDim(), c.embeddingLength}, i);
        add(layerTensorName(i, "ffn_norm.weight"), {c.embeddingLength}, i);
        add(layerTensorName(i, "ffn_gate.weight"), {c.embeddingLength, c.feedForwardLength}, i);
        add(layerTensorName(i, "ffn_up.weight"), {c.embeddingLength, c.feedForwardLength}, i);
        add(layerTensorName(i, "ffn_down.weight"), {c.feedForwardLength, c.embeddingLength}, i);
    }
    add("output_norm.weight", {c.embeddingLength}, 0);
    if (!c.tiedOutput)
        add("output.weight", {c.embeddingLength, c.vocabSize}, 0);
    return tensors;
}

ModelInfo modelInfoFromConfig(const ModelConfig& config, QuantMix mix, std::string name)
{
    ModelInfo info;
    info.config = config;
    info.name = std::move(name);
    info.fileType = std::string(quantMixName(mix));
    info.tensors = standardTensors(config, mix);
    // The tensors are made from the config, so they cannot disagree with it;
    // this fills the totals.
    (void)validateModelInfo(info);
    return info;
}

} // namespace ponder
