// A weight matrix ready for the CPU kernels: read in place from the mapped
// file or its copy in huge pages, where a Q4_K, Q6_K or Q8_0 matrix may be held
// with its rows interleaved for the SIMD width (rows16.h; weightBytes()
// counts that copy's bytes). multiply() computes a range of output rows
// for a batch of tokens, so threads split a product by rows and each streams
// its own weights.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ponder/error.h"
#include "ponder/model_weights.h"
#include "cpu/activations.h"

namespace ponder::cpu {

// How a matrix's bytes are laid out: as in the file, or (the K-quants, Q8_0) with
// its rows interleaved sixteen to a vector (rows16.h).
enum class MatrixLayout { File, Rows16 };

class CpuMatrix {
public:
    // `w` (and the memory it views: the mapping, or the copy in huge pages)
    // must outlive the matrix. Unsupported for a type the CPU kernels do not compute with,
    // or a Rows16 layout the type, the shape or the CPU does not have.
    static Result<CpuMatrix> prepare(const WeightView& w, MatrixLayout layout = MatrixLayout::File);

    CpuMatrix() = default;

    TensorType type() const { return m_type; }
    uint64_t rowLength() const { return m_rowLength; }  // input width
    uint64_t rows() const { return m_rows; }            // output width
    ActivationFormat inputFormat() const { return activationFormatFor(m_type); }
    // Row ranges passed to multiply() start at multiples of this (rows() itself may not be one).
    uint32_t rowGranularity() const { return m_rowGranularity; }
    // Bytes of weights one multiply() over all rows reads.
    uint64_t weightBytes() const { return m_weightBytes; }

    // y[t * yStride + r] = dot(row r, x.row(t)) for r in [rowBegin, rowEnd)
    // and every token t of x. x.format() == inputFormat() and
    // x.width() == rowLength(). Safe to call from several threads on
    // disjoint row ranges.
    void multiply(uint64_t rowBegin, uint64_t rowEnd, const QuantizedActivations& x, float* y,
                  size_t yStride) const;

private:
    TensorType m_type = TensorType::F32;
    uint64_t m_rowLength = 0;
    uint64_t m_rows = 0;
    uint32_t m_rowGranularity = 1;
    uint64_t m_weightBytes = 0;
    bool m_rows16 = false;              // m_data is a rows16 copy (rows16.h)
    const std::byte* m_data = nullptr;  // in place: the mapped tensor
    uint64_t m_rowBytes = 0;
};

} // namespace ponder::cpu
