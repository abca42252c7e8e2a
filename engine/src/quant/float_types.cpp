// F32, F16 and BF16 storage: one value per "block".
#include <cstring>

#include "quant/codec.h"

namespace ponder::quant {

void dequantizeF32(const std::byte* src, float* dst, size_t blocks)
{
    std::memcpy(dst, src, blocks * sizeof(float));
}

void quantizeF32(const float* src, std::byte* dst, size_t blocks)
{
    std::memcpy(dst, src, blocks * sizeof(float));
}

void dequantizeF16(const std::byte* src, float* dst, size_t blocks)
{
    for (size_t i = 0; i < blocks; ++i)
        dst[i] = halfToFloat(loadU16(src + 2 * i));
}

void quantizeF16(const float* src, std::byte* dst, size_t blocks)
{
    for (size_t i = 0; i < blocks; ++i)
        storeU16(dst + 2 * i, floatToHalf(src[i]));
}

void dequantizeBF16(const std::byte* src, float* dst, size_t blocks)
{
    for (size_t i = 0; i < blocks; ++i)
        dst[i] = bf16ToFloat(loadU16(src + 2 * i));
}

void quantizeBF16(const float* src, std::byte* dst, size_t blocks)
{
    for (size_t i = 0; i < blocks; ++i)
        storeU16(dst + 2 * i, floatToBf16(src[i]));
}

} // namespace ponder::quant
