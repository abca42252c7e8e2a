// Internal to the quant unit: choosing scales, offsets and integer levels
// that minimise the squared reconstruction error. Every format's encoder is
// a thin packer around these.
//
// The searches try a small grid of candidate step sizes, round the values to
// levels with each, and solve the least-squares scale (and offset) for those
// levels in closed form; the best candidate wins, and is then refined by
// alternately re-rounding the levels and refitting. Super-block formats then
// fit the per-sub-block scales themselves the same way, round the
// super-scales to f16, and for each sub-block try the stored integer scale
// nearest its fit and that integer's neighbours, keeping the one whose
// re-rounded levels give the least error.
#pragma once

#include <algorithm>
#include <cstdint>

namespace ponder::quant {

// Round to nearest, ties to even, staying in float so loops vectorize.
// Exact for |v| < 2^22; callers clamp to the level range first.
inline float roundNearest(float v)
{
    constexpr float kMagic = 12582912.f;  // 1.5 * 2^23
    return (v + kMagic) - kMagic;
}

inline float clampRound(float v, float lo, float hi) { return roundNearest(std::clamp(v, lo, hi)); }

// x[0..n) ≈ scale * l with integer l in [levelMin, levelMax]; returns the
// scale, which may be negative. n is a multiple of 8.
float fitSymmetric(const float* x, int n, int levelMin, int levelMax);

// Super-block formats with an offset: Q2_K, Q4_K, Q5_K. 256 values in
// `subBlocks` sub-blocks; value i of sub-block j is
// d * scales[j] * levels[i] - dmin * mins[j].
struct AffineLayout {
    int subBlocks;  // 16 or 8
    int levelMax;   // 3, 15 or 31
    int scaleMax;   // 15 (4-bit scales and mins) or 63 (6-bit)
};

struct AffineBlock {
    uint16_t d;     // f16 bits
    uint16_t dmin;  // f16 bits
    uint8_t scales[16];
    uint8_t mins[16];
    uint8_t levels[256];
};

void fitAffineBlock(const float* x, const AffineLayout& layout, AffineBlock& block);

// Super-block formats without offset: Q3_K, Q6_K. 256 values in 16
// sub-blocks of 16; value i of sub-block j is d * scales[j] * levels[i].
struct SymmetricLayout {
    int levelMin;  // -4 or -32
    int levelMax;  // 3 or 31
    int scaleMin;  // -32 or -128
    int scaleMax;  // 31 or 127
};

struct SymmetricBlock {
    uint16_t d;  // f16 bits
    int8_t scales[16];
    int8_t levels[256];
};

void fitSymmetricBlock(const float* x, const SymmetricLayout& layout, SymmetricBlock& block);

} // namespace ponder::quant
