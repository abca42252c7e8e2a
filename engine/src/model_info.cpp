#include "ponder/model_info.h"

#include <array>
#include <unordered_map>

namespace ponder {
namespace {

std::string shapeText(const std::vector<uint64_t>& dims)
{
    std::string text = "(";
    for (size_t i = 0; i < dims.size(); ++i)
        text += (i ? ", " : "") + std::to_string(dims[i]);
    return text + ")";
}

class ShapeChecker {
public:
    explicit ShapeChecker(const ModelInfo& info)
    {
        for (const auto& t : info.tensors)
            m_byName.emplace(t.name, &t);
    }

    Result<void> require(const std::string& name, std::vector<uint64_t> dims, bool matrix) const
    {
        auto found = m_byName.find(name);
        if (found == m_byName.end())
            return fail(ErrorCode::Malformed, "the model has no tensor '" + name + "'");
        return check(*found->second, dims, matrix);
    }

    Result<void> optional(const std::string& name, std::vector<uint64_t> dims) const
    {
        auto found = m_byName.find(name);
        return found == m_byName.end() ? Result<void>{} : check(*found->second, dims, false);
    }

    bool has(const std::string& name) const { return m_byName.contains(name); }

private:
    static Result<void> check(const TensorDesc& t, const std::vector<uint64_t>& dims, bool matrix)
    {
        if (t.dims != dims)
            return fail(ErrorCode::Malformed, "tensor '" + t.name + "' has shape " + shapeText(t.dims) +
                                                  ", expected " + shapeText(dims));
        if (!traits(t.type).supported)
            return fail(ErrorCode::Unsupported, "tensor '" + t.name + "' is stored as " +
                                                    std::string(tensorTypeName(t.type)) +
                                                    ", which Ponder cannot compute with");
        if (!matrix && t.type != TensorType::F32 && t.type != TensorType::F16 && t.type != TensorType::BF16)
            return fail(ErrorCode::Unsupported, "tensor '" + t.name + "' is a vector stored as " +
                                                    std::string(tensorTypeName(t.type)) + "; expected F32");
        return {};
    }

