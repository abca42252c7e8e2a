// Q5_K, 176 bytes per 256 values: f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128].
// As Q4_K (k_scales.h, nibble layout), with a fifth level bit in qh: for
// chunk c, bit 2c of qh[l] belongs to value 64c + l (low nibble) and bit
// 2c + 1 to value 64c + 32 + l (high nibble), adding 16 when set.
//   x = d*scale*level - dmin*min
#include "quant/codec.h"
#include "quant/fit.h"
#include "quant/k_scales.h"

namespace ponder::quant {
namespace {

constexpr size_t kBytes = 176;
constexpr size_t kD = 0, kDmin = 2, kScales = 4, kQh = 16, kQs = 48;

} // namespace

void dequantizeQ5_K(const std::byte* src, float* dst, size_t blocks)
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
                const uint8_t h = byteAt(src + kQh, l);
                const int low = (q & 15) | (((h >> (2 * c)) & 1) << 4);
                const int high = (q >> 4) | (((h >> (2 * c + 1)) & 1) << 4);
                y[l] = lowStep * float(low) - lowOffset;
                y[l + 32] = highStep * float(high) - highOffset;
            }
        }
    }
}

void quantizeQ5_K(const float* src, std::byte* dst, size_t blocks)
{
    constexpr AffineLayout kLayout{8, 31, 63};
    AffineBlock fit;
    for (size_t b = 0; b < blocks; ++b, src += 256, dst += kBytes) {
        fitAffineBlock(src, kLayout, fit);
        storeU16(dst + kD, fit.d);
        storeU16(dst + kDmin, fit.dmin);
        packScalesMins6(fit.scales, fit.mins, dst + kScales);
        uint8_t qh[32] = {};
        for (int c = 0; c < 4; ++c) {
            const uint8_t* v = fit.levels + 64 * c;
            for (int l = 0; l < 32; ++l) {
                dst[kQs + 32 * c + l] = std::byte((v[l] & 15) | ((v[l + 32] & 15) << 4));
                qh[l] |= uint8_t(((v[l] >> 4) << (2 * c)) | ((v[l + 32] >> 4) << (2 * c + 1)));
            }
        }
        for (int l = 0; l < 32; ++l)
            dst[kQh + l] = std::byte(qh[l]);
    }
}

} // namespace ponder::quant
