#include "ponder/cpu_memory_plan.h"

#include <algorithm>
#include <string>

#include "cpu/inputs.h"
#include "cpu/rows16.h"
#include "ponder/cpu_info.h"
#include "cpu/scratch_layout.h"

namespace ponder {
namespace cpu {

ScratchLayout scratchLayout(const ModelConfig& c, uint32_t batch)
{
    ScratchLayout s;
    size_t next = 0;
    const auto take = [&](size_t width) {
        const size_t at = next;
        next += alignFloats(width * batch);
        return at;
    };
    s.residual = take(c.embeddingLength);
    s.normed = take(c.embeddingLength);
    s.q = take(c.qDim());
    s.k = take(c.kvDim());
    s.v = take(c.kvDim());
    s.attention = take(c.qDim());
    s.projected = take(c.embeddingLength);
    s.gate = take(c.feedForwardLength);
    s.up = take(c.feedForwardLength);
    s.rope = take(c.ropeDimensions);
    s.floats = next;
    return s;
}

uint64_t kvLayerBytes(const ModelConfig& c, uint32_t context, KvCacheType type)
{
    const uint64_t bytes = uint64_t(c.headCountKv) * context * kvRowBytes(type, c.headDim);
    return (bytes + kCpuAlignment - 1) / kCpuAlignment * kCpuAlignment;
}

size_t vectorFloats(const ModelConfig& c, const ModelPart& part)
{
    const size_t layers = part.layerCount();
    size_t floats = part.output ? alignFloats(c.embeddingLength) : 0;  // output_norm
    floats += layers * 2 * alignFloats(c.embeddingLength);
    if (c.hasQkvBias)
        floats += layers * (alignFloats(c.qDim()) + 2 * alignFloats(c.kvDim()));
    if (c.hasRopeFreqs)
        floats += alignFloats(c.ropeDimensions / 2);
    return floats;
}

} // namespace cpu

CpuWeightPlacement defaultCpuWeightPlacement()
{
    return transparentHugePagesOffered() ? CpuWeightPlacement::HugePages : CpuWeightPlacement::Mapped;
}

const char* weightPlacementName(CpuWeightPlacement placement)
{
    switch (placement) {
    case CpuWeightPlacement::Mapped: return "mapped";
    case CpuWeightPlacement::HugePages: return "huge pages";
    }
    return "mapped";
}

Result<CpuMemoryPlan> planCpuMemory(const ModelInfo& info, const PlanOptions& options, uint32_t threads,
                                    CpuWeightPlacement placement)
{
    if (options.contextLength == 0 || options.batchSize == 0 || threads == 0)
        return fail(ErrorCode::InvalidArgument, "the context length, batch size and thread count must be positive");
    const ModelConfig& c = info.config;
    PONDER_TRY(checkKvRow(options.kvType, c.headDim));
    const ModelPart part = options.partOf(c);
    if (options.part)
        PONDER_TRY(checkPart(part, c));
    // Room for the logits of kLogitBudgetBytes' worth of positions per pass.
    const uint64_t rowBytes = uint64_t(c.vocabSize) * sizeof(float);
    CpuMemoryPlan plan;
    plan.options = options;
    plan.threads = threads;
    // A part without the output returns the hidden rows of its whole batch instead.
    plan.logitRows = part.output ? uint32_t(std::clamp<uint64_t>(kLogitBudgetBytes / rowBytes, 1, options.batchSize))
                                 : options.batchSize;
    plan.kvCacheBytes = 2ull * part.layerCount() * cpu::kvLayerBytes(c, options.contextLength, options.kvType);
    plan.activationBytes = cpu::scratchLayout(c, options.batchSize).floats * sizeof(float);
    plan.quantizedInputBytes = cpu::MatrixInputs::plannedBytes(info, options.batchSize);
    plan.attentionBytes = uint64_t(threads) *
                          cpu::attentionScratchFloats(c.headCount / c.headCountKv, options.contextLength) *
                          sizeof(float);
    plan.logitsBytes = part.output ? uint64_t(plan.logitRows) * rowBytes : 0;
    plan.vectorBytes = cpu::vectorFloats(c, part) * sizeof(float);
    plan.weightPlacement = placement;
    uint64_t copied = 0;
    for (const TensorDesc& t : info.tensors)
        if (t.dims.size() > 1 && part.holdsTensor(c, t.name)) {
            plan.weightBytes += t.bytes;
            copied += cpu::alignBytes(cpuCopyBytes(t));
        }
    if (placement == CpuWeightPlacement::HugePages)
        plan.residentWeightBytes = (copied + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    return plan;
}

uint64_t cpuCopyBytes(const TensorDesc& t)
{
    return cpu::heldBytes(t);
}

} // namespace ponder
