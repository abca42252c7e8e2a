// Activation quantization: each block of 32 (Q8_0) or 256 (Q8_K) values is
// scaled so its largest magnitude becomes 127 and rounded to int8; the block
// sums (per 32, or per 16 for Q8_K) let the kernels apply a weight's offset or
// minimum once per group instead of once per value. This runs once per input
// per layer, O(width) per token against the matrices' O(width * rows), so it
// stays plain C++.
#include "cpu/activations.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace ponder::cpu {
namespace {

constexpr size_t kRowAlignment = 64;  // rows start on cache lines

size_t alignUp(size_t n, size_t a) { return (n + a - 1) / a * a; }

size_t blockSize(ActivationFormat format) { return format == ActivationFormat::Q8_K ? 256 : 32; }
size_t sumGroup(ActivationFormat format) { return format == ActivationFormat::Q8_K ? 16 : 32; }

// Round to nearest (ties to even) for |v| < 2^22: adding 1.5 * 2^23 puts the
// integer in the low mantissa bits, avoiding a libm call per value.
int roundToInt(float v)
{
    const float shifted = v + 12582912.f;
    return int(std::bit_cast<uint32_t>(shifted) & 0x007fffff) - 0x00400000;
}

// One block of n values to int8 with scale amax/127 (0 for an all-zero block).
void quantizeBlock(const float* x, size_t n, int8_t* q, float& scale)
{
    float amax = 0.f;
    for (size_t i = 0; i < n; ++i)
        amax = std::max(amax, std::fabs(x[i]));
    scale = amax / 127.f;
    const float inverse = amax > 0.f ? 127.f / amax : 0.f;
    for (size_t i = 0; i < n; ++i)
        q[i] = int8_t(std::clamp(roundToInt(x[i] * inverse), -127, 127));
}

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
        m_scalesOffset = m_sumsOffset = 0;
        m_rowBytes = alignUp(width * sizeof(float), kRowAlignment);
    } else {
        m_scalesOffset = alignUp(width, 16);
        m_sumsOffset = m_scalesOffset + width / blockSize(format) * sizeof(float);
        m_rowBytes = alignUp(m_sumsOffset + width / sumGroup(format) * sizeof(int16_t), kRowAlignment);
    }
    if (m_data.size() < m_rowBytes * maxTokens)
        m_data.resize(m_rowBytes * maxTokens);
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
        auto* q = reinterpret_cast<int8_t*>(out);
        auto* scales = reinterpret_cast<float*>(out + m_scalesOffset);
        auto* sums = reinterpret_cast<int16_t*>(out + m_sumsOffset);
        for (size_t b = 0; b < m_width / block; ++b)
            quantizeBlock(in + b * block, block, q + b * block, scales[b]);
        for (size_t g = 0; g < m_width / group; ++g) {
            int sum = 0;
            for (size_t i = 0; i < group; ++i)
                sum += q[g * group + i];
            sums[g] = int16_t(sum);
        }
    }
}

} // namespace ponder::cpu
