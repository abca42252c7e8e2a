// The rows16 kernels on Intel AMX's int8 tiles (Sapphire Rapids and
// later), for prefill: one tile product multiplies sixteen tokens by
// sixteen rows over a value group (32 values of Q4_K or Q5_K, a Q8_0
// block, 16 of Q2_K, Q3_K or Q6_K), where AVX-512 VNNI multiplies one
// token's four values. Each group's 16x16 int32 result is scaled per row
// on AVX-512 (Q2_K's levels are scaled before the tiles instead); four
// products are in flight at a time. The integer sums are exact and the
// float steps are the AVX-512 kernels' (rows16.cpp), in the same order,
// so a token gets the same bits either way: multiplyRows16 hands whole
// tiles of 16 tokens here and the rest of the batch to AVX-512. Measured
// on a 2-core Xeon (BENCHMARKS.md), 64 tokens on two threads, AVX-512
// tiles of 4 tokens -> AMX: Q4_K 464 -> 756 Gop/s, Q6_K 361 -> 492, Q8_0
// 405 -> 843, Q5_K 431 -> 746, Q3_K 490 -> 578, Q2_K 504 -> 991.
#pragma once

#include <cstddef>

#include "cpu/dot_kernels.h"
#include "ponder/tensor_type.h"

namespace ponder::cpu {

// Whether this CPU has AMX-INT8 and the kernel lets the process use it (the
// permission is asked for once, here). False on other CPUs and on arm64.
bool rows16AmxSupported();

// Whether multiplyRows16 uses the tiles for `type` (a rows16 type) where
// the CPU has them; the tests turn them off to compare.
void setRows16AmxForTest(bool enabled);
bool rows16AmxEnabled(TensorType type);

// Tokens [t0, t0 + 16) of p.x against rows [p.rowBegin, p.rowEnd) of a
// rows16 copy (multiplyRows16's arguments), where rows16AmxEnabled(p.type).
void multiplyRows16Amx(const MatrixProduct& p, size_t t0);

} // namespace ponder::cpu
