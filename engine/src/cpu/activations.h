// One batch of activations quantized once for the integer dot products and
// reused by every matrix that reads the same input (q/k/v, gate/up). The
// buffer is sized once for the largest batch and never reallocated per token.
#pragma once

#include <cstddef>
#include <cstdint>
#include "ponder/tensor_type.h"
#include "cpu/aligned_buffer.h"

namespace ponder::cpu {

// The form of the input a weight type's dot product reads.
enum class ActivationFormat {
    Float32,  // F32, F16, BF16 weights: plain floats
    Q8_0,     // Q4_0, Q8_0 weights: blocks of 32 int8 with a float scale and the block's sum
    Q8_K,     // Q2_K..Q6_K weights: blocks of 256 int8 with a float scale, sums and scaled sums per 16
};

ActivationFormat activationFormatFor(TensorType weightType);

// Activations of `tokens` rows of `width` values in one format. Rows are
// `rowBytes()` apart; the layout inside a row belongs to the kernels.
class QuantizedActivations {
public:
    // Allocates for up to maxTokens rows of `width`; width must be a multiple
    // of the format's block (32 or 256; any for Float32).
    void reserve(ActivationFormat format, size_t width, size_t maxTokens);

    // Quantizes x, (tokens, width) with rows xStride floats apart.
    // tokens <= maxTokens of the last reserve().
    void quantize(const float* x, size_t tokens, size_t xStride);

    ActivationFormat format() const { return m_format; }
    size_t width() const { return m_width; }
    size_t tokens() const { return m_tokens; }
    size_t rowBytes() const { return m_rowBytes; }
    const std::byte* row(size_t token) const { return m_data.data() + token * m_rowBytes; }
    size_t capacityBytes() const { return m_data.bytes(); }

    // The layout inside a row, for the kernels. Float32: width floats.
    // Q8_0 and Q8_K: int8 quants[width]; float scales[width / block] (value =
    // scale * quant); then the group sums that fold weight offsets and
    // minimums out of the dot products: int16 sums of the quants per group
    // (32 values for Q8_0, 16 for Q8_K), and for Q8_K also float
    // scaledSums[width / 16], each group's quant sum times its block's scale.
    const float* floats(size_t token) const { return reinterpret_cast<const float*>(row(token)); }
    const int8_t* quants(size_t token) const { return reinterpret_cast<const int8_t*>(row(token)); }
    const float* scales(size_t token) const
    {
        return reinterpret_cast<const float*>(row(token) + m_scalesOffset);
    }
    const int16_t* sums(size_t token) const
    {
        return reinterpret_cast<const int16_t*>(row(token) + m_sumsOffset);
    }
    const float* scaledSums(size_t token) const  // Q8_K
    {
        return reinterpret_cast<const float*>(row(token) + m_scaledSumsOffset);
    }

private:
    ActivationFormat m_format = ActivationFormat::Float32;
    size_t m_width = 0;
    size_t m_tokens = 0;
    size_t m_rowBytes = 0;
    size_t m_scalesOffset = 0;  // bytes from the row's start
    size_t m_sumsOffset = 0;
    size_t m_scaledSumsOffset = 0;  // Q8_K
    // On a cache line, as every row: the kernels' 64-byte loads of a row
    // would otherwise each touch two lines (std::vector gave 16 bytes).
    AlignedBuffer m_data;
};

} // namespace ponder::cpu
