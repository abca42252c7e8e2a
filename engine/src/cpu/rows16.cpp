#include "cpu/rows16.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define PONDER_ROWS16_X86 1
#else
#define PONDER_ROWS16_X86 0
#endif

#include <algorithm>
#include <cassert>
#include <cstring>

#include "cpu/rows16_amx.h"
#include "cpu/rows16_layout.h"
#include "cpu/rows16_levels.h"
#include "cpu/simd_limit.h"

namespace ponder::cpu {

using namespace rows16;

namespace {

// A block's bytes in the file's layout.
uint64_t fileBlockBytes(TensorType type)
{
    switch (type) {
    case TensorType::Q2_K: return kQ2KBytes;
    case TensorType::Q3_K: return kQ3KBytes;
    case TensorType::Q4_K: return kQ4KBytes;
    case TensorType::Q5_K: return kQ5KBytes;
    case TensorType::Q6_K: return kQ6KBytes;
    default: return kQ8_0Bytes;
    }
}

// Scale and minimum j of a Q4_K block's 12 packed bytes (llama.cpp's
// get_scale_min_k4 layout).
void scaleMin(const uint8_t* q, int j, uint8_t& scale, uint8_t& min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        min = uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// Row r's d, dmin, scales and minimums of a Q4_K or Q5_K block `in` (the
// same 16 bytes in both) into the group block `out`, the 6-bit ones
// unpacked to bytes.
void interleaveKHead(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in, 2);
    std::memcpy(out + 32 + 2 * r, in + 2, 2);
    for (int g = 0; g < 8; ++g)
        scaleMin(in + 4, g, out[64 + 16 * g + r], out[192 + 16 * g + r]);
}

// Row r's Q4_K block `in` into the group block `out`.
void interleaveQ4KBlock(const uint8_t* in, int r, uint8_t* out)
{
    interleaveKHead(in, r, out);
    // Values 8j..8j+7 lie in one half of one 32-byte chunk of qs: bytes
    // q[k], q[k + 4] hold values 8j + k and 8j + 4 + k.
    const uint8_t* qs = in + 16;
    for (int j = 0; j < 32; ++j) {
        const int shift = (j / 4) % 2 * 4;
        const uint8_t* q = qs + 32 * (j / 8) + 8 * (j % 4);
        for (int k = 0; k < 4; ++k)
            out[320 + 64 * j + 4 * r + k] = uint8_t(((q[k] >> shift) & 15) | (((q[k + 4] >> shift) & 15) << 4));
    }
}

// The levels of a block, in value order, are computed a run of 32 at a
// time in plain loops the compiler vectorizes: value by value (a division
// and a few shifts each) the copy of a Q6_K model took twice as long.

// Levels (0..31) of a Q5_K block: qs's nibbles (qs[32c + l] holds values
// 64c + l and 64c + 32 + l), qh's bits (qh[l] holds those of values l,
// l + 32, l + 64, ... in bits 0, 1, 2, ...).
void q5Levels(const uint8_t* block, uint8_t levels[256])
{
    const uint8_t* qh = block + 16;
    const uint8_t* qs = block + 48;
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l) {
            const uint8_t q = qs[32 * c + l];
            levels[64 * c + l] = uint8_t((q & 15) | (((qh[l] >> (2 * c)) & 1) << 4));
            levels[64 * c + 32 + l] = uint8_t((q >> 4) | (((qh[l] >> (2 * c + 1)) & 1) << 4));
        }
}

// Sets row r's four bits (bytes 4r..4r+3) of the little-endian 64-bit mask
// at `mask` to `bits`.
void setMaskNibble(uint8_t* mask, int r, unsigned bits)
{
    const int shift = 4 * (r % 2);
    mask[r / 2] = uint8_t((mask[r / 2] & ~(15u << shift)) | (bits << shift));
}

// Row r's Q5_K block `in` into the group block `out`: chunks as Q4_K's
// nibbles, each value group's fifth bits as masks ahead of its chunks.
void interleaveQ5KBlock(const uint8_t* in, int r, uint8_t* out)
{
    interleaveKHead(in, r, out);
    uint8_t levels[256];
    q5Levels(in, levels);
    for (int j = 0; j < 32; ++j) {
        unsigned lowBits = 0, highBits = 0;
        for (int k = 0; k < 4; ++k) {
            const uint8_t low = levels[8 * j + k], high = levels[8 * j + 4 + k];
            out[chunkOffset<TensorType::Q5_K>(j) + 4 * r + k] = uint8_t((low & 15) | ((high & 15) << 4));
            lowBits |= unsigned(low >> 4) << k;
            highBits |= unsigned(high >> 4) << k;
        }
        setMaskNibble(out + q5kFifthBitsOffset(j), r, lowBits);
        setMaskNibble(out + q5kFifthBitsOffset(j) + 8, r, highBits);
    }
}

// The 2-bit levels of a Q2_K block's qs, or the low 2 bits of a Q3_K
// block's: qs[32n + l] holds values 128n + l, + 32, + 64, + 96 in bits
// 0-1, 2-3, 4-5, 6-7.
void twoBitLevels(const uint8_t* qs, uint8_t levels[256])
{
    for (int n = 0; n < 2; ++n)
        for (int j = 0; j < 4; ++j)
            for (int l = 0; l < 32; ++l)
                levels[128 * n + 32 * j + l] = uint8_t((qs[32 * n + l] >> (2 * j)) & 3);
}

// Levels (0..7, stored + 4) of a Q3_K block: twoBitLevels and hmask's bits
// (hmask[l] holds those of values l, l + 32, ..., l + 224).
void q3Levels(const uint8_t* block, uint8_t levels[256])
{
    const uint8_t* hmask = block;
    twoBitLevels(block + 32, levels);
    for (int i = 0; i < 8; ++i)
        for (int l = 0; l < 32; ++l)
            levels[32 * i + l] = uint8_t(levels[32 * i + l] | (((hmask[l] >> i) & 1) << 2));
}

// Row r's 2 low bits of value group g's levels into the group's 64 bytes
// at `at` (Q2_K's and Q3_K's layout): byte 4r + k holds those of values
// 16g + k, + 4, + 8, + 12 in bits 0-1, 2-3, 4-5, 6-7.
void packTwoBits(const uint8_t* levels, int g, int r, uint8_t* at)
{
    for (int k = 0; k < 4; ++k) {
        unsigned bits = 0;
        for (int i = 0; i < 4; ++i)
            bits |= unsigned(levels[16 * g + 4 * i + k] & 3) << (2 * i);
        at[4 * r + k] = uint8_t(bits);
    }
}

// Row r's Q2_K block `in` (scales and minimums, qs, d, dmin) into the group
// block `out`: its scale bytes as they are (scale low, minimum high).
void interleaveQ2KBlock(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in + 80, 2);
    std::memcpy(out + 32 + 2 * r, in + 82, 2);
    for (int g = 0; g < 16; ++g)
        out[64 + 16 * g + r] = in[g];
    uint8_t levels[256];
    twoBitLevels(in + 16, levels);
    for (int g = 0; g < 16; ++g)
        packTwoBits(levels, g, r, out + kQ2KHeadBytes + 64 * g);
}

