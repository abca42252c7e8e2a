// IEEE binary16 (f16) and bfloat16 (bf16) conversion to and from float.
// Narrowing rounds to nearest, ties to even; subnormals, infinities and NaN
// are handled (NaN stays NaN, keeping the top bits of its payload). Inline
// because dequantization calls these once per value or block.
#pragma once

#include <bit>
#include <cstdint>

namespace ponder {

constexpr float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    const uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa * 2^-24, exact in float.
        const float magnitude = float(mantissa) * 0x1p-24f;
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 0x1f)
        return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    // Rebias the exponent from 15 to 127.
    return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

constexpr uint16_t floatToHalf(float value)
{
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    const auto sign = uint16_t((bits >> 16) & 0x8000u);
    const uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u)  // NaN: keep it quiet and keep the payload's top bits
        return uint16_t(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu));
    if (magnitude >= 0x477ff000u)  // 65520 and above round to infinity (65504 is the largest half)
        return uint16_t(sign | 0x7c00u);
    if (magnitude < 0x38800000u) {
        // Below 2^-14, the smallest normal half: the result counts units of
        // 2^-24. Adding 0.5 puts the float's last mantissa bit at 2^-24, so
        // the hardware addition rounds to nearest even for us.
        const float aligned = std::bit_cast<float>(magnitude) + 0.5f;
        return uint16_t(sign | (std::bit_cast<uint32_t>(aligned) - 0x3f000000u));
    }
    // Normal: rebias the exponent (127 -> 15) and drop 13 mantissa bits,
    // rounding to nearest even; a carry out of the mantissa bumps the exponent.
    const uint32_t odd = (magnitude >> 13) & 1u;
    const uint32_t rounded = magnitude - (112u << 23) + 0xfffu + odd;
    return uint16_t(sign | (rounded >> 13));
}

constexpr float bf16ToFloat(uint16_t b)
{
    return std::bit_cast<float>(uint32_t(b) << 16);
}

constexpr uint16_t floatToBf16(float value)
{
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    if ((bits & 0x7fffffffu) > 0x7f800000u)  // NaN: quiet, top payload bits kept
        return uint16_t((bits >> 16) | 0x0040u);
    // Round to nearest even; a finite value past the largest bf16 carries into infinity.
    const uint32_t odd = (bits >> 16) & 1u;
    return uint16_t((bits + 0x7fffu + odd) >> 16);
}

} // namespace ponder
