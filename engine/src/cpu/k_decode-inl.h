// One token against Q4_K and Q6_K weights (decode), per Highway target: the
// blocks are read in place and their levels, group scales and minimums go
// straight into registers, where the tiles (dot_k_quants.cpp) store each
// decoded block (k_blocks-inl.h) and load it back per token. With one token
// there is nothing to share a decoded block with, and those stores and loads
// were a third of the work: Q4_K decode ran at ~23 GB/s of weights per
// thread, compute bound, where one Zen 5 core streams ~30.
//
// One row at a time, in memory order. Two or four rows per pass, sharing
// each load of the activations, computed as fast in the caches but ran
// 2-4x slower from memory (tst_cpu_matrix benchmark, 8960x1536, Zen 5 VM):
// rows read side by side, 144 bytes from each in turn, no longer look like
// one stream to the hardware prefetcher; software prefetches a few lines
// ahead of one row did not help either. Four rows stored interleaved, one
// stream again (R == 4 below), were no faster from memory either
// (BENCHMARKS.md, "Rows interleaved four at a time"). On the 2-core Xeon
// the one-row stream asked for 2 KB ahead (decode_prefetch.h) streams 2.7x
// faster than without (AVX2 Q4_K, two threads, 10.3 -> 27.7 GB/s).
//
// Same bits as the tiles: every level lands in the same int32 lane (vectors
// in value order), integer sums are exact, and the float steps per block are
// the tiles' own: minimums first, one NegMulAdd per float vector, then the
// levels' sum times d * da. tst_cpu_matrix's tilesMatchSingleTokens checks it.
#if defined(PONDER_CPU_K_DECODE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef PONDER_CPU_K_DECODE_INL_H_
#undef PONDER_CPU_K_DECODE_INL_H_
#else
#define PONDER_CPU_K_DECODE_INL_H_
#endif

#include <array>
#include <cstring>
#include <utility>

#include "hwy/highway.h"
#include "cpu/decode_prefetch.h"
#include "cpu/dot_int8-inl.h"
#include "cpu/dot_kernels.h"
#include "cpu/k_blocks-inl.h"
#include "cpu/row_tiles-inl.h"

HWY_BEFORE_NAMESPACE();
#include "cpu/vnni_target-inl.h"  // NOLINT(build/include)



namespace ponder::cpu::HWY_NAMESPACE {

// Byte indices that spread a block's group scales over the int16 lanes of
// a levels vector in value order: entry p is for the lane of values p, p+1
// (a vector at value offset i loads entries [i, i + lanes)). The scales sit
// in every 128-bit block of the looked-up vector.
struct ScalePicks {
    // Q4_K: eight unsigned scales, one per 32 values: the low byte picks
    // scale p/32, the high byte is zeroed (index 0x80).
    static constexpr std::array<uint8_t, 256> kPer32 = [] {
        std::array<uint8_t, 256> picks{};
        for (size_t p = 0; p < 256; ++p)
            picks[p] = p % 2 ? 0x80 : uint8_t(p / 32);
        return picks;
    }();
    // Q6_K: sixteen signed scales, one per 16 values, in both bytes; a shift
    // right by 8 then sign-extends the high byte.
    static constexpr std::array<uint8_t, 256> kPer16 = [] {
        std::array<uint8_t, 256> picks{};
        for (size_t p = 0; p < 256; ++p)
            picks[p] = uint8_t(p / 16);
        return picks;
    }();
};

using DWI16 = hn::Repartition<int16_t, DW8>;
using DWF = hn::Repartition<float, DW8>;
constexpr size_t kWideLanesF = hn::MaxLanes(DWF());

// 32 bytes at p in both halves of a 512-bit vector: one broadcast load on
// AVX-512 (vbroadcasti64x4), where Highway's Combine of a loaded half
// compiled to a load and a shuffle that loads the bytes again.
template <class DW>
HWY_INLINE hn::Vec<DW> LoadDup256(DW dw, const uint8_t* p)
{
#if HWY_TARGET <= HWY_AVX3
    return hn::Vec<DW>{_mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)))};
#else
    const hn::Half<DW> dh;
    const auto v = hn::LoadU(dh, p);
    return hn::Combine(dw, v, v);
