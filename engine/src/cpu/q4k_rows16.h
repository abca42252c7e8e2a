// Q4_K rows interleaved sixteen to a vector ("rows16"): one AVX-512 lane per
// row, so a block's integer dot products, group scales and float steps run
// for sixteen rows at once, and nothing is summed across lanes. The int8
// activations go in by broadcast: vpdpbusd multiplies four levels of each
// of the sixteen rows by the same four activations.
//
// Layout, per group of 16 rows and per block b of 256 values (2368 bytes,
// 148 per row and block where Q4_K has 144: the 6-bit scales and minimums
// unpacked to bytes):
//   d[16], dmin[16]            f16, one per row
//   scales[8][16], mins[8][16] u8, [value group of 32][row]
//   levels[32][64]             chunk j: bytes 4r..4r+3 hold row r's values
//                              8j..8j+3 (low nibbles) and 8j+4..8j+7 (high)
// The engine holds a Q4_K matrix this way where it copies the weights into
// huge pages (resident_weights.h) on a CPU with AVX-512 VNNI and the matrix
// has rows in multiples of 16; elsewhere it reads Q4_K in the file's layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "cpu/dot_kernels.h"
#include "ponder/model_info.h"
#include "ponder/model_weights.h"

namespace ponder::cpu {

inline constexpr uint64_t kRows16GroupBlockBytes = 2368;

// Bytes the rows16 copy of `rows` (a multiple of 16) Q4_K rows of
// `rowLength` values takes.
uint64_t q4kRows16Bytes(uint64_t rows, uint64_t rowLength);

// Copies `rows` (a multiple of 16) Q4_K rows of `rowLength` values from
// `source` into `target` (q4kRows16Bytes) in the rows16 layout.
void interleaveQ4KRows16(std::span<const std::byte> source, std::span<std::byte> target, uint64_t rows,
                         uint64_t rowLength);

// The same for groups [groupBegin, groupEnd) of 16 rows only: `source` and
// `target` are the whole matrix's, in the file's and the rows16 layout.
void interleaveQ4KRows16Groups(const std::byte* source, std::byte* target, uint64_t rowLength, uint64_t groupBegin,
                               uint64_t groupEnd);

// Whether this CPU runs multiplyQ4KRows16 (AVX-512 BW, VL and VNNI).
bool rows16Supported();

// Whether the engine holds matrix `t` as rows16 when it copies the weights:
// Q4_K, rows in multiples of 16, on a CPU that runs the kernel. Not the
// token embedding, whose rows are looked up one by one (and which stays in
// the file's layout when the output shares it).
bool heldAsRows16(const TensorDesc& t);

// The bytes the engine's copy of matrix `t` takes: q4kRows16Bytes where
// heldAsRows16, else the file's.
uint64_t heldBytes(const TensorDesc& t);

// Whether `w` views a rows16 copy (its data is q4kRows16Bytes long, where a
// Q4_K matrix in the file's layout has 144 bytes per row and block).
bool viewsRows16(const WeightView& w);

// Rows [p.rowBegin, p.rowEnd) (multiples of 16) of a rows16 copy at
// p.weights against every token of p.x (Q8_K); p.rowBytes is unused.
void multiplyQ4KRows16(const MatrixProduct& p);

} // namespace ponder::cpu
