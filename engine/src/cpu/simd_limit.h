// PONDER_CPU_SIMD=AVX2 (or SSE4) has the CPU engine use no SIMD beyond the
// one named, as on a CPU that has no more: how fast an AVX2 laptop runs a
// model can then be measured on an AVX-512 machine, side by side with
// llama.cpp held to its AVX2 build (BENCHMARKS.md). Unset, the engine uses
// the best the CPU has; an unknown name is ignored, said once on stderr.
#pragma once

namespace ponder::cpu {

// Applies the limit once per process: every path that picks kernels (the
// CPU's description, the rows16 and AMX checks, the backend's load) calls
// it before its first dispatch. False where the limit rules out the
// AVX-512 kernels (rows16.h, rows16_amx.h).
bool avx512Allowed();

} // namespace ponder::cpu
