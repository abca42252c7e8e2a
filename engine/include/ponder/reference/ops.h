// Plain CPU versions of the kernels' operations, in float32 storage with
// float64 accumulation where a sum runs long. Obviously correct first, fast
// never: the GPU kernels and the reference forward pass are checked against
// these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "ponder/error.h"
#include "ponder/model_info.h"
#include "ponder/tensor_type.h"

namespace ponder {
struct WeightView;
}

namespace ponder::reference {

// y[r, :] = x[r, :] / sqrt(mean(x[r, :]^2) + eps) * weight, for each of the
// x.size() / weight.size() rows. y and x are (rows, n), weight is (n).
void rmsNorm(std::span<float> y, std::span<const float> x, std::span<const float> weight, float eps);

// y = W x for a stored matrix W of shape (x.size(), y.size()) (dims[0]
// contiguous): y[r] = dot(row r of W, x), any tensor type.
Result<void> matVec(const WeightView& w, std::span<const float> x, std::span<float> y);

// Row `row` of a stored matrix, dequantized (embedding lookup).
Result<void> lookupRow(const WeightView& w, uint64_t row, std::span<float> out);

// Rotates the first `ropeDims` dimensions of each head of x, a (heads,
// headDim) vector at position `pos`: pair i turns by
// pos * base^(-2i / ropeDims) / freqFactors[i] (factors optional, empty = 1).
void rope(std::span<float> x, uint32_t headDim, uint32_t ropeDims, uint32_t pos, float base, RopeLayout layout,
          std::span<const float> freqFactors);

// gate[i] = silu(gate[i]) * up[i], silu(v) = v / (1 + e^-v).
void siluMul(std::span<float> gate, std::span<const float> up);

// In place, numerically stable; accumulates in float64.
void softmax(std::span<float> values);

// y += x
void add(std::span<float> y, std::span<const float> x);

// Causal grouped-query attention of query tokens over a cache of keys and
// values. q, out: (tokens, heads, headDim); keys, values: (length,
// headsKv, headDim). Query token t sits at position pos0 + t and attends
// cache positions 0..pos0+t, so length >= pos0 + tokens; query head h reads
// kv head h / (heads / headsKv); scores are scaled by 1/sqrt(headDim).
Result<void> attention(std::span<float> out, std::span<const float> q, std::span<const float> keys,
                       std::span<const float> values, uint32_t heads, uint32_t headsKv, uint32_t headDim,
                       uint32_t pos0);

} // namespace ponder::reference
