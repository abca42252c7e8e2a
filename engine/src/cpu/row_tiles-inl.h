// How the integer kernels walk one product (included once per Highway
// target, so the walk inlines into each target's kernels): tokens a chunk at
// a time, and every row against tiles of kWideTile tokens, then 4, then
// single tokens, so a weight block is decoded once per tile while the row
// and the chunk's activations stay in cache.
//
// 16 tokens per chunk: 16 rows of a 1536-wide input as Q8_K (2 KB each with
// scales and sums) fit Zen 5's 48 KB L1 beside the weight row; 32 spilled to
// L2 and ran 1.3-1.7x slower (tst_cpu_matrix benchmark). Splitting wider
// rows (ffn_down's 8960) into segments whose activations fit L1 measured no
// faster, so rows stay whole.
#if defined(PONDER_CPU_ROW_TILES_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef PONDER_CPU_ROW_TILES_INL_H_
#undef PONDER_CPU_ROW_TILES_INL_H_
#else
#define PONDER_CPU_ROW_TILES_INL_H_
#endif

#include <algorithm>
#include <cstddef>

#include "hwy/highway.h"
#include "cpu/dot_int8-inl.h"
#include "cpu/dot_kernels.h"

HWY_BEFORE_NAMESPACE();
// The kernels' target options, so their tile lambdas inline into the walk.
#include "cpu/vnni_target-inl.h"  // NOLINT(build/include)
namespace ponder::cpu::HWY_NAMESPACE {

// Tokens per pass over the weights.
constexpr size_t kTokenChunk = 16;
// Tokens per pass over a weight row: 8 where 32 vector registers hold their
// accumulators (AVX-512), else 4.
constexpr size_t kWideTile = kBytesPerWideVector == 64 ? 8 : 4;

// Marks the kernels' tile lambdas: a call per row and tile would cost a
// tenth of a one-token product.
#ifndef PONDER_ALWAYS_INLINE
#define PONDER_ALWAYS_INLINE __attribute__((always_inline))
#endif

// Tokens [t, t + T) of row r: rowTile.template operator()<T>(row, t, out)
// computes their dot products with the row into out[T], stored here into y.
template <size_t T, class TileFn>
HWY_INLINE void RunTile(const MatrixProduct& p, uint64_t r, size_t t, TileFn& rowTile)
{
    float out[T];
    rowTile.template operator()<T>(p.weights + r * p.rowBytes, t, out);
    for (size_t i = 0; i < T; ++i)
        p.y[(t + i) * p.yStride + r] = out[i];
}

// Every row of p's range against every token of p.x, through rowTile.
template <class TileFn>
HWY_INLINE void ForEachRowTile(const MatrixProduct& p, TileFn&& rowTile)
{
    const size_t tokens = p.x->tokens();
    for (size_t chunk = 0; chunk < tokens; chunk += kTokenChunk) {
        const size_t end = std::min(tokens, chunk + kTokenChunk);
        for (uint64_t r = p.rowBegin; r < p.rowEnd; ++r) {
            size_t t = chunk;
            for (; t + kWideTile <= end; t += kWideTile)
                RunTile<kWideTile>(p, r, t, rowTile);
            for (; t + 4 <= end; t += 4)
                RunTile<4>(p, r, t, rowTile);
            for (; t < end; ++t)
                RunTile<1>(p, r, t, rowTile);
        }
    }
}

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
