// The inputs of the forward pass's matrix products, each quantized once per
// layer in every format its matrices read (a quant mix may give q and v
// different block types) and shared by those matrices: the attention input
// by q, k and v, the feed-forward input by gate and up. Sized once, at
// load, for a whole batch.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "cpu/activations.h"
#include "cpu/cpu_matrix.h"
#include "ponder/model_info.h"

namespace ponder::cpu {

enum class Input {
    Attention,        // normed residual (n_embd): attn_q, attn_k, attn_v
    AttentionOutput,  // attention result (n_head * head_dim): attn_output
    FeedForward,      // normed residual (n_embd): ffn_gate, ffn_up
    FeedForwardDown,  // silu(gate) * up (n_ff): ffn_down
    Output,           // normed final residual (n_embd): output
};
inline constexpr size_t kInputCount = 5;
inline constexpr size_t kFormatCount = 3;  // ActivationFormat's values

class MatrixInputs {
public:
    // Bytes reserve() allocates for batches of `batch` tokens.
    static uint64_t plannedBytes(const ModelInfo& info, uint32_t batch);

    void reserve(const ModelInfo& info, uint32_t batch);
    uint64_t allocatedBytes() const;

    // Quantizes x, (tokens, width of `input`) with rows `stride` floats
    // apart, into each format one of `readers` reads.
    void quantize(Input input, std::initializer_list<const CpuMatrix*> readers, const float* x, size_t tokens,
                  size_t stride);
    // The input as `matrix` reads it (after quantize()).
    const QuantizedActivations& operator()(Input input, const CpuMatrix& matrix) const
    {
        return m_buffers[size_t(input)][size_t(matrix.inputFormat())];
    }

private:
    std::array<std::array<QuantizedActivations, kFormatCount>, kInputCount> m_buffers;
};

} // namespace ponder::cpu
