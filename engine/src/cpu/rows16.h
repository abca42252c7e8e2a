// The K-quants' and Q8_0's rows interleaved sixteen to a vector ("rows16"): one
// AVX-512 lane per row, so a block's integer dot products, group scales and
// float steps run for sixteen rows at once, and nothing is summed across
// lanes. The int8 activations go in by broadcast: vpdpbusd multiplies four
// levels of each of the sixteen rows by the same four activations.
//
// Layout of the K-quants, per group of 16 rows and per block b of 256
// values. Levels come in chunks j of 8 values: bytes 4r..4r+3 of chunk j
// hold row r's values 8j..8j+3 in their low nibbles and 8j+4..8j+7 in their
// high ones.
//   Q4_K, 2368 bytes (148 per row and block where the file has 144: the
//   6-bit scales and minimums unpacked to bytes):
//     d[16], dmin[16]              f16, one per row
//     scales[8][16], mins[8][16]   u8, [value group of 32][row]
//     levels[32][64]               the chunks
//   Q5_K, 2880 bytes (180 per row and block where the file has 176): the
//   same d, dmin, scales and minimums as Q4_K, then per value group g of
//   32 values:
//     fifth[4][2][8]               each chunk 4g+c's fifth bits as two
//                                  64-bit masks, bit 4r+k for byte 4r+k:
//                                  first for the values in low nibbles,
//                                  then for those in high ones (a masked
//                                  add of 16 puts them in: no shifts)
//     levels[4][64]                chunks 4g..4g+3, their low 4 bits as Q4_K
//   Q6_K, 3360 bytes (210, as the file):
//     d[16]                        f16
//     scales[16][16]               int8, [value group of 16][row]
//     then per value group g of 16, in the order the kernel reads them
//     (with the high bits apart from the low, streaming from memory ran
//     at two thirds of the speed):
//       high[64]                   the high 2 bits of chunks 2g and 2g+1:
//                                  byte 4r+k holds those of values 16g+k,
//                                  16g+4+k, 16g+8+k, 16g+12+k in bits 0-1,
//                                  2-3, 4-5, 6-7
//       low[2][64]                 chunks 2g and 2g+1, the levels' low 4 bits
//   Q3_K, 1824 bytes (114 per row and block where the file has 110):
//     d[16], scales[16][16]        as Q6_K (the scales unpacked, - 32)
//     then per value group g of 16:
//       low[64]                    the levels' low 2 bits, packed as Q6_K's
//                                  high ones; levels are stored + 4
//       third[4][8]                the third bits of level vector i (values
//                                  16g+4i+k) as a 64-bit mask, bit 4r+k for
//                                  byte 4r+k, added in as 4 by a masked add
//   Q2_K, 1344 bytes (84, as the file):
//     d[16], dmin[16]              f16
//     scales[16][16]               u8, [value group of 16][row], as the
//                                  file's: the scale in the low nibble,
//                                  the minimum in the high one
//     levels[16][64]               per value group g, the 2-bit levels
//                                  packed as Q3_K's low bits
// Q8_0, per group of 16 rows of B blocks of 32 values (34 bytes per row and
// block, as the file, and the group padded to a cache line where B is odd):
//     levels[B][8][64]             block b's chunk j (values 4j..4j+3):
//                                  byte 4r+k is row r's value 4j+k + 128,
//                                  unsigned for vpdpbusd (the activations'
//                                  block sums take the 128 off again)
//     d[B][16]                     f16, after all the levels so that every
//                                  64-byte load of levels is on a cache line
// The engine holds a matrix this way where it copies the weights into huge
// pages (resident_weights.h) on a CPU with AVX-512 VNNI and the matrix has
// rows in multiples of 16; elsewhere it reads the file's layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "cpu/dot_kernels.h"
#include "ponder/model_info.h"
#include "ponder/model_weights.h"

namespace ponder::cpu {

// Whether `type` has a rows16 layout (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_0).
bool hasRows16(TensorType type);

// Whether a (rows, rowLength) matrix of `type` can be held as rows16: the
// type has the layout, rows come in multiples of 16 and in whole blocks,
// and the CPU runs the kernel.
bool fitsRows16(TensorType type, uint64_t rows, uint64_t rowLength);

// Bytes the rows16 copy of `rows` (a multiple of 16) rows of `rowLength`
// values takes.
uint64_t rows16Bytes(TensorType type, uint64_t rows, uint64_t rowLength);

// Copies `rows` (a multiple of 16) rows of `rowLength` values from `source`
// (the file's layout) into `target` (rows16Bytes) in the rows16 layout.
void interleaveRows16(TensorType type, std::span<const std::byte> source, std::span<std::byte> target, uint64_t rows,
                      uint64_t rowLength);

// The same for groups [groupBegin, groupEnd) of 16 rows only: `source` and
// `target` are the whole matrix's.
void interleaveRows16Groups(TensorType type, const std::byte* source, std::byte* target, uint64_t rowLength,
                            uint64_t groupBegin, uint64_t groupEnd);

// Whether this CPU runs multiplyRows16 (AVX-512 BW, VL and VNNI).
bool rows16Supported();

// Whether the engine holds matrix `t` as rows16 when it copies the weights:
// where fitsRows16, but not the token embedding, whose rows are looked up one by one (and which stays
// in the file's layout when the output shares it).
bool heldAsRows16(const TensorDesc& t);

// The bytes the engine's copy of matrix `t` takes: rows16Bytes where
// heldAsRows16, else the file's.
uint64_t heldBytes(const TensorDesc& t);

// Rows [p.rowBegin, p.rowEnd) (multiples of 16) of a rows16 copy at
// p.weights against every token of p.x (Q8_K, or Q8_0 for Q8_0 weights);
// p.rowBytes is unused.
void multiplyRows16(const MatrixProduct& p);

} // namespace ponder::cpu
