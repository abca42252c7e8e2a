// Plain CPU versions of the kernels' operations, in float32 with float64
// accumulation where a sum runs long. Obviously correct first, fast never:
// the GPU kernels and the reference forward pass are checked against these.
#pragma once

#include <cstddef>
#include <span>

namespace ponder::reference {

// y[r, :] = x[r, :] / sqrt(mean(x[r, :]^2) + eps) * weight, for each of the
// x.size() / weight.size() rows. y and x are (rows, n), weight is (n).
void rmsNorm(std::span<float> y, std::span<const float> x, std::span<const float> weight, float eps);

} // namespace ponder::reference
