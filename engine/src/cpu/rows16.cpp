// Which matrices are held as rows16 and their bytes, and the AVX-512
// kernels (rows16.h); the copy itself is rows16_interleave.cpp, the AMX
// tiles rows16_amx.cpp.
#include "cpu/rows16.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define PONDER_ROWS16_X86 1
#else
#define PONDER_ROWS16_X86 0
#endif

#include <algorithm>
#include <cassert>

#include "cpu/rows16_amx.h"
#include "cpu/rows16_layout.h"
#include "cpu/rows16_levels.h"
#include "cpu/simd_limit.h"

namespace ponder::cpu {

using namespace rows16;

bool hasRows16(TensorType type)
{
    return type == TensorType::Q2_K || type == TensorType::Q3_K || type == TensorType::Q4_K ||
           type == TensorType::Q5_K || type == TensorType::Q6_K || type == TensorType::Q8_0;
}

bool fitsRows16(TensorType type, uint64_t rows, uint64_t rowLength)
{
    return hasRows16(type) && rows % 16 == 0 && rowLength % blockValues(type) == 0 && rowLength > 0 &&
           rows16Supported();
}

uint64_t rows16Bytes(TensorType type, uint64_t rows, uint64_t rowLength)
{
    return rows / 16 * groupBytes(type, rowLength);
}

bool rows16Supported()
{
#if PONDER_ROWS16_X86
    static const bool supported = avx512Allowed() && __builtin_cpu_supports("avx512bw") &&
                                  __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni") &&
                                  __builtin_cpu_supports("f16c");
    return supported;
#else
    return false;  // the kernels are AVX-512's; arm64 reads the file's layout
#endif
}

bool heldAsRows16(const TensorDesc& t)
{
    return t.dims.size() == 2 && fitsRows16(t.type, t.dims[1], t.dims[0]) && t.name != "token_embd.weight";
}

uint64_t heldBytes(const TensorDesc& t)
{
    return heldAsRows16(t) ? rows16Bytes(t.type, t.dims[1], t.dims[0]) : t.bytes;
}

#if PONDER_ROWS16_X86

// GCC 12 warns of the undefined vectors inside AVX-512 intrinsics compiled
// under a target attribute (-Wmaybe-uninitialized); they are the
// intrinsics' own, not this file's.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#define PONDER_ROWS16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,f16c")))

namespace {

// Decode streams each weight once, and a core alone keeps too few reads in
// flight to draw its share of the memory's bandwidth: the one-token kernels
// ask for their weights this many bytes ahead, into L2 (prefetcht2 leaves
// L1's fill buffers to the loads at hand). On the 2-core Xeon
// (BENCHMARKS.md), two threads then streamed a (8960, 1536) matrix from
// memory at 32.5 GB/s for Q4_K (26.9 asking into L1 at the same distance,
// 25 without asking), 30.5 for Q6_K (26.2) and 31.5 for Q8_0 (28.0): about
// the speed of a plain read. Nearer left memory idle at each block's
// start; much farther, or into L1 (4 KB ahead for Q6_K), evicted lines
// before their use. Q5_K (2 blocks ahead), Q3_K and Q2_K (3 KB) came
// later, at 33.0, 28-29 and 22-26 GB/s.
constexpr size_t prefetchBytes(TensorType type)
{
    switch (type) {
    case TensorType::Q4_K:
    case TensorType::Q5_K: return 2 * groupBlockBytes(type);
    case TensorType::Q2_K:  // 1 KB ahead: 18.5-21 GB/s, 2 KB: 20-22, 3 KB: 22-26, 4 KB: 21-22
    case TensorType::Q3_K:  // 1 KB ahead: 24.5 GB/s, 2 KB: 26-27, 3 KB: 28-29, 4 KB: 27-28
    case TensorType::Q6_K: return 3072;
    default: return 2048;
    }
}

template <TensorType type>
PONDER_ROWS16_TARGET inline void prefetch(const uint8_t* at)
{
    _mm_prefetch(reinterpret_cast<const char*>(at + prefetchBytes(type)), _MM_HINT_T2);
}

// acc + the dot products of each row's four levels (the lane's unsigned
// bytes) with the four int8 at `a`, broadcast to every lane: vpdpbusd with
// its broadcast folded into the instruction (GCC 12 loads it into a
// register first, an instruction more for each, and does not fold it).
// Decode streams faster with fewer instructions per line even from
// memory: a one-token Q6_K product of (8960, 1536) from memory, two
// threads, 27.8-29.0 -> 29.1-29.8 GB/s (BENCHMARKS.md).
using FourBytes [[gnu::may_alias]] = int32_t;
PONDER_ROWS16_TARGET inline __m512i dotBroadcast(__m512i acc, __m512i levels, const int8_t* a)
{
    asm("vpdpbusd %2%{1to16%}, %1, %0" : "+v"(acc) : "v"(levels), "m"(*reinterpret_cast<const FourBytes*>(a)));
    return acc;
}

// One token's view for the kernels: its int8 activations, their scale per
// block, their integer sums (per 16 values for the K-quants, per block of
// 32 for Q8_0), and where its 16 results go.
struct Token {
    const int8_t* quants;
    const float* scales;
    const int16_t* sums;
    float* out;
};

// Sixteen Q4_K or Q5_K rows against T tokens: each chunk's levels are
// put together once (rows16_levels.h) and multiplied into every token's
// sums. A token's integers are exact and its float steps the same for any
// T, so its results do not depend on the tile it came in.
template <TensorType type, int T>
PONDER_ROWS16_TARGET void nibbleGroup(const uint8_t* w, size_t blocks, const Token* tokens)
{
    constexpr uint64_t blockBytes = groupBlockBytes(type);
    __m512 acc[T];
    for (int t = 0; t < T; ++t)
        acc[t] = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b, w += blockBytes) {
        if constexpr (T == 1)  // decode: memory-bound (prefill tiles compute 4 tokens a load)
            for (int i = 0; i < 5; ++i)  // the block's scales
                prefetch<type>(w + 64 * i);
        __m512i dots[T], mins[T];
        for (int t = 0; t < T; ++t)
            dots[t] = mins[t] = _mm512_setzero_si512();
        for (int g = 0; g < 8; ++g) {
            if constexpr (T == 1 && type == TensorType::Q5_K)
                prefetch<type>(w + q5kFifthBitsOffset(4 * g));
            __m512i group[T];
            for (int t = 0; t < T; ++t)
                group[t] = _mm512_setzero_si512();
            for (int j = 4 * g; j < 4 * g + 4; ++j) {
                if constexpr (T == 1)
                    prefetch<type>(w + chunkOffset<type>(j));
                __m512i low, high;
                nibbleChunkLevels<type>(w, j, low, high);
                for (int t = 0; t < T; ++t) {
                    const int8_t* a = tokens[t].quants + 256 * b + 8 * j;
                    group[t] = dotBroadcast(group[t], low, a);
                    group[t] = dotBroadcast(group[t], high, a + 4);
                }
            }
            const __m512i scales =
                _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 64 + 16 * g)));
            const __m512i m = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 192 + 16 * g)));
            for (int t = 0; t < T; ++t) {
                dots[t] = _mm512_add_epi32(dots[t], _mm512_mullo_epi32(group[t], scales));
                const int16_t* sums = tokens[t].sums + 16 * b + 2 * g;
                mins[t] = _mm512_add_epi32(mins[t], _mm512_mullo_epi32(m, _mm512_set1_epi32(sums[0] + sums[1])));
            }
        }
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
        const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32)));
        for (int t = 0; t < T; ++t)
            acc[t] = stepWithMinimums(acc[t], dots[t], mins[t], d, dmin, tokens[t].scales[b]);
    }
    for (int t = 0; t < T; ++t)
        _mm512_storeu_ps(tokens[t].out, acc[t]);
}

