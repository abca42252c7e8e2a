// Q2_K..Q6_K weights times Q8_K activations, compiled once per SIMD target.
// Each weight block is decoded once (k_blocks-inl.h) and multiplied into a
// tile of up to kWideTile tokens (8 on AVX-512, else 4; row_tiles-inl.h walks
// the tiles), so prefill decodes each weight block once per tile. Integer
// sums stay exact within a block; the block's float scales apply once per
// block and token. A single token (decode) of Q4_K or Q6_K reads its blocks
// in place instead (k_decode-inl.h).
#include "cpu/hwy_targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "cpu/dot_k_quants.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <type_traits>

#include "hwy/highway.h"
#include "cpu/decode_prefetch.h"
#include "cpu/dot_kernels.h"
#include "cpu/k_blocks-inl.h"
#include "cpu/k_decode-inl.h"
#include "cpu/row_tiles-inl.h"

HWY_BEFORE_NAMESPACE();
#include "cpu/vnni_target-inl.h"  // NOLINT(build/include)
namespace ponder::cpu::HWY_NAMESPACE {
namespace {

// Row g (g < 8) picks int16 lane g of a 128-bit block into all eight lanes:
// with the block holding scales 8k..8k+7, a vector's 128-bit block j covering
// group g takes row g % 8.
HWY_ALIGN constexpr uint8_t kScaleShuffle[8 * 16] = {
#define PONDER_PAIR(g) 2 * g, 2 * g + 1
#define PONDER_ROW(g) \
    PONDER_PAIR(g), PONDER_PAIR(g), PONDER_PAIR(g), PONDER_PAIR(g), PONDER_PAIR(g), PONDER_PAIR(g), PONDER_PAIR(g), PONDER_PAIR(g)
    PONDER_ROW(0), PONDER_ROW(1), PONDER_ROW(2), PONDER_ROW(3), PONDER_ROW(4), PONDER_ROW(5), PONDER_ROW(6), PONDER_ROW(7),
#undef PONDER_ROW
#undef PONDER_PAIR
};

// One weight row against tokens [t0, t0 + T): out[t] = the dot products.
// The level products run on wide vectors (DW8); the minimums, 16 floats per
// block, are one multiply-add per vector into the same float accumulator
// (one register per token, so 8 tokens fit AVX-512's 32 registers).
template <class Kind, size_t T, bool kPortable>
HWY_INLINE void RowTile(const std::byte* row, size_t blocks, const QuantizedActivations& x, size_t t0, float* out)
{
    const DW8 dw8;
    const hn::Repartition<int8_t, DW8> dwi8;
    const hn::Repartition<int16_t, DW8> dw16;
    const hn::Repartition<int32_t, DW8> dw32;
    const hn::Repartition<float, DW8> dwf;
    const int8_t* quants[T];
    const float* scales[T];
    const float* sums[T];
    hn::Vec<decltype(dwf)> acc[T];
    for (size_t t = 0; t < T; ++t) {
        quants[t] = x.quants(t0 + t);
        scales[t] = x.scales(t0 + t);
        sums[t] = x.scaledSums(t0 + t);
        acc[t] = hn::Zero(dwf);
    }
    KBlock k;
    for (size_t b = 0; b < blocks; ++b) {
        if constexpr (T == 1)  // decode of Q2_K, Q3_K, Q5_K (decode_prefetch.h)
            prefetchBlockAhead(row + b * Kind::kBytes, Kind::kBytes);
        Kind::Decode(row + b * Kind::kBytes, k);
        // A single token gets two accumulators so consecutive multiply-adds
        // do not wait on each other's latency.
        constexpr size_t kChains = T == 1 ? 2 : 1;
        VecI32<DW8> dots[T * kChains];
        for (size_t t = 0; t < T * kChains; ++t)
            dots[t] = hn::Zero(dw32);
        const VecI16<DW8> scaleBlocks[2] = {hn::LoadDup128(dw16, k.scales), hn::LoadDup128(dw16, k.scales + 8)};
        for (size_t i = 0; i < 256; i += kBytesPerWideVector) {
            const auto u = hn::Load(dw8, k.levels + i);
            const auto pick = hn::LoadU(dwi8, reinterpret_cast<const int8_t*>(kScaleShuffle) + (i / 16 % 8) * 16);
            const auto s = hn::BitCast(dw16, hn::TableLookupBytes(scaleBlocks[i / 128], pick));
            const size_t chain = i / kBytesPerWideVector % kChains;
            for (size_t t = 0; t < T; ++t)
                dots[t * kChains + chain] = DotU8I8Scaled<kPortable>(
                    dw8, dots[t * kChains + chain], u, hn::LoadU(dwi8, quants[t] + 256 * b + i), s);
        }
        if constexpr (kChains == 2)
            dots[0] = hn::Add(dots[0], dots[1]);
        for (size_t t = 0; t < T; ++t) {
            for (size_t g = 0; g < 16; g += hn::Lanes(dwf))
                acc[t] = hn::NegMulAdd(hn::Load(dwf, k.mins + g), hn::LoadU(dwf, sums[t] + 16 * b + g), acc[t]);
            acc[t] = hn::MulAdd(hn::ConvertTo(dwf, dots[t * kChains]), hn::Set(dwf, k.d * scales[t][b]), acc[t]);
        }
    }
    SumEach<T>(dwf, acc, out);
}

template <class Kind, bool kPortable>
void MultiplyRows(const MatrixProduct& p)
{
    using InPlace = typename InPlaceOf<Kind>::type;
    if constexpr (!std::is_void_v<InPlace>) {
        if (p.x->tokens() == 1)
            return MultiplyOneToken<InPlace, kPortable>(p);
    }
    ForEachRowTile(p, [&]<size_t T>(const std::byte* row, size_t t, float* out) PONDER_ALWAYS_INLINE {
        RowTile<Kind, T, kPortable>(row, p.rowLength / 256, *p.x, t, out);
    });
}

template <bool kPortable>
void MultiplyType(const MatrixProduct& p)
{
    switch (p.type) {
    case TensorType::Q2_K: return MultiplyRows<Q2K, kPortable>(p);
    case TensorType::Q3_K: return MultiplyRows<Q3K, kPortable>(p);
    case TensorType::Q4_K: return MultiplyRows<Q4K, kPortable>(p);
    case TensorType::Q5_K: return MultiplyRows<Q5K, kPortable>(p);
    case TensorType::Q6_K: return MultiplyRows<Q6K, kPortable>(p);
    default: return;
    }
}

template <bool kPortable>
void MultiplyInterleaved4(const MatrixProduct& p)
{
    if (p.type == TensorType::Q4_K)
        MultiplyOneTokenInterleaved4<Q4KInPlace, kPortable>(p);
    else if (p.type == TensorType::Q6_K)
        MultiplyOneTokenInterleaved4<Q6KInPlace, kPortable>(p);
}

} // namespace

void MultiplyKQuantsInterleaved4(const MatrixProduct& p, bool portable)
{
    if (portable)
        MultiplyInterleaved4<true>(p);
    else
        MultiplyInterleaved4<false>(p);
}

void MultiplyKQuants(const MatrixProduct& p, bool portable)
{
    if (portable)
        MultiplyType<true>(p);
    else
        MultiplyType<false>(p);
}

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ponder::cpu {

HWY_EXPORT(MultiplyKQuants);
HWY_EXPORT(MultiplyKQuantsInterleaved4);

void multiplyKQuants(const MatrixProduct& p)
{
    HWY_DYNAMIC_DISPATCH(MultiplyKQuants)(p, kernelPath() == KernelPath::Portable);
}

void multiplyKQuantsInterleaved4(const MatrixProduct& p)
{
    HWY_DYNAMIC_DISPATCH(MultiplyKQuantsInterleaved4)(p, kernelPath() == KernelPath::Portable);
}

} // namespace ponder::cpu
#endif
