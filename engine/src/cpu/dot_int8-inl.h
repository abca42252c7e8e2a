// Per-target 8-bit multiply-adds for the integer kernels (included once per
// Highway target by the kernel sources). Highway 1.0.3 has no 8-bit dot
// product, so each primitive uses the target's instruction when kPortable is
// false and plain Highway operations when it is true; both compute the same
// integers (no saturation for the documented input ranges).
//
// Vectors are at most 256 bits (CappedTag 32 bytes): a 32-byte load of the
// quant blocks' packed levels is 32 consecutive values in every format, so the
// kernels never shuffle levels into order.
#if defined(PONDER_CPU_DOT_INT8_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef PONDER_CPU_DOT_INT8_INL_H_
#undef PONDER_CPU_DOT_INT8_INL_H_
#else
#define PONDER_CPU_DOT_INT8_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace ponder::cpu::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D8 = hn::CappedTag<uint8_t, 32>;  // 16 or 32 lanes
using DI8 = hn::Repartition<int8_t, D8>;
using DU16 = hn::Repartition<uint16_t, D8>;
using DI16 = hn::Repartition<int16_t, D8>;
using DI32 = hn::Repartition<int32_t, D8>;
using DF32 = hn::Repartition<float, D8>;
using VU8 = hn::Vec<D8>;
using VI8 = hn::Vec<DI8>;
using VI16 = hn::Vec<DI16>;
using VI32 = hn::Vec<DI32>;
using VF32 = hn::Vec<DF32>;

constexpr size_t kBytesPerVector = hn::MaxLanes(D8());

// Lane l: u[2l]*a[2l] + u[2l+1]*a[2l+1]. u <= 128 and |a| <= 127 keep it in int16.
HWY_INLINE VI16 PortableMulPairs(VU8 u, VI8 a)
{
    const DI16 d16;
    const DU16 du16;
    const VI16 uEven = hn::BitCast(d16, hn::And(hn::BitCast(du16, u), hn::Set(du16, 0xFF)));
    const VI16 uOdd = hn::BitCast(d16, hn::ShiftRight<8>(hn::BitCast(du16, u)));
    const VI16 aw = hn::BitCast(d16, a);
    const VI16 aEven = hn::ShiftRight<8>(hn::ShiftLeft<8>(aw));
    const VI16 aOdd = hn::ShiftRight<8>(aw);
    return hn::Add(hn::Mul(uEven, aEven), hn::Mul(uOdd, aOdd));
}

// Lane i: p[2i]*s[2i] + p[2i+1]*s[2i+1], in int32.
HWY_INLINE VI32 PortableWidenMulPairs(VI16 p, VI16 s)
{
    const DI32 d32;
    const VI32 pw = hn::BitCast(d32, p), sw = hn::BitCast(d32, s);
    const VI32 even = hn::Mul(hn::ShiftRight<16>(hn::ShiftLeft<16>(pw)), hn::ShiftRight<16>(hn::ShiftLeft<16>(sw)));
    return hn::Add(even, hn::Mul(hn::ShiftRight<16>(pw), hn::ShiftRight<16>(sw)));
}

// Lane i: p[2i]*s[2i] + p[2i+1]*s[2i+1] (the K-quant minimum corrections).
template <bool kPortable>
HWY_INLINE VI32 WidenMulPairs(VI16 p, VI16 s)
{
#if HWY_TARGET == HWY_AVX3_DL || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX2
    if constexpr (!kPortable)
        return VI32{_mm256_madd_epi16(p.raw, s.raw)};
#elif HWY_TARGET == HWY_SSE4
    if constexpr (!kPortable)
        return VI32{_mm_madd_epi16(p.raw, s.raw)};
#endif
    return PortableWidenMulPairs(p, s);
}

