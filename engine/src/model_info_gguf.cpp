// readModelInfo(): the ModelConfig from GGUF metadata keys and the tensor
// list from the tensor infos (FORMATS.md, "Tensors and metadata").
#include <cmath>
#include <string>

#include "ponder/gguf.h"
#include "ponder/model_info.h"

namespace ponder {
namespace {

class Keys {
public:
    Keys(const GgufHeader& header, std::string arch) : m_header(header), m_arch(std::move(arch)) {}

    Result<uint32_t> requiredUint(const std::string& suffix) const
    {
        const std::string key = m_arch + "." + suffix;
        if (!m_header.find(key))
            return fail(ErrorCode::Malformed, "the model lacks the metadata key '" + key + "'");
        const auto value = m_header.getUint(key);
        if (!value || *value == 0 || *value > 0xffffffffu)
            return fail(ErrorCode::Malformed, "metadata key '" + key + "' is not a positive 32-bit integer");
        return uint32_t(*value);
    }

    Result<uint32_t> optionalUint(const std::string& suffix, uint32_t fallback) const
    {
        if (!m_header.find(m_arch + "." + suffix))
            return fallback;
        return requiredUint(suffix);
    }

    Result<float> optionalFloat(const std::string& suffix, float fallback) const
    {
        const std::string key = m_arch + "." + suffix;
        if (!m_header.find(key))
            return fallback;
        // Checked as the float the engine keeps: a float64 of 1e-50 is
        // positive but narrows to 0 (an epsilon of 0 divides by zero).
        const auto value = m_header.getFloat(key);
        const float narrowed = value && *value <= 1e30 ? float(*value) : 0.f;
        if (!std::isnormal(narrowed) || narrowed < 0)
            return fail(ErrorCode::Malformed, "metadata key '" + key + "' is not a positive number");
        return narrowed;
    }

private:
    const GgufHeader& m_header;
    std::string m_arch;
};

#define PONDER_ASSIGN(target, expr)                        \
    do {                                                   \
        auto ponder_value_ = (expr);                       \
        if (!ponder_value_)                                \
            return std::unexpected(ponder_value_.error()); \
        (target) = *ponder_value_;                         \
    } while (false)

} // namespace

Result<ModelInfo> readModelInfo(const GgufHeader& header)
{
    return readModelInfo(header, header.tensors());
}

Result<ModelInfo> readModelInfo(const GgufHeader& header, std::span<const GgufTensorInfo> tensors)
{
    const auto findTensor = [tensors](std::string_view name) -> const GgufTensorInfo* {
        for (const GgufTensorInfo& t : tensors)
            if (t.name == name)
                return &t;
        return nullptr;
    };
    const auto arch = header.getString("general.architecture");
    if (!arch)
        return fail(ErrorCode::Malformed, "the model does not say its architecture (general.architecture)");
    ModelInfo info;
    ModelConfig& c = info.config;
    if (*arch == "llama") {
        c.architecture = Architecture::Llama;
        c.ropeLayout = RopeLayout::AdjacentPairs;
    } else if (*arch == "qwen2") {
        c.architecture = Architecture::Qwen2;
        c.ropeLayout = RopeLayout::Neox;
    } else {
        return fail(ErrorCode::Unsupported, "the model's architecture '" + std::string(*arch) +
                                                "' is not supported; Ponder runs llama and qwen2 models");
    }

    const Keys keys(header, std::string(*arch));
    PONDER_ASSIGN(c.embeddingLength, keys.requiredUint("embedding_length"));
    PONDER_ASSIGN(c.blockCount, keys.requiredUint("block_count"));
    PONDER_ASSIGN(c.feedForwardLength, keys.requiredUint("feed_forward_length"));
    PONDER_ASSIGN(c.headCount, keys.requiredUint("attention.head_count"));
    PONDER_ASSIGN(c.headCountKv, keys.optionalUint("attention.head_count_kv", c.headCount));
    PONDER_ASSIGN(c.contextLength, keys.optionalUint("context_length", 4096));
    PONDER_ASSIGN(c.headDim, keys.optionalUint("attention.key_length", c.embeddingLength / c.headCount));
    PONDER_ASSIGN(c.ropeDimensions, keys.optionalUint("rope.dimension_count", c.headDim));
    PONDER_ASSIGN(c.ropeFreqBase, keys.optionalFloat("rope.freq_base", 10000.f));
    PONDER_ASSIGN(c.rmsEpsilon, keys.optionalFloat("attention.layer_norm_rms_epsilon", 1e-5f));

    const GgufTensorInfo* embedding = findTensor("token_embd.weight");
    if (!embedding || embedding->dims.size() != 2)
        return fail(ErrorCode::Malformed, "the model has no two-dimensional tensor 'token_embd.weight'");
    if (embedding->dims[1] > 0xffffffffu)
        return fail(ErrorCode::Malformed, "the vocabulary is implausibly large");
    c.vocabSize = uint32_t(embedding->dims[1]);
    c.tiedOutput = findTensor("output.weight") == nullptr;
    c.hasRopeFreqs = findTensor("rope_freqs.weight") != nullptr;
    c.hasQkvBias = findTensor("blk.0.attn_q.bias") != nullptr;

    if (auto name = header.getString("general.name"))
        info.name = std::string(*name);
    // An id beyond 32 bits names no type (narrowed, 2^32 + 15 would read as Q4_K_M).
    if (auto fileType = header.getUint("general.file_type"); fileType && *fileType <= 0xffffffffu)
        info.fileType = std::string(fileTypeName(uint32_t(*fileType)));
    info.tensors.reserve(tensors.size());
    for (const auto& t : tensors)
        info.tensors.push_back({std::string(t.name), t.type, t.dims, t.bytes});
    PONDER_TRY(validateModelInfo(info));
    return info;
}

} // namespace ponder
