// The levels of a rows16 group block (rows16.h) put together for sixteen
// rows: shared by the AVX-512 kernels (rows16.cpp) and the AMX ones
// (rows16_amx.cpp), so the layout is read in one place.
#pragma once

#if defined(__x86_64__)

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "cpu/rows16_layout.h"

namespace ponder::cpu::rows16 {

// GCC 12 warns of the undefined vectors inside AVX-512 intrinsics compiled
// under a target attribute; they are the intrinsics' own.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// Levels (0..63, stored + 32) of the low 4 bits of `low` and bits 4-5 of
// `high` (each shifted into place): vpternlogd 0xE4 is (A & C) | (B & ~C).
__attribute__((target("avx512f,avx512bw"))) inline __m512i q6kLevels(__m512i low, __m512i high)
{
    return _mm512_ternarylogic_epi32(high, _mm512_and_si512(low, _mm512_set1_epi8(15)), _mm512_set1_epi8(0x30), 0xE4);
}

// Group g's 192 bytes at `at` (its high bits, then chunks 2g and 2g + 1)
// as four vectors: levels[i] holds each row's values 4i..4i+3 of the group.
__attribute__((target("avx512f,avx512bw"))) inline void q6kGroupLevels(const uint8_t* at, __m512i levels[4])
{
    const __m512i h = _mm512_loadu_si512(at);
    const __m512i v0 = _mm512_loadu_si512(at + 64);
    const __m512i v1 = _mm512_loadu_si512(at + 128);
    levels[0] = q6kLevels(v0, _mm512_slli_epi16(h, 4));
    levels[1] = q6kLevels(_mm512_srli_epi16(v0, 4), _mm512_slli_epi16(h, 2));
    levels[2] = q6kLevels(v1, h);
    levels[3] = q6kLevels(_mm512_srli_epi16(v1, 4), _mm512_srli_epi16(h, 2));
}

// Group g's 96 bytes of a Q3_K group block at `at` (its levels' low 2
// bits, packed as Q6_K's high ones, then each level vector's third bits as
// a 64-bit mask, bit 4r + k for byte 4r + k) as four vectors: levels[i]
// holds each row's values 4i..4i+3 of the group (0..7, stored + 4).
__attribute__((target("avx512f,avx512bw"))) inline void q3kGroupLevels(const uint8_t* at, __m512i levels[4])
{
    const __m512i bits = _mm512_loadu_si512(at);
    const __m512i three = _mm512_set1_epi8(3), four = _mm512_set1_epi8(4);
    uint64_t masks[4];
    std::memcpy(masks, at + 64, sizeof masks);
    const __m512i low[4] = {bits, _mm512_srli_epi16(bits, 2), _mm512_srli_epi16(bits, 4), _mm512_srli_epi16(bits, 6)};
    for (int i = 0; i < 4; ++i) {
        const __m512i level = _mm512_and_si512(low[i], three);
        levels[i] = _mm512_mask_add_epi8(level, _cvtu64_mask64(masks[i]), level, four);
    }
}

// Group g's 64 bytes of a Q2_K group block at `at` (the levels' 2 bits,
// packed as Q3_K's low ones) as four vectors: levels[i] holds each row's
// values 4i..4i+3 of the group (0..3).
__attribute__((target("avx512f,avx512bw"))) inline void q2kGroupLevels(const uint8_t* at, __m512i levels[4])
{
    const __m512i bits = _mm512_loadu_si512(at);
    const __m512i three = _mm512_set1_epi8(3);
    levels[0] = _mm512_and_si512(bits, three);
    levels[1] = _mm512_and_si512(_mm512_srli_epi16(bits, 2), three);
    levels[2] = _mm512_and_si512(_mm512_srli_epi16(bits, 4), three);
    levels[3] = _mm512_and_si512(_mm512_srli_epi16(bits, 6), three);
}

// Q2_K's minimums (the high nibbles of its 16 bytes a value group, one a
// row, at `scales`) of value groups 2k and 2k + 1 as an int16 pair in each
// row's lane, for vpdpwssd against the activations' sums of those groups.
__attribute__((target("avx512f,avx512bw"))) inline __m512i q2kMinPair(const uint8_t* scales, int k)
{
    const auto* rows = reinterpret_cast<const __m128i*>(scales + 32 * k);
    const __m512i first = _mm512_srli_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128(rows)), 4);
    const __m512i second = _mm512_srli_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128(rows + 1)), 4);
    return _mm512_or_si512(first, _mm512_slli_epi32(second, 16));
}

// A Q3_K or Q6_K value group's four level vectors.
template <TensorType type>
__attribute__((target("avx512f,avx512bw"))) inline void signedGroupLevels(const uint8_t* at, __m512i levels[4])
{
    if constexpr (type == TensorType::Q3_K)
        q3kGroupLevels(at, levels);
    else
        q6kGroupLevels(at, levels);
}

// Chunk j of the Q4_K or Q5_K group block `w` as two vectors of levels
// (0..15, or 0..31): `low` holds each row's values 8j..8j+3, `high` its
// values 8j+4..8j+7. Q5_K's fifth bit is a masked byte add of 16.
template <TensorType type>
__attribute__((target("avx512f,avx512bw"))) inline void nibbleChunkLevels(const uint8_t* w, int j, __m512i& low,
                                                                          __m512i& high)
{
    const __m512i nibble = _mm512_set1_epi8(15);
    const __m512i v = _mm512_loadu_si512(w + chunkOffset<type>(j));
    low = _mm512_and_si512(v, nibble);
    high = _mm512_and_si512(_mm512_srli_epi16(v, 4), nibble);
    if constexpr (type == TensorType::Q5_K) {
        uint64_t masks[2];
        std::memcpy(masks, w + q5kFifthBitsOffset(j), sizeof masks);
        const __m512i sixteen = _mm512_set1_epi8(16);
        low = _mm512_mask_add_epi8(low, _cvtu64_mask64(masks[0]), low, sixteen);
        high = _mm512_mask_add_epi8(high, _cvtu64_mask64(masks[1]), high, sixteen);
    }
}

// In each row's lane, the sum over k of pairs[k] . (s[2k], s[2k + 1]):
// exact, for |s| < 2^15.
template <int kPairs, typename Sum>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) inline __m512i pairedDot(const __m512i* pairs, const Sum* s)
{
    __m512i sum = _mm512_setzero_si512();
    for (int k = 0; k < kPairs; ++k) {
        const uint32_t pair = uint32_t(uint16_t(s[2 * k])) | uint32_t(uint16_t(s[2 * k + 1])) << 16;
        sum = _mm512_dpwssd_epi32(sum, pairs[k], _mm512_set1_epi32(int32_t(pair)));
    }
    return sum;
}

// A block's float step where the type has minimums (Q2_K, Q4_K, Q5_K):
// acc + dots . d . da - mins . dmin . da, da the token's activation scale,
// in the order every kernel takes it, so they give the same bits.
__attribute__((target("avx512f"))) inline __m512 stepWithMinimums(__m512 acc, __m512i dots, __m512i mins, __m512 d,
                                                                 __m512 dmin, float activationScale)
{
    const __m512 da = _mm512_set1_ps(activationScale);
    acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots), _mm512_mul_ps(d, da), acc);
    return _mm512_fnmadd_ps(_mm512_cvtepi32_ps(mins), _mm512_mul_ps(dmin, da), acc);
}

#pragma GCC diagnostic pop

} // namespace ponder::cpu::rows16

#endif