#endif
}

// acc -= mins * S per group of 16, float vector by float vector, for the 16
// minimums mins8[g] * scale (int8 or uint8 bytes) and the activations'
// scaled sums S: the tiles' StoreScaledMins and NegMulAdd, in registers.
template <typename T>
HWY_INLINE hn::Vec<DWF> SubtractMins(const T* mins8, float scale, const float* sums, hn::Vec<DWF> acc)
{
    const DWF df;
    const hn::Rebind<int32_t, DWF> d32;
    const hn::Rebind<T, DWF> d8;
    for (size_t g = 0; g < 16; g += kWideLanesF) {
        const auto mins = hn::Mul(hn::ConvertTo(df, hn::PromoteTo(d32, hn::LoadU(d8, mins8 + g))), hn::Set(df, scale));
        acc = hn::NegMulAdd(mins, hn::LoadU(df, sums + g), acc);
    }
    return acc;
}

// Q4_K in place (layout in k_blocks-inl.h's Q4K).
struct Q4KInPlace {
    static constexpr size_t kBytes = Q4K::kBytes;

    // What a block's levels need besides its bytes. No vector members: on
    // NEON, GCC 12 compiles a struct's implicit constructor without the
    // target's options and then cannot inline the vectors' into it.
    struct Block {
        const std::byte* bytes;
        uint64_t scales;  // the eight 6-bit scales, one byte each
        HWY_ALIGN uint8_t mins[16];  // one per group of 16
    };

    static HWY_INLINE void Open(const std::byte* b, Block& block)
    {
        uint64_t mins;
        UnpackScaleMin6(b + 4, block.scales, mins);
        block.bytes = b;
        const hn::FixedTag<uint64_t, 2> d64;
        const hn::FixedTag<uint8_t, 16> d16;
        const auto bytes = hn::BitCast(d16, hn::Set(d64, mins));
        hn::Store(hn::InterleaveLower(d16, bytes, bytes), d16, block.mins);
    }

    // Levels of values [i, i + lanes).
    // (DW is a parameter so that only the branch for its width compiles.)
    template <size_t i, class DW = DW8>
    static HWY_INLINE hn::Vec<DW> Levels(const Block& block)
    {
        const uint8_t* qs = bytesAt(block.bytes, 16) + 32 * (i / 64);
        constexpr size_t within = i % 64;
        if constexpr (hn::MaxLanes(DW()) == 64) {
            // The 32 bytes in both halves, the upper half shifted right by 4:
            // one broadcast load and two operations.
            const DW dw;
            const hn::Repartition<uint16_t, DW> du16;
            const hn::Half<decltype(du16)> dhu16;
            const auto shifts = hn::Combine(du16, hn::Set(dhu16, 4), hn::Zero(dhu16));
            return hn::And(hn::BitCast(dw, hn::Shr(hn::BitCast(du16, LoadDup256(dw, qs)), shifts)), hn::Set(dw, 15));
        } else {
            const DW dw;
            const auto v = hn::LoadU(dw, qs + within % 32);
            return within < 32 ? hn::And(v, hn::Set(dw, 15)) : hn::ShiftRight<4>(v);
        }
    }

    template <size_t i>
    static HWY_INLINE hn::Vec<DWI16> Scales(const Block& block)
    {
        const DW8 dw8;
        const hn::Repartition<uint64_t, DW8> dw64;
        const auto scales = hn::BitCast(dw8, hn::Set(dw64, block.scales));  // in every 128-bit block
        const auto picks = hn::LoadU(dw8, ScalePicks::kPer32.data() + i);
        return hn::BitCast(DWI16(), hn::TableLookupBytesOr0(scales, picks));
    }

    static HWY_INLINE float D(const Block& block) { return halfAt(block.bytes, 0); }

    static HWY_INLINE hn::Vec<DWF> SubtractMins(const Block& block, const float* sums, hn::Vec<DWF> acc)
    {
        return HWY_NAMESPACE::SubtractMins(block.mins, halfAt(block.bytes, 2), sums, acc);
    }
};

// Q6_K in place (layout in k_blocks-inl.h's Q6K).
struct Q6KInPlace {
    static constexpr size_t kBytes = Q6K::kBytes;

