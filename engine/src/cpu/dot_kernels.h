// The per-target matrix kernels behind CpuMatrix::multiply, one entry point
// per activation format; each dispatches at run time to the best SIMD target
// the CPU has (hwy_targets.h lists those compiled).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ponder/tensor_type.h"
#include "cpu/activations.h"

namespace ponder::cpu {

// One CpuMatrix::multiply call: rows [rowBegin, rowEnd) of a (rows, rowLength)
// matrix stored row-major at `weights`, rowBytes apart, against every token of x.
struct MatrixProduct {
    TensorType type;
    const std::byte* weights;
    uint64_t rowBytes;
    uint64_t rowLength;
    uint64_t rowBegin;
    uint64_t rowEnd;
    const QuantizedActivations* x;
    float* y;  // y[t * yStride + r]
    size_t yStride;
};

// F32, F16, BF16 weights against Float32 activations.
void multiplyFloat(const MatrixProduct& p);
// Q4_0, Q8_0 weights against Q8_0 activations.
void multiplyQ8_0Blocks(const MatrixProduct& p);
// Q2_K..Q6_K weights against Q8_K activations.
void multiplyKQuants(const MatrixProduct& p);
// Q4_K or Q6_K weights interleaved four rows at a time (row_interleave.h)
// against one token of Q8_K activations; rowBegin and rowEnd are multiples
// of 4. A measured experiment (BENCHMARKS.md), not used by the engine.
void multiplyKQuantsInterleaved4(const MatrixProduct& p);

// The 8-bit kernels' multiply-add: the target's own instruction (AVX-512 VNNI,
// AVX2/SSE4 maddubs, NEON sdot) or the same arithmetic in portable Highway
// operations. Both give identical integers; tests run both on every target.
enum class KernelPath { Intrinsics, Portable };
void setKernelPathForTest(KernelPath path);
KernelPath kernelPath();

// The Highway target the kernels dispatch to now (a HWY_* bit), and every
// target they were compiled for.
int64_t activeKernelTarget();
int64_t compiledKernelTargets();

} // namespace ponder::cpu
