#include "ponder/memory_plan.h"

#include <algorithm>
#include <cstdio>

#include "ponder/decode_splits.h"
#include "gib_text.h"

namespace ponder {
namespace {

uint64_t roundUp(uint64_t value, uint64_t multiple)
{
    return (value + multiple - 1) / multiple * multiple;
}

// Packs regions one after another into a buffer, each at an aligned offset.
class RegionPacker {
public:
    RegionPacker(uint32_t buffer, uint64_t alignment) : m_buffer(buffer), m_alignment(alignment) {}
    Region take(uint64_t size)
    {
        Region region{m_buffer, m_end, size};
        m_end = roundUp(m_end + size, m_alignment);
        return region;
    }
    uint64_t end() const { return m_end; }

private:
    uint32_t m_buffer;
    uint64_t m_alignment;
    uint64_t m_end = 0;
};

uint32_t count(const MemoryPlan& plan)
{
    return uint32_t(plan.buffers.size());
}

Result<void> planWeights(MemoryPlan& plan, const ModelInfo& info, const DeviceLimits& limits)
{
    const ModelPart part = plan.options.partOf(info.config);
    // Tensors go into buffers of at most maxMemoryAllocationSize (and at most
    // 1 GiB, so no single allocation is hard for the driver to place).
    const uint64_t capacity = std::min<uint64_t>(limits.maxMemoryAllocationSize, 1ull << 30) /
                              kBufferGranularity * kBufferGranularity;
    std::vector<uint64_t> ends;
    for (const auto& tensor : info.tensors) {
        if (!part.holdsTensor(info.config, tensor.name))
            continue;
        if (tensor.bytes > limits.maxMemoryAllocationSize)
            return fail(ErrorCode::Unsupported, "tensor '" + tensor.name + "' (" + gibText(tensor.bytes) +
                                                    ") is larger than this GPU's largest allocation (" +
                                                    gibText(limits.maxMemoryAllocationSize) + ")");
        if (ends.empty() || roundUp(ends.back(), limits.storageOffsetAlignment) + tensor.bytes >
                                std::max(capacity, tensor.bytes))
            ends.push_back(0);
        const uint64_t offset = roundUp(ends.back(), limits.storageOffsetAlignment);
        plan.tensors.push_back({tensor.name, uint32_t(ends.size() - 1), offset, tensor.bytes});
        ends.back() = offset + tensor.bytes;
    }
    const uint32_t first = count(plan);
    for (size_t i = 0; i < ends.size(); ++i)
        plan.buffers.push_back({BufferRole::Weights, PlannedMemory::DeviceLocal,
                                roundUp(std::max<uint64_t>(ends[i], 1), kBufferGranularity),
                                "weights " + std::to_string(i + 1) + "/" + std::to_string(ends.size())});
    for (auto& t : plan.tensors)
        t.buffer += first;
    return {};
}

Result<void> planKvCache(MemoryPlan& plan, const ModelConfig& c, const DeviceLimits& limits)
{
    PONDER_TRY(checkKvRow(plan.options.kvType, c.headDim));
    const uint64_t rowBytes = kvRowBytes(plan.options.kvType, c.headDim);  // one head at one position
    KvLayout& kv = plan.kv;
    const ModelPart part = plan.options.partOf(c);
    kv.type = plan.options.kvType;
    kv.firstLayer = part.firstLayer;
    kv.keyBytes = kvCacheBytes(plan.options.kvType, c.headDim, uint64_t(plan.options.contextLength) * c.headCountKv);
    // The attention kernels bind a layer's cache a whole kv head at a time
    // when the layer is larger than one binding: one head must fit.
    const uint64_t headBytes = uint64_t(plan.options.contextLength) * rowBytes;
    if (headBytes > limits.maxStorageBufferRange)
        return fail(ErrorCode::Unsupported,
                    "a context of " + std::to_string(plan.options.contextLength) + " tokens needs " + gibText(headBytes) +
                        " of KV cache per attention head, more than this GPU can bind (" +
                        gibText(limits.maxStorageBufferRange) + "); choose a shorter context");
    // Whole layers per buffer, each buffer within one allocation (and 1 GiB).
    const uint64_t layerBytes = roundUp(kv.keyBytes, limits.storageOffsetAlignment) * 2;
    const uint64_t capacity = std::max(layerBytes, std::min<uint64_t>(limits.maxMemoryAllocationSize, 1ull << 30));
    if (layerBytes > limits.maxMemoryAllocationSize)
        return fail(ErrorCode::Unsupported, "one layer's KV cache (" + gibText(layerBytes) +
                                                ") is larger than this GPU's largest allocation; choose a shorter context");
    // Only the part's layers: a device holds the cache of the layers it runs.
    const uint32_t layers = part.layerCount();
    if (layers == 0)
        return {};
    const uint32_t layersPerBuffer = uint32_t(std::min<uint64_t>(layers, capacity / layerBytes));
    const uint32_t bufferCount = (layers + layersPerBuffer - 1) / layersPerBuffer;
    for (uint32_t b = 0; b < bufferCount; ++b) {
        const uint32_t buffer = count(plan);
        RegionPacker pack(buffer, limits.storageOffsetAlignment);
        for (uint32_t l = b * layersPerBuffer; l < std::min(layers, (b + 1) * layersPerBuffer); ++l) {
            LayerKv layer;
            layer.keys = pack.take(kv.keyBytes);
            layer.values = pack.take(kv.keyBytes);
            kv.layers.push_back(layer);
        }
        plan.buffers.push_back({BufferRole::KvCache, PlannedMemory::DeviceLocal, roundUp(pack.end(), kBufferGranularity),
                                "kv cache " + std::to_string(b + 1) + "/" + std::to_string(bufferCount)});
    }
    return {};
}

Result<void> planActivations(MemoryPlan& plan, const ModelConfig& c, const DeviceLimits& limits)
{
    ActivationLayout& a = plan.activations;
    const ModelPart part = plan.options.partOf(c);
    const uint64_t batch = plan.options.batchSize;
    a.batch = plan.options.batchSize;
    // As many rows of logits as the budget and one binding hold, up to the
    // batch; a part without the output returns the hidden rows of the whole
    // batch instead.
    const uint64_t rowBytes = uint64_t(c.vocabSize) * 4;
    a.logitRows = part.output ? uint32_t(std::min({batch, limits.maxStorageBufferRange / rowBytes,
                                                   std::max<uint64_t>(kLogitBudgetBytes / rowBytes, 1)}))
                              : uint32_t(batch);
    if (a.logitRows == 0)
        return fail(ErrorCode::Unsupported, "one row of logits does not fit in a storage binding on this GPU");
    const uint64_t hiddenBytes = batch * c.embeddingLength * 4;
    if (!part.embedding && stagedHiddenOffset(a.batch) + hiddenBytes > kStagingBytes)
        return fail(ErrorCode::Unsupported, "the hidden state of a " + std::to_string(batch) +
                                                "-token batch does not fit the staging buffer; choose a smaller batch");

    RegionPacker pack(count(plan), limits.storageOffsetAlignment);
    a.residual = pack.take(batch * c.embeddingLength * 4);
    a.normed = pack.take(batch * c.embeddingLength * 4);
    a.q = pack.take(batch * c.qDim() * 4);
    a.k = pack.take(batch * c.kvDim() * 4);
    a.v = pack.take(batch * c.kvDim() * 4);
    a.attention = pack.take(batch * c.qDim() * 4);
    a.gate = pack.take(batch * c.feedForwardLength * 4);
    a.up = pack.take(batch * c.feedForwardLength * 4);
    a.tokens = pack.take(batch * 4);
    a.positions = pack.take(batch * 4);
    a.decodeSplits = maxDecodeSplits(limits.computeUnits, c.headCountKv, plan.options.contextLength);
    a.partials = pack.take(decodeScratchBytes(c.headCount, c.headDim, a.decodeSplits));
    a.ropeTable = pack.take(uint64_t(std::max(c.ropeDimensions, 2u)) * 4);
    a.logits = pack.take(part.output ? uint64_t(a.logitRows) * rowBytes : 0);
    for (const Region* r : {&a.residual, &a.normed, &a.q, &a.k, &a.v, &a.attention, &a.gate, &a.up})
        if (r->size > limits.maxStorageBufferRange)
            return fail(ErrorCode::Unsupported, "a prefill batch of " + std::to_string(batch) +
                                                    " tokens needs activations larger than one storage binding; "
                                                    "choose a smaller batch");
    if (pack.end() > limits.maxMemoryAllocationSize)
        return fail(ErrorCode::Unsupported, "the activations of a " + std::to_string(batch) +
                                                "-token batch exceed one allocation; choose a smaller batch");
    plan.buffers.push_back({BufferRole::Activations, PlannedMemory::DeviceLocal, roundUp(pack.end(), kBufferGranularity),
                            "activations"});
    if (part.output)
        plan.buffers.push_back({BufferRole::Readback, PlannedMemory::HostVisible,
                                roundUp(a.logits.size, kBufferGranularity), "logits readback"});
    else
        plan.buffers.push_back({BufferRole::Readback, PlannedMemory::HostVisible, roundUp(hiddenBytes, kBufferGranularity),
                                "hidden state readback"});
    return {};
}

} // namespace

uint64_t kvBytesPerToken(const ModelConfig& config, KvCacheType type)
{
    return 2ull * config.blockCount * config.headCountKv * kvRowBytes(type, config.headDim);
}

Result<MemoryPlan> planMemory(const ModelInfo& info, const PlanOptions& options, const DeviceLimits& limits)
{
    if (options.contextLength == 0 || options.batchSize == 0)
        return fail(ErrorCode::InvalidArgument, "the context length and batch size must be positive");
    if (limits.storageOffsetAlignment == 0 || (limits.storageOffsetAlignment & (limits.storageOffsetAlignment - 1)))
        return fail(ErrorCode::InvalidArgument, "the storage offset alignment must be a power of two");
    if (options.part)
        PONDER_TRY(checkPart(*options.part, info.config));
    MemoryPlan plan;
    plan.options = options;
    plan.options.batchSize = std::min(options.batchSize, options.contextLength);
    PONDER_TRY(planWeights(plan, info, limits));
    PONDER_TRY(planKvCache(plan, info.config, limits));
    PONDER_TRY(planActivations(plan, info.config, limits));
    // Two staging buffers, so the CPU fills one while the GPU copies the other.
    for (int i = 0; i < 2; ++i)
        plan.buffers.push_back({BufferRole::Staging, PlannedMemory::HostVisible, kStagingBytes,
                                "staging " + std::to_string(i + 1) + "/2"});
    return plan;
}

uint64_t MemoryPlan::bytes(BufferRole role) const
{
    uint64_t total = 0;
    for (const auto& b : buffers)
        if (b.role == role)
            total += b.size;
    return total;
}

static uint64_t bytesIn(const std::vector<PlannedBuffer>& buffers, PlannedMemory memory)
{
    uint64_t total = 0;
    for (const auto& b : buffers)
        if (b.memory == memory)
            total += b.size;
    return total;
}

uint64_t MemoryPlan::deviceLocalBytes() const
{
    return bytesIn(buffers, PlannedMemory::DeviceLocal);
}

uint64_t MemoryPlan::hostVisibleBytes() const
{
    return bytesIn(buffers, PlannedMemory::HostVisible);
}

const PlannedTensor* MemoryPlan::findTensor(const std::string& name) const
{
    for (const auto& t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

} // namespace ponder
