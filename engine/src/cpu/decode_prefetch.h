// How far ahead of its loads a one-token product in the file's layout asks
// for its weights (k_decode-inl.h for Q4_K and Q6_K, dot_k_quants.cpp's
// tiles for Q2_K, Q3_K and Q5_K, dot_q8_0.cpp for Q8_0 and Q4_0,
// dot_float.cpp for F32, F16 and BF16). Decode reads each weight once, one
// row after another, and a core that waits on each line as it comes keeps
// too few reads in flight to draw its share of the memory's bandwidth. On
// the 2-core Xeon (BENCHMARKS.md), two threads read an 8960x1536 matrix
// from memory with its AVX2 kernels at 10.3 GB/s (Q4_K), 19.6 (Q6_K) and
// 15.7 (Q8_0) without asking, 27.7, 28.9 and 31.2 asking 2 KB ahead; 1-3 KB
// gave about the same. The rows16 kernels (rows16.cpp) have their own
// distances, into L2.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ponder::cpu {

inline constexpr size_t kDecodePrefetchBytes = 2048;

// Asks for the line kDecodePrefetchBytes past `at`. Past the last row it
// asks for memory the product never reads, which costs a line and cannot
// fault (a prefetch never does); the address is computed as an integer, as
// it may lie past the weights. Always inlined: to GCC a prefetch has no
// effect, so where it declined to inline this into a large kernel (Q4_K's
// one-token product) it dropped the call as one that does nothing.
__attribute__((always_inline)) inline void prefetchAhead(const void* at)
{
    __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<uintptr_t>(at) + kDecodePrefetchBytes), 0, 3);
}

// prefetchAhead for each line of the `bytes` bytes at `block` (a quant
// block): the blocks of a row, and the rows, follow one another, so every
// line of the stream is asked for.
__attribute__((always_inline)) inline void prefetchBlockAhead(const std::byte* block, size_t bytes)
{
    for (size_t at = 0; at < bytes; at += 64)
        prefetchAhead(block + at);
}

} // namespace ponder::cpu
