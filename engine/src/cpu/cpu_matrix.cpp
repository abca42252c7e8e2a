// PLACEHOLDER (replaced by the SIMD kernels): dotRow over float activations.
#include "cpu/cpu_matrix.h"

#include <span>

#include "ponder/quant.h"

namespace ponder::cpu {

struct CpuMatrix::Packed {};

CpuMatrix::CpuMatrix(CpuMatrix&&) noexcept = default;
CpuMatrix& CpuMatrix::operator=(CpuMatrix&&) noexcept = default;
CpuMatrix::~CpuMatrix() = default;

Result<CpuMatrix> CpuMatrix::prepare(const WeightView& w)
{
    if (!w || !canDequantize(w.type()))
        return fail(ErrorCode::Unsupported, "the CPU engine cannot compute with this tensor type");
    CpuMatrix m;
    m.m_type = w.type();
    m.m_rowLength = w.rowLength();
    m.m_rows = w.rows();
    m.m_data = w.data.data();
    m.m_rowBytes = w.rowBytes();
    m.m_weightBytes = w.data.size();
    return m;
}

void CpuMatrix::multiply(uint64_t rowBegin, uint64_t rowEnd, const QuantizedActivations& x, float* y,
                         size_t yStride) const
{
    for (size_t t = 0; t < x.tokens(); ++t) {
        const std::span<const float> input(reinterpret_cast<const float*>(x.row(t)), m_rowLength);
        for (uint64_t r = rowBegin; r < rowEnd; ++r) {
            const std::span<const std::byte> row(m_data + r * m_rowBytes, m_rowBytes);
            y[t * yStride + r] = float(dotRow(m_type, row, input).value_or(0.0));
        }
    }
}

} // namespace ponder::cpu
