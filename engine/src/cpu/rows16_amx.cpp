#include "cpu/rows16_amx.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>
#define PONDER_ROWS16_AMX 1
#else
#define PONDER_ROWS16_AMX 0
#endif

#include <atomic>
#include <cassert>
#include <cstdint>

#include "cpu/rows16.h"
#include "cpu/rows16_layout.h"
#include "cpu/rows16_levels.h"

namespace ponder::cpu {

using namespace rows16;

namespace {

std::atomic<bool> g_amxEnabled{true};

#if PONDER_ROWS16_AMX

// Linux's arch_prctl request for a dynamically enabled state component
// (asm/prctl.h), and AMX's tile data component.
constexpr int kArchReqXcompPerm = 0x1023;
constexpr int kXfeatureXtileData = 18;

bool cpuHasAmxInt8()
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    const bool tile = d & (1u << 24), int8 = d & (1u << 25);
    if (!tile || !int8 || !__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))  // OSXSAVE
        return false;
    uint32_t low = 0, high = 0;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    // XCR0: the OS saves the tile configuration (17) and data (18).
    return (low & (3u << 17)) == (3u << 17);
}

// The tile shapes the kernels use (palette 1). C: 16 tokens x 16 rows of
// int32. A: 16 tokens' int8 activations, 32 values (Q4_K and Q5_K's value group, a
// Q8_0 block). B: the rows' levels for those values, four values of sixteen
// rows per 64-byte tile row, as rows16 keeps them (once Q4_K's nibbles are
// split). Four products are in flight at a time, each into its own C: one
// at a time, each waited for the last one's result to be stored (Q4_K ran
// at 278 Gop/s on one thread that way). Numbers, not names: GCC's tile
// intrinsics paste the number into the instruction.
//   0-3: C     4, 6: A     5, 7: B

struct alignas(64) TileConfig {
    uint8_t palette = 1;
    uint8_t startRow = 0;
    uint8_t reserved[14] = {};
    uint16_t bytesPerRow[16] = {};
    uint8_t rows[16] = {};
};

// The shapes for products over `values` values (32: Q4_K, Q5_K and Q8_0; 16: Q2_K, Q3_K and Q6_K).
TileConfig tileConfig(uint16_t values)
{
    TileConfig c;
    const auto set = [&](int t, uint8_t rows, uint16_t bytes) {
        c.rows[t] = rows;
        c.bytesPerRow[t] = bytes;
    };
    for (int t = 0; t < 4; ++t)
        set(t, 16, 64);                     // C
    for (int t : {4, 6}) {
        set(t, 16, values);                 // A
        set(t + 1, uint8_t(values / 4), 64);  // B
    }
    return c;
}

#define PONDER_AMX_TARGET __attribute__((target("amx-tile,amx-int8,avx512f,avx512bw,avx512vl,avx512vnni,f16c")))

// Each thread loads the shapes for `values` before its first tile, and
// again when a product needs the other ones.
PONDER_AMX_TARGET void configureThread(uint16_t values)
{
    thread_local uint16_t configured = 0;
    if (configured == values)
        return;
    static const TileConfig of32 = tileConfig(32), of16 = tileConfig(16);
    _tile_loadconfig(values == 32 ? &of32 : &of16);
    configured = values;
}

// How a K-quant's group scale bytes hold its scales.
enum class ScaleBytes { Unsigned, Signed };

// Sixteen tokens' view: their int8 activations (rows `stride` bytes apart),
// and per token its scales, integer sums and where its 16 results go.
struct Tokens16 {
    const int8_t* quants;
    size_t stride;
    const float* scales[16];
    const int16_t* sums[16];
    float* out[16];
};

// GCC 12 warns of the undefined vectors inside AVX-512 intrinsics compiled
// under a target attribute (as maybe or surely uninitialized, depending on
// what it inlined where); they are the intrinsics' own.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

// C tile `c` = A (signed activations) . B (unsigned levels), through A
// and B tiles `a` and `b`.
#define PONDER_TILE_PRODUCT(c, a, b, activations, levels) \
    do {                                                  \
        _tile_zero(c);                                    \
        _tile_loadd(a, activations, long(x.stride));      \
        _tile_loadd(b, levels, 64);                       \
        _tile_dpbsud(c, a, b);                            \
    } while (0)

