// A weight matrix times several input vectors, for the matvec and matmul
// kernel suites: random weights stored as a tensor type, random inputs,
// bias and residual; and the check of the GPU's outputs against quant.h's
// dotRow on the same bytes, each within tolerance * (sum |w x| + |bias| +
// |residual|) (each suite's header says why that tolerance).
#pragma once

#include <QString>

#include <cmath>
#include <cstddef>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "kernel_test_buffers.h"
#include "ponder/quant.h"

namespace ponder::test {

struct MatrixProblem {
    TensorType type = TensorType::F32;
    uint32_t rows = 0;
    uint32_t cols = 0;
    uint32_t count = 0;            // input vectors (tokens)
    std::vector<std::byte> stored; // the matrix as `type`, rows * tensorBytes(type, cols)
    std::vector<float> x;          // count * cols
    std::vector<float> bias;       // rows
    std::vector<float> residual;   // count * rows

    uint64_t rowBytes() const { return tensorBytes(type, cols); }

    // The stored matrix after `offset` bytes of other data (0x77).
    std::vector<std::byte> storedAfter(uint64_t offset) const
    {
        std::vector<std::byte> bytes(offset, std::byte(0x77));
        bytes.insert(bytes.end(), stored.begin(), stored.end());
        return bytes;
    }
};

// Draws the weights, inputs, bias and residual from `rng`, in that order.
inline std::optional<MatrixProblem> makeMatrixProblem(TensorType type, uint32_t rows, uint32_t cols, uint32_t count,
                                                     std::mt19937& rng)
{
    MatrixProblem p{type, rows, cols, count, {}, {}, {}, {}};
    const auto weights = randomFloats(size_t(rows) * cols, rng, 1.f);
    p.stored.resize(p.rowBytes() * rows);
    if (!quantizeRows(type, weights, cols, p.stored, 2))
        return std::nullopt;
    p.x = randomFloats(size_t(count) * cols, rng, 1.f);
    p.bias = randomFloats(rows, rng, 1.f);
    p.residual = randomFloats(size_t(count) * rows, rng, 1.f);
    return p;
}

// Compares `actual` (count * rows outputs, vector-major) with the reference
// plus the bias and residual where asked. Returns the first output outside
// the tolerance in words ("token 2 row 5: GPU ..., reference ..."), empty
// when all are within it; `worst` gets the largest error / scale.
inline QString differenceFromReference(const MatrixProblem& p, std::span<const float> actual, bool withBias,
                                       bool withResidual, double tolerance, const char* vectorName, double& worst)
{
    worst = 0;
    std::vector<float> row(p.cols);
    for (uint32_t r = 0; r < p.rows; ++r) {
        const auto rowData = std::span<const std::byte>(p.stored).subspan(r * p.rowBytes(), p.rowBytes());
        if (!dequantize(p.type, rowData, row))
            return QStringLiteral("row %1 does not dequantize").arg(r);
        for (uint32_t v = 0; v < p.count; ++v) {
            const auto xv = std::span<const float>(p.x).subspan(size_t(v) * p.cols, p.cols);
            auto dot = dotRow(p.type, rowData, xv);
            if (!dot)
                return QString::fromStdString(dot.error().message);
            double expected = *dot, scale = 0;
            for (uint32_t i = 0; i < p.cols; ++i)
                scale += std::abs(double(row[i]) * xv[i]);
            if (withBias) {
                expected += p.bias[r];
                scale += std::abs(p.bias[r]);
            }
            const size_t index = size_t(v) * p.rows + r;
            if (withResidual) {
                expected += p.residual[index];
                scale += std::abs(p.residual[index]);
            }
            const double got = actual[index];
            const double error = std::abs(got - expected);
            worst = std::max(worst, error / scale);
            if (!(error <= tolerance * scale))
                return QStringLiteral("%1 %2 row %3: GPU %4, reference %5 (scale %6)")
                    .arg(QString::fromLatin1(vectorName)).arg(v).arg(r)
                    .arg(got, 0, 'g', 9).arg(expected, 0, 'g', 9).arg(scale);
        }
    }
    return {};
}

inline uint64_t roundUp4(uint64_t bytes)
{
    return (bytes + 3) / 4 * 4;
}

} // namespace ponder::test
