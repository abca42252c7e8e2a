// A Q6_K value group's levels as the rows16 layout holds them (rows16.h),
// put together for sixteen rows: shared by the AVX-512 kernel (rows16.cpp)
// and the AMX one (rows16_amx.cpp), so the layout is read in one place.
#pragma once

#if defined(__x86_64__)

#include <immintrin.h>

#include <cstdint>

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

#pragma GCC diagnostic pop

} // namespace ponder::cpu::rows16

#endif
