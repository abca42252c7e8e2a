// The vector loops of attention over the KV cache and of the feed-forward's
// gate, compiled for every SIMD target Highway knows and dispatched at run
// time (HWY_DYNAMIC_DISPATCH): keys and values are f16, f32 or Q8_0
// (kv_cache_type.h), queries and sums f32. n is any length, but a multiple
// of 32 for Q8_0: a Q8_0 row of n values is n/32 blocks of 34 bytes (f16
// scale d, 32 int8 levels q; x = d*q).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ponder/kv_cache_type.h"

namespace ponder::cpu {

// sum(a[i] * b[i])
float dotF32(const float* a, const float* b, size_t n);
float dotF16(const float* a, const uint16_t* b, size_t n);
float dotQ8_0(const float* a, const std::byte* b, size_t n);

// y[i] += w * x[i]
void axpyF32(float* y, float w, const float* x, size_t n);
void axpyF16(float* y, float w, const uint16_t* x, size_t n);
void axpyQ8_0(float* y, float w, const std::byte* x, size_t n);

// x[i] = exp(x[i] - shift); returns the sum of the new x (softmax's denominator).
float expShifted(float* x, float shift, size_t n);

// gate[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + exp(-g)) (SwiGLU)
void swiGlu(float* gate, const float* up, size_t n);

// y[i] = f16(x[i]), rounded to nearest even
void storeF16(uint16_t* y, const float* x, size_t n);

// y = the Q8_0 blocks of x, by the engine's Q8_0 codec (quant.h's quantize,
// without its checks: a non-finite value makes a garbage block, as it makes
// an infinite half in an f16 cache)
void storeQ8_0(std::byte* y, const float* x, size_t n);

// One cached row of n values (kvRowBytes(type, n) bytes) of the KV cache:
// the row functions above for the cache's type.
float dotKv(KvCacheType type, const float* a, const std::byte* row, size_t n);
void axpyKv(KvCacheType type, float* y, float w, const std::byte* row, size_t n);
void storeKv(KvCacheType type, std::byte* row, const float* x, size_t n);

} // namespace ponder::cpu
