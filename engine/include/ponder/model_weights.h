// The weights of a model, bound by role (layer 3's attn_q, the output norm...)
// to their bytes in a mapped file. Both the CPU reference and the GPU upload
// walk this structure, so they agree on what every tensor is.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <span>
#include <vector>

#include "ponder/error.h"
#include "ponder/model_info.h"
#include "ponder/model_part.h"

namespace ponder {

struct WeightView {
    const TensorDesc* desc = nullptr;  // null for an optional tensor that is absent
    std::span<const std::byte> data;

    explicit operator bool() const { return desc != nullptr; }
    TensorType type() const { return desc->type; }
    uint64_t rowLength() const { return desc->dims[0]; }  // values per row (the input width of a matrix)
    uint64_t rows() const { return desc->dims.size() > 1 ? desc->dims[1] : 1; }  // the output width of a matrix
    uint64_t rowBytes() const { return tensorBytes(desc->type, rowLength()); }
    std::span<const std::byte> row(uint64_t r) const { return data.subspan(r * rowBytes(), rowBytes()); }
};

struct LayerWeights {
    WeightView attnNorm;    // (n_embd) f32
    WeightView attnQ;       // (n_embd, n_head * head_dim)
    WeightView attnK;       // (n_embd, n_head_kv * head_dim)
    WeightView attnV;       // (n_embd, n_head_kv * head_dim)
    WeightView attnQBias;   // (n_head * head_dim), qwen2 only
    WeightView attnKBias;   // (n_head_kv * head_dim), qwen2 only
    WeightView attnVBias;   // (n_head_kv * head_dim), qwen2 only
    WeightView attnOutput;  // (n_head * head_dim, n_embd)
    WeightView ffnNorm;     // (n_embd) f32
    WeightView ffnGate;     // (n_embd, n_ff)
    WeightView ffnUp;       // (n_embd, n_ff)
    WeightView ffnDown;     // (n_ff, n_embd)
};

struct ModelWeights {
    WeightView tokenEmbedding;  // (n_embd, n_vocab)
    WeightView outputNorm;      // (n_embd) f32
    WeightView output;          // (n_embd, n_vocab); token_embd when tied
    WeightView ropeFreqs;       // (head_dim / 2) f32, Llama 3 only
    std::vector<LayerWeights> layers;
};

// Finds the bytes of a tensor (e.g. GgufFile's tensor data).
using TensorDataLookup = std::function<std::span<const std::byte>(const TensorDesc&)>;

// Binds every tensor of `info` by role. `info` must outlive the result.
Result<ModelWeights> bindWeights(const ModelInfo& info, const TensorDataLookup& lookup);

// Calls f(view) for every view of `weights` (a ModelWeights, const or not),
// set or not, in plan order: the embedding, the output norm, the rope
// factors, the output (the embedding's own view again when tied), then each
// layer's in LayerWeights' order. The one list of them all.
template <class Weights, class F>
void forEachView(Weights& weights, F&& f)
{
    f(weights.tokenEmbedding);
    f(weights.outputNorm);
    f(weights.ropeFreqs);
    f(weights.output);
    for (auto& l : weights.layers)
        for (auto* w : {&l.attnNorm, &l.attnQ, &l.attnK, &l.attnV, &l.attnQBias, &l.attnKBias, &l.attnVBias,
                        &l.attnOutput, &l.ffnNorm, &l.ffnGate, &l.ffnUp, &l.ffnDown})
            f(*w);
}

// The tensors of `weights` that `part` holds (ModelPart::holdsTensor), in
// plan order, a tied output once: what a device loads for the part, the GPU
// engine uploading them and the CPU engine reading them into memory.
std::vector<WeightView> partWeights(const ModelWeights& weights, const ModelConfig& config, const ModelPart& part);
// The bytes of those tensors: a part's load progress runs to this total.
uint64_t partWeightBytes(const ModelWeights& weights, const ModelConfig& config, const ModelPart& part);

} // namespace ponder