// Scale j (-32..31) of a Q3_K block's 12 packed bytes: 4 low bits from
// bytes 0-7, 2 high bits from bytes 8-11.
int8_t q3Scale(const uint8_t* packed, int j)
{
    const int low = j < 8 ? packed[j] & 15 : packed[j - 8] >> 4;
    const int high = (packed[8 + j % 4] >> (2 * (j / 4))) & 3;
    return int8_t((low | (high << 4)) - 32);
}

// Row r's Q3_K block `in` into the group block `out`.
void interleaveQ3KBlock(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in + 108, 2);
    for (int g = 0; g < 16; ++g)
        out[32 + 16 * g + r] = uint8_t(q3Scale(in + 96, g));
    uint8_t levels[256];
    q3Levels(in, levels);
    for (int g = 0; g < 16; ++g) {
        uint8_t* at = out + kSignedHeadBytes + valueGroup16Bytes<TensorType::Q3_K>() * g;
        packTwoBits(levels, g, r, at);
        unsigned thirdBits[4] = {};
        for (int k = 0; k < 4; ++k)
            for (int i = 0; i < 4; ++i)
                thirdBits[i] |= unsigned(levels[16 * g + 4 * i + k] >> 2) << k;
        for (int i = 0; i < 4; ++i)
            setMaskNibble(at + 64 + 8 * i, r, thirdBits[i]);
    }
}