// Sixteen Q3_K or Q6_K rows against T tokens, as nibbleGroup. Levels are
// stored + 4 (Q3_K) or + 32 (Q6_K): each group's sum starts from that
// offset times minus the activations' sum, read from a block's table of
// them (a broadcast load where a scalar multiply, a broadcast from a
// general register and a subtraction had run per group and token):
// prefill in tiles of 4 tokens (no AMX), Q6_K 8960x1536 x 64 tokens on the
// 2-core Xeon, 9.7 -> 8.8-9.1 ms on one thread.
template <TensorType type, int T>
PONDER_ROWS16_TARGET void signedGroup(const uint8_t* w, size_t blocks, const Token* tokens)
{
    constexpr uint64_t blockBytes = groupBlockBytes(type);
    constexpr uint64_t groupStride = valueGroup16Bytes<type>();
    __m512 acc[T];
    for (int t = 0; t < T; ++t)
        acc[t] = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b, w += blockBytes) {
        __m512i dots[T];
        for (int t = 0; t < T; ++t)
            dots[t] = _mm512_setzero_si512();
        if constexpr (T == 1)
            for (int i = 0; i < 5; ++i)  // the block's scales
                prefetch<type>(w + 64 * i);
        // Each group's offset times minus the sum of its activations, where its sums start.
        alignas(64) int32_t offsets[T][16];
        for (int t = 0; t < T; ++t) {
            const __m512i sums = _mm512_cvtepi16_epi32(
                _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tokens[t].sums + 16 * b)));
            _mm512_store_si512(offsets[t], _mm512_sub_epi32(_mm512_setzero_si512(),
                                                            _mm512_slli_epi32(sums, levelOffsetShift<type>())));
        }
        for (int g = 0; g < 16; ++g) {
            const uint8_t* at = w + kSignedHeadBytes + groupStride * g;
            if constexpr (T == 1)
                for (uint64_t i = 0; i < groupStride; i += 64)
                    prefetch<type>(at + i);
            __m512i levels[4];
            signedGroupLevels<type>(at, levels);
            const __m512i scales =
                _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 32 + 16 * g)));
            for (int t = 0; t < T; ++t) {
                const int8_t* a = tokens[t].quants + 256 * b + 16 * g;
                __m512i group = dotBroadcast(_mm512_set1_epi32(offsets[t][g]), levels[0], a);
                for (int i = 1; i < 4; ++i)
                    group = dotBroadcast(group, levels[i], a + 4 * i);
                dots[t] = _mm512_add_epi32(dots[t], _mm512_mullo_epi32(group, scales));
            }
        }
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
        for (int t = 0; t < T; ++t)
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots[t]), _mm512_mul_ps(d, _mm512_set1_ps(tokens[t].scales[b])),
                                     acc[t]);
    }
    for (int t = 0; t < T; ++t)
        _mm512_storeu_ps(tokens[t].out, acc[t]);
}

