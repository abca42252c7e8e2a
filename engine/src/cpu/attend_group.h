// Attention at one position for the query heads that share one kv head,
// over the KV cache rows they see, compiled for every SIMD target Highway
// knows and dispatched at run time: scores = scale * K·q, their softmax,
// out = softmax · V per head. Up to kHeadsPerPass heads (as many as the
// target's registers hold) go through the cache together, so each cached
// row is read and widened once for them.
// One call per (token, kv head) rather than one per cached row: with a
// dispatched call and a horizontal sum per row and head, attention at 2,000
// cached positions took a third of a decode step.
#pragma once

#include <cstddef>

#include "ponder/kv_cache_type.h"

namespace ponder::cpu {

// The most heads any SIMD target takes in one pass over the cache (8 with
// AVX-512 or Arm's 32 vector registers, 4 with AVX2's 16): what the scores
// scratch is sized for.
inline constexpr size_t kHeadsPerPass = 8;

struct GroupAttention {
    KvCacheType type = KvCacheType::F16;
    const float* queries = nullptr;   // `heads` rotated queries of dim values, one after another
    size_t heads = 0;                 // >= 1
    const std::byte* keys = nullptr;  // cached row j at keys + j * rowBytes
    const std::byte* values = nullptr;
    size_t rowBytes = 0;  // kvRowBytes(type, dim)
    size_t visible = 0;   // cached rows the queries see, >= 1
    size_t dim = 0;       // any length; a multiple of 32 for Q8_0
    float scale = 1.0f;   // of the scores, 1 / sqrt(dim)
    float* scores = nullptr;  // scratch: min(heads, kHeadsPerPass) * visible floats
    float* out = nullptr;     // heads * dim values, one head after another
};

void attendGroup(const GroupAttention& group);

} // namespace ponder::cpu
