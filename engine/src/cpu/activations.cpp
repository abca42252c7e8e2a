// Activation quantization: each block of 32 (Q8_0) or 256 (Q8_K) values is
// scaled so its largest magnitude becomes 127 and rounded to int8; the group
// sums (per 32, or per 16 and per 16 times the block scale for Q8_K) let the kernels
// apply a weight's offset or minimum once per group instead of once per
// value. This runs once per input per layer; the SIMD work is in quant_act.cpp.
#include "cpu/activations.h"

#include <cstring>

#include "cpu/quant_act.h"

namespace ponder::cpu {
namespace {

constexpr size_t kRowAlignment = 64;  // rows start on cache lines

size_t alignUp(size_t n, size_t a) { return (n + a - 1) / a * a; }

size_t blockSize(ActivationFormat format) { return format == ActivationFormat::Q8_K ? 256 : 32; }
size_t sumGroup(ActivationFormat format) { return format == ActivationFormat::Q8_K ? 16 : 32; }

} // namespace

ActivationFormat activationFormatFor(TensorType weightType)
{
    switch (weightType) {
    case TensorType::Q4_0:
    case TensorType::Q8_0:
        return ActivationFormat::Q8_0;
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
        return ActivationFormat::Q8_K;
    default:
        return ActivationFormat::Float32;
    }
}

void QuantizedActivations::reserve(ActivationFormat format, size_t width, size_t maxTokens)
{
    m_format = format;
    m_width = width;
    m_tokens = 0;
    if (format == ActivationFormat::Float32) {
        m_scalesOffset = m_sumsOffset = m_scaledSumsOffset = 0;
        m_rowBytes = alignUp(width * sizeof(float), kRowAlignment);
    } else {
        m_scalesOffset = alignUp(width, 16);
        // Sums on cache lines: the K-quant kernels read 64 bytes of scaled
        // sums per block and token.
        const size_t afterScales = alignUp(m_scalesOffset + width / blockSize(format) * sizeof(float), kRowAlignment);
        const size_t groups = width / sumGroup(format);
        m_scaledSumsOffset = format == ActivationFormat::Q8_K ? afterScales : 0;
        m_sumsOffset = format == ActivationFormat::Q8_K ? alignUp(afterScales + groups * sizeof(float), kRowAlignment)
                                                        : afterScales;
        m_rowBytes = alignUp(m_sumsOffset + groups * sizeof(int16_t), kRowAlignment);
    }
    if (m_data.bytes() < m_rowBytes * maxTokens)
        m_data = AlignedBuffer(m_rowBytes * maxTokens);
}

void QuantizedActivations::quantize(const float* x, size_t tokens, size_t xStride)
{
    m_tokens = tokens;
    const size_t block = blockSize(m_format), group = sumGroup(m_format);
    for (size_t t = 0; t < tokens; ++t) {
        const float* in = x + t * xStride;
        std::byte* out = m_data.data() + t * m_rowBytes;
        if (m_format == ActivationFormat::Float32) {
            std::memcpy(out, in, m_width * sizeof(float));
            continue;
        }
        const bool scaled = m_format == ActivationFormat::Q8_K;
        quantizeActivationRow(in, m_width, block, group, reinterpret_cast<int8_t*>(out),
                              reinterpret_cast<float*>(out + m_scalesOffset),
                              reinterpret_cast<int16_t*>(out + m_sumsOffset),
                              scaled ? reinterpret_cast<float*>(out + m_scaledSumsOffset) : nullptr);
    }
}

} // namespace ponder::cpu
