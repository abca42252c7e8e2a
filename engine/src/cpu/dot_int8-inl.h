// Per-target 8-bit multiply-adds for the integer kernels (included once per
// Highway target by the kernel sources). Highway 1.0.3 has no 8-bit dot
// product, so each primitive uses the target's instruction when kPortable is
// false and plain Highway operations when it is true; both compute the same
// integers (no saturation for the documented input ranges).
//
// Unpacking uses vectors of at most 256 bits (D8): a 32-byte load of the
// quant blocks' packed levels is 32 consecutive values in every format, so
// levels never need shuffling into order. Dot products over levels already
// in order use up to 512 bits (DW8). The primitives take the byte tag of
// their vectors and pick the intrinsic of that width: AVX3_DL vpdpbusd and
// vpdpwssd at 512 bits (vnni_target-inl.h says why not at 256), AVX3, AVX2
// and SSE4 vpmaddubsw + vpmaddwd, NEON sdot where the compiler targets
// dot-product Arm (-march=armv8.2-a+dotprod; without it NEON takes the
// portable operations). tests/cross/run-arm64.sh builds both under qemu.
#if defined(PONDER_CPU_DOT_INT8_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef PONDER_CPU_DOT_INT8_INL_H_
#undef PONDER_CPU_DOT_INT8_INL_H_
#else
#define PONDER_CPU_DOT_INT8_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
#include "cpu/vnni_target-inl.h"  // NOLINT(build/include)
namespace ponder::cpu::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D8 = hn::CappedTag<uint8_t, 32>;  // 16 or 32 lanes
using DI8 = hn::Repartition<int8_t, D8>;
using DI16 = hn::Repartition<int16_t, D8>;
using DI32 = hn::Repartition<int32_t, D8>;
using DF32 = hn::Repartition<float, D8>;
using VU8 = hn::Vec<D8>;
using VI8 = hn::Vec<DI8>;
using VI16 = hn::Vec<DI16>;
using VI32 = hn::Vec<DI32>;
using VF32 = hn::Vec<DF32>;

constexpr size_t kBytesPerVector = hn::MaxLanes(D8());

// Wider vectors for loops over data already in order in memory (decoded
// levels and activations): 512 bits on AVX-512 targets, else as D8.
using DW8 = hn::CappedTag<uint8_t, 64>;
constexpr size_t kBytesPerWideVector = hn::MaxLanes(DW8());

template <class D>
using VecI8 = hn::Vec<hn::Repartition<int8_t, D>>;
template <class D>
using VecI16 = hn::Vec<hn::Repartition<int16_t, D>>;
template <class D>
using VecI32 = hn::Vec<hn::Repartition<int32_t, D>>;

// Lane l: u[2l]*a[2l] + u[2l+1]*a[2l+1]. u <= 128 and |a| <= 127 keep it in int16.
template <class D>
HWY_INLINE VecI16<D> PortableMulPairs(D, hn::Vec<D> u, VecI8<D> a)
{
    const hn::Repartition<int16_t, D> d16;
    const hn::Repartition<uint16_t, D> du16;
    const auto uEven = hn::BitCast(d16, hn::And(hn::BitCast(du16, u), hn::Set(du16, 0xFF)));
    const auto uOdd = hn::BitCast(d16, hn::ShiftRight<8>(hn::BitCast(du16, u)));
    const auto aw = hn::BitCast(d16, a);
    const auto aEven = hn::ShiftRight<8>(hn::ShiftLeft<8>(aw));
    const auto aOdd = hn::ShiftRight<8>(aw);
    return hn::Add(hn::Mul(uEven, aEven), hn::Mul(uOdd, aOdd));
}

// Lane i: p[2i]*s[2i] + p[2i+1]*s[2i+1], in int32.
template <class D16>
HWY_INLINE hn::Vec<hn::Repartition<int32_t, D16>> PortableWidenMulPairs(D16, hn::Vec<D16> p, hn::Vec<D16> s)
{
    const hn::Repartition<int32_t, D16> d32;
    const auto pw = hn::BitCast(d32, p), sw = hn::BitCast(d32, s);
    const auto even = hn::Mul(hn::ShiftRight<16>(hn::ShiftLeft<16>(pw)), hn::ShiftRight<16>(hn::ShiftLeft<16>(sw)));
    return hn::Add(even, hn::Mul(hn::ShiftRight<16>(pw), hn::ShiftRight<16>(sw)));
}

// Whether V is a 512-, 256- or 128-bit vector (the intrinsics' width; NEON's are 128).
template <class V>
constexpr size_t kRawBytes = sizeof(V);

