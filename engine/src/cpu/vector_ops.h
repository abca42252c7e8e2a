// The vector loops of attention over the KV cache, compiled for every SIMD
// target Highway knows and dispatched at run time (HWY_DYNAMIC_DISPATCH):
// keys and values are f16 or f32, queries and sums f32. n is any length.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ponder::cpu {

// sum(a[i] * b[i])
float dotF32(const float* a, const float* b, size_t n);
float dotF16(const float* a, const uint16_t* b, size_t n);

// y[i] += w * x[i]
void axpyF32(float* y, float w, const float* x, size_t n);
void axpyF16(float* y, float w, const uint16_t* x, size_t n);

// x[i] = exp(x[i] - shift); returns the sum of the new x (softmax's denominator).
float expShifted(float* x, float shift, size_t n);

// y[i] = f16(x[i]), rounded to nearest even
void storeF16(uint16_t* y, const float* x, size_t n);

} // namespace ponder::cpu
