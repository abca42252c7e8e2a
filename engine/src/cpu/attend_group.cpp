// Compiled once per SIMD target: foreach_target.h includes this file again
// for each, with HWY_NAMESPACE naming the target.
#include "cpu/hwy_targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "cpu/attend_group.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include <hwy/contrib/math/math-inl.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "cpu/attend_group.h"
#include "ponder/half.h"
#include "ponder/kv_cache_type.h"

HWY_BEFORE_NAMESPACE();
namespace ponder::cpu::HWY_NAMESPACE {
namespace {
namespace hn = hwy::HWY_NAMESPACE;

// At most 32 lanes, so a vector never straddles two Q8_0 blocks.
using D = hn::CappedTag<float, kKvQ8_0BlockValues>;
using V = hn::Vec<D>;

// A cached row's values i .. i + Lanes as floats, value i alone, and where
// value i's bytes begin (for a block's first value, its scale), for each
// cache type.
struct F32Rows {
    static const std::byte* Address(const std::byte* row, size_t i) { return row + i * sizeof(float); }
    static HWY_INLINE V Load(D d, const std::byte* row, size_t i)
    {
        return hn::LoadU(d, reinterpret_cast<const float*>(row) + i);
    }
    static float Scalar(const std::byte* row, size_t i)
    {
        float value;
        std::memcpy(&value, row + i * sizeof(float), sizeof value);
        return value;
    }
};

struct F16Rows {
    static const std::byte* Address(const std::byte* row, size_t i) { return row + i * sizeof(uint16_t); }
    static HWY_INLINE V Load(D d, const std::byte* row, size_t i)
    {
        return hn::PromoteTo(d, hn::LoadU(hn::Rebind<hwy::float16_t, D>(),
                                          reinterpret_cast<const hwy::float16_t*>(row) + i));
    }
    static float Scalar(const std::byte* row, size_t i)
    {
        uint16_t bits;
        std::memcpy(&bits, row + i * sizeof bits, sizeof bits);
        return halfToFloat(bits);
    }
};

// Blocks of 32 values: an f16 scale d, then 32 int8 levels (x = d * level).
struct Q8_0Rows {
    static const std::byte* Address(const std::byte* row, size_t i)
    {
        const size_t inBlock = i % kKvQ8_0BlockValues;
        return row + i / kKvQ8_0BlockValues * kKvQ8_0BlockBytes + (inBlock == 0 ? 0 : 2 + inBlock);
    }
    static float BlockScale(const std::byte* block)
    {
        uint16_t bits;
        std::memcpy(&bits, block, sizeof bits);
        return halfToFloat(bits);
    }
    static HWY_INLINE V Load(D d, const std::byte* row, size_t i)
    {
        const std::byte* block = row + i / kKvQ8_0BlockValues * kKvQ8_0BlockBytes;
        const auto levels = hn::LoadU(hn::Rebind<int8_t, D>(),
                                      reinterpret_cast<const int8_t*>(block + 2) + i % kKvQ8_0BlockValues);
        return hn::Mul(hn::Set(d, BlockScale(block)),
                       hn::ConvertTo(d, hn::PromoteTo(hn::Rebind<int32_t, D>(), levels)));
    }
    static float Scalar(const std::byte* row, size_t i)
    {
        const std::byte* block = row + i / kKvQ8_0BlockValues * kKvQ8_0BlockBytes;
        return BlockScale(block) * float(int8_t(block[2 + i % kKvQ8_0BlockValues]));
    }
};

// The first pass over a layer's cache reads it from memory (the weights
// streamed through the caches since the last token), and the hardware
// prefetcher alone left the loop waiting on it: rows this far ahead are
// asked for while these are multiplied. On the 2-core Xeon (BENCHMARKS.md)
// six heads over 2,080 f16 rows from memory took 231 us without, 184 with
// 8 rows, 157 with 16 and 170 with 32 (110 with the rows in cache).
constexpr size_t kPrefetchRows = 16;

// The values are read after all the keys, so the pass over the keys also
// asks for the value rows this far ahead, into L2: the cache then streams
// in one pass at twice the rate, and the values come from L2. Six heads
// over 540 f16 rows from memory: 37.8 -> 33.2 us (2,080 rows: 148 -> 132);
// 16, 32 and 64 rows ahead gave about the same, keys asked for into L2 as
// well nothing more.
constexpr size_t kValuePrefetchRows = 32;

// Asks for a whole cached row into L2: every line it touches, from the
// line it starts in (a Q8_0 row of 136 bytes can start anywhere in one and
// reach into a fourth).
HWY_INLINE void PrefetchRowToL2(const std::byte* row, size_t bytes)
{
    const uintptr_t end = reinterpret_cast<uintptr_t>(row) + bytes;
    for (uintptr_t at = reinterpret_cast<uintptr_t>(row) & ~uintptr_t(63); at < end; at += 64)
        __builtin_prefetch(reinterpret_cast<const void*>(at), 0, 2);
}

// Asks for values [begin, end) of `row`, a line at a time.
template <class Rows>
HWY_INLINE void PrefetchValues(const std::byte* row, size_t begin, size_t end)
{
    const std::byte* last = Rows::Address(row, end - 1);
    for (const std::byte* at = Rows::Address(row, begin); at <= last; at += 64)
        hwy::Prefetch(at);
    hwy::Prefetch(last);
}

HWY_INLINE float Sum(D d, V v)
{
    return hn::GetLane(hn::SumOfLanes(d, v));
}

// Four lanes' worth of one block: the sums below end in a 128-bit vector.
using D4 = hn::Full128<float>;

// v's 128-bit blocks added together.
template <class DB>
HWY_INLINE hn::Vec<D4> AddBlocks(DB d, hn::Vec<DB> v)
{
    if constexpr (hn::MaxLanes(DB()) > 4) {
        const hn::Half<DB> half;
        return AddBlocks(half, hn::Add(hn::LowerHalf(half, v), hn::UpperHalf(half, v)));
    } else {
        (void)d;
        return v;
    }
}

// The sums of the lanes of a, b, c and e, as the four lanes of one vector:
// interleaving pairs and adding folds the four together, a few
// instructions for all four where a sum across lanes takes as many for one.
HWY_INLINE hn::Vec<D4> SumsOfFour(D d, V a, V b, V c, V e)
{
    const hn::Repartition<double, D> d64;
    // Per block: a0+a2, b0+b2, a1+a3, b1+b3 (and c, e alike).
    const V ab = hn::Add(hn::InterleaveLower(d, a, b), hn::InterleaveUpper(d, a, b));
    const V ce = hn::Add(hn::InterleaveLower(d, c, e), hn::InterleaveUpper(d, c, e));
    // Per block: the sums of a, b, c and e over its four lanes.
    const auto ab64 = hn::BitCast(d64, ab), ce64 = hn::BitCast(d64, ce);
    const V sums = hn::Add(hn::BitCast(d, hn::InterleaveLower(d64, ab64, ce64)),
                           hn::BitCast(d, hn::InterleaveUpper(d64, ab64, ce64)));
    return AddBlocks(d, sums);
}

// What the target's vector registers hold (32 on AVX-512 and Arm, 16 on
// AVX2 and SSE4): the heads of one pass over the cache, the heads whose
// scores one pass over the keys computes (four rows each), and the sums of
// a pass over the values.
#if HWY_TARGET <= HWY_AVX3 || HWY_ARCH_ARM
constexpr size_t kPassHeads = 8;
constexpr size_t kScoreHeads = 6;
constexpr size_t kValueSums = 24;
#else
constexpr size_t kPassHeads = 4;
constexpr size_t kScoreHeads = 2;
// 16 sums where the registers hold 12 and the rows: sized to fit, AVX2's
// values took 60 us where they had taken 54-55 (BENCHMARKS.md).
constexpr size_t kValueSums = 16;
#endif
static_assert(kPassHeads <= kHeadsPerPass);

// The scores of H heads (queries one after another) against every visible
// row, into scores[h * visible + j] = scale * (q_h · K[j]): four rows at a
// time, each row's vectors loaded and widened once for the heads, 4 * H
// independent sums hiding the multiply-add's latency, and each head's four
// sums across lanes folded together (SumsOfFour).
template <class Rows, size_t H>
void Scores(const GroupAttention& g, const float* queries, float* scores, bool askForValues)
{
    if constexpr (H > kScoreHeads) {
        // In as few passes as the registers allow, as even as they come: 7
        // heads as 4 and 3 rather than 6 and 1.
        constexpr size_t kPasses = (H + kScoreHeads - 1) / kScoreHeads;
        constexpr size_t kFirst = (H + kPasses - 1) / kPasses;
        Scores<Rows, kFirst>(g, queries, scores, askForValues);
        Scores<Rows, H - kFirst>(g, queries + kFirst * g.dim, scores + kFirst * g.visible, false);
    } else {
        constexpr size_t R = 4;
        const D d;
        const D4 d4;
        const size_t lanes = hn::Lanes(d);
        const size_t whole = g.dim / lanes * lanes;
        // The values past the whole vectors, one at a time.
        const auto tail = [&](size_t h, const std::byte* row) {
            float sum = 0;
            for (size_t i = whole; i < g.dim; ++i)
                sum += queries[h * g.dim + i] * Rows::Scalar(row, i);
            return sum;
        };
        size_t j = 0;
        for (; j + R <= g.visible; j += R) {
            const std::byte* rows = g.keys + j * g.rowBytes;
            for (size_t r = 0; r < R; ++r)
                if (j + kPrefetchRows + r < g.visible)
                    PrefetchValues<Rows>(rows + (kPrefetchRows + r) * g.rowBytes, 0, g.dim);
            if (askForValues)
                for (size_t r = 0; r < R; ++r)
                    if (j + kValuePrefetchRows + r < g.visible)
                        PrefetchRowToL2(g.values + (j + kValuePrefetchRows + r) * g.rowBytes, g.rowBytes);
            V sums[H][R];
            for (size_t h = 0; h < H; ++h)
                for (size_t r = 0; r < R; ++r)
                    sums[h][r] = hn::Zero(d);
            for (size_t i = 0; i < whole; i += lanes)
                for (size_t r = 0; r < R; ++r) {
                    const V k = Rows::Load(d, rows + r * g.rowBytes, i);
                    for (size_t h = 0; h < H; ++h)
                        sums[h][r] = hn::MulAdd(hn::LoadU(d, queries + h * g.dim + i), k, sums[h][r]);
                }
            for (size_t h = 0; h < H; ++h) {
                auto four = SumsOfFour(d, sums[h][0], sums[h][1], sums[h][2], sums[h][3]);
                if (whole < g.dim) {
                    HWY_ALIGN float tails[4];
                    for (size_t r = 0; r < R; ++r)
                        tails[r] = tail(h, rows + r * g.rowBytes);
                    four = hn::Add(four, hn::Load(d4, tails));
                }
                hn::StoreU(hn::Mul(four, hn::Set(d4, g.scale)), d4, scores + h * g.visible + j);
            }
        }
        for (; j < g.visible; ++j) {
            const std::byte* row = g.keys + j * g.rowBytes;
            V sums[H];
            for (size_t h = 0; h < H; ++h)
                sums[h] = hn::Zero(d);
            for (size_t i = 0; i < whole; i += lanes) {
                const V k = Rows::Load(d, row, i);
                for (size_t h = 0; h < H; ++h)
                    sums[h] = hn::MulAdd(hn::LoadU(d, queries + h * g.dim + i), k, sums[h]);
            }
            for (size_t h = 0; h < H; ++h)
                scores[h * g.visible + j] = g.scale * (Sum(d, sums[h]) + tail(h, row));
        }
    }
}

// x[j] = exp(x[j] - max); returns their sum (softmax's denominator).
float ExpShifted(float* x, size_t n)
{
    const D d;
    const size_t lanes = hn::Lanes(d);
    const float best = *std::max_element(x, x + n);
    const auto by = hn::Set(d, best);
    auto sum = hn::Zero(d);
    size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        const auto e = hn::Exp(d, hn::Sub(hn::LoadU(d, x + i), by));
        hn::StoreU(e, d, x + i);
        sum = hn::Add(sum, e);
    }
    float total = Sum(d, sum);
    for (; i < n; ++i) {
        x[i] = std::exp(x[i] - best);
        total += x[i];
    }
    return total;
}

// Values [i, i + C vectors) of the H heads' outputs: out_h = norm_h * sum
// over j of weight_h[j] * V[j], H * C sums held in registers over all the
// rows, each row's C vectors loaded and widened once for the H heads.
template <class Rows, size_t H, size_t C>
HWY_INLINE void WeightedColumns(const GroupAttention& g, float* out, const float* norms, size_t i)
{
    const D d;
    const size_t lanes = hn::Lanes(d);
    V sums[H][C];
    for (size_t h = 0; h < H; ++h)
        for (size_t c = 0; c < C; ++c)
            sums[h][c] = hn::Zero(d);
    const std::byte* row = g.values;
    for (size_t j = 0; j < g.visible; ++j, row += g.rowBytes) {
        if (j + kPrefetchRows < g.visible)
            PrefetchValues<Rows>(row + kPrefetchRows * g.rowBytes, i, i + C * lanes);
        V v[C];
        for (size_t c = 0; c < C; ++c)
            v[c] = Rows::Load(d, row, i + c * lanes);
        for (size_t h = 0; h < H; ++h) {
            const V w = hn::Set(d, g.scores[h * g.visible + j]);
            for (size_t c = 0; c < C; ++c)
                sums[h][c] = hn::MulAdd(w, v[c], sums[h][c]);
        }
    }
    for (size_t h = 0; h < H; ++h)
        for (size_t c = 0; c < C; ++c)
            hn::StoreU(hn::Mul(sums[h][c], hn::Set(d, norms[h])), d, out + h * g.dim + i + c * lanes);
}

template <class Rows, size_t H>
void WeightedValues(const GroupAttention& g, float* out, const float* norms)
{
    // H * C sums, C a power of two up to 8 (dim is mostly 128: 8 AVX-512 vectors).
    constexpr size_t C = kValueSums / H >= 8 ? 8 : kValueSums / H >= 4 ? 4 : kValueSums / H >= 2 ? 2 : 1;
    const D d;
    const size_t lanes = hn::Lanes(d);
    const size_t whole = g.dim / lanes * lanes;
    size_t i = 0;
    for (; i + C * lanes <= whole; i += C * lanes)
        WeightedColumns<Rows, H, C>(g, out, norms, i);
    for (; i < whole; i += lanes)
        WeightedColumns<Rows, H, 1>(g, out, norms, i);
    for (; i < g.dim; ++i)
        for (size_t h = 0; h < H; ++h) {
            float sum = 0;
            const std::byte* row = g.values;
            for (size_t j = 0; j < g.visible; ++j, row += g.rowBytes)
                sum += g.scores[h * g.visible + j] * Rows::Scalar(row, i);
            out[h * g.dim + i] = sum * norms[h];
        }
}

// H heads starting at `first` of the group: scores, softmax, values. The
// first pass over the cache asks for the values as it reads the keys.
template <class Rows, size_t H>
void AttendHeads(const GroupAttention& g, size_t first)
{
    const float* queries = g.queries + first * g.dim;
    Scores<Rows, H>(g, queries, g.scores, first == 0);
    float norms[H];
    for (size_t h = 0; h < H; ++h)
        norms[h] = 1.0f / ExpShifted(g.scores + h * g.visible, g.visible);
    WeightedValues<Rows, H>(g, g.out + first * g.dim, norms);
}

// The group's heads in passes of at most kPassHeads, as even as they come
// (on AVX2, 6 heads as 3 and 3 rather than 4 and 2). The first pass reads
// the cache from memory (the weights streamed through the caches since the
// last token) at what one core can draw, so the more heads it computes the
// more of their arithmetic hides under that wait.
template <class Rows>
void Attend(const GroupAttention& g)
{
    const size_t passes = (g.heads + kPassHeads - 1) / kPassHeads;
    for (size_t p = 0, first = 0; p < passes; ++p) {
        const size_t count = (g.heads - first) / (passes - p);
        switch (count) {
        case 1: AttendHeads<Rows, 1>(g, first); break;
        case 2: AttendHeads<Rows, 2>(g, first); break;
        case 3: AttendHeads<Rows, 3>(g, first); break;
#if HWY_TARGET <= HWY_AVX3 || HWY_ARCH_ARM
        case 4: AttendHeads<Rows, 4>(g, first); break;
        case 5: AttendHeads<Rows, 5>(g, first); break;
        case 6: AttendHeads<Rows, 6>(g, first); break;
        case 7: AttendHeads<Rows, 7>(g, first); break;
        default: AttendHeads<Rows, 8>(g, first); break;
#else
        default: AttendHeads<Rows, 4>(g, first); break;
#endif
        }
        first += count;
    }
}

} // namespace

void AttendGroup(const GroupAttention& g)
{
    switch (g.type) {
    case KvCacheType::F16: return Attend<F16Rows>(g);
    case KvCacheType::Q8_0: return Attend<Q8_0Rows>(g);
    case KvCacheType::F32: return Attend<F32Rows>(g);
    }
}

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ponder::cpu {

HWY_EXPORT(AttendGroup);

void attendGroup(const GroupAttention& group)
{
    HWY_DYNAMIC_DISPATCH(AttendGroup)(group);
}

} // namespace ponder::cpu
#endif