// Levels (0..63) of a Q6_K block: ql's nibbles (ql[64h + l] holds values
// 128h + l and 128h + 64 + l, ql[64h + 32 + l] values 128h + 32 + l and
// 128h + 96 + l) and qh's bit pairs (qh[32h + l] holds those of values
// 128h + l, + 32, + 64, + 96 in bits 0-1, 2-3, 4-5, 6-7).
void q6Levels(const uint8_t* block, uint8_t levels[256])
{
    const uint8_t* ql = block;
    const uint8_t* qh = block + 128;
    for (int h = 0; h < 2; ++h)
        for (int quarter = 0; quarter < 4; ++quarter)
            for (int l = 0; l < 32; ++l) {
                const uint8_t low = ql[64 * h + 32 * (quarter % 2) + l];
                levels[128 * h + 32 * quarter + l] = uint8_t(((quarter < 2 ? low : low >> 4) & 15) |
                                                             (((qh[32 * h + l] >> (2 * quarter)) & 3) << 4));
            }
}

// Row r's Q6_K block `in` into the group block `out`.
void interleaveQ6KBlock(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in + 208, 2);
    for (int g = 0; g < 16; ++g)
        out[32 + 16 * g + r] = in[192 + g];
    uint8_t levels[256];
    q6Levels(in, levels);
    for (int g = 0; g < 16; ++g) {
        uint8_t* at = out + 288 + 192 * g;
        for (int k = 0; k < 4; ++k) {
            uint8_t bits = 0;
            for (int i = 0; i < 4; ++i)
                bits = uint8_t(bits | ((levels[16 * g + 4 * i + k] >> 4) << (2 * i)));
            at[4 * r + k] = bits;
            for (int c = 0; c < 2; ++c) {
                const int j = 2 * g + c;
                at[64 * (c + 1) + 4 * r + k] = uint8_t((levels[8 * j + k] & 15) | ((levels[8 * j + 4 + k] & 15) << 4));
            }
        }
    }
}

// Row r's Q8_0 block b `in` into the group `out` of `blocks` blocks.
void interleaveQ8_0Block(const uint8_t* in, int r, uint64_t b, uint64_t blocks, uint8_t* out)
{
    std::memcpy(out + blocks * kQ8_0LevelBytes + 32 * b + 2 * r, in, 2);
    uint8_t* levels = out + kQ8_0LevelBytes * b;
    for (int j = 0; j < 8; ++j)
        for (int k = 0; k < 4; ++k)
            levels[64 * j + 4 * r + k] = uint8_t(in[2 + 4 * j + k] ^ 0x80);  // two's complement + 128
}

} // namespace

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

