// PLACEHOLDER (replaced by the SIMD kernels): every format stores plain floats.
#include "cpu/activations.h"

#include <cstring>

namespace ponder::cpu {

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
    m_rowBytes = width * sizeof(float);
    if (m_data.size() < m_rowBytes * maxTokens)
        m_data.resize(m_rowBytes * maxTokens);
}

void QuantizedActivations::quantize(const float* x, size_t tokens, size_t xStride)
{
    for (size_t t = 0; t < tokens; ++t)
        std::memcpy(m_data.data() + t * m_rowBytes, x + t * xStride, m_width * sizeof(float));
    m_tokens = tokens;
}

} // namespace ponder::cpu