// acc lane i + sum over k < 4 of u[4i+k]*a[4i+k]; u <= 128.
template <bool kPortable>
HWY_INLINE VI32 DotU8I8(VI32 acc, VU8 u, VI8 a)
{
#if HWY_TARGET == HWY_AVX3_DL
    if constexpr (!kPortable)
        return VI32{_mm256_dpbusd_epi32(acc.raw, u.raw, a.raw)};
#elif HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX2
    if constexpr (!kPortable)
        return VI32{_mm256_add_epi32(
            acc.raw, _mm256_madd_epi16(_mm256_maddubs_epi16(u.raw, a.raw), _mm256_set1_epi16(1)))};
#elif HWY_TARGET == HWY_SSE4
    if constexpr (!kPortable)
        return VI32{_mm_add_epi32(acc.raw, _mm_madd_epi16(_mm_maddubs_epi16(u.raw, a.raw), _mm_set1_epi16(1)))};
#elif HWY_TARGET == HWY_NEON && defined(__ARM_FEATURE_DOTPROD)
    // sdot is signed by signed: exact here because every caller's u <= 127
    // except Q8_0's |w| = 128, which DotI8I8 avoids on NEON.
    if constexpr (!kPortable)
        return VI32{vdotq_s32(acc.raw, vreinterpretq_s8_u8(u.raw), a.raw)};
#endif
    const DI16 d16;
    return hn::Add(acc, PortableWidenMulPairs(PortableMulPairs(u, a), hn::Set(d16, 1)));
}

// acc lane i + sum over the two int16 pairs l = 2i, 2i+1 of
// s[l] * (u[2l]*a[2l] + u[2l+1]*a[2l+1]): an 8-bit dot product whose groups
// of 16 values each carry their own scale (s constant over each 128-bit block).
template <bool kPortable>
HWY_INLINE VI32 DotU8I8Scaled(VI32 acc, VU8 u, VI8 a, VI16 s)
{
#if HWY_TARGET == HWY_AVX3_DL
    if constexpr (!kPortable)
        return VI32{_mm256_dpwssd_epi32(acc.raw, _mm256_maddubs_epi16(u.raw, a.raw), s.raw)};
#elif HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX2
    if constexpr (!kPortable)
        return VI32{_mm256_add_epi32(acc.raw, _mm256_madd_epi16(_mm256_maddubs_epi16(u.raw, a.raw), s.raw))};
#elif HWY_TARGET == HWY_SSE4
    if constexpr (!kPortable)
        return VI32{_mm_add_epi32(acc.raw, _mm_madd_epi16(_mm_maddubs_epi16(u.raw, a.raw), s.raw))};
#elif HWY_TARGET == HWY_NEON && defined(__ARM_FEATURE_DOTPROD)
    // The scale is constant over each 4-value sdot lane, so scale after summing.
    if constexpr (!kPortable) {
        const int32x4_t sums = vdotq_s32(vdupq_n_s32(0), vreinterpretq_s8_u8(u.raw), a.raw);
        return VI32{vmlaq_s32(acc.raw, sums, vmovl_s16(vmovn_s32(vreinterpretq_s32_s16(s.raw))))};
    }
#endif
    return hn::Add(acc, PortableWidenMulPairs(PortableMulPairs(u, a), s));
}

// acc lane i + sum over k < 4 of w[4i+k]*a[4i+k], both signed; |a| <= 127.
// x86 moves w's sign onto a so the unsigned-by-signed instruction applies.
template <bool kPortable>
HWY_INLINE VI32 DotI8I8(VI32 acc, VI8 w, VI8 a)
{
    const D8 d8;
#if HWY_TARGET == HWY_AVX3_DL || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX2
    if constexpr (!kPortable)
        return DotU8I8<false>(acc, VU8{_mm256_sign_epi8(w.raw, w.raw)}, VI8{_mm256_sign_epi8(a.raw, w.raw)});
#elif HWY_TARGET == HWY_SSE4
    if constexpr (!kPortable)
        return DotU8I8<false>(acc, VU8{_mm_sign_epi8(w.raw, w.raw)}, VI8{_mm_sign_epi8(a.raw, w.raw)});
#elif HWY_TARGET == HWY_NEON && defined(__ARM_FEATURE_DOTPROD)
    if constexpr (!kPortable)
        return VI32{vdotq_s32(acc.raw, w.raw, a.raw)};
#endif
    const DI8 di8;
    const VI8 signedA = hn::IfThenElse(hn::Lt(w, hn::Zero(di8)), hn::Neg(a), a);
    return DotU8I8<true>(acc, hn::BitCast(d8, hn::Abs(w)), signedA);
}

// The sum of a float vector's lanes.
HWY_INLINE float SumLanes(VF32 v) { return hn::GetLane(hn::SumOfLanes(DF32(), v)); }

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
