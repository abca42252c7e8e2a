// Included right after each HWY_BEFORE_NAMESPACE() of the kernel sources (no
// include guard: once per target region). Highway 1.0.3's AVX3_DL target
// enables the VEX AVX-VNNI extension (Alder Lake, Zen 5) but not AVX512-VNNI,
// although its run-time check for AVX3_DL tests AVX512-VNNI (Ice Lake and
// Zen 4 have only that one). The region adds avx512vnni, and the kernels use
// VNNI only at 512 bits, which has just the EVEX encoding every AVX3_DL CPU
// runs; at 256 bits they use the AVX2 sequence, never the VEX AVX-VNNI form.
#if HWY_TARGET == HWY_AVX3_DL && HWY_COMPILER_GCC_ACTUAL
#pragma GCC target("avx512vnni")
#endif