// Four products, the i-th of activations(i) and levels(i) into C tile i,
// stored to out[i].
#define PONDER_FOUR_PRODUCTS(activations, levels, out)       \
    do {                                                     \
        PONDER_TILE_PRODUCT(0, 4, 5, activations(0), levels(0)); \
        PONDER_TILE_PRODUCT(1, 6, 7, activations(1), levels(1)); \
        PONDER_TILE_PRODUCT(2, 4, 5, activations(2), levels(2)); \
        PONDER_TILE_PRODUCT(3, 6, 7, activations(3), levels(3)); \
        _tile_stored(0, out[0], 64);                         \
        _tile_stored(1, out[1], 64);                         \
        _tile_stored(2, out[2], 64);                         \
        _tile_stored(3, out[3], 64);                         \
    } while (0)

// Sixteen Q8_0 rows: rows16.cpp's q8_0Group for 16 tokens, four blocks at
// a time (the last few one at a time, on C tile 0).
PONDER_AMX_TARGET void q8_0Tiles(const uint8_t* w, size_t blocks, const Tokens16& x)
{
    alignas(64) int32_t c[4][16][16];
    __m512 acc[16];
    for (__m512& a : acc)
        a = _mm512_setzero_ps();
    const uint8_t* d = w + blocks * kQ8_0LevelBytes;
    // The float steps of block b from its products in `dots`, in block order.
    const auto steps = [&](size_t b, const int32_t (*dots)[16]) PONDER_AMX_TARGET {
        const __m512 scale = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(d + 32 * b)));
        for (int t = 0; t < 16; ++t) {
            const __m512i dot =
                _mm512_sub_epi32(_mm512_load_si512(dots[t]), _mm512_set1_epi32(128 * int32_t(x.sums[t][b])));
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(scale, _mm512_set1_ps(x.scales[t][b])),
                                     acc[t]);
        }
    };
    size_t b = 0;
    for (; b + 4 <= blocks; b += 4) {
        // The next four blocks' levels, asked for while these multiply: the
        // tile loads read straight from memory in a 64-token prefill (each
        // weight once per batch), and whole-model prefill ran 6% faster
        // (204 -> 216-219 tok/s on the Xeon, alternated twice). The
        // K-quants, which split their levels first, gained nothing from it.
        for (int i = 0; i < 32; ++i)
            _mm_prefetch(reinterpret_cast<const char*>(w + kQ8_0LevelBytes * (b + 4) + 64 * i), _MM_HINT_T0);
#define PONDER_ACTIVATIONS(i) (x.quants + 32 * (b + (i)))
#define PONDER_LEVELS(i) (w + kQ8_0LevelBytes * (b + (i)))
        PONDER_FOUR_PRODUCTS(PONDER_ACTIVATIONS, PONDER_LEVELS, c);
#undef PONDER_ACTIVATIONS
#undef PONDER_LEVELS
        for (size_t i = 0; i < 4; ++i)
            steps(b + i, c[i]);
    }
    for (; b < blocks; ++b) {
        PONDER_TILE_PRODUCT(0, 4, 5, x.quants + 32 * b, w + kQ8_0LevelBytes * b);
        _tile_stored(0, c[0], 64);
        steps(b, c[0]);
    }
    for (int t = 0; t < 16; ++t)
        _mm512_storeu_ps(x.out[t], acc[t]);
}