    std::unordered_map<std::string, const TensorDesc*> m_byName;
};

} // namespace

const TensorDesc* ModelInfo::findTensor(std::string_view tensorName) const
{
    for (const auto& t : tensors)
        if (t.name == tensorName)
            return &t;
    return nullptr;
}

Result<void> validateModelInfo(ModelInfo& info)
{
    const ModelConfig& c = info.config;
    if (c.embeddingLength == 0 || c.blockCount == 0 || c.headCount == 0 || c.headCountKv == 0 ||
        c.feedForwardLength == 0 || c.vocabSize == 0)
        return fail(ErrorCode::Malformed, "the model's dimensions include a zero");
    // Bounds far above every real model (the full R1: 61 layers, 7168 wide,
    // 128 heads of 192; Llama-3-405B: 126 layers, 16384 wide, n_ff 53248)
    // and low enough that no width the engine forms in 32 bits (heads x head
    // size, n_ff) can wrap: a header whose 4 x (2^30 + 64) wraps to 256 must
    // not pass the tensor shape checks below with a q that small.
    constexpr uint64_t kMaxLayers = 1024, kMaxHeads = 1024, kMaxHeadDim = 1024;
    constexpr uint64_t kMaxWidth = 1u << 20, kMaxVocab = 1u << 22;
    if (c.blockCount > kMaxLayers || c.headCount > kMaxHeads || c.headDim > kMaxHeadDim ||
        c.embeddingLength > kMaxWidth || c.feedForwardLength > kMaxWidth || c.vocabSize > kMaxVocab ||
        uint64_t(c.headCount) * c.headDim > kMaxWidth)
        return fail(ErrorCode::Malformed, "the model's dimensions are implausibly large (" +
                                              std::to_string(c.blockCount) + " layers, " +
                                              std::to_string(c.headCount) + " heads of " + std::to_string(c.headDim) +
                                              ", width " + std::to_string(c.embeddingLength) + ")");
    if (c.headCount % c.headCountKv != 0)
        return fail(ErrorCode::Malformed, std::to_string(c.headCount) + " attention heads cannot share " +
                                              std::to_string(c.headCountKv) + " key/value heads evenly");
    if (c.headDim == 0 || c.headDim % 2 != 0 || c.ropeDimensions > c.headDim || c.ropeDimensions % 2 != 0)
        return fail(ErrorCode::Malformed, "head dimension " + std::to_string(c.headDim) + " with " +
                                              std::to_string(c.ropeDimensions) + " rotary dimensions is unusable");

    const ShapeChecker shapes(info);
    const uint64_t embd = c.embeddingLength;
    PONDER_TRY(shapes.require("token_embd.weight", {embd, c.vocabSize}, true));
    PONDER_TRY(shapes.require("output_norm.weight", {embd}, false));
    if (!c.tiedOutput)
        PONDER_TRY(shapes.require("output.weight", {embd, c.vocabSize}, true));
    if (c.hasRopeFreqs)
        PONDER_TRY(shapes.require("rope_freqs.weight", {c.ropeDimensions / 2}, false));
    for (uint32_t i = 0; i < c.blockCount; ++i) {
        PONDER_TRY(shapes.require(layerTensorName(i, "attn_norm.weight"), {embd}, false));
        PONDER_TRY(shapes.require(layerTensorName(i, "attn_q.weight"), {embd, c.qDim()}, true));
        PONDER_TRY(shapes.require(layerTensorName(i, "attn_k.weight"), {embd, c.kvDim()}, true));
        PONDER_TRY(shapes.require(layerTensorName(i, "attn_v.weight"), {embd, c.kvDim()}, true));
        PONDER_TRY(shapes.require(layerTensorName(i, "attn_output.weight"), {c.qDim(), embd}, true));
        PONDER_TRY(shapes.require(layerTensorName(i, "ffn_norm.weight"), {embd}, false));
        PONDER_TRY(shapes.require(layerTensorName(i, "ffn_gate.weight"), {embd, c.feedForwardLength}, true));
        PONDER_TRY(shapes.require(layerTensorName(i, "ffn_up.weight"), {embd, c.feedForwardLength}, true));
        PONDER_TRY(shapes.require(layerTensorName(i, "ffn_down.weight"), {c.feedForwardLength, embd}, true));
        if (c.hasQkvBias) {
            PONDER_TRY(shapes.require(layerTensorName(i, "attn_q.bias"), {c.qDim()}, false));
            PONDER_TRY(shapes.require(layerTensorName(i, "attn_k.bias"), {c.kvDim()}, false));
            PONDER_TRY(shapes.require(layerTensorName(i, "attn_v.bias"), {c.kvDim()}, false));
        }
    }

    info.parameterCount = 0;
    info.tensorBytes = 0;
    info.bytesByType.clear();
    for (const auto& t : info.tensors) {
        uint64_t count = 1;
        for (uint64_t d : t.dims)
            count *= d;
        info.parameterCount += count;
        info.tensorBytes += t.bytes;
        info.bytesByType[t.type] += t.bytes;
    }
    return {};
}

std::string_view architectureName(Architecture architecture)
{
    switch (architecture) {
    case Architecture::Llama: return "llama";
    case Architecture::Qwen2: return "qwen2";
    }
    return "?";
}

std::string_view fileTypeName(uint32_t fileType)
{
    // llama.cpp's llama_ftype values.
    struct Entry {
        uint32_t id;
        std::string_view name;
    };
    static constexpr std::array<Entry, 22> kNames{{
        {0, "F32"},     {1, "F16"},     {2, "Q4_0"},    {3, "Q4_1"},    {7, "Q8_0"},    {8, "Q5_0"},
        {9, "Q5_1"},    {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"}, {13, "Q3_K_L"}, {14, "Q4_K_S"},
        {15, "Q4_K_M"}, {16, "Q5_K_S"}, {17, "Q5_K_M"}, {18, "Q6_K"},   {19, "IQ2_XXS"}, {20, "IQ2_XS"},
        {21, "Q2_K_S"}, {22, "IQ3_XS"}, {23, "IQ3_XXS"}, {32, "BF16"},
    }};
    for (const auto& e : kNames)
        if (e.id == fileType)
            return e.name;
    return {};
}

std::string layerTensorName(uint32_t layer, std::string_view suffix)
{
    return "blk." + std::to_string(layer) + "." + std::string(suffix);
}

} // namespace ponder
