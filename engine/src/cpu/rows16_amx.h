// The rows16 kernels of Q8_0 and Q4_K on Intel AMX's int8 tiles (Sapphire
// Rapids and later), for prefill: one tile instruction multiplies sixteen
// tokens by sixteen rows over 32 values, where AVX-512 VNNI multiplies one
// token's four values. The tiles compute the same exact integer sums as the
// AVX-512 kernels (rows16.cpp) and the float steps are theirs, in the same
// order, so a token gets the same bits either way: multiplyRows16 hands
// whole tiles of 16 tokens here and the rest of the batch to AVX-512.
// Measured on a 2-core Xeon (BENCHMARKS.md): Q8_0 2.1x the AVX-512 kernel;
// Q4_K a few percent, its value groups' scales applied to each product
// taking most of the time; Q6_K, with groups of 16 values, slower than
// AVX-512, so it stays there.
#pragma once

#include <cstddef>

#include "cpu/dot_kernels.h"
#include "ponder/tensor_type.h"

namespace ponder::cpu {

// Whether this CPU has AMX-INT8 and the kernel lets the process use it (the
// permission is asked for once, here). False on other CPUs and on arm64.
bool rows16AmxSupported();

// Whether multiplyRows16 uses the tiles for `type` (Q8_0, Q4_K) where the
// CPU has them; the tests turn them off to compare.
void setRows16AmxForTest(bool enabled);
bool rows16AmxEnabled(TensorType type);

// Tokens [t0, t0 + 16) of p.x against rows [p.rowBegin, p.rowEnd) of a
// rows16 copy (multiplyRows16's arguments), where rows16AmxEnabled(p.type).
void multiplyRows16Amx(const MatrixProduct& p, size_t t0);

} // namespace ponder::cpu
