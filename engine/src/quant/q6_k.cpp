// Q6_K, 210 bytes per 256 values: u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d.
// Sixteen sub-blocks of 16 with signed 8-bit scales; levels are 6 bits,
// stored as level + 32. Within each 128-value half h (ql += 64h, qh += 32h),
// for l < 32 and quarter k < 4, value 128h + 32k + l takes
//   its low 4 bits from ql[l + 32*(k%2)], low nibble for k < 2, high for k >= 2,
//   its high 2 bits from bits 2k..2k+1 of qh[l].
//   x[w] = d*scales[w/16]*(stored - 32)
#include "quant/codec.h"
#include "quant/fit.h"

namespace ponder::quant {
namespace {

constexpr size_t kBytes = 210;
constexpr size_t kQl = 0, kQh = 128, kScales = 192, kD = 208;

} // namespace

void dequantizeQ6_K(const std::byte* src, float* dst, size_t blocks)
{
    for (size_t b = 0; b < blocks; ++b, src += kBytes, dst += 256) {
        const float d = loadHalf(src + kD);
        for (int h = 0; h < 2; ++h) {
            const std::byte* ql = src + kQl + 64 * h;
            const std::byte* qh = src + kQh + 32 * h;
            for (int k = 0; k < 4; ++k) {
                const int base = 128 * h + 32 * k;
                for (int l = 0; l < 32; ++l) {
                    const uint8_t lowByte = byteAt(ql, l + 32 * (k % 2));
                    const int low = k < 2 ? lowByte & 15 : lowByte >> 4;
                    const int high = (byteAt(qh, l) >> (2 * k)) & 3;
                    const int w = base + l;
                    const float step = d * float(int8_t(byteAt(src + kScales, w / 16)));
                    dst[w] = step * float((low | (high << 4)) - 32);
                }
            }
        }
    }
}

void quantizeQ6_K(const float* src, std::byte* dst, size_t blocks)
{
    constexpr SymmetricLayout kLayout{-32, 31, -128, 127};
    SymmetricBlock fit;
    for (size_t b = 0; b < blocks; ++b, src += 256, dst += kBytes) {
        fitSymmetricBlock(src, kLayout, fit);
        uint8_t ql[128] = {};
        uint8_t qh[64] = {};
        for (int w = 0; w < 256; ++w) {
            const int stored = fit.levels[w] + 32;  // 0..63
            const int h = w / 128, k = (w / 32) % 4, l = w % 32;
            ql[64 * h + l + 32 * (k % 2)] |= uint8_t((stored & 15) << (k < 2 ? 0 : 4));
            qh[32 * h + l] |= uint8_t((stored >> 4) << (2 * k));
        }
        for (int i = 0; i < 128; ++i)
            dst[kQl + i] = std::byte(ql[i]);
        for (int i = 0; i < 64; ++i)
            dst[kQh + i] = std::byte(qh[i]);
        for (int j = 0; j < 16; ++j)
            dst[kScales + j] = std::byte(uint8_t(fit.scales[j]));
        storeU16(dst + kD, fit.d);
    }
}

} // namespace ponder::quant
