#include "cpu/inputs.h"

#include <string>

namespace ponder::cpu {
namespace {

using Needed = std::array<std::array<bool, kFormatCount>, kInputCount>;

uint64_t inputWidth(const ModelConfig& c, Input input)
{
    switch (input) {
    case Input::AttentionOutput: return c.qDim();
    case Input::FeedForwardDown: return c.feedForwardLength;
    default: return c.embeddingLength;
    }
}

void need(Needed& needed, const ModelInfo& info, Input input, const std::string& tensor)
{
    if (const TensorDesc* desc = info.findTensor(tensor))
        needed[size_t(input)][size_t(activationFormatFor(desc->type))] = true;
}

// The formats each input is read in, from the model's tensor types.
Needed formatsNeeded(const ModelInfo& info)
{
    Needed needed{};
    for (uint32_t l = 0; l < info.config.blockCount; ++l) {
        for (const char* name : {"attn_q.weight", "attn_k.weight", "attn_v.weight"})
            need(needed, info, Input::Attention, layerTensorName(l, name));
        need(needed, info, Input::AttentionOutput, layerTensorName(l, "attn_output.weight"));
        for (const char* name : {"ffn_gate.weight", "ffn_up.weight"})
            need(needed, info, Input::FeedForward, layerTensorName(l, name));
        need(needed, info, Input::FeedForwardDown, layerTensorName(l, "ffn_down.weight"));
    }
    need(needed, info, Input::Output, info.config.tiedOutput ? "token_embd.weight" : "output.weight");
    return needed;
}

// Bytes of one row: a buffer reserved for no tokens knows its row size
// without allocating.
uint64_t rowBytes(ActivationFormat format, uint64_t width)
{
    QuantizedActivations probe;
    probe.reserve(format, width, 0);
    return probe.rowBytes();
}

} // namespace

uint64_t MatrixInputs::plannedBytes(const ModelInfo& info, uint32_t batch)
{
    const Needed needed = formatsNeeded(info);
    uint64_t total = 0;
    for (size_t i = 0; i < kInputCount; ++i)
        for (size_t f = 0; f < kFormatCount; ++f)
            if (needed[i][f])
                total += rowBytes(ActivationFormat(f), inputWidth(info.config, Input(i))) * batch;
    return total;
}

void MatrixInputs::reserve(const ModelInfo& info, uint32_t batch)
{
    const Needed needed = formatsNeeded(info);
    for (size_t i = 0; i < kInputCount; ++i)
        for (size_t f = 0; f < kFormatCount; ++f)
            if (needed[i][f])
                m_buffers[i][f].reserve(ActivationFormat(f), inputWidth(info.config, Input(i)), batch);
}

uint64_t MatrixInputs::allocatedBytes() const
{
    uint64_t total = 0;
    for (const auto& formats : m_buffers)
        for (const auto& buffer : formats)
            total += buffer.capacityBytes();
    return total;
}

void MatrixInputs::quantize(Input input, std::initializer_list<const CpuMatrix*> readers, const float* x,
                            size_t tokens, size_t stride)
{
    std::array<bool, kFormatCount> done{};
    for (const CpuMatrix* matrix : readers) {
        const size_t format = size_t(matrix->inputFormat());
        if (done[format])
            continue;
        m_buffers[size_t(input)][format].quantize(x, tokens, stride);
        done[format] = true;
    }
}

} // namespace ponder::cpu
