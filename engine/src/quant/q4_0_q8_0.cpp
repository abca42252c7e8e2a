// Q4_0 and Q8_0: blocks of 32 values with one f16 scale.
//   Q4_0, 18 bytes: f16 d; u8 qs[16].  x[l] = d*((qs[l] & 15) - 8), x[l+16] = d*((qs[l] >> 4) - 8)
//   Q8_0, 34 bytes: f16 d; i8 qs[32].  x[l] = d*qs[l]
#include <algorithm>
#include <cmath>

#include "quant/codec.h"
#include "quant/fit.h"

namespace ponder::quant {
namespace {

constexpr size_t kQ4_0Bytes = 18;
constexpr size_t kQ8_0Bytes = 34;

} // namespace

void dequantizeQ4_0(const std::byte* src, float* dst, size_t blocks)
{
    for (size_t b = 0; b < blocks; ++b, src += kQ4_0Bytes, dst += 32) {
        const float d = loadHalf(src);
        const std::byte* qs = src + 2;
        for (int l = 0; l < 16; ++l) {
            const uint8_t q = byteAt(qs, l);
            dst[l] = d * float((q & 15) - 8);
            dst[l + 16] = d * float((q >> 4) - 8);
        }
    }
}

void quantizeQ4_0(const float* src, std::byte* dst, size_t blocks)
{
    for (size_t b = 0; b < blocks; ++b, src += 32, dst += kQ4_0Bytes) {
        const uint16_t dBits = floatToHalf(fitSymmetric(src, 32, -8, 7));
        storeU16(dst, dBits);
        const float d = halfToFloat(dBits);
        const float inverse = d != 0.f ? 1.f / d : 0.f;
        for (int l = 0; l < 16; ++l) {
            const int lo = int(clampRound(src[l] * inverse, -8.f, 7.f)) + 8;
            const int hi = int(clampRound(src[l + 16] * inverse, -8.f, 7.f)) + 8;
            dst[2 + l] = std::byte(lo | (hi << 4));
        }
    }
}

void dequantizeQ8_0(const std::byte* src, float* dst, size_t blocks)
{
    for (size_t b = 0; b < blocks; ++b, src += kQ8_0Bytes, dst += 32) {
        const float d = loadHalf(src);
        for (int l = 0; l < 32; ++l)
            dst[l] = d * float(int8_t(byteAt(src + 2, l)));
    }
}

// Eight bits leave little to search: scale the largest magnitude to 127,
// then refit the scale to the rounded levels by least squares.
void quantizeQ8_0(const float* src, std::byte* dst, size_t blocks)
{
    for (size_t b = 0; b < blocks; ++b, src += 32, dst += kQ8_0Bytes) {
        float peak = 0.f;
        for (int l = 0; l < 32; ++l)
            peak = std::max(peak, std::fabs(src[l]));
        float d = peak / 127.f;
        if (d > 0.f) {
            float sumXL = 0.f, sumLL = 0.f;
            for (int l = 0; l < 32; ++l) {
                const float q = clampRound(src[l] / d, -127.f, 127.f);
                sumXL += src[l] * q;
                sumLL += q * q;
            }
            d = sumXL / sumLL;
        }
        const uint16_t dBits = floatToHalf(d);
        storeU16(dst, dBits);
        const float stored = halfToFloat(dBits);
        const float inverse = stored != 0.f ? 1.f / stored : 0.f;
        for (int l = 0; l < 32; ++l)
            dst[2 + l] = std::byte(int8_t(clampRound(src[l] * inverse, -128.f, 127.f)));
    }
}

} // namespace ponder::quant