// Sixteen Q2_K rows against T tokens, as nibbleGroup: value groups of 16,
// each scaled by its byte's low nibble; the minimums (its high nibble)
// times the activations' group sums in int16 pairs of groups, as the AMX
// kernel does, so both give the same integers.
template <int T>
PONDER_ROWS16_TARGET void q2kGroup(const uint8_t* w, size_t blocks, const Token* tokens)
{
    const __m512i nibble = _mm512_set1_epi32(15);
    __m512 acc[T];
    for (int t = 0; t < T; ++t)
        acc[t] = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b, w += groupBlockBytes(TensorType::Q2_K)) {
        if constexpr (T == 1)
            for (int i = 0; i < 5; ++i)  // the block's scales
                prefetch<TensorType::Q2_K>(w + 64 * i);
        __m512i dots[T];
        for (int t = 0; t < T; ++t)
            dots[t] = _mm512_setzero_si512();
        for (int g = 0; g < 16; ++g) {
            const uint8_t* at = w + kQ2KHeadBytes + 64 * g;
            if constexpr (T == 1)
                prefetch<TensorType::Q2_K>(at);
            __m512i levels[4];
            q2kGroupLevels(at, levels);
            const __m512i scales = _mm512_and_si512(
                _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 64 + 16 * g))), nibble);
            for (int t = 0; t < T; ++t) {
                const int8_t* a = tokens[t].quants + 256 * b + 16 * g;
                __m512i group = dotBroadcast(_mm512_setzero_si512(), levels[0], a);
                for (int i = 1; i < 4; ++i)
                    group = dotBroadcast(group, levels[i], a + 4 * i);
                dots[t] = _mm512_add_epi32(dots[t], _mm512_mullo_epi32(group, scales));
            }
        }
        __m512i minPairs[8];
        for (int k = 0; k < 8; ++k)
            minPairs[k] = q2kMinPair(w + 64, k);
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
        const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32)));
        for (int t = 0; t < T; ++t) {
            const __m512i mins = pairedDot<8>(minPairs, tokens[t].sums + 16 * b);
            acc[t] = stepWithMinimums(acc[t], dots[t], mins, d, dmin, tokens[t].scales[b]);
        }
    }
    for (int t = 0; t < T; ++t)
        _mm512_storeu_ps(tokens[t].out, acc[t]);
}

