#include "cpu/q4k_rows16.h"

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

constexpr uint64_t kQ4KBytes = 144;
// The kernel's per-call table of activation group sums: rows of up to
// 131072 values (Llama 70B's widest is 28672).
constexpr uint64_t kMaxRowLength = 131072;

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

} // namespace

uint64_t q4kRows16Bytes(uint64_t rows, uint64_t rowLength)
{
    return rows / 16 * (rowLength / 256) * kRows16GroupBlockBytes;
}

void interleaveQ4KRows16Groups(const std::byte* source, std::byte* target, uint64_t rowLength, uint64_t groupBegin,
                               uint64_t groupEnd)
{
    assert(rowLength % 256 == 0);
    const uint64_t blocks = rowLength / 256, rowBytes = blocks * kQ4KBytes;
    for (uint64_t group = groupBegin; group < groupEnd; ++group) {
        auto* out = reinterpret_cast<uint8_t*>(target) + group * blocks * kRows16GroupBlockBytes;
        for (uint64_t b = 0; b < blocks; ++b, out += kRows16GroupBlockBytes)
            for (int r = 0; r < 16; ++r) {
                const auto* in = reinterpret_cast<const uint8_t*>(source) + (group * 16 + r) * rowBytes + b * kQ4KBytes;
                std::memcpy(out + 2 * r, in, 2);
                std::memcpy(out + 32 + 2 * r, in + 2, 2);
                for (int g = 0; g < 8; ++g)
                    scaleMin(in + 4, g, out[64 + 16 * g + r], out[192 + 16 * g + r]);
                // Values 8j..8j+7 lie in one half of one 32-byte chunk:
                // bytes q[i], q[i + 4] hold values 8j + k and 8j + 4 + k.
                const uint8_t* qs = in + 16;
                for (int j = 0; j < 32; ++j) {
                    const int chunk = j / 8, shift = (j / 4) % 2 * 4;
                    const uint8_t* q = qs + 32 * chunk + 8 * (j % 4);
                    for (int k = 0; k < 4; ++k)
                        out[320 + 64 * j + 4 * r + k] = uint8_t(((q[k] >> shift) & 15) | (((q[k + 4] >> shift) & 15) << 4));
                }
            }
    }
}

void interleaveQ4KRows16(std::span<const std::byte> source, std::span<std::byte> target, uint64_t rows,
                         uint64_t rowLength)
{
    assert(rows % 16 == 0);
    assert(source.size() >= rows * (rowLength / 256) * kQ4KBytes && target.size() >= q4kRows16Bytes(rows, rowLength));
    interleaveQ4KRows16Groups(source.data(), target.data(), rowLength, 0, rows / 16);
}

bool rows16Supported()
{
#if PONDER_ROWS16_X86
    static const bool supported = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                                  __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("f16c");
    return supported;
#else
    return false;  // the kernel is AVX-512's; arm64 reads Q4_K in the file's layout
#endif
}

bool heldAsRows16(const TensorDesc& t)
{
    return t.type == TensorType::Q4_K && t.dims.size() == 2 && t.dims[0] % 256 == 0 && t.dims[1] % 16 == 0 &&
           t.dims[0] <= kMaxRowLength && t.name != "token_embd.weight" && rows16Supported();
}

uint64_t heldBytes(const TensorDesc& t)
{
    return heldAsRows16(t) ? q4kRows16Bytes(t.dims[1], t.dims[0]) : t.bytes;
}

bool viewsRows16(const WeightView& w)
{
    return w && heldAsRows16(*w.desc) && w.data.size() == q4kRows16Bytes(w.rows(), w.rowLength());
}

#if PONDER_ROWS16_X86

// GCC 12 warns of the undefined vectors inside AVX-512 intrinsics compiled
// under a target attribute (-Wmaybe-uninitialized); they are the
// intrinsics' own, not this file's.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace {

