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

namespace ponder::cpu {

namespace {

constexpr uint64_t kQ4KBytes = 144, kQ6KBytes = 210;
constexpr uint64_t kQ4KGroupBlockBytes = 2368, kQ6KGroupBlockBytes = 3360;
// The kernel's per-call table of activation sums: rows of up to 131072
// values (Llama 70B's widest is 28672).
constexpr uint64_t kMaxRowLength = 131072;

uint64_t groupBlockBytes(TensorType type)
{
    return type == TensorType::Q4_K ? kQ4KGroupBlockBytes : kQ6KGroupBlockBytes;
}

// A block's bytes in the file's layout.
uint64_t fileBlockBytes(TensorType type)
{
    return type == TensorType::Q4_K ? kQ4KBytes : kQ6KBytes;
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

// Row r's Q4_K block `in` into the group block `out`.
void interleaveQ4KBlock(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in, 2);
    std::memcpy(out + 32 + 2 * r, in + 2, 2);
    for (int g = 0; g < 8; ++g)
        scaleMin(in + 4, g, out[64 + 16 * g + r], out[192 + 16 * g + r]);
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

// Level (0..63) of value v of a Q6_K block: ql's nibble, qh's two bits.
uint8_t q6Level(const uint8_t* block, int v)
{
    const int half = v / 128, quarter = v % 128 / 32, l = v % 32;
    const uint8_t low = block[64 * half + 32 * (quarter % 2) + l];
    const uint8_t high = block[128 + 32 * half + l];
    return uint8_t(((quarter < 2 ? low : low >> 4) & 15) | (((high >> (2 * quarter)) & 3) << 4));
}

// Row r's Q6_K block `in` into the group block `out`.
void interleaveQ6KBlock(const uint8_t* in, int r, uint8_t* out)
{
    std::memcpy(out + 2 * r, in + 208, 2);
    for (int g = 0; g < 16; ++g)
        out[32 + 16 * g + r] = in[192 + g];
    uint8_t levels[256];
    for (int v = 0; v < 256; ++v)
        levels[v] = q6Level(in, v);
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

} // namespace

bool hasRows16(TensorType type)
{
    return type == TensorType::Q4_K || type == TensorType::Q6_K;
}

uint64_t rows16Bytes(TensorType type, uint64_t rows, uint64_t rowLength)
{
    return rows / 16 * (rowLength / 256) * groupBlockBytes(type);
}

void interleaveRows16Groups(TensorType type, const std::byte* source, std::byte* target, uint64_t rowLength,
                            uint64_t groupBegin, uint64_t groupEnd)
{
    assert(hasRows16(type) && rowLength % 256 == 0);
    const uint64_t blockBytes = fileBlockBytes(type);
    const uint64_t blocks = rowLength / 256, rowBytes = blocks * blockBytes, groupBytes = groupBlockBytes(type);
    for (uint64_t group = groupBegin; group < groupEnd; ++group) {
        auto* out = reinterpret_cast<uint8_t*>(target) + group * blocks * groupBytes;
        for (uint64_t b = 0; b < blocks; ++b, out += groupBytes)
            for (int r = 0; r < 16; ++r) {
                const auto* in =
                    reinterpret_cast<const uint8_t*>(source) + (group * 16 + uint64_t(r)) * rowBytes + b * blockBytes;
                if (type == TensorType::Q4_K)
                    interleaveQ4KBlock(in, r, out);
                else
                    interleaveQ6KBlock(in, r, out);
            }
    }
}

void interleaveRows16(TensorType type, std::span<const std::byte> source, std::span<std::byte> target, uint64_t rows,
                      uint64_t rowLength)
{
    assert(rows % 16 == 0);
    assert(source.size() >= rows * (rowLength / 256) * fileBlockBytes(type));
    assert(target.size() >= rows16Bytes(type, rows, rowLength));
    interleaveRows16Groups(type, source.data(), target.data(), rowLength, 0, rows / 16);
}

bool rows16Supported()
{
#if PONDER_ROWS16_X86
    static const bool supported = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                                  __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("f16c");
    return supported;
#else
    return false;  // the kernels are AVX-512's; arm64 reads the file's layout
#endif
}

bool heldAsRows16(const TensorDesc& t)
{
    return hasRows16(t.type) && t.dims.size() == 2 && t.dims[0] % 256 == 0 && t.dims[1] % 16 == 0 &&
           t.dims[0] <= kMaxRowLength && t.name != "token_embd.weight" && rows16Supported();
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

// Integer sums of the activations over each group of 16 (exact): block b's
// group g at 16b + g.
PONDER_ROWS16_TARGET void sumsOf16(const int8_t* quants, size_t groups, int32_t* sums)
{
    const __m128i ones = _mm_set1_epi8(1);
    for (size_t g = 0; g < groups; ++g) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(quants + 16 * g));
        __m128i s = _mm_dpbusd_epi32(_mm_setzero_si128(), ones, a);
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
        sums[g] = _mm_cvtsi128_si32(s);
    }
}

PONDER_ROWS16_TARGET inline __m512i broadcast4(const int8_t* a)
{
    int32_t four;
    std::memcpy(&four, a, 4);
    return _mm512_set1_epi32(four);
}

// One token's view for the kernels: its int8 activations, their scale per
// block, their integer sums per 16 values, and where its 16 results go.
struct Token {
    const int8_t* quants;
    const float* scales;
    const int32_t* sums;
    float* out;
};

// Sixteen Q4_K rows against T tokens: each 64-byte load of levels is split
// into nibbles once and multiplied into every token's sums. A token's
// integers are exact and its float steps the same for any T, so its
// results do not depend on the tile it came in.
template <int T>
PONDER_ROWS16_TARGET void q4kGroup(const uint8_t* w, size_t blocks, const Token* tokens)
{
    const __m512i nibble = _mm512_set1_epi8(15);
    __m512 acc[T];
    for (int t = 0; t < T; ++t)
        acc[t] = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b, w += kQ4KGroupBlockBytes) {
        const uint8_t* levels = w + 320;
        __m512i dots[T], mins[T];
        for (int t = 0; t < T; ++t)
            dots[t] = mins[t] = _mm512_setzero_si512();
        for (int g = 0; g < 8; ++g) {
            __m512i group[T];
            for (int t = 0; t < T; ++t)
                group[t] = _mm512_setzero_si512();
            for (int j = 4 * g; j < 4 * g + 4; ++j) {
                const __m512i v = _mm512_loadu_si512(levels + 64 * j);
                const __m512i low = _mm512_and_si512(v, nibble);
                const __m512i high = _mm512_and_si512(_mm512_srli_epi16(v, 4), nibble);
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
                const int32_t* sums = tokens[t].sums + 16 * b + 2 * g;
                mins[t] = _mm512_add_epi32(mins[t], _mm512_mullo_epi32(m, _mm512_set1_epi32(sums[0] + sums[1])));
            }
        }
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
        const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32)));
        for (int t = 0; t < T; ++t) {
            const __m512 da = _mm512_set1_ps(tokens[t].scales[b]);
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots[t]), _mm512_mul_ps(d, da), acc[t]);
            acc[t] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(mins[t]), _mm512_mul_ps(dmin, da), acc[t]);
        }
    }
    for (int t = 0; t < T; ++t)
        _mm512_storeu_ps(tokens[t].out, acc[t]);
}

// Q6_K levels: the low 4 bits of `low`, bits 4-5 of `high` (each shifted
// into place): vpternlogd 0xE4 is (A & C) | (B & ~C).
PONDER_ROWS16_TARGET inline __m512i q6Levels(__m512i low, __m512i high)
{
    return _mm512_ternarylogic_epi32(high, _mm512_and_si512(low, _mm512_set1_epi8(15)), _mm512_set1_epi8(0x30), 0xE4);
}

// Sixteen Q6_K rows against T tokens, as q4kGroup. Levels are stored + 32:
// each group's sum takes 32 times the activations' sum off before its scale.
template <int T>
PONDER_ROWS16_TARGET void q6kGroup(const uint8_t* w, size_t blocks, const Token* tokens)
{
    __m512 acc[T];
    for (int t = 0; t < T; ++t)
        acc[t] = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b, w += kQ6KGroupBlockBytes) {
        __m512i dots[T];
        for (int t = 0; t < T; ++t)
            dots[t] = _mm512_setzero_si512();
        for (int g = 0; g < 16; ++g) {
            // Group g (16 values): its high bits, then chunks 2g and 2g + 1.
            const uint8_t* at = w + 288 + 192 * g;
            const __m512i h = _mm512_loadu_si512(at);
            const __m512i v0 = _mm512_loadu_si512(at + 64);
            const __m512i v1 = _mm512_loadu_si512(at + 128);
            const __m512i levels[4] = {q6Levels(v0, _mm512_slli_epi16(h, 4)),
                                       q6Levels(_mm512_srli_epi16(v0, 4), _mm512_slli_epi16(h, 2)), q6Levels(v1, h),
                                       q6Levels(_mm512_srli_epi16(v1, 4), _mm512_srli_epi16(h, 2))};
            const __m512i scales =
                _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 32 + 16 * g)));
            for (int t = 0; t < T; ++t) {
                const int8_t* a = tokens[t].quants + 256 * b + 16 * g;
                __m512i group = _mm512_dpbusd_epi32(_mm512_setzero_si512(), levels[0], broadcast4(a));
                for (int i = 1; i < 4; ++i)
                    group = _mm512_dpbusd_epi32(group, levels[i], broadcast4(a + 4 * i));
                group = _mm512_sub_epi32(group, _mm512_set1_epi32(32 * tokens[t].sums[16 * b + g]));
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

} // namespace

