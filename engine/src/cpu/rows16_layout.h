// The rows16 layout's sizes (rows16.h describes the layout), shared by the
// AVX-512 kernels (rows16.cpp) and the AMX ones (rows16_amx.cpp).
#pragma once

#include <cstdint>

#include "ponder/tensor_type.h"

namespace ponder::cpu::rows16 {

inline constexpr uint64_t kQ8_0Bytes = 34;  // a block in the file
// Q2_K's d, dmin and packed scales and minimums for 16 rows, where its
// value groups of 16 (64 bytes each) start.
inline constexpr uint64_t kQ2KHeadBytes = 320;
// Q3_K's and Q6_K's d and signed scales for 16 rows, where their value
// groups of 16 start.
inline constexpr uint64_t kSignedHeadBytes = 288;
// Q4_K's and Q5_K's d, dmin, scales and minimums for 16 rows, where their levels start.
inline constexpr uint64_t kKHeadBytes = 320;
// A Q5_K value group of 32: its fifth bits (8 masks of 8 bytes), then its 4 chunks.
inline constexpr uint64_t kQ5KValueGroupBytes = 64 + 4 * 64;
inline constexpr uint64_t kQ8_0GroupBlockBytes = 16 * kQ8_0Bytes;

// A block of 16 rows (rows16.h gives each type's layout).
constexpr uint64_t groupBlockBytes(TensorType type)
{
    switch (type) {
    case TensorType::Q2_K: return 1344;
    case TensorType::Q3_K: return 1824;
    case TensorType::Q4_K: return 2368;
    case TensorType::Q5_K: return 2880;
    case TensorType::Q6_K: return 3360;
    default: return kQ8_0GroupBlockBytes;
    }
}
// A Q8_0 block's levels for 16 rows; the group's scales come after all of them.
inline constexpr uint64_t kQ8_0LevelBytes = 16 * 32;

// Where chunk j (values 8j..8j+7 of each row) of a Q4_K or Q5_K group
// block lies, and for Q5_K its fifth bits: a mask for the values in the
// low nibbles, then one for the high, bit 4r + k of each for byte 4r + k.
template <TensorType type>
constexpr uint64_t chunkOffset(int j)
{
    static_assert(type == TensorType::Q4_K || type == TensorType::Q5_K);
    if constexpr (type == TensorType::Q4_K)
        return kKHeadBytes + 64 * uint64_t(j);
    else
        return kKHeadBytes + kQ5KValueGroupBytes * uint64_t(j / 4) + 64 + 64 * uint64_t(j % 4);
}

constexpr uint64_t q5kFifthBitsOffset(int j)
{
    return kKHeadBytes + kQ5KValueGroupBytes * uint64_t(j / 4) + 16 * uint64_t(j % 4);
}

// Q3_K's and Q6_K's group blocks: a value group's bytes, and the offset
// their levels are stored with (1 << levelOffsetShift: 4 and 32).
template <TensorType type>
constexpr uint64_t valueGroup16Bytes()
{
    static_assert(type == TensorType::Q3_K || type == TensorType::Q6_K);
    return type == TensorType::Q3_K ? 96 : 192;
}

template <TensorType type>
constexpr int levelOffsetShift()
{
    static_assert(type == TensorType::Q3_K || type == TensorType::Q6_K);
    return type == TensorType::Q3_K ? 2 : 5;
}

// Values per block.
inline uint64_t blockValues(TensorType type)
{
    return type == TensorType::Q8_0 ? 32 : 256;
}

// One group of 16 rows of `rowLength` values: its blocks' bytes, and for
// Q8_0 the padding to a cache line that keeps every group's levels on one.
inline uint64_t groupBytes(TensorType type, uint64_t rowLength)
{
    const uint64_t bytes = rowLength / blockValues(type) * groupBlockBytes(type);
    return type == TensorType::Q8_0 ? (bytes + 63) / 64 * 64 : bytes;
}

} // namespace ponder::cpu::rows16
