// Internal to the quant unit: the 12-byte packing of eight 6-bit scales and
// eight 6-bit mins shared by Q4_K and Q5_K (FORMATS.md). Bytes 0-3 hold
// scales 0-3 and bytes 4-7 mins 0-3 in their low 6 bits; bytes 8-11 hold the
// low 4 bits of scales 4-7 (low nibble) and mins 4-7 (high nibble), whose top
// 2 bits sit in the top bits of bytes 0-3 (scales) and 4-7 (mins).
#pragma once

#include <cstddef>
#include <cstdint>

#include "quant/codec.h"

namespace ponder::quant {

struct ScaleMin {
    uint8_t scale;
    uint8_t min;
};

inline ScaleMin unpackScaleMin6(const std::byte* packed, int j)
{
    if (j < 4)
        return {uint8_t(byteAt(packed, j) & 63), uint8_t(byteAt(packed, j + 4) & 63)};
    const uint8_t low = byteAt(packed, j + 4);
    return {uint8_t((low & 15) | ((byteAt(packed, j - 4) >> 6) << 4)),
            uint8_t((low >> 4) | ((byteAt(packed, j) >> 6) << 4))};
}

// scales and mins: eight values in [0, 63] each.
inline void packScalesMins6(const uint8_t* scales, const uint8_t* mins, std::byte* packed)
{
    for (int j = 0; j < 4; ++j) {
        packed[j] = std::byte(scales[j] | ((scales[j + 4] >> 4) << 6));
        packed[j + 4] = std::byte(mins[j] | ((mins[j + 4] >> 4) << 6));
        packed[j + 8] = std::byte((scales[j + 4] & 15) | ((mins[j + 4] & 15) << 4));
    }
}

} // namespace ponder::quant
