// The small vector loops of the forward pass: the norms' dot product and
// the feed-forward's gate, compiled for every SIMD target Highway knows and
// dispatched at run time (HWY_DYNAMIC_DISPATCH), and the stores of the KV
// cache's rows: f16, f32 or Q8_0 (kv_cache_type.h). n is any length, but a
// multiple of 32 for Q8_0: a Q8_0 row of n values is n/32 blocks of 34
// bytes (f16 scale d, 32 int8 levels q; x = d*q). Attention over the cache
// is attend_group.h's.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ponder/kv_cache_type.h"

namespace ponder::cpu {

// sum(a[i] * b[i])
float dotF32(const float* a, const float* b, size_t n);

// gate[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + exp(-g)) (SwiGLU)
void swiGlu(float* gate, const float* up, size_t n);

// y[i] = f16(x[i]), rounded to nearest even
void storeF16(uint16_t* y, const float* x, size_t n);

// y = the Q8_0 blocks of x, by the engine's Q8_0 codec (quant.h's quantize,
// without its checks: a non-finite value makes a garbage block, as it makes
// an infinite half in an f16 cache)
void storeQ8_0(std::byte* y, const float* x, size_t n);

// One cached row of n values (kvRowBytes(type, n) bytes) of the KV cache,
// stored by the function above for the cache's type.
void storeKv(KvCacheType type, std::byte* row, const float* x, size_t n);

} // namespace ponder::cpu
