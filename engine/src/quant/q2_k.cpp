// Q2_K, 84 bytes per 256 values: u8 scales[16]; u8 qs[64]; f16 d; f16 dmin.
// Sixteen sub-blocks of 16 values; scales[j] holds sub-block j's 4-bit scale
// (low nibble) and 4-bit min (high nibble). Levels are 2 bits: value
// w = 128h + 32s + l (h < 2, s < 4, l < 32) is bits 2s..2s+1 of qs[32h + l].
//   x[w] = d*(scales[w/16] & 15)*level - dmin*(scales[w/16] >> 4)
#include "quant/codec.h"
#include "quant/fit.h"

namespace ponder::quant {
namespace {

constexpr size_t kBytes = 84;
constexpr size_t kScales = 0, kQs = 16, kD = 80, kDmin = 82;

} // namespace

void dequantizeQ2_K(const std::byte* src, float* dst, size_t blocks)
{
    for (size_t b = 0; b < blocks; ++b, src += kBytes, dst += 256) {
        const float d = loadHalf(src + kD);
        const float dmin = loadHalf(src + kDmin);
        for (int w = 0; w < 256; w += 16) {
            const uint8_t sc = byteAt(src + kScales, w / 16);
            const float step = d * float(sc & 15);
            const float offset = dmin * float(sc >> 4);
            const int h = w / 128, shift = 2 * ((w / 32) % 4);
            for (int i = 0; i < 16; ++i) {
                const int l = (w + i) % 32;
                const int level = (byteAt(src + kQs, 32 * h + l) >> shift) & 3;
                dst[w + i] = step * float(level) - offset;
            }
        }
    }
}

void quantizeQ2_K(const float* src, std::byte* dst, size_t blocks)
{
    constexpr AffineLayout kLayout{16, 3, 15};
    AffineBlock fit;
    for (size_t b = 0; b < blocks; ++b, src += 256, dst += kBytes) {
        fitAffineBlock(src, kLayout, fit);
        for (int j = 0; j < 16; ++j)
            dst[kScales + j] = std::byte(fit.scales[j] | (fit.mins[j] << 4));
        for (int h = 0; h < 2; ++h) {
            for (int l = 0; l < 32; ++l) {
                const uint8_t* v = fit.levels + 128 * h + l;
                dst[kQs + 32 * h + l] = std::byte(v[0] | (v[32] << 2) | (v[64] << 4) | (v[96] << 6));
            }
        }
        storeU16(dst + kD, fit.d);
        storeU16(dst + kDmin, fit.dmin);
    }
}

} // namespace ponder::quant