// A K-quant block's integer dot products, one value group of kValues at a
// time (levels[g] its B tile) for kGroups groups, four products in flight:
// dots[t] = sum over g of C_g[t] * scale_g, `scales` holding 16 bytes (one
// a row) per group: unsigned (Q4_K, Q5_K) or signed (Q3_K, Q6_K). Always inlined: with two callers of
// one instance (Q4_K and Q5_K) GCC made it a call, its sixteen results
// went through memory, and Q4_K prefill ran 5% slower.
template <int kGroups, int kValues, ScaleBytes kScales>
PONDER_AMX_TARGET __attribute__((always_inline)) inline void scaledGroupProducts(const Tokens16& x, size_t b, const uint8_t (*levels)[kValues / 4][64],
                                           const uint8_t* scales, __m512i* dots)
{
    alignas(64) int32_t c[4][16][16];
    for (int t = 0; t < 16; ++t)
        dots[t] = _mm512_setzero_si512();
    for (int g0 = 0; g0 < kGroups; g0 += 4) {
#define PONDER_ACTIVATIONS(i) (x.quants + 256 * b + kValues * (g0 + (i)))
#define PONDER_LEVELS(i) (levels[g0 + (i)])
        PONDER_FOUR_PRODUCTS(PONDER_ACTIVATIONS, PONDER_LEVELS, c);
#undef PONDER_ACTIVATIONS
#undef PONDER_LEVELS
        for (int i = 0; i < 4; ++i) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(scales + 16 * (g0 + i)));
            const __m512i scale =
                kScales == ScaleBytes::Signed ? _mm512_cvtepi8_epi32(bytes) : _mm512_cvtepu8_epi32(bytes);
            for (int t = 0; t < 16; ++t)
                dots[t] = _mm512_add_epi32(dots[t], _mm512_mullo_epi32(_mm512_load_si512(c[i][t]), scale));
        }
    }
}

// Two groups' bytes of a block, one a row (16 at `first`, 16 after), as an
// int16 pair in each row's lane for vpdpwssd.
template <bool kSigned>
PONDER_AMX_TARGET inline __m512i int16Pairs(const uint8_t* first)
{
    const auto* rows = reinterpret_cast<const __m128i*>(first);
    const __m512i low = kSigned ? _mm512_and_si512(_mm512_cvtepi8_epi32(_mm_loadu_si128(rows)), _mm512_set1_epi32(0xFFFF))
                                : _mm512_cvtepu8_epi32(_mm_loadu_si128(rows));
    const __m512i high = kSigned ? _mm512_cvtepi8_epi32(_mm_loadu_si128(rows + 1))
                                 : _mm512_cvtepu8_epi32(_mm_loadu_si128(rows + 1));
    return _mm512_or_si512(low, _mm512_slli_epi32(high, 16));
}

// Sixteen Q4_K or Q5_K rows: rows16.cpp's nibbleGroup for 16 tokens. A
// block's value groups have their levels put together into B tiles in
// `levels` first, then go four at a time.
template <TensorType type>
PONDER_AMX_TARGET void nibbleTiles(const uint8_t* w, size_t blocks, const Tokens16& x)
{
    constexpr uint64_t blockBytes = groupBlockBytes(type);
    alignas(64) uint8_t levels[8][8][64];
    alignas(64) float acc[16][16] = {};
    for (size_t b = 0; b < blocks; ++b, w += blockBytes) {
        for (int j = 0; j < 32; ++j) {
            __m512i low, high;
            nibbleChunkLevels<type>(w, j, low, high);
            _mm512_store_si512(levels[j / 4][2 * (j % 4)], low);
            _mm512_store_si512(levels[j / 4][2 * (j % 4) + 1], high);
        }
        __m512i dots[16];
        scaledGroupProducts<8, 32, ScaleBytes::Unsigned>(x, b, levels, w + 64, dots);
        // The minimums' sum for every token: m_g . S_g over the 8 value
        // groups, S_g the token's activation sum over group g (|S_g| <= 4064),
        // in int16 pairs of groups (exact, as rows16.cpp's products one group
        // at a time).
        __m512i m[4];
        for (int k = 0; k < 4; ++k)
            m[k] = int16Pairs<false>(w + 192 + 32 * k);
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
        const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32)));
        for (int t = 0; t < 16; ++t) {
            const int16_t* sums = x.sums[t] + 16 * b;
            int32_t groups[8];
            for (int g = 0; g < 8; ++g)
                groups[g] = sums[2 * g] + sums[2 * g + 1];
            const __m512i mins = pairedDot<4>(m, groups);
            _mm512_store_ps(acc[t], stepWithMinimums(_mm512_load_ps(acc[t]), dots[t], mins, d, dmin, x.scales[t][b]));
        }
    }
    for (int t = 0; t < 16; ++t)
        _mm512_storeu_ps(x.out[t], _mm512_load_ps(acc[t]));
}

