// Rows of a block-quantized matrix interleaved four at a time: group g holds
// block 0 of rows 4g..4g+3, then block 1 of each, and so on, so a kernel
// that reads four rows together reads one stream (multiplyKQuantsInterleaved4).
// llama.cpp's repacked CPU types and ik_llama.cpp's _R4 types interleave
// rows for the same reason; BENCHMARKS.md has what it bought here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ponder::cpu {

// Copies `rows` rows (a multiple of 4) of `blockBytes`-byte blocks, rowBytes
// each, from `source` into `target` (the same size) interleaved.
void interleaveRows4(std::span<const std::byte> source, std::span<std::byte> target, uint64_t rows,
                     uint64_t rowBytes, uint64_t blockBytes);

} // namespace ponder::cpu