    struct Block {
        const std::byte* bytes;
    };

    static HWY_INLINE void Open(const std::byte* b, Block& block) { block.bytes = b; }

    // Values [32q + off, + lanes) of a 128-value half: q = 0..3 takes ql's
    // low nibbles, then high (a: ql[0, 32), c: ql[32, 64)), with qh's bits
    // 2q, 2q+1 above them.
    template <size_t q, class D>
    static HWY_INLINE hn::Vec<D> Quarter(D d, const uint8_t* ql, const uint8_t* qh)
    {
        const auto v = hn::LoadU(d, ql + 32 * (q % 2));
        const auto hi = hn::LoadU(d, qh);
        const auto low = q < 2 ? hn::And(v, hn::Set(d, 15)) : hn::ShiftRight<4>(v);
        const auto high = q == 0 ? hn::ShiftLeft<4>(hi)
                          : q == 1 ? hn::ShiftLeft<2>(hi)
                          : q == 2 ? hi
                                   : hn::ShiftRight<2>(hi);
        return hn::Or(low, hn::And(high, hn::Set(d, 3 << 4)));
    }

    template <size_t i, class DW = DW8>
    static HWY_INLINE hn::Vec<DW> Levels(const Block& block)
    {
        constexpr size_t half = i / 128, within = i % 128;
        const uint8_t* ql = bytesAt(block.bytes, 64 * half);
        const uint8_t* qh = bytesAt(block.bytes, 128 + 32 * half);
        if constexpr (hn::MaxLanes(DW()) == 64) {
            // Quarters q, q+1 at once: ql's 64 bytes hold both in their low
            // (q = 0) or high nibbles, and qh's 32 bytes, in both halves,
            // shift by each quarter's own amount (16-bit shifts: the bits
            // kept, 0x30 of each byte, come from the byte itself).
            const DW dw;
            const hn::Repartition<uint16_t, DW> du16;
            const hn::Half<decltype(du16)> dhu16;
            const auto v = hn::LoadU(dw, ql);
            const auto low = within == 0 ? hn::And(v, hn::Set(dw, 15)) : hn::ShiftRight<4>(v);
            const auto hi = hn::BitCast(du16, LoadDup256(dw, qh));
            const auto high = within == 0 ? hn::Shl(hi, hn::Combine(du16, hn::Set(dhu16, 2), hn::Set(dhu16, 4)))
                                          : hn::Shr(hi, hn::Combine(du16, hn::Set(dhu16, 2), hn::Zero(dhu16)));
            return hn::Or(low, hn::And(hn::BitCast(dw, high), hn::Set(dw, 3 << 4)));
        } else {
            constexpr size_t off = within % 32;
            return Quarter<within / 32>(DW(), ql + off, qh + off);
        }
    }

    template <size_t i>
    static HWY_INLINE hn::Vec<DWI16> Scales(const Block& block)
    {
        const DW8 dw8;
        const auto scales = hn::LoadDup128(dw8, bytesAt(block.bytes, 192));  // in every 128-bit block
        const auto picks = hn::LoadU(dw8, ScalePicks::kPer16.data() + i);
        return hn::ShiftRight<8>(hn::BitCast(DWI16(), hn::TableLookupBytes(scales, picks)));
    }

    static HWY_INLINE float D(const Block& block) { return halfAt(block.bytes, 208); }

    static HWY_INLINE hn::Vec<DWF> SubtractMins(const Block& block, const float* sums, hn::Vec<DWF> acc)
    {
        const auto* scales = reinterpret_cast<const int8_t*>(block.bytes + 192);
        return HWY_NAMESPACE::SubtractMins(scales, 32.f * D(block), sums, acc);
    }
};

template <class Kind>
struct InPlaceOf {
    using type = void;
};
template <>
struct InPlaceOf<Q4K> {
    using type = Q4KInPlace;
};
template <>
struct InPlaceOf<Q6K> {
    using type = Q6KInPlace;
};

// Calls f.template operator()<i>() for i = 0, lanes, 2 lanes, ... < 256.
template <class F, size_t... V>
HWY_INLINE void ForEachVector(F&& f, std::index_sequence<V...>)
{
    (f.template operator()<V * kBytesPerWideVector>(), ...);
}

