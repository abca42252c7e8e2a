// Per-target decoders of the K-quant super-blocks (256 values; layouts in
// FORMATS.md and engine/src/quant/q*_k.cpp) into one common form the dot
// product reads:
//   value[i] = d * scales[i/16] * levels[i] - mins[i/16]
// with unsigned levels (at most 63, so u8 x s8 pairs fit int16), int16 scales
// and float minimums (the block's dmin already applied) per group of 16. Q3_K
// and Q6_K store signed levels as level + offset; their offset becomes a
// minimum of d*offset*scale. So for one activation block (scale da, quants a,
// scaled group sums S_j = da * sum_{i in j} a_i):
//   dot = d * da * sum_j scales_j * sum_{i in j} levels_i*a_i - sum_j mins_j * S_j
// The minimums' part is one float multiply-add per group, whatever the token.
#if defined(PONDER_CPU_K_BLOCKS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef PONDER_CPU_K_BLOCKS_INL_H_
#undef PONDER_CPU_K_BLOCKS_INL_H_
#else
#define PONDER_CPU_K_BLOCKS_INL_H_
#endif

#include <cstring>

#include "hwy/highway.h"
#include "ponder/half.h"
#include "cpu/dot_int8-inl.h"

HWY_BEFORE_NAMESPACE();
#include "cpu/vnni_target-inl.h"  // NOLINT(build/include)
namespace ponder::cpu::HWY_NAMESPACE {

struct KBlock {
    HWY_ALIGN uint8_t levels[256];
    HWY_ALIGN int16_t scales[16];
    HWY_ALIGN float mins[16];
    float d;
};

inline const uint8_t* bytesAt(const std::byte* p, size_t offset) { return reinterpret_cast<const uint8_t*>(p + offset); }

inline float halfAt(const std::byte* p, size_t offset)
{
    uint16_t bits;
    std::memcpy(&bits, p + offset, sizeof bits);
#if HWY_TARGET <= HWY_AVX2
    return _cvtsh_ss(bits);  // F16C, part of Highway's AVX2 target
#else
    return halfToFloat(bits);
#endif
}

// Levels out[0, n) = first and out[32, 32 + n) = second (n = vector bytes).
// Where the dot product reads 64 bytes at once and both halves are 32 bytes,
// they are stored as one 64-byte vector: a 64-byte load of two separate
// 32-byte stores still in flight cannot be forwarded and stalls.
template <class DW = DW8>
HWY_INLINE void StorePair(VU8 first, VU8 second, uint8_t* out)
{
    if constexpr (kBytesPerVector == 32 && hn::MaxLanes(DW()) == 64) {
        hn::Store(hn::Combine(DW(), second, first), DW(), out);
    } else {
        hn::Store(first, D8(), out);
        hn::Store(second, D8(), out + 32);
    }
}

// Eight unsigned 8-bit values (little-endian in a word), each written twice
// as int16 (one per group of 16).
HWY_INLINE void StorePairs(uint64_t v, int16_t* out)
{
    const hn::FixedTag<uint64_t, 2> d64;
    const hn::FixedTag<uint8_t, 16> d8;
    const hn::FixedTag<int16_t, 8> d16;
    const auto bytes = hn::BitCast(d8, hn::Set(d64, v));
    const auto wide = hn::BitCast(d16, hn::ZipLower(bytes, hn::Zero(d8)));
    hn::Store(hn::InterleaveLower(d16, wide, wide), d16, out);
    hn::Store(hn::InterleaveUpper(d16, wide, wide), d16, out + 8);
}

// 16 8-bit minimums (one per group of 16, read from memory, shifted right
// by kShift) times `scale`, as floats into out. Read as bytes straight from
// the block, or from one 16-byte store: a wider load of several narrower
// stores still in flight would stall.
template <int kShift = 0, typename T>
HWY_INLINE void StoreScaledMins(const T* mins, float scale, float* out)
{
    const hn::CappedTag<float, 16> df;
    const hn::Rebind<int32_t, decltype(df)> d32;
    const hn::Rebind<T, decltype(df)> d8;
    for (size_t g = 0; g < 16; g += hn::Lanes(df)) {
        auto m = hn::LoadU(d8, mins + g);
        if constexpr (kShift > 0)
            m = hn::ShiftRight<kShift>(m);
        hn::Store(hn::Mul(hn::ConvertTo(df, hn::PromoteTo(d32, m)), hn::Set(df, scale)), df, out + g);
    }
}

// Eight unsigned 8-bit minimums (little-endian in a word), one per group of
// 32, as 16 floats times dmin.
HWY_INLINE void StoreScaledMinPairs(uint64_t mins, float dmin, float* out)
{
    const hn::FixedTag<uint64_t, 2> d64;
    const hn::FixedTag<uint8_t, 16> d8;
    const auto bytes = hn::BitCast(d8, hn::Set(d64, mins));
    HWY_ALIGN uint8_t pairs[16];
    hn::Store(hn::InterleaveLower(d8, bytes, bytes), d8, pairs);
    StoreScaledMins(pairs, dmin, out);
}

// Q4_K and Q5_K: the 12 bytes of eight 6-bit scales and mins (k_scales.h),
// unpacked four at a time through 32-bit words into one word of scales and
// one of mins, kept in registers (no narrow stores for wide loads to wait on).
inline void UnpackScaleMin6(const std::byte* packed, uint64_t& scales, uint64_t& mins)
{
    // Three words, not an array: GCC 12 copied an array through the stack.
    uint32_t w[3];
    std::memcpy(&w[0], packed, 4);
    std::memcpy(&w[1], packed + 4, 4);
    std::memcpy(&w[2], packed + 8, 4);
    const uint64_t lowScales = w[0] & 0x3f3f3f3fu, lowMins = w[1] & 0x3f3f3f3fu;
    const uint64_t highScales = (w[2] & 0x0f0f0f0fu) | (((w[0] >> 6) & 0x03030303u) << 4);
    const uint64_t highMins = ((w[2] >> 4) & 0x0f0f0f0fu) | (((w[1] >> 6) & 0x03030303u) << 4);
    scales = lowScales | (highScales << 32);
    mins = lowMins | (highMins << 32);
}

// Q4_K, 144 bytes: d, dmin, scales[12], qs[128] (two nibbles per byte).
struct Q4K {
    static constexpr size_t kBytes = 144;
    static HWY_INLINE void Decode(const std::byte* b, KBlock& k)
    {
        const D8 d8;
        k.d = halfAt(b, 0);
        uint64_t scales, mins;
        UnpackScaleMin6(b + 4, scales, mins);
        StorePairs(scales, k.scales);
        StoreScaledMinPairs(mins, halfAt(b, 2), k.mins);
        const uint8_t* qs = bytesAt(b, 16);
        for (size_t c = 0; c < 4; ++c)
            for (size_t off = 0; off < 32; off += kBytesPerVector) {
                const VU8 v = hn::LoadU(d8, qs + 32 * c + off);
                StorePair(hn::And(v, hn::Set(d8, 15)), hn::ShiftRight<4>(v), k.levels + 64 * c + off);
            }
    }
};

// Q5_K, 176 bytes: d, dmin, scales[12], qh[32], qs[128]; bits 2c and 2c+1 of
// qh[l] are the fifth bits of chunk c's low- and high-nibble values.
struct Q5K {
    static constexpr size_t kBytes = 176;
    static HWY_INLINE void Decode(const std::byte* b, KBlock& k)
    {
        const D8 d8;
        k.d = halfAt(b, 0);
        uint64_t scales, mins;
        UnpackScaleMin6(b + 4, scales, mins);
        StorePairs(scales, k.scales);
        StoreScaledMinPairs(mins, halfAt(b, 2), k.mins);
        const uint8_t* qh = bytesAt(b, 16);
        const uint8_t* qs = bytesAt(b, 48);
        const VU8 one = hn::Set(d8, 1), nibble = hn::Set(d8, 15);
        for (size_t off = 0; off < 32; off += kBytesPerVector) {
            VU8 h = hn::LoadU(d8, qh + off);
            for (size_t c = 0; c < 4; ++c) {
                const VU8 v = hn::LoadU(d8, qs + 32 * c + off);
                const VU8 lowBit = hn::ShiftLeft<4>(hn::And(h, one));
                const VU8 highBit = hn::ShiftLeft<3>(hn::And(h, hn::Set(d8, 2)));
                StorePair(hn::Or(hn::And(v, nibble), lowBit), hn::Or(hn::ShiftRight<4>(v), highBit),
                          k.levels + 64 * c + off);
                h = hn::ShiftRight<2>(h);
            }
        }
    }
};

// Q6_K, 210 bytes: ql[128], qh[64], int8 scales[16], d; levels stored + 32.
struct Q6K {
    static constexpr size_t kBytes = 210;
    static HWY_INLINE void Decode(const std::byte* b, KBlock& k)
    {
        const D8 d8;
        const hn::FixedTag<int8_t, 8> di8;
        const hn::FixedTag<int16_t, 8> d16;
        k.d = halfAt(b, 208);
        const int8_t* scales = reinterpret_cast<const int8_t*>(b + 192);
        for (size_t half = 0; half < 2; ++half)
            hn::Store(hn::PromoteTo(d16, hn::LoadU(di8, scales + 8 * half)), d16, k.scales + 8 * half);
        StoreScaledMins(scales, 32.f * k.d, k.mins);
        const VU8 nibble = hn::Set(d8, 15), two = hn::Set(d8, 3 << 4);
        for (size_t h = 0; h < 2; ++h) {
            const uint8_t* ql = bytesAt(b, 64 * h);
            const uint8_t* qh = bytesAt(b, 128 + 32 * h);
            uint8_t* out = k.levels + 128 * h;
            for (size_t off = 0; off < 32; off += kBytesPerVector) {
                const VU8 a = hn::LoadU(d8, ql + off), c = hn::LoadU(d8, ql + 32 + off);
                const VU8 hi = hn::LoadU(d8, qh + off);
                StorePair(hn::Or(hn::And(a, nibble), hn::And(hn::ShiftLeft<4>(hi), two)),
                          hn::Or(hn::And(c, nibble), hn::And(hn::ShiftLeft<2>(hi), two)), out + off);
                StorePair(hn::Or(hn::ShiftRight<4>(a), hn::And(hi, two)),
                          hn::Or(hn::ShiftRight<4>(c), hn::And(hn::ShiftRight<2>(hi), two)), out + 64 + off);
            }
        }
    }
};

// Q2_K, 84 bytes: scales[16] (scale low nibble, min high nibble), qs[64] of
// 2-bit levels (value 128h + 32s + l in bits 2s of qs[32h + l]), d, dmin.
struct Q2K {
    static constexpr size_t kBytes = 84;
    static HWY_INLINE void Decode(const std::byte* b, KBlock& k)
    {
        const D8 d8;
        k.d = halfAt(b, 80);
        const uint8_t* sm = bytesAt(b, 0);
        for (size_t j = 0; j < 16; ++j)
            k.scales[j] = int16_t(sm[j] & 15);
        StoreScaledMins<4>(sm, halfAt(b, 82), k.mins);
        const VU8 three = hn::Set(d8, 3);
        for (size_t h = 0; h < 2; ++h)
            for (size_t off = 0; off < 32; off += kBytesPerVector) {
                const VU8 v = hn::LoadU(d8, bytesAt(b, 16 + 32 * h) + off);
                uint8_t* out = k.levels + 128 * h + off;
                StorePair(hn::And(v, three), hn::And(hn::ShiftRight<2>(v), three), out);
                StorePair(hn::And(hn::ShiftRight<4>(v), three), hn::ShiftRight<6>(v), out + 64);
            }
    }
};

// Q3_K, 110 bytes: hmask[32], qs[64], scales[12], d. Levels are low2 + 4*high
// - 4 (high bit w/32 of hmask[w%32]); scales are 6-bit, stored + 32.
struct Q3K {
    static constexpr size_t kBytes = 110;
    static HWY_INLINE void Decode(const std::byte* b, KBlock& k)
    {
        const D8 d8;
        k.d = halfAt(b, 108);
        const uint8_t* sc = bytesAt(b, 96);
        for (size_t j = 0; j < 16; ++j) {
            const int low = j < 8 ? sc[j] & 15 : sc[j - 8] >> 4;
            const int high = (sc[8 + j % 4] >> (2 * (j / 4))) & 3;
            k.scales[j] = int16_t((low | (high << 4)) - 32);
            k.mins[j] = 4.f * k.d * float(k.scales[j]);
        }
        const VU8 three = hn::Set(d8, 3), four = hn::Set(d8, 4);
        for (size_t off = 0; off < 32; off += kBytesPerVector) {
            VU8 m = hn::LoadU(d8, bytesAt(b, 0) + off);
            for (size_t h = 0; h < 2; ++h) {
                VU8 v = hn::LoadU(d8, bytesAt(b, 32 + 32 * h) + off);
                for (size_t s = 0; s < 4; s += 2) {
                    const VU8 first = hn::Or(hn::And(v, three), hn::And(hn::ShiftLeft<2>(m), four));
                    const VU8 second =
                        hn::Or(hn::And(hn::ShiftRight<2>(v), three), hn::And(hn::ShiftLeft<1>(m), four));
                    StorePair(first, second, k.levels + 128 * h + 32 * s + off);
                    v = hn::ShiftRight<4>(v);
                    m = hn::ShiftRight<2>(m);
                }
            }
        }
    }
};

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif
