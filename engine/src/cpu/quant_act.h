// One row of activations to int8 blocks (QuantizedActivations' Q8_0 and Q8_K
// layouts), at the best SIMD target the CPU has.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ponder::cpu {

// x: width values; width / block scales (value = scale * quant, scale =
// amax / 127 of the block); width / group sums of the quants as int16 into
// `sums` and, unless it is null, times the block's scale as floats into
// `scaledSums`. block and group are multiples of 16 and group divides block.
void quantizeActivationRow(const float* x, size_t width, size_t block, size_t group, int8_t* q, float* scales,
                           int16_t* sums, float* scaledSums);

} // namespace ponder::cpu