// R rows against p's one token: y[j] = row j's dot product. R == 1 is a row
// in memory order; R == 4 a group of rows interleaved block by block
// (interleaveRows4, row_interleave.h), which shares each load of the
// activations among its rows. Block b of row j is at rows + (R b + j) bytes
// of blocks. Every R gives the same bits: the same integer sums, the same
// float steps per row and block.
template <class Kind, size_t R, bool kPortable>
HWY_INLINE void RowsAgainstToken(const MatrixProduct& p, const std::byte* rows, float* y)
{
    const DW8 dw8;
    const hn::Repartition<int8_t, DW8> dwi8;
    const hn::Repartition<int32_t, DW8> dw32;
    const DWF dwf;
    const QuantizedActivations& x = *p.x;
    const int8_t* quants = x.quants(0);
    const float* scales = x.scales(0);
    const float* sums = x.scaledSums(0);
    // One row gets two accumulators, so consecutive multiply-adds do not
    // wait on each other's latency; several rows are independent already.
    constexpr size_t kChains = R == 1 ? 2 : 1;
    hn::Vec<DWF> acc[R];
    for (size_t j = 0; j < R; ++j)
        acc[j] = hn::Zero(dwf);
    const size_t blocks = p.rowLength / 256;
    for (size_t b = 0; b < blocks; ++b) {
        if constexpr (R == 1)  // each row follows the last (decode_prefetch.h)
            prefetchBlockAhead(rows + b * Kind::kBytes, Kind::kBytes);
        typename Kind::Block block[R];
        for (size_t j = 0; j < R; ++j)
            Kind::Open(rows + (R * b + j) * Kind::kBytes, block[j]);
        VecI32<DW8> dots[R * kChains];
        for (size_t c = 0; c < R * kChains; ++c)
            dots[c] = hn::Zero(dw32);
        const int8_t* a = quants + 256 * b;
        ForEachVector(
            [&]<size_t i>() PONDER_ALWAYS_INLINE {
                constexpr size_t chain = i / kBytesPerWideVector % kChains;
                const auto activations = hn::LoadU(dwi8, a + i);
                for (size_t j = 0; j < R; ++j)
                    dots[j * kChains + chain] =
                        DotU8I8Scaled<kPortable>(dw8, dots[j * kChains + chain], Kind::template Levels<i>(block[j]),
                                                 activations, Kind::template Scales<i>(block[j]));
            },
            std::make_index_sequence<256 / kBytesPerWideVector>());
        for (size_t j = 0; j < R; ++j) {
            VecI32<DW8> dot = dots[j * kChains];
            if constexpr (kChains == 2)
                dot = hn::Add(dot, dots[j * kChains + 1]);
            acc[j] = Kind::SubtractMins(block[j], sums + 16 * b, acc[j]);
            acc[j] = hn::MulAdd(hn::ConvertTo(dwf, dot), hn::Set(dwf, Kind::D(block[j]) * scales[b]), acc[j]);
        }
    }
    for (size_t j = 0; j < R; ++j)
        SumEach<1>(dwf, &acc[j], y + j);
}

// Every row of p against its one token (p.x->tokens() == 1).
template <class Kind, bool kPortable>
HWY_INLINE void MultiplyOneToken(const MatrixProduct& p)
{
    for (uint64_t r = p.rowBegin; r < p.rowEnd; ++r)
        RowsAgainstToken<Kind, 1, kPortable>(p, p.weights + r * p.rowBytes, p.y + r);
}

// Rows interleaved four at a time against p's one token, a group of four at
// a time (p.rowBegin and p.rowEnd multiples of 4). The measurement it was
// written for is in BENCHMARKS.md ("Rows interleaved four at a time"); the
// engine does not use it.
template <class Kind, bool kPortable>
HWY_INLINE void MultiplyOneTokenInterleaved4(const MatrixProduct& p)
{
    for (uint64_t group = p.rowBegin / 4; group < p.rowEnd / 4; ++group)
        RowsAgainstToken<Kind, 4, kPortable>(p, p.weights + group * 4 * p.rowBytes, p.y + group * 4);
}

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
