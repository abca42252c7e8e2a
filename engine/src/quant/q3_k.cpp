// Q3_K, 110 bytes per 256 values: u8 hmask[32]; u8 qs[64]; u8 scales[12]; f16 d.
// Sixteen sub-blocks of 16 values with signed 6-bit scales stored as
// scale + 32: the low 4 bits of scale j are the low nibble of scales[j]
// (j < 8) or the high nibble of scales[j - 8] (j >= 8); its top 2 bits are
// bits 2*(j/4)..+1 of scales[8 + j%4].
// Levels are 3 bits. Value w = 128h + 32s + l (h < 2, s < 4, l < 32) takes
// its low 2 bits from bits 2s..2s+1 of qs[32h + l], and its high bit from bit
// w/32 of hmask[w%32]; a clear high bit means "subtract 4".
//   x[w] = d*(scale[w/16] - 32)*(low2 - (high ? 0 : 4))
#include "quant/codec.h"
#include "quant/fit.h"

namespace ponder::quant {
namespace {

constexpr size_t kBytes = 110;
constexpr size_t kHmask = 0, kQs = 32, kScales = 96, kD = 108;

int subScale(const std::byte* scales, int j)
{
    const int low = j < 8 ? byteAt(scales, j) & 15 : byteAt(scales, j - 8) >> 4;
    const int high = (byteAt(scales, 8 + j % 4) >> (2 * (j / 4))) & 3;
    return (low | (high << 4)) - 32;
}

} // namespace

void dequantizeQ3_K(const std::byte* src, float* dst, size_t blocks)
{
    for (size_t b = 0; b < blocks; ++b, src += kBytes, dst += 256) {
        const float d = loadHalf(src + kD);
        for (int w = 0; w < 256; w += 16) {
            const float step = d * float(subScale(src + kScales, w / 16));
            const int h = w / 128, shift = 2 * ((w / 32) % 4), bit = w / 32;
            for (int i = 0; i < 16; ++i) {
                const int l = (w + i) % 32;
                const int low = (byteAt(src + kQs, 32 * h + l) >> shift) & 3;
                const bool high = (byteAt(src + kHmask, l) >> bit) & 1;
                dst[w + i] = step * float(low - (high ? 0 : 4));
            }
        }
    }
}

void quantizeQ3_K(const float* src, std::byte* dst, size_t blocks)
{
    constexpr SymmetricLayout kLayout{-4, 3, -32, 31};
    SymmetricBlock fit;
    for (size_t b = 0; b < blocks; ++b, src += 256, dst += kBytes) {
        fitSymmetricBlock(src, kLayout, fit);
        uint8_t scales[12] = {};
        for (int j = 0; j < 16; ++j) {
            const int stored = fit.scales[j] + 32;
            scales[j % 8] |= uint8_t((stored & 15) << (j < 8 ? 0 : 4));
            scales[8 + j % 4] |= uint8_t((stored >> 4) << (2 * (j / 4)));
        }
        for (int j = 0; j < 12; ++j)
            dst[kScales + j] = std::byte(scales[j]);

        uint8_t hmask[32] = {};
        uint8_t qs[64] = {};
        for (int w = 0; w < 256; ++w) {
            const int stored = fit.levels[w] + 4;  // 0..7
            const int l = w % 32;
            hmask[l] |= uint8_t((stored >> 2) << (w / 32));
            qs[32 * (w / 128) + l] |= uint8_t((stored & 3) << (2 * ((w / 32) % 4)));
        }
        for (int i = 0; i < 32; ++i)
            dst[kHmask + i] = std::byte(hmask[i]);
        for (int i = 0; i < 64; ++i)
            dst[kQs + i] = std::byte(qs[i]);
        storeU16(dst + kD, fit.d);
    }
}

} // namespace ponder::quant
