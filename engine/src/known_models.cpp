#include "ponder/known_models.h"

#include <array>
#include <cmath>
#include <numbers>

namespace ponder {
namespace {

constexpr ModelConfig qwen(uint32_t embd, uint32_t layers, uint32_t heads, uint32_t kvHeads, uint32_t ff,
                           uint32_t vocab, float base, float eps)
{
    ModelConfig c;
    c.architecture = Architecture::Qwen2;
    c.embeddingLength = embd;
    c.blockCount = layers;
    c.feedForwardLength = ff;
    c.headCount = heads;
    c.headCountKv = kvHeads;
    c.headDim = embd / heads;
    c.ropeDimensions = c.headDim;
    c.vocabSize = vocab;
    c.contextLength = 131072;
    c.ropeFreqBase = base;
    c.rmsEpsilon = eps;
    c.ropeLayout = RopeLayout::Neox;
    c.hasQkvBias = true;
    return c;
}

constexpr ModelConfig llama(uint32_t embd, uint32_t layers, uint32_t heads, uint32_t kvHeads, uint32_t ff)
{
    ModelConfig c;
    c.architecture = Architecture::Llama;
    c.embeddingLength = embd;
    c.blockCount = layers;
    c.feedForwardLength = ff;
    c.headCount = heads;
    c.headCountKv = kvHeads;
    c.headDim = embd / heads;
    c.ropeDimensions = c.headDim;
    c.vocabSize = 128256;
    c.contextLength = 131072;
    c.ropeFreqBase = 500000.f;
    c.rmsEpsilon = 1e-5f;
    c.ropeLayout = RopeLayout::AdjacentPairs;
    c.hasRopeFreqs = true;
    return c;
}

constexpr std::array<KnownModel, 6> kKnown{{
    {"qwen-1.5b", "DeepSeek-R1-Distill-Qwen-1.5B", qwen(1536, 28, 12, 2, 8960, 151936, 10000.f, 1e-6f)},
    {"qwen-7b", "DeepSeek-R1-Distill-Qwen-7B", qwen(3584, 28, 28, 4, 18944, 152064, 10000.f, 1e-6f)},
    {"llama-8b", "DeepSeek-R1-Distill-Llama-8B", llama(4096, 32, 32, 8, 14336)},
    {"qwen-14b", "DeepSeek-R1-Distill-Qwen-14B", qwen(5120, 48, 40, 8, 13824, 152064, 1000000.f, 1e-5f)},
    {"qwen-32b", "DeepSeek-R1-Distill-Qwen-32B", qwen(5120, 64, 40, 8, 27648, 152064, 1000000.f, 1e-5f)},
    {"llama-70b", "DeepSeek-R1-Distill-Llama-70B", llama(8192, 80, 64, 8, 28672)},
}};

} // namespace

std::span<const KnownModel> knownModels()
{
    return kKnown;
}

std::optional<ModelConfig> knownModelConfig(std::string_view shape)
{
    for (const auto& known : kKnown)
        if (known.shape == shape)
            return known.config;
    return std::nullopt;
}

std::vector<float> llama3RopeFactors(uint32_t ropeDims, float base, float factor, float lowFactor, float highFactor,
                                     float originalContext)
{
    const double lowWavelength = originalContext / lowFactor;    // longer than this: fully scaled
    const double highWavelength = originalContext / highFactor;  // shorter than this: unscaled
    std::vector<float> factors(ropeDims / 2);
    for (uint32_t i = 0; i < factors.size(); ++i) {
        const double frequency = std::pow(double(base), -2.0 * i / ropeDims);
        const double wavelength = 2 * std::numbers::pi / frequency;
        if (wavelength < highWavelength) {
            factors[i] = 1.f;
        } else if (wavelength > lowWavelength) {
            factors[i] = factor;
        } else {
            const double smooth = (originalContext / wavelength - lowFactor) / (highFactor - lowFactor);
            factors[i] = float(1.0 / ((1 - smooth) / factor + smooth));
        }
    }
    return factors;
}

} // namespace ponder