// Integer sums of the activations over each group of 32 (exact), for the
// minimums: block b's group g at 8b + g.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void groupSums(const int8_t* quants, size_t groups,
                                                                                int32_t* sums)
{
    const __m256i ones = _mm256_set1_epi8(1);
    for (size_t g = 0; g < groups; ++g) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(quants + 32 * g));
        const __m256i s = _mm256_dpbusd_epi32(_mm256_setzero_si256(), ones, a);
        __m128i h = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4e));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xb1));
        sums[g] = _mm_cvtsi128_si32(h);
    }
}

// Sixteen rows against one token: out[r] for r < 16.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,f16c"))) void groupAgainstToken(
    const uint8_t* w, size_t blocks, const int8_t* quants, const float* actScales, const int32_t* sums, float* out)
{
    const __m512i nibble = _mm512_set1_epi8(15);
    __m512 acc = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b, w += kRows16GroupBlockBytes) {
        const int8_t* a = quants + 256 * b;
        const uint8_t* levels = w + 320;
        __m512i dots = _mm512_setzero_si512();
        __m512i mins = _mm512_setzero_si512();
        for (int g = 0; g < 8; ++g) {
            __m512i group = _mm512_setzero_si512();
            for (int jj = 0; jj < 4; ++jj) {
                const int j = 4 * g + jj;
                const __m512i v = _mm512_loadu_si512(levels + 64 * j);
                int32_t low, high;
                std::memcpy(&low, a + 8 * j, 4);
                std::memcpy(&high, a + 8 * j + 4, 4);
                group = _mm512_dpbusd_epi32(group, _mm512_and_si512(v, nibble), _mm512_set1_epi32(low));
                group = _mm512_dpbusd_epi32(group, _mm512_and_si512(_mm512_srli_epi16(v, 4), nibble),
                                            _mm512_set1_epi32(high));
            }
            const __m512i scales = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 64 + 16 * g)));
            dots = _mm512_add_epi32(dots, _mm512_mullo_epi32(group, scales));
            const __m512i m = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 192 + 16 * g)));
            mins = _mm512_add_epi32(mins, _mm512_mullo_epi32(m, _mm512_set1_epi32(sums[8 * b + g])));
        }
        const __m512 da = _mm512_set1_ps(actScales[b]);
        const __m512 d = _mm512_mul_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w))), da);
        const __m512 dmin =
            _mm512_mul_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32))), da);
        acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots), d, acc);
        acc = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(mins), dmin, acc);
    }
    _mm512_storeu_ps(out, acc);
}

} // namespace

#pragma GCC diagnostic pop

void multiplyQ4KRows16(const MatrixProduct& p)
{
    assert(p.rowBegin % 16 == 0 && p.rowEnd % 16 == 0 && p.rowLength % 256 == 0);
    assert(p.rowLength <= kMaxRowLength);
    const size_t blocks = p.rowLength / 256;
    const size_t groupBytes = blocks * kRows16GroupBlockBytes;
    const auto* weights = reinterpret_cast<const uint8_t*>(p.weights);
    // A tile of tokens per group of rows, so the group's weights (tens of
    // kilobytes) are read from memory once and from the core's caches for
    // the tile's other tokens.
    constexpr size_t kTile = 8;
    int32_t sums[kTile][kMaxRowLength / 32];
    const size_t tokens = p.x->tokens();
    for (size_t t0 = 0; t0 < tokens; t0 += kTile) {
        const size_t tile = std::min(kTile, tokens - t0);
        for (size_t t = 0; t < tile; ++t)
            groupSums(p.x->quants(t0 + t), 8 * blocks, sums[t]);
        for (uint64_t r = p.rowBegin; r < p.rowEnd; r += 16)
            for (size_t t = 0; t < tile; ++t)
                groupAgainstToken(weights + r / 16 * groupBytes, blocks, p.x->quants(t0 + t), p.x->scales(t0 + t),
                                  sums[t], p.y + (t0 + t) * p.yStride + r);
    }
}

#else

void multiplyQ4KRows16(const MatrixProduct&)
{
    assert(!"multiplyQ4KRows16 without AVX-512: rows16Supported() is false here");
}

#endif

} // namespace ponder::cpu
