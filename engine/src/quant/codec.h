// Internal to the quant unit: one encoder/decoder pair per storage format,
// working on whole blocks, plus the little-endian field access they share.
// The public checks (sizes, counts, finite input) happen in quant.cpp before
// any of these run, so they trust their arguments.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ponder/half.h"
#include "ponder/tensor_type.h"

namespace ponder::quant {

static_assert(std::endian::native == std::endian::little, "GGUF data is little-endian; this host is not");

// `blocks` blocks: traits(type).blockSize values and blockBytes bytes each.
using DequantizeFn = void (*)(const std::byte* src, float* dst, size_t blocks);
using QuantizeFn = void (*)(const float* src, std::byte* dst, size_t blocks);

struct Codec {
    DequantizeFn dequantize;
    QuantizeFn quantize;
};

// nullptr for a type this build cannot encode and decode.
const Codec* codecFor(TensorType type);

inline uint8_t byteAt(const std::byte* p, size_t i) { return std::to_integer<uint8_t>(p[i]); }

inline uint16_t loadU16(const std::byte* p)
{
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void storeU16(std::byte* p, uint16_t v) { std::memcpy(p, &v, sizeof v); }
inline float loadHalf(const std::byte* p) { return halfToFloat(loadU16(p)); }

// The block formats, one family per source file.
void dequantizeF32(const std::byte* src, float* dst, size_t blocks);
void quantizeF32(const float* src, std::byte* dst, size_t blocks);
void dequantizeF16(const std::byte* src, float* dst, size_t blocks);
void quantizeF16(const float* src, std::byte* dst, size_t blocks);
void dequantizeBF16(const std::byte* src, float* dst, size_t blocks);
void quantizeBF16(const float* src, std::byte* dst, size_t blocks);
void dequantizeQ4_0(const std::byte* src, float* dst, size_t blocks);
void quantizeQ4_0(const float* src, std::byte* dst, size_t blocks);
void dequantizeQ8_0(const std::byte* src, float* dst, size_t blocks);
void quantizeQ8_0(const float* src, std::byte* dst, size_t blocks);
void dequantizeQ2_K(const std::byte* src, float* dst, size_t blocks);
void quantizeQ2_K(const float* src, std::byte* dst, size_t blocks);
void dequantizeQ3_K(const std::byte* src, float* dst, size_t blocks);
void quantizeQ3_K(const float* src, std::byte* dst, size_t blocks);
void dequantizeQ4_K(const std::byte* src, float* dst, size_t blocks);
void quantizeQ4_K(const float* src, std::byte* dst, size_t blocks);
void dequantizeQ5_K(const std::byte* src, float* dst, size_t blocks);
void quantizeQ5_K(const float* src, std::byte* dst, size_t blocks);
void dequantizeQ6_K(const std::byte* src, float* dst, size_t blocks);
void quantizeQ6_K(const float* src, std::byte* dst, size_t blocks);

} // namespace ponder::quant