void interleaveRows16Groups(TensorType type, const std::byte* source, std::byte* target, uint64_t rowLength,
                            uint64_t groupBegin, uint64_t groupEnd)
{
    assert(hasRows16(type) && rowLength % blockValues(type) == 0);
    const uint64_t blockBytes = fileBlockBytes(type);
    const uint64_t blocks = rowLength / blockValues(type), rowBytes = blocks * blockBytes;
    const uint64_t stride = groupBytes(type, rowLength);
    for (uint64_t group = groupBegin; group < groupEnd; ++group) {
        auto* out = reinterpret_cast<uint8_t*>(target) + group * stride;
        if (stride > blocks * kQ8_0GroupBlockBytes && type == TensorType::Q8_0)
            std::memset(out + blocks * kQ8_0GroupBlockBytes, 0, stride - blocks * kQ8_0GroupBlockBytes);
        for (uint64_t b = 0; b < blocks; ++b)
            for (int r = 0; r < 16; ++r) {
                const auto* in =
                    reinterpret_cast<const uint8_t*>(source) + (group * 16 + uint64_t(r)) * rowBytes + b * blockBytes;
                switch (type) {
                case TensorType::Q2_K: interleaveQ2KBlock(in, r, out + b * kQ2KGroupBlockBytes); break;
                case TensorType::Q3_K: interleaveQ3KBlock(in, r, out + b * kQ3KGroupBlockBytes); break;
                case TensorType::Q4_K: interleaveQ4KBlock(in, r, out + b * kQ4KGroupBlockBytes); break;
                case TensorType::Q5_K: interleaveQ5KBlock(in, r, out + b * kQ5KGroupBlockBytes); break;
                case TensorType::Q6_K: interleaveQ6KBlock(in, r, out + b * kQ6KGroupBlockBytes); break;
                default: interleaveQ8_0Block(in, r, b, blocks, out); break;
                }
            }
    }
}

void interleaveRows16(TensorType type, std::span<const std::byte> source, std::span<std::byte> target, uint64_t rows,
                      uint64_t rowLength)
{
    assert(rows % 16 == 0);
    assert(source.size() >= rows * (rowLength / blockValues(type)) * fileBlockBytes(type));
    assert(target.size() >= rows16Bytes(type, rows, rowLength));
    interleaveRows16Groups(type, source.data(), target.data(), rowLength, 0, rows / 16);
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
    case TensorType::Q4_K: return 2 * kQ4KGroupBlockBytes;
    case TensorType::Q5_K: return 2 * kQ5KGroupBlockBytes;
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

PONDER_ROWS16_TARGET inline __m512i broadcast4(const int8_t* a)
{
    int32_t four;
    std::memcpy(&four, a, 4);
    return _mm512_set1_epi32(four);
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
    constexpr uint64_t blockBytes = type == TensorType::Q4_K ? kQ4KGroupBlockBytes : kQ5KGroupBlockBytes;
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
                    group[t] = _mm512_dpbusd_epi32(group[t], low, broadcast4(a));
                    group[t] = _mm512_dpbusd_epi32(group[t], high, broadcast4(a + 4));
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
    constexpr uint64_t blockBytes = type == TensorType::Q3_K ? kQ3KGroupBlockBytes : kQ6KGroupBlockBytes;
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
                __m512i group = _mm512_dpbusd_epi32(_mm512_set1_epi32(offsets[t][g]), levels[0], broadcast4(a));
                for (int i = 1; i < 4; ++i)
                    group = _mm512_dpbusd_epi32(group, levels[i], broadcast4(a + 4 * i));
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
    for (size_t b = 0; b < blocks; ++b, w += kQ2KGroupBlockBytes) {
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
                __m512i group = _mm512_dpbusd_epi32(_mm512_setzero_si512(), levels[0], broadcast4(a));
                for (int i = 1; i < 4; ++i)
                    group = _mm512_dpbusd_epi32(group, levels[i], broadcast4(a + 4 * i));
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
    for (size_t b = 0; b < blocks; ++b, w += kQ8_0LevelBytes) {
        if constexpr (T == 1)  // the scales, a sixteenth of the levels' bytes
            _mm_prefetch(reinterpret_cast<const char*>(d + 32 * b + prefetchBytes(TensorType::Q8_0) / 16),
                         _MM_HINT_T2);
        __m512i dots[T];
        for (int t = 0; t < T; ++t)
            dots[t] = _mm512_setzero_si512();
        for (int j = 0; j < 8; ++j) {
            if constexpr (T == 1)
                prefetch<TensorType::Q8_0>(w + 64 * j);
            const __m512i v = _mm512_loadu_si512(w + 64 * j);
            for (int t = 0; t < T; ++t)
                dots[t] = _mm512_dpbusd_epi32(dots[t], v, broadcast4(tokens[t].quants + 32 * b + 4 * j));
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
