// A model's weights as the CPU engine computes with them: every matrix
// prepared for the kernels (read in place from the mapping, or from its
// copy in huge pages), the small vectors (norms, biases) decoded to f32 in one block, and the
// RoPE frequencies.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "cpu/aligned_buffer.h"
#include "cpu/cpu_matrix.h"
#include "cpu/resident_weights.h"
#include "ponder/error.h"
#include "ponder/model_info.h"
#include "ponder/model_part.h"
#include "ponder/model_weights.h"

namespace ponder::cpu {

struct CpuLayer {
    CpuMatrix q, k, v;       // (n_embd) -> (n_head * head_dim), (n_head_kv * head_dim) x 2
    CpuMatrix output;        // (n_head * head_dim) -> (n_embd)
    CpuMatrix gate, up;      // (n_embd) -> (n_ff)
    CpuMatrix down;          // (n_ff) -> (n_embd)
    const float* attnNorm = nullptr;  // (n_embd)
    const float* ffnNorm = nullptr;   // (n_embd)
    const float* qBias = nullptr;     // (n_head * head_dim), qwen2 only
    const float* kBias = nullptr;     // (n_head_kv * head_dim)
    const float* vBias = nullptr;     // (n_head_kv * head_dim)
};

// The weights of one part of the model (ModelPart; the whole model unless
// it is split): its layers, and the embedding and output when it has them.
struct CpuWeights {
    ModelPart part;
    std::vector<CpuLayer> layers;     // the part's: layers[i] is layer part.firstLayer + i
    std::optional<CpuMatrix> output;  // (n_embd) -> (n_vocab); token_embd when tied; the part with the output only
    WeightView embedding;             // rows looked up and dequantized per token; the part with the embedding only
    const float* outputNorm = nullptr;
    // Pair i of a head turns by position * ropeFrequencies[i] radians:
    // base^(-2i / rope_dims), divided by rope_freqs[i] where the model has them.
    std::vector<double> ropeFrequencies;
    AlignedBuffer vectors;            // the f32 vectors above point into it
    uint64_t decodeBytes = 0;         // sum of the matrices' weightBytes()
    ResidentWeights resident;         // the matrices' copy, when they point into one (CpuWeightPlacement::HugePages)

    // Unsupported, naming the tensor, for a matrix type the kernels cannot compute with.
    // `copied`: `weights` view the copy in huge pages (ResidentWeights), which
    // holds some matrices as rows16 (rows16.h), not the mapped file.
    static Result<CpuWeights> load(const ModelInfo& info, const ModelWeights& weights, const ModelPart& part,
                                   bool copied = false);
};

} // namespace ponder::cpu
