// The tensor storage formats on the CPU: dequantize and quantize every block
// format the engine computes with (F32, F16, BF16, Q4_0, Q8_0, Q2_K, Q3_K,
// Q4_K, Q5_K, Q6_K), byte-compatible with ggml's GGUF files. This is the single
// CPU source of truth the GPU shaders are tested against, and the quantizer
// the test-model generator uses. Block layouts: FORMATS.md "Quant blocks".
//
// A tensor of `count` values takes tensorBytes(type, count) bytes; `count`
// must be a multiple of the type's block size (tensor_type.h). Quantizers
// choose every scale by a small least-squares search, and give the same bytes
// however the work is split across threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "ponder/error.h"
#include "ponder/tensor_type.h"

namespace ponder {

// Whether dequantize()/quantize() and the row helpers handle `type`.
bool canDequantize(TensorType type);
bool canQuantize(TensorType type);

// Decodes dst.size() values; src must hold exactly tensorBytes(type, dst.size()).
Result<void> dequantize(TensorType type, std::span<const std::byte> src, std::span<float> dst);

// Encodes src.size() values into dst, which must be exactly tensorBytes(type, src.size()).
// Block types refuse NaN, infinity and magnitudes above 65504 (their scales are f16).
Result<void> quantize(TensorType type, std::span<const float> src, std::span<std::byte> dst);

// quantize() for a (rows, rowLength) matrix, rows split across up to `threads`
// threads (0: one per hardware thread). rowLength must be a whole number of
// blocks so every row starts on a block boundary, as GGUF requires.
Result<void> quantizeRows(TensorType type, std::span<const float> src, uint64_t rowLength,
                          std::span<std::byte> dst, unsigned threads = 0);

// Decodes row `row` of a (rows, rowLength) matrix stored as `type` in `tensor`
// into out (out.size() == rowLength).
Result<void> dequantizeRow(TensorType type, std::span<const std::byte> tensor, uint64_t rowLength,
                           uint64_t row, std::span<float> out);

// Dot product of one stored row of x.size() values (row.size() must be
// tensorBytes(type, x.size())) with x, accumulated in float64; the CPU
// reference matmul is built on it.
Result<double> dotRow(TensorType type, std::span<const std::byte> row, std::span<const float> x);

} // namespace ponder