// acc lane i + sum over k < 4 of u[4i+k]*a[4i+k]; u <= 128.
template <bool kPortable, class D>
HWY_INLINE VecI32<D> DotU8I8(D d, VecI32<D> acc, hn::Vec<D> u, VecI8<D> a)
{
    using V32 [[maybe_unused]] = VecI32<D>;
#if HWY_TARGET == HWY_AVX3_DL
    if constexpr (!kPortable && kRawBytes<V32> == 64)
        return V32{_mm512_dpbusd_epi32(acc.raw, u.raw, a.raw)};
#endif
#if HWY_TARGET <= HWY_AVX3
    if constexpr (!kPortable && kRawBytes<V32> == 64)
        return V32{_mm512_add_epi32(
            acc.raw, _mm512_madd_epi16(_mm512_maddubs_epi16(u.raw, a.raw), _mm512_set1_epi16(1)))};
#endif
#if HWY_TARGET <= HWY_AVX2
    if constexpr (!kPortable && kRawBytes<V32> == 32)
        return V32{_mm256_add_epi32(
            acc.raw, _mm256_madd_epi16(_mm256_maddubs_epi16(u.raw, a.raw), _mm256_set1_epi16(1)))};
#endif
#if HWY_TARGET <= HWY_SSE4
    if constexpr (!kPortable && kRawBytes<V32> == 16)
        return V32{_mm_add_epi32(acc.raw, _mm_madd_epi16(_mm_maddubs_epi16(u.raw, a.raw), _mm_set1_epi16(1)))};
#endif
#if HWY_TARGET == HWY_NEON && defined(__ARM_FEATURE_DOTPROD)
    // sdot is signed by signed: exact here because every caller's u <= 127
    // except Q8_0's |w| = 128, which DotI8I8 avoids on NEON.
    if constexpr (!kPortable && kRawBytes<V32> == 16)
        return V32{vdotq_s32(acc.raw, vreinterpretq_s8_u8(u.raw), a.raw)};
#endif
    const hn::Repartition<int16_t, D> d16;
    return hn::Add(acc, PortableWidenMulPairs(d16, PortableMulPairs(d, u, a), hn::Set(d16, 1)));
}

// acc lane i + sum over the two int16 pairs l = 2i, 2i+1 of
// s[l] * (u[2l]*a[2l] + u[2l+1]*a[2l+1]): an 8-bit dot product whose groups
// of 16 values each carry their own scale (s constant over each 128-bit block).
template <bool kPortable, class D>
HWY_INLINE VecI32<D> DotU8I8Scaled(D d, VecI32<D> acc, hn::Vec<D> u, VecI8<D> a, VecI16<D> s)
{
    using V32 [[maybe_unused]] = VecI32<D>;
#if HWY_TARGET == HWY_AVX3_DL
    if constexpr (!kPortable && kRawBytes<V32> == 64)
        return V32{_mm512_dpwssd_epi32(acc.raw, _mm512_maddubs_epi16(u.raw, a.raw), s.raw)};
#endif
#if HWY_TARGET <= HWY_AVX3
    if constexpr (!kPortable && kRawBytes<V32> == 64)
        return V32{_mm512_add_epi32(acc.raw, _mm512_madd_epi16(_mm512_maddubs_epi16(u.raw, a.raw), s.raw))};
#endif
#if HWY_TARGET <= HWY_AVX2
    if constexpr (!kPortable && kRawBytes<V32> == 32)
        return V32{_mm256_add_epi32(acc.raw, _mm256_madd_epi16(_mm256_maddubs_epi16(u.raw, a.raw), s.raw))};
#endif
#if HWY_TARGET <= HWY_SSE4
    if constexpr (!kPortable && kRawBytes<V32> == 16)
        return V32{_mm_add_epi32(acc.raw, _mm_madd_epi16(_mm_maddubs_epi16(u.raw, a.raw), s.raw))};
#endif
#if HWY_TARGET == HWY_NEON && defined(__ARM_FEATURE_DOTPROD)
    // The scale is constant over each 4-value sdot lane, so scale after summing.
    if constexpr (!kPortable && kRawBytes<V32> == 16) {
        const int32x4_t sums = vdotq_s32(vdupq_n_s32(0), vreinterpretq_s8_u8(u.raw), a.raw);
        return V32{vmlaq_s32(acc.raw, sums, vmovl_s16(vmovn_s32(vreinterpretq_s32_s16(s.raw))))};
    }
#endif
    const hn::Repartition<int16_t, D> d16;
    return hn::Add(acc, PortableWidenMulPairs(d16, PortableMulPairs(d, u, a), s));
}

