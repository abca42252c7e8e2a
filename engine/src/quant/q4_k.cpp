// Q4_K, 144 bytes per 256 values: f16 d; f16 dmin; u8 scales[12]; u8 qs[128].
// Eight sub-blocks of 32 with 6-bit scales and mins (k_scales.h). For each
// 64-value chunk c, the low nibbles of qs[32c + l] are value 64c + l
// (sub-block 2c) and the high nibbles value 64c + 32 + l (sub-block 2c + 1).
//   x = d*scale*level - dmin*min
#include "quant/codec.h"
#include "quant/fit.h"
#include "quant/k_scales.h"

namespace ponder::quant {
namespace {

constexpr size_t kBytes = 144;
constexpr size_t kD = 0, kDmin = 2, kScales = 4, kQs = 16;

} // namespace

void dequantizeQ4_K(const std::byte* src, float* dst, size_t blocks)
{
    for (size_t b = 0; b < blocks; ++b, src += kBytes, dst += 256) {
        const float d = loadHalf(src + kD);
        const float dmin = loadHalf(src + kDmin);
        for (int c = 0; c < 4; ++c) {
            const ScaleMin lowSub = unpackScaleMin6(src + kScales, 2 * c);
            const ScaleMin highSub = unpackScaleMin6(src + kScales, 2 * c + 1);
            const float lowStep = d * float(lowSub.scale), lowOffset = dmin * float(lowSub.min);
            const float highStep = d * float(highSub.scale), highOffset = dmin * float(highSub.min);
            const std::byte* qs = src + kQs + 32 * c;
            float* y = dst + 64 * c;
            for (int l = 0; l < 32; ++l) {
                const uint8_t q = byteAt(qs, l);
                y[l] = lowStep * float(q & 15) - lowOffset;
                y[l + 32] = highStep * float(q >> 4) - highOffset;
            }
        }
    }
}

void quantizeQ4_K(const float* src, std::byte* dst, size_t blocks)
{
    constexpr AffineLayout kLayout{8, 15, 63};
    AffineBlock fit;
    for (size_t b = 0; b < blocks; ++b, src += 256, dst += kBytes) {
        fitAffineBlock(src, kLayout, fit);
        storeU16(dst + kD, fit.d);
        storeU16(dst + kDmin, fit.dmin);
        packScalesMins6(fit.scales, fit.mins, dst + kScales);
        for (int c = 0; c < 4; ++c) {
            const uint8_t* v = fit.levels + 64 * c;
            for (int l = 0; l < 32; ++l)
                dst[kQs + 32 * c + l] = std::byte(v[l] | (v[l + 32] << 4));
        }
    }
}

} // namespace ponder::quant