// Sixteen Q8_0 rows against T tokens, as nibbleGroup. Levels are stored + 128:
// each block's sum takes 128 times the activations' block sum off.
template <int T>
PONDER_ROWS16_TARGET void q8_0Group(const uint8_t* w, size_t blocks, const Token* tokens)
{
    const uint8_t* d = w + blocks * kQ8_0LevelBytes;
    __m512 acc[T];
    for (int t = 0; t < T; ++t)
        acc[t] = _mm512_setzero_ps();
    // The group's levels, then its scales (padded to a line): the levels'
    // stream asks past its end for the next group's levels, over the
    // scales, which their own stream asks for (the next group's first ones
    // from here). Asking for the scales' bytes instead left a kilobyte and
    // a half of each group's levels unasked for: two threads streamed a
    // (8960, 1536) matrix at 27.8-28.8 GB/s, 31.1-31.8 now.
    constexpr size_t kAhead = prefetchBytes(TensorType::Q8_0);  // the levels'; the scales' is a sixteenth
    const uintptr_t levelsEnd = reinterpret_cast<uintptr_t>(d);
    const uintptr_t groupStride = groupBytes(TensorType::Q8_0, blockValues(TensorType::Q8_0) * blocks);
    const uintptr_t scaleBytes = groupStride - blocks * kQ8_0LevelBytes;  // with the padding
    // The blocks whose scales' prefetch reaches past the group's.
    const size_t lastBlocks = std::min<size_t>(blocks, kAhead / kQ8_0LevelBytes);
    for (size_t b = 0; b < blocks; ++b, w += kQ8_0LevelBytes) {
        if constexpr (T == 1) {
            _mm_prefetch(reinterpret_cast<const char*>(d + 32 * b + kAhead / 16), _MM_HINT_T2);
            if (b + lastBlocks == blocks)  // the next group's first scales, at levelsEnd + groupStride
                for (uintptr_t at = 0; at < kAhead / 16; at += 64)
                    _mm_prefetch(reinterpret_cast<const char*>(levelsEnd + groupStride + at), _MM_HINT_T2);
        }
        __m512i dots[T];
        for (int t = 0; t < T; ++t)
            dots[t] = _mm512_setzero_si512();
        for (int j = 0; j < 8; ++j) {
            if constexpr (T == 1) {
                uintptr_t at = reinterpret_cast<uintptr_t>(w) + 64 * j + kAhead;
                at += at >= levelsEnd ? scaleBytes : 0;
                _mm_prefetch(reinterpret_cast<const char*>(at), _MM_HINT_T2);
            }
            const __m512i v = _mm512_loadu_si512(w + 64 * j);
            for (int t = 0; t < T; ++t)
                dots[t] = dotBroadcast(dots[t], v, tokens[t].quants + 32 * b + 4 * j);
        }
        const __m512 scale = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(d + 32 * b)));
        for (int t = 0; t < T; ++t) {
            const __m512i dot = _mm512_sub_epi32(dots[t], _mm512_set1_epi32(128 * int32_t(tokens[t].sums[b])));
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(scale, _mm512_set1_ps(tokens[t].scales[b])),
                                     acc[t]);
        }
    }
    for (int t = 0; t < T; ++t)
        _mm512_storeu_ps(tokens[t].out, acc[t]);
}