// acc lane i + sum over k < 4 of w[4i+k]*a[4i+k], both signed; |a| <= 127.
// x86 moves w's sign onto a so the unsigned-by-signed instruction applies.
template <bool kPortable, class D>
HWY_INLINE VecI32<D> DotI8I8(D d, VecI32<D> acc, VecI8<D> w, VecI8<D> a)
{
    using V8 [[maybe_unused]] = hn::Vec<D>;
    using V8s = VecI8<D>;
#if HWY_TARGET <= HWY_AVX2
    if constexpr (!kPortable && kRawBytes<V8> == 32)
        return DotU8I8<false>(d, acc, V8{_mm256_sign_epi8(w.raw, w.raw)}, V8s{_mm256_sign_epi8(a.raw, w.raw)});
#endif
#if HWY_TARGET <= HWY_SSE4
    if constexpr (!kPortable && kRawBytes<V8> == 16)
        return DotU8I8<false>(d, acc, V8{_mm_sign_epi8(w.raw, w.raw)}, V8s{_mm_sign_epi8(a.raw, w.raw)});
#endif
#if HWY_TARGET == HWY_NEON && defined(__ARM_FEATURE_DOTPROD)
    if constexpr (!kPortable && kRawBytes<V8> == 16)
        return VecI32<D>{vdotq_s32(acc.raw, w.raw, a.raw)};
#endif
    const hn::Repartition<int8_t, D> di8;
    const V8s signedA = hn::IfThenElse(hn::Lt(w, hn::Zero(di8)), hn::Neg(a), a);
    return DotU8I8<kPortable>(d, acc, hn::BitCast(d, hn::Abs(w)), signedA);
}

// v's 128-bit blocks added into one.
template <class DF>
HWY_INLINE auto SumBlocks(DF df, hn::Vec<DF> v)
{
    if constexpr (hn::MaxLanes(df) <= 4) {
        return v;
    } else {
        const hn::Half<DF> dh;
        return SumBlocks(dh, hn::Add(hn::LowerHalf(dh, v), hn::UpperHalf(dh, v)));
    }
}

// out[t] = the sum of acc[t]'s lanes, for the kernels' token tiles (1 or a
// multiple of 4 tokens). Four at a time, the lanes of four vectors are
// interleaved pairwise and added: 13 operations per four 512-bit vectors
// where four separate reductions take ~32. One vector is summed in the same
// order, so a token gives the same bits alone as in a tile: the next
// layer's int8 quantization of the result turns a last-bit difference into
// a whole quantization step (prefill in one batch, in chunks and token by
// token then differed by 0.8% of the largest logit on a test model).
template <size_t T, class DF>
HWY_INLINE void SumEach(DF df, const hn::Vec<DF>* acc, float* out)
{
    if constexpr (T == 1) {
        // Per 128-bit block: lane 0 = (a0 + a2) + (a1 + a3), as below.
        const auto pairs = hn::Add(acc[0], hn::Shuffle1032(acc[0]));
        out[0] = hn::GetLane(SumBlocks(df, hn::Add(pairs, hn::Shuffle0321(pairs))));
    } else {
        static_assert(T % 4 == 0, "tiles are 1 or a multiple of 4 tokens");
        const hn::Repartition<double, DF> dd;
        for (size_t i = 0; i < T; i += 4) {
            // Per 128-bit block: [a0+a2, b0+b2, a1+a3, b1+b3], the same for c, d.
            const auto ab =
                hn::Add(hn::InterleaveLower(df, acc[i], acc[i + 1]), hn::InterleaveUpper(df, acc[i], acc[i + 1]));
            const auto cd = hn::Add(hn::InterleaveLower(df, acc[i + 2], acc[i + 3]),
                                    hn::InterleaveUpper(df, acc[i + 2], acc[i + 3]));
            // Per block: [a, b, c, d], partial sums of the four vectors.
            const auto abd = hn::BitCast(dd, ab), cdd = hn::BitCast(dd, cd);
            const auto sums = hn::Add(hn::BitCast(df, hn::InterleaveLower(dd, abd, cdd)),
                                      hn::BitCast(df, hn::InterleaveUpper(dd, abd, cdd)));
            const auto total = SumBlocks(df, sums);
            hn::StoreU(total, hn::DFromV<decltype(total)>(), out + i);
        }
    }
}

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
