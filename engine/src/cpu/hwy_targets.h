// The SIMD targets the CPU kernels are compiled for; include before any
// Highway header in a kernel source. Every kernel source is compiled once per
// target (foreach_target.h), so the set is kept small for build time:
//   AVX3_DL   AVX-512 with VNNI (Ice Lake and later, Zen 4/5): vpdpbusd, vpdpwssd
//   AVX3      AVX-512 without VNNI (Skylake-X)
//   AVX2      Haswell and later, Zen 1-3
//   SSE4      older x86
//   NEON      64-bit Arm, where it is the baseline and so the only target
//             (sdot where the compiler targets dot-product Arm, e.g.
//             -march=armv8.2-a+dotprod); tests/cross/ checks it under qemu
//   EMU128    the portable baseline (also the only one on other architectures)
// SSSE3 is left out: a CPU with SSSE3 but not SSE4 is too old to matter and
// EMU128 still serves it.
// SVE, SVE2 and their fixed-width variants are left out: their vectors are
// sizeless types, which the kernels cannot keep in arrays (one accumulator
// per token of a tile) nor size at compile time (kBytesPerVector), so they do
// not compile; every SVE CPU also runs the NEON target.
//
// Highway 1.0.3 treats EMU128 as broken on GCC before 12.3 (Debian 12 has
// 12.2) and falls back to HWY_SCALAR, whose one-lane vectors cannot express
// these kernels' byte shuffles. The kernels' tests run the EMU128 build
// against the reference on every target, so it is enabled here and checked
// there.
#pragma once

#ifndef HWY_BROKEN_EMU128
#define HWY_BROKEN_EMU128 0
#endif

#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SSSE3 | HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128)
#endif
#ifndef HWY_WANT_AVX3_DL
#define HWY_WANT_AVX3_DL
#endif