#pragma GCC diagnostic pop

void multiplyRows16(const MatrixProduct& p)
{
    assert(hasRows16(p.type) && p.rowBegin % 16 == 0 && p.rowEnd % 16 == 0 && p.rowLength % 256 == 0);
    assert(p.rowLength <= kMaxRowLength);
    const size_t blocks = p.rowLength / 256;
    const size_t groupBytes = blocks * groupBlockBytes(p.type);
    const auto* weights = reinterpret_cast<const uint8_t*>(p.weights);
    const bool q4 = p.type == TensorType::Q4_K;
    // Tiles of 4 tokens per group of rows: the group's weights (tens of
    // kilobytes) come from memory once per tile and their levels are
    // unpacked once for its tokens; the rest of the batch one at a time.
    constexpr size_t kTile = 4;
    int32_t sums[kTile][kMaxRowLength / 16];
    const size_t tokens = p.x->tokens();
    for (size_t t0 = 0; t0 < tokens; t0 += kTile) {
        const size_t tile = std::min(kTile, tokens - t0);
        Token tile_[kTile];
        for (size_t t = 0; t < tile; ++t) {
            sumsOf16(p.x->quants(t0 + t), 16 * blocks, sums[t]);
            tile_[t] = {p.x->quants(t0 + t), p.x->scales(t0 + t), sums[t], nullptr};
        }
        for (uint64_t r = p.rowBegin; r < p.rowEnd; r += 16) {
            const uint8_t* group = weights + r / 16 * groupBytes;
            for (size_t t = 0; t < tile; ++t)
                tile_[t].out = p.y + (t0 + t) * p.yStride + r;
            if (tile == kTile)
                q4 ? q4kGroup<kTile>(group, blocks, tile_) : q6kGroup<kTile>(group, blocks, tile_);
            else
                for (size_t t = 0; t < tile; ++t)
                    q4 ? q4kGroup<1>(group, blocks, tile_ + t) : q6kGroup<1>(group, blocks, tile_ + t);
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
