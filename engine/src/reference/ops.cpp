#include "ponder/reference/ops.h"

#include <cassert>
#include <cmath>

namespace ponder::reference {

void rmsNorm(std::span<float> y, std::span<const float> x, std::span<const float> weight, float eps)
{
    const size_t n = weight.size();
    assert(n > 0 && x.size() % n == 0 && y.size() == x.size());
    for (size_t row = 0; row < x.size() / n; ++row) {
        const float* in = x.data() + row * n;
        float* out = y.data() + row * n;
        double squares = 0.0;
        for (size_t i = 0; i < n; ++i)
            squares += double(in[i]) * in[i];
        const double scale = 1.0 / std::sqrt(squares / double(n) + eps);
        for (size_t i = 0; i < n; ++i)
            out[i] = float(in[i] * scale * weight[i]);
    }
}

} // namespace ponder::reference
