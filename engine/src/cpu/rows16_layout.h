// The rows16 layout's sizes (rows16.h describes the layout), shared by the
// AVX-512 kernels (rows16.cpp) and the AMX ones (rows16_amx.cpp).
#pragma once

#include <cstdint>

#include "ponder/tensor_type.h"

namespace ponder::cpu::rows16 {

inline constexpr uint64_t kQ4KBytes = 144, kQ6KBytes = 210, kQ8_0Bytes = 34;  // a block in the file
inline constexpr uint64_t kQ4KGroupBlockBytes = 2368, kQ6KGroupBlockBytes = 3360;
inline constexpr uint64_t kQ8_0GroupBlockBytes = 16 * kQ8_0Bytes;
// A Q8_0 block's levels for 16 rows; the group's scales come after all of them.
inline constexpr uint64_t kQ8_0LevelBytes = 16 * 32;

// Values per block.
inline uint64_t blockValues(TensorType type)
{
    return type == TensorType::Q8_0 ? 32 : 256;
}

// One group of 16 rows of `rowLength` values: its blocks' bytes, and for
// Q8_0 the padding to a cache line that keeps every group's levels on one.
inline uint64_t groupBytes(TensorType type, uint64_t rowLength)
{
    const uint64_t blocks = rowLength / blockValues(type);
    switch (type) {
    case TensorType::Q4_K: return blocks * kQ4KGroupBlockBytes;
    case TensorType::Q6_K: return blocks * kQ6KGroupBlockBytes;
    default: return (blocks * kQ8_0GroupBlockBytes + 63) / 64 * 64;
    }
}

} // namespace ponder::cpu::rows16
