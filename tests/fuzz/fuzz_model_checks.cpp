// fuzz_model_file's checks of the model info and the memory plan.
#include <algorithm>
#include <array>
#include <vector>

#include "fuzz_model_checks.h"
#include "ponder/memory_plan.h"

namespace ponder::fuzz {
namespace {

using Wide = unsigned __int128;  // sums that must not wrap are checked in 128 bits

// The shape readModelInfo() promises for a tensor the forward pass needs.
void requireTensor(const ModelInfo& info, const std::string& name, std::vector<uint64_t> dims)
{
    const TensorDesc* t = info.findTensor(name);
    require(t != nullptr && t->dims == dims);
}

void checkRegionInside(const MemoryPlan& plan, const Region& r, BufferRole role, uint64_t alignment)
{
    require(r.buffer < plan.buffers.size());
    const PlannedBuffer& b = plan.buffers[r.buffer];
    require(b.role == role);
    require(r.offset % alignment == 0);
    require(Wide(r.offset) + r.size <= b.size);
}

// No two regions of one buffer share a byte.
void checkNoOverlap(std::vector<Region> regions)
{
    std::ranges::sort(regions, [](const Region& a, const Region& b) {
        return a.buffer != b.buffer ? a.buffer < b.buffer : a.offset < b.offset;
    });
    for (size_t i = 1; i < regions.size(); ++i) {
        const Region& before = regions[i - 1];
        const Region& after = regions[i];
        if (before.buffer == after.buffer && before.size > 0 && after.size > 0)
            require(Wide(before.offset) + before.size <= after.offset);
    }
}

void checkPlan(const ModelInfo& info, const MemoryPlan& plan, const PlanOptions& asked, const DeviceLimits& limits)
{
    const ModelConfig& c = info.config;
    const PlanOptions& o = plan.options;
    require(o.contextLength == asked.contextLength && o.kvType == asked.kvType);
    require(o.batchSize >= 1 && o.batchSize == std::min(asked.batchSize, asked.contextLength));

    Wide total = 0;
    Wide byRole[5] = {};
    for (const PlannedBuffer& b : plan.buffers) {
        require(b.size > 0 && b.size % kBufferGranularity == 0);
        // Each buffer is one allocation (the test limits are multiples of
        // the granularity, as every real device's are).
        require(b.size <= limits.maxMemoryAllocationSize);
        require(size_t(b.role) < std::size(byRole));
        total += b.size;
        byRole[size_t(b.role)] += b.size;
    }
    require(total < (Wide(1) << 64));
    require(plan.totalBytes() == total);
    require(Wide(plan.deviceLocalBytes()) + plan.hostVisibleBytes() == total);
    for (BufferRole role : {BufferRole::Weights, BufferRole::KvCache, BufferRole::Activations, BufferRole::Staging,
                            BufferRole::Readback})
        require(plan.bytes(role) == byRole[size_t(role)]);

    const uint64_t alignment = limits.storageOffsetAlignment;
    std::vector<Region> regions;

    // Weights: every tensor once, in a weights buffer, all its bytes.
    require(plan.tensors.size() == info.tensors.size());
    for (size_t i = 0; i < info.tensors.size(); ++i) {
        const PlannedTensor& t = plan.tensors[i];
        require(t.name == info.tensors[i].name && t.bytes == info.tensors[i].bytes);
        const Region r{t.buffer, t.offset, t.bytes};
        checkRegionInside(plan, r, BufferRole::Weights, alignment);
        regions.push_back(r);
    }
    require(plan.bytes(BufferRole::Weights) >= info.tensorBytes);

    // KV cache: one layer per block, keys and values of the size the
    // context and the config give, adding up to kvBytesPerToken().
    const uint64_t elementBytes = o.kvType == KvCacheType::F16 ? 2 : 4;
    require(plan.kv.type == o.kvType);
    require(plan.kv.keyBytes == Wide(o.contextLength) * c.kvDim() * elementBytes);
    require(Wide(kvBytesPerToken(c, o.kvType)) * o.contextLength == Wide(2) * c.blockCount * plan.kv.keyBytes);
    require(plan.kv.layers.size() == c.blockCount);
    // The attention kernels bind one kv head at a time at least.
    require(Wide(o.contextLength) * c.headDim * elementBytes <= limits.maxStorageBufferRange);
    for (const LayerKv& layer : plan.kv.layers) {
        require(layer.keys.size == plan.kv.keyBytes && layer.values.size == plan.kv.keyBytes);
        checkRegionInside(plan, layer.keys, BufferRole::KvCache, alignment);
        checkRegionInside(plan, layer.values, BufferRole::KvCache, alignment);
        regions.push_back(layer.keys);
        regions.push_back(layer.values);
    }

    // Activations: (batch, width) f32 regions of the widths the config gives.
    const ActivationLayout& a = plan.activations;
    const Wide batch = o.batchSize;
    require(a.batch == o.batchSize);
    require(a.logitRows >= 1 && a.logitRows <= o.batchSize);
    const std::array<std::pair<const Region*, Wide>, 8> widths{{
        {&a.residual, batch * c.embeddingLength * 4},
        {&a.normed, batch * c.embeddingLength * 4},
        {&a.q, batch * c.qDim() * 4},
        {&a.k, batch * c.kvDim() * 4},
        {&a.v, batch * c.kvDim() * 4},
        {&a.attention, batch * c.qDim() * 4},
        {&a.gate, batch * c.feedForwardLength * 4},
        {&a.up, batch * c.feedForwardLength * 4},
    }};
    for (const auto& [region, bytes] : widths) {
        require(region->size == bytes && region->size <= limits.maxStorageBufferRange);
        checkRegionInside(plan, *region, BufferRole::Activations, alignment);
        regions.push_back(*region);
    }
    require(a.logits.size == Wide(a.logitRows) * c.vocabSize * 4);
    require(a.logits.size <= limits.maxStorageBufferRange);
    for (const Region* r : {&a.tokens, &a.positions, &a.partials, &a.ropeTable, &a.logits}) {
        checkRegionInside(plan, *r, BufferRole::Activations, alignment);
        regions.push_back(*r);
    }
    require(a.tokens.size == batch * 4 && a.positions.size == batch * 4);
    require(plan.bytes(BufferRole::Readback) >= a.logits.size);
    checkNoOverlap(std::move(regions));
}

} // namespace

void checkModelInfo(const GgufHeader& header, const ModelInfo& info)
{
    const ModelConfig& c = info.config;
    require(c.embeddingLength > 0 && c.blockCount > 0 && c.feedForwardLength > 0 && c.vocabSize > 0);
    require(c.headCount > 0 && c.headCountKv > 0 && c.headCount % c.headCountKv == 0);
    require(c.headDim > 0 && c.headDim % 2 == 0 && c.ropeDimensions <= c.headDim && c.ropeDimensions % 2 == 0);
    // The widths the engine forms in 32 bits do not wrap.
    require(c.qDim() == uint64_t(c.headCount) * c.headDim && c.kvDim() == uint64_t(c.headCountKv) * c.headDim);
    require(c.ropeFreqBase > 0 && c.rmsEpsilon > 0);

    // The file type is named only for an id that is one.
    if (!info.fileType.empty())
        require(fileTypeName(uint32_t(header.getUint("general.file_type").value_or(~0ull))) == info.fileType
                && header.getUint("general.file_type").value_or(~0ull) <= 0xffffffffu);
    require(info.tensors.size() == header.tensors().size());
    Wide parameters = 0;
    Wide bytes = 0;
    for (const TensorDesc& t : info.tensors) {
        const GgufTensorInfo* source = header.findTensor(t.name);
        require(source && source->type == t.type && source->dims == t.dims && source->bytes == t.bytes);
        parameters += source->elementCount();
        bytes += t.bytes;
    }
    require(info.parameterCount == parameters && info.tensorBytes == bytes);
    Wide byType = 0;
    for (const auto& [type, typeBytes] : info.bytesByType)
        byType += typeBytes;
    require(byType == bytes);

    const uint64_t embd = c.embeddingLength;
    requireTensor(info, "token_embd.weight", {embd, c.vocabSize});
    requireTensor(info, "output_norm.weight", {embd});
    require(c.tiedOutput == (info.findTensor("output.weight") == nullptr));
    for (uint32_t i = 0; i < c.blockCount; ++i) {
        requireTensor(info, layerTensorName(i, "attn_q.weight"), {embd, c.qDim()});
        requireTensor(info, layerTensorName(i, "attn_k.weight"), {embd, c.kvDim()});
        requireTensor(info, layerTensorName(i, "attn_output.weight"), {c.qDim(), embd});
        requireTensor(info, layerTensorName(i, "ffn_down.weight"), {c.feedForwardLength, embd});
    }
}

void checkMemoryPlans(const ModelInfo& info)
{
    // A typical discrete GPU, and one with lavapipe's 128 MiB bindings and a
    // small allocation limit that splits weights and KV cache finely; on
    // each, R1's long context with a large batch, and one other case: a
    // single token, or the model's own context one token at a time.
    const DeviceLimits typical{};
    const DeviceLimits small{128ull << 20, 256ull << 20, 64, 8};
    const PlanOptions longContext{131072, 4096, KvCacheType::F16, std::nullopt};
    const std::array<std::pair<DeviceLimits, PlanOptions>, 4> cases{{
        {typical, PlanOptions{1, 512, KvCacheType::F16, std::nullopt}},
        {typical, longContext},
        {small, PlanOptions{info.config.contextLength, 1, KvCacheType::F32, std::nullopt}},
        {small, longContext},
    }};
    for (const auto& [limits, o] : cases) {
        const Result<MemoryPlan> plan = planMemory(info, o, limits);
        if (plan)
            checkPlan(info, *plan, o, limits);
        else
            require(plan.error().code == ErrorCode::Unsupported || plan.error().code == ErrorCode::InvalidArgument);
    }
}

} // namespace ponder::fuzz
