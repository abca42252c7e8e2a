// CpuMatrix: the weights read in place from the mapped file (or a rows16
// copy, rows16.h); multiply() hands a row range to the SIMD kernels of the
// matrix's activation format.
#include "cpu/cpu_matrix.h"

#include <atomic>

#include "cpu/dot_kernels.h"
#include "cpu/rows16.h"

namespace ponder::cpu {
namespace {

std::atomic<KernelPath> g_kernelPath{KernelPath::Intrinsics};

bool hasKernels(TensorType type)
{
    switch (type) {
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16:
    case TensorType::Q4_0:
    case TensorType::Q8_0:
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
        return true;
    default:
        return false;
    }
}

} // namespace

void setKernelPathForTest(KernelPath path) { g_kernelPath.store(path, std::memory_order_relaxed); }
KernelPath kernelPath() { return g_kernelPath.load(std::memory_order_relaxed); }

Result<CpuMatrix> CpuMatrix::prepare(const WeightView& w, MatrixLayout layout)
{
    if (!w || !hasKernels(w.type()))
        return fail(ErrorCode::Unsupported, "the CPU engine cannot compute with this tensor type");
    if (w.data.size() < w.rows() * w.rowBytes())
        return fail(ErrorCode::Unsupported, "the tensor's data is shorter than its shape");
    CpuMatrix m;
    m.m_type = w.type();
    m.m_rowLength = w.rowLength();
    m.m_rows = w.rows();
    m.m_data = w.data.data();
    m.m_rowBytes = w.rowBytes();
    m.m_weightBytes = w.rows() * w.rowBytes();
    if (layout == MatrixLayout::Rows16) {
        if (!fitsRows16(w.type(), w.rows(), w.rowLength()) ||
            w.data.size() < rows16Bytes(w.type(), w.rows(), w.rowLength()))
            return fail(ErrorCode::Unsupported, "the matrix cannot be held with its rows interleaved by 16");
        m.m_rows16 = true;
        m.m_rowGranularity = 16;
        m.m_weightBytes = rows16Bytes(w.type(), w.rows(), w.rowLength());
    }
    return m;
}

void CpuMatrix::multiply(uint64_t rowBegin, uint64_t rowEnd, const QuantizedActivations& x, float* y,
                         size_t yStride) const
{
    const MatrixProduct p{m_type, m_data, m_rowBytes, m_rowLength, rowBegin, rowEnd, &x, y, yStride};
    if (m_rows16)
        return multiplyRows16(p);
    switch (inputFormat()) {
    case ActivationFormat::Float32: return multiplyFloat(p);
    case ActivationFormat::Q8_0: return multiplyQ8_0Blocks(p);
    case ActivationFormat::Q8_K: return multiplyKQuants(p);
    }
}

} // namespace ponder::cpu