// Sixteen Q3_K or Q6_K rows: rows16.cpp's signedGroup for 16 tokens, a
// product per value group of 16 (tiles shaped for 16 values), four at a
// time.
template <TensorType type>
PONDER_AMX_TARGET void signedTiles(const uint8_t* w, size_t blocks, const Tokens16& x)
{
    constexpr uint64_t blockBytes = groupBlockBytes(type);
    alignas(64) uint8_t levels[16][4][64];
    alignas(64) float acc[16][16] = {};
    for (size_t b = 0; b < blocks; ++b, w += blockBytes) {
        for (int g = 0; g < 16; ++g) {
            __m512i group[4];
            signedGroupLevels<type>(w + kSignedHeadBytes + valueGroup16Bytes<type>() * g, group);
            for (int i = 0; i < 4; ++i)
                _mm512_store_si512(levels[g][i], group[i]);
        }
        __m512i dots[16];
        scaledGroupProducts<16, 16, ScaleBytes::Signed>(x, b, levels, w + 32, dots);
        // Levels are stored + 4 or + 32: take that offset . sum over g of
        // scale_g . S_g off, S_g the token's activation sum over group g
        // (|S_g| <= 2032), in int16 pairs of groups (exact, the same
        // integers as rows16.cpp's, which takes the offset times S_g off
        // each group before its scale).
        __m512i scalePairs[8];
        for (int k = 0; k < 8; ++k)
            scalePairs[k] = int16Pairs<true>(w + 32 + 32 * k);
        for (int t = 0; t < 16; ++t) {
            const __m512i offsets = pairedDot<8>(scalePairs, x.sums[t] + 16 * b);
            dots[t] = _mm512_sub_epi32(dots[t], _mm512_slli_epi32(offsets, levelOffsetShift<type>()));
        }
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
        for (int t = 0; t < 16; ++t)
            _mm512_store_ps(acc[t], _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots[t]),
                                                    _mm512_mul_ps(d, _mm512_set1_ps(x.scales[t][b])),
                                                    _mm512_load_ps(acc[t])));
    }
    for (int t = 0; t < 16; ++t)
        _mm512_storeu_ps(x.out[t], _mm512_load_ps(acc[t]));
}

// Each row's Q2_K scale (the low nibble of its byte at `scales`) in both
// 16-bit halves of the row's lane.
PONDER_AMX_TARGET inline __m512i q2kScaleWords(const uint8_t* scales)
{
    const __m512i scale = _mm512_and_si512(
        _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(scales))), _mm512_set1_epi32(15));
    return _mm512_or_si512(scale, _mm512_slli_epi32(scale, 16));
}

// Sixteen Q2_K rows: rows16.cpp's q2kGroup for 16 tokens. A level times
// its scale fits a byte (3 * 15 = 45), so each value group's levels are
// scaled before the tiles (vpmullw on byte pairs: no carry crosses a
// byte) and a block's 16 products add up in the tiles themselves, four
// chains of four groups. Taking each product out to scale it, as the
// other K-quants do, cost 256 32-bit multiplies a block. The integers are
// the AVX-512 kernel's.
PONDER_AMX_TARGET void q2kTiles(const uint8_t* w, size_t blocks, const Tokens16& x)
{
    alignas(64) uint8_t levels[16][4][64];
    alignas(64) int32_t c[4][16][16];
    alignas(64) float acc[16][16] = {};
    for (size_t b = 0; b < blocks; ++b, w += groupBlockBytes(TensorType::Q2_K)) {
        for (int g = 0; g < 16; ++g) {
            __m512i group[4];
            q2kGroupLevels(w + kQ2KHeadBytes + 64 * g, group);
            const __m512i scale = q2kScaleWords(w + 64 + 16 * g);
            for (int i = 0; i < 4; ++i)
                _mm512_store_si512(levels[g][i], _mm512_mullo_epi16(group[i], scale));
        }
        const int8_t* activations = x.quants + 256 * b;
        const long stride = long(x.stride);
        _tile_zero(0);
        _tile_zero(1);
        _tile_zero(2);
        _tile_zero(3);
        for (int g = 0; g < 16; g += 4) {
            _tile_loadd(4, activations + 16 * g, stride);
            _tile_loadd(5, levels[g], 64);
            _tile_dpbsud(0, 4, 5);
            _tile_loadd(6, activations + 16 * (g + 1), stride);
            _tile_loadd(7, levels[g + 1], 64);
            _tile_dpbsud(1, 6, 7);
            _tile_loadd(4, activations + 16 * (g + 2), stride);
            _tile_loadd(5, levels[g + 2], 64);
            _tile_dpbsud(2, 4, 5);
            _tile_loadd(6, activations + 16 * (g + 3), stride);
            _tile_loadd(7, levels[g + 3], 64);
            _tile_dpbsud(3, 6, 7);
        }
        _tile_stored(0, c[0], 64);
        _tile_stored(1, c[1], 64);
        _tile_stored(2, c[2], 64);
        _tile_stored(3, c[3], 64);
        __m512i minPairs[8];
        for (int k = 0; k < 8; ++k)
            minPairs[k] = q2kMinPair(w + 64, k);
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
        const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32)));
        for (int t = 0; t < 16; ++t) {
            const __m512i dots = _mm512_add_epi32(_mm512_add_epi32(_mm512_load_si512(c[0][t]), _mm512_load_si512(c[1][t])),
                                                  _mm512_add_epi32(_mm512_load_si512(c[2][t]), _mm512_load_si512(c[3][t])));
            const __m512i mins = pairedDot<8>(minPairs, x.sums[t] + 16 * b);
            _mm512_store_ps(acc[t], stepWithMinimums(_mm512_load_ps(acc[t]), dots, mins, d, dmin, x.scales[t][b]));
        }
    }
    for (int t = 0; t < 16; ++t)
        _mm512_storeu_ps(x.out[t], _mm512_load_ps(acc[t]));
}

