#include "cpu/cpu_weights.h"

#include <cmath>
#include <span>
#include <string>

#include "cpu/rows16.h"
#include "cpu/scratch_layout.h"
#include "ponder/quant.h"

namespace ponder::cpu {
namespace {

Result<CpuMatrix> prepareMatrix(const WeightView& w, bool copied, uint64_t& read)
{
    // The copy holds a matrix as rows16 by the same rule that made it (rows16.h).
    const bool rows16 = copied && w && heldAsRows16(*w.desc);
    auto matrix = CpuMatrix::prepare(w, rows16 ? MatrixLayout::Rows16 : MatrixLayout::File);
    if (!matrix)
        return fail(ErrorCode::Unsupported, "tensor '" + w.desc->name + "' is " +
                                                std::string(tensorTypeName(w.type())) +
                                                ", which the CPU engine cannot compute with: " +
                                                matrix.error().message);
    read += matrix->weightBytes();
    return std::move(*matrix);
}

// Decodes the vector `w` (n values) into the block at `next` and moves past it.
Result<const float*> takeVector(const WeightView& w, uint64_t n, float*& next)
{
    if (!w || w.rowLength() * w.rows() != n)
        return fail(ErrorCode::Malformed, "a norm or bias vector is missing or is not " + std::to_string(n) + " values");
    PONDER_TRY(dequantize(w.type(), w.data, std::span<float>(next, n)));
    const float* at = next;
    next += alignFloats(n);
    return at;
}

} // namespace

Result<CpuWeights> CpuWeights::load(const ModelInfo& info, const ModelWeights& weights, const ModelPart& part,
                                    bool copied)
{
    const ModelConfig& c = info.config;
    AlignedBuffer vectors(vectorFloats(c, part) * sizeof(float));
    float* next = vectors.floats();
    uint64_t read = 0;

#define PONDER_TAKE(target, expr)                   \
    auto target##_ = (expr);                        \
    if (!target##_)                                 \
        return std::unexpected(target##_.error());  \
    auto target = std::move(*target##_)

    const float* outputNorm = nullptr;
    if (part.output) {
        PONDER_TAKE(norm, takeVector(weights.outputNorm, c.embeddingLength, next));
        outputNorm = norm;
    }
    std::vector<CpuLayer> layers;
    layers.reserve(part.layerCount());
    for (uint32_t l = part.firstLayer; l < part.endLayer; ++l) {
        const LayerWeights& w = weights.layers[l];
        PONDER_TAKE(attnNorm, takeVector(w.attnNorm, c.embeddingLength, next));
        PONDER_TAKE(ffnNorm, takeVector(w.ffnNorm, c.embeddingLength, next));
        const float* biases[3] = {};
        if (c.hasQkvBias) {
            PONDER_TAKE(qBias, takeVector(w.attnQBias, c.qDim(), next));
            PONDER_TAKE(kBias, takeVector(w.attnKBias, c.kvDim(), next));
            PONDER_TAKE(vBias, takeVector(w.attnVBias, c.kvDim(), next));
            biases[0] = qBias;
            biases[1] = kBias;
            biases[2] = vBias;
        }
        PONDER_TAKE(q, prepareMatrix(w.attnQ, copied, read));
        PONDER_TAKE(k, prepareMatrix(w.attnK, copied, read));
        PONDER_TAKE(v, prepareMatrix(w.attnV, copied, read));
        PONDER_TAKE(output, prepareMatrix(w.attnOutput, copied, read));
        PONDER_TAKE(gate, prepareMatrix(w.ffnGate, copied, read));
        PONDER_TAKE(up, prepareMatrix(w.ffnUp, copied, read));
        PONDER_TAKE(down, prepareMatrix(w.ffnDown, copied, read));
        layers.push_back(CpuLayer{.q = std::move(q),
                                  .k = std::move(k),
                                  .v = std::move(v),
                                  .output = std::move(output),
                                  .gate = std::move(gate),
                                  .up = std::move(up),
                                  .down = std::move(down),
                                  .attnNorm = attnNorm,
                                  .ffnNorm = ffnNorm,
                                  .qBias = biases[0],
                                  .kBias = biases[1],
                                  .vBias = biases[2]});
    }
    std::optional<CpuMatrix> output;
    if (part.output) {
        PONDER_TAKE(matrix, prepareMatrix(weights.output, copied, read));
        output.emplace(std::move(matrix));
    }
    if (part.embedding && !canDequantize(weights.tokenEmbedding.type()))
        return fail(ErrorCode::Unsupported, "tensor 'token_embd.weight' is " +
                                                std::string(tensorTypeName(weights.tokenEmbedding.type())) +
                                                ", which the CPU engine cannot read");

    const uint32_t pairs = c.ropeDimensions / 2;
    std::span<const float> factors;
    if (c.hasRopeFreqs) {
        PONDER_TAKE(ropeFreqs, takeVector(weights.ropeFreqs, pairs, next));
        factors = std::span<const float>(ropeFreqs, pairs);
    }
#undef PONDER_TAKE
    std::vector<double> frequencies(pairs);
    for (uint32_t i = 0; i < pairs; ++i) {
        frequencies[i] = std::pow(double(c.ropeFreqBase), -2.0 * i / double(c.ropeDimensions));
        if (i < factors.size())
            frequencies[i] /= factors[i];
    }
    return CpuWeights{.part = part,
                      .layers = std::move(layers),
                      .output = std::move(output),
                      .embedding = part.embedding ? weights.tokenEmbedding : WeightView{},
                      .outputNorm = outputNorm,
                      .ropeFrequencies = std::move(frequencies),
                      .vectors = std::move(vectors),
                      .decodeBytes = read};
}

} // namespace ponder::cpu
