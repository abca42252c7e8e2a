#include "ponder/reference/ops.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>
#include <vector>

#include "ponder/model_weights.h"
#include "ponder/quant.h"

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

Result<void> matVec(const WeightView& w, std::span<const float> x, std::span<float> y)
{
    if (w.rowLength() != x.size() || w.rows() != y.size())
        return fail(ErrorCode::InvalidArgument, "matVec: tensor '" + w.desc->name + "' is (" +
                                                    std::to_string(w.rowLength()) + ", " + std::to_string(w.rows()) +
                                                    "), inputs are " + std::to_string(x.size()) + " -> " +
                                                    std::to_string(y.size()));
    for (uint64_t r = 0; r < y.size(); ++r) {
        auto dot = dotRow(w.type(), w.row(r), x);
        if (!dot)
            return std::unexpected(dot.error());
        y[r] = float(*dot);
    }
    return {};
}

Result<void> lookupRow(const WeightView& w, uint64_t row, std::span<float> out)
{
    if (row >= w.rows() || out.size() != w.rowLength())
        return fail(ErrorCode::InvalidArgument, "row " + std::to_string(row) + " of tensor '" + w.desc->name +
                                                    "' is out of range");
    return dequantize(w.type(), w.row(row), out);
}

void rope(std::span<float> x, uint32_t headDim, uint32_t ropeDims, uint32_t pos, float base, RopeLayout layout,
          std::span<const float> freqFactors)
{
    assert(headDim > 0 && x.size() % headDim == 0 && ropeDims <= headDim && ropeDims % 2 == 0);
    const uint32_t half = ropeDims / 2;
    for (size_t head = 0; head < x.size() / headDim; ++head) {
        float* h = x.data() + head * headDim;
        for (uint32_t i = 0; i < half; ++i) {
            double theta = double(pos) * std::pow(double(base), -2.0 * i / double(ropeDims));
            if (!freqFactors.empty())
                theta /= freqFactors[i];
            const double c = std::cos(theta);
            const double s = std::sin(theta);
            const uint32_t a = layout == RopeLayout::AdjacentPairs ? 2 * i : i;
            const uint32_t b = layout == RopeLayout::AdjacentPairs ? 2 * i + 1 : i + half;
            const double x0 = h[a];
            const double x1 = h[b];
            h[a] = float(x0 * c - x1 * s);
            h[b] = float(x0 * s + x1 * c);
        }
    }
}

void siluMul(std::span<float> gate, std::span<const float> up)
{
    assert(gate.size() == up.size());
    for (size_t i = 0; i < gate.size(); ++i) {
        const double g = gate[i];
        gate[i] = float(g / (1.0 + std::exp(-g)) * up[i]);
    }
}

void softmax(std::span<float> values)
{
    if (values.empty())
        return;
    const float maxValue = *std::max_element(values.begin(), values.end());
    double sum = 0.0;
    for (float& v : values) {
        const double e = std::exp(double(v) - maxValue);
        v = float(e);
        sum += e;
    }
    for (float& v : values)
        v = float(v / sum);
}

void add(std::span<float> y, std::span<const float> x)
{
    assert(y.size() == x.size());
    for (size_t i = 0; i < y.size(); ++i)
        y[i] += x[i];
}

Result<void> attention(std::span<float> out, std::span<const float> q, std::span<const float> keys,
                       std::span<const float> values, uint32_t heads, uint32_t headsKv, uint32_t headDim,
                       uint32_t pos0)
{
    if (heads == 0 || headsKv == 0 || headDim == 0 || heads % headsKv != 0)
        return fail(ErrorCode::InvalidArgument, "attention: " + std::to_string(heads) + " query heads over " +
                                                    std::to_string(headsKv) + " kv heads of " +
                                                    std::to_string(headDim));
    const size_t queryRow = size_t(heads) * headDim;
    const size_t kvRow = size_t(headsKv) * headDim;
    const size_t tokens = q.size() / queryRow;
    const size_t length = keys.size() / kvRow;
    if (q.size() % queryRow != 0 || out.size() != q.size() || keys.size() % kvRow != 0 ||
        values.size() != keys.size() || length < pos0 + tokens)
        return fail(ErrorCode::InvalidArgument, "attention: " + std::to_string(q.size()) + " query values and " +
                                                    std::to_string(keys.size()) + " cache values do not fit " +
                                                    "the heads, or the cache ends before position " +
                                                    std::to_string(pos0 + tokens));
    const uint32_t group = heads / headsKv;
    const double scale = 1.0 / std::sqrt(double(headDim));
    for (size_t t = 0; t < tokens; ++t) {
        const size_t visible = pos0 + t + 1;
        std::vector<float> scores(visible);
        for (uint32_t h = 0; h < heads; ++h) {
            const float* qh = q.data() + t * queryRow + size_t(h) * headDim;
            const size_t kvOffset = size_t(h / group) * headDim;
            for (size_t j = 0; j < visible; ++j) {
                const float* kj = keys.data() + j * kvRow + kvOffset;
                double dot = 0.0;
                for (uint32_t d = 0; d < headDim; ++d)
                    dot += double(qh[d]) * kj[d];
                scores[j] = float(dot * scale);
            }
            softmax(scores);
            float* oh = out.data() + t * queryRow + size_t(h) * headDim;
            for (uint32_t d = 0; d < headDim; ++d) {
                double sum = 0.0;
                for (size_t j = 0; j < visible; ++j)
                    sum += double(scores[j]) * values[j * kvRow + kvOffset + d];
                oh[d] = float(sum);
            }
        }
    }
    return {};
}

} // namespace ponder::reference