#undef PONDER_FOUR_PRODUCTS
#undef PONDER_TILE_PRODUCT
#pragma GCC diagnostic pop

#endif

} // namespace

bool rows16AmxSupported()
{
#if PONDER_ROWS16_AMX
    // The AVX-512 float steps are rows16's; the tiles need the kernel's leave.
    static const bool supported = rows16Supported() && cpuHasAmxInt8() &&
                                  ::syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtileData) == 0;
    return supported;
#else
    return false;
#endif
}

void setRows16AmxForTest(bool enabled) { g_amxEnabled.store(enabled, std::memory_order_relaxed); }

bool rows16AmxEnabled(TensorType type)
{
    return hasRows16(type) && g_amxEnabled.load(std::memory_order_relaxed) && rows16AmxSupported();
}

#if PONDER_ROWS16_AMX

void multiplyRows16Amx(const MatrixProduct& p, size_t t0)
{
    assert(rows16AmxEnabled(p.type) && t0 + 16 <= p.x->tokens() && p.rowBegin % 16 == 0 && p.rowEnd % 16 == 0);
    configureThread(p.type == TensorType::Q2_K || p.type == TensorType::Q3_K || p.type == TensorType::Q6_K ? 16 : 32);
    const size_t blocks = p.rowLength / blockValues(p.type);
    const size_t stride = groupBytes(p.type, p.rowLength);
    Tokens16 x{p.x->quants(t0), p.x->rowBytes(), {}, {}, {}};
    for (size_t t = 0; t < 16; ++t) {
        x.scales[t] = p.x->scales(t0 + t);
        x.sums[t] = p.x->sums(t0 + t);
    }
    for (uint64_t r = p.rowBegin; r < p.rowEnd; r += 16) {
        const auto* rows = reinterpret_cast<const uint8_t*>(p.weights) + r / 16 * stride;
        for (size_t t = 0; t < 16; ++t)
            x.out[t] = p.y + (t0 + t) * p.yStride + r;
        switch (p.type) {
        case TensorType::Q4_K: nibbleTiles<TensorType::Q4_K>(rows, blocks, x); break;
        case TensorType::Q5_K: nibbleTiles<TensorType::Q5_K>(rows, blocks, x); break;
        case TensorType::Q2_K: q2kTiles(rows, blocks, x); break;
        case TensorType::Q3_K: signedTiles<TensorType::Q3_K>(rows, blocks, x); break;
        case TensorType::Q6_K: signedTiles<TensorType::Q6_K>(rows, blocks, x); break;
        default: q8_0Tiles(rows, blocks, x); break;
        }
    }
}

#else

void multiplyRows16Amx(const MatrixProduct&, size_t)
{
    assert(!"multiplyRows16Amx without AMX: rows16AmxSupported() is false here");
}

#endif

} // namespace ponder::cpu