// The first bytes of a one-token product's rows, which the kernels' own
// prefetch, a distance ahead of their loads, never asks for: a thread's
// next chunk is often elsewhere (gate's rows, then up's), and its first
// kilobytes would otherwise come from memory on demand, one wait at a time.
// Whole-model decode on the 2-core Xeon: 33.5-33.7 ms a token against
// 34.2-34.7 without.
PONDER_ROWS16_TARGET void prefetchStart(TensorType type, const uint8_t* rows, size_t bytes)
{
    for (size_t at = 0; at < std::min(prefetchBytes(type), bytes); at += 64)
        _mm_prefetch(reinterpret_cast<const char*>(rows + at), _MM_HINT_T2);
}

// Sixteen rows of `type` against T tokens.
template <int T>
PONDER_ROWS16_TARGET void group(TensorType type, const uint8_t* w, size_t blocks, const Token* tokens)
{
    switch (type) {
    case TensorType::Q2_K: return q2kGroup<T>(w, blocks, tokens);
    case TensorType::Q4_K: return nibbleGroup<TensorType::Q4_K, T>(w, blocks, tokens);
    case TensorType::Q5_K: return nibbleGroup<TensorType::Q5_K, T>(w, blocks, tokens);
    case TensorType::Q3_K: return signedGroup<TensorType::Q3_K, T>(w, blocks, tokens);
    case TensorType::Q6_K: return signedGroup<TensorType::Q6_K, T>(w, blocks, tokens);
    default: return q8_0Group<T>(w, blocks, tokens);
    }
}

} // namespace

#pragma GCC diagnostic pop

void multiplyRows16(const MatrixProduct& p)
{
    assert(fitsRows16(p.type, p.rowEnd, p.rowLength) && p.rowBegin % 16 == 0);
    const size_t blocks = p.rowLength / blockValues(p.type);
    const size_t stride = groupBytes(p.type, p.rowLength);
    const auto* weights = reinterpret_cast<const uint8_t*>(p.weights);
    const size_t tokens = p.x->tokens();
    // Whole tiles of 16 tokens on AMX where the CPU has it (the same bits).
    size_t first = 0;
    if (tokens >= 16 && rows16AmxEnabled(p.type))
        for (; first + 16 <= tokens; first += 16)
            multiplyRows16Amx(p, first);
    if (tokens == 1)
        prefetchStart(p.type, weights + p.rowBegin / 16 * stride, (p.rowEnd - p.rowBegin) / 16 * stride);
    // Tiles of 4 tokens per group of rows: the group's weights (tens of
    // kilobytes) come from memory once per tile and their levels are
    // unpacked once for its tokens; the rest of the batch one at a time.
    constexpr size_t kTile = 4;
    for (size_t t0 = first; t0 < tokens; t0 += kTile) {
        const size_t tile = std::min(kTile, tokens - t0);
        Token tile_[kTile];
        for (size_t t = 0; t < tile; ++t)
            tile_[t] = {p.x->quants(t0 + t), p.x->scales(t0 + t), p.x->sums(t0 + t), nullptr};
        for (uint64_t r = p.rowBegin; r < p.rowEnd; r += 16) {
            const uint8_t* rows = weights + r / 16 * stride;
            for (size_t t = 0; t < tile; ++t)
                tile_[t].out = p.y + (t0 + t) * p.yStride + r;
            if (tile == kTile)
                group<kTile>(p.type, rows, blocks, tile_);
            else
                for (size_t t = 0; t < tile; ++t)
                    group<1>(p.type, rows, blocks, tile_ + t);
        }
    }
}

#else

void multiplyRows16(const MatrixProduct&)
{
    assert(!"multiplyRows16 without AVX-512: rows16Supported() is false here");
}

#endif

} // namespace ponder::cpu
