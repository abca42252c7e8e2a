// Attention over the KV cache: split-KV decode with its reduce, and
// flash-style causal prefill (shaders/common/flash_attention.glsl).
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "attention_push.h"
#include "kv_cache_slices.h"
#include "ponder/decode_splits.h"
#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"

namespace ponder {
namespace {

constexpr uint32_t kMaxGroups = 65535;  // Vulkan's smallest maxComputeWorkGroupCount
constexpr uint32_t kReduceBlock = 256;  // attention_reduce: 8 groups of ranges for a 128-dim head
constexpr uint32_t kDecodeMaxRows = 8;   // query heads per decode workgroup (registers per invocation)
constexpr uint32_t kDecodeBlock = 256;   // decode invocations, and keys per tile, on a GPU
constexpr uint32_t kDecodeCpuBlock = 64;  // with CPU layouts (Kernels::cpuLayouts)
constexpr uint32_t kDecodeKeyChunk = 8;  // quads of a key each decode invocation loads at once

// The flash core's specialization: rows * threadsPerRow invocations, tiles
// of tileKeys keys.
struct FlashConfig {
    uint32_t threadsPerRow = 8;
    uint32_t rows = 16;
    uint32_t tileKeys = 32;
};

// Shared memory of the flash core: queries and one tile (rows padded by a
// quad), probabilities, and two per-invocation scratch floats.
uint64_t sharedBytes(const FlashConfig& c, uint32_t headDim)
{
    const uint64_t stride = headDim / 4 + 1;
    return (uint64_t(c.rows) + c.tileKeys) * stride * 16 + uint64_t(c.rows) * c.tileKeys * 4 +
           2ull * c.rows * c.threadsPerRow * 4;
}

// Shrinks `wanted` until it fits the device: first the tile (fewer keys
// staged), then the rows (more workgroups).
Result<FlashConfig> fitConfig(FlashConfig wanted, uint32_t headDim, const vk::Device& device)
{
    VkPhysicalDeviceProperties properties{};
    vkGetPhysicalDeviceProperties(device.physical(), &properties);
    const uint64_t maxShared = properties.limits.maxComputeSharedMemorySize;
    const uint32_t maxInvocations = std::max(1u, device.adapter().maxComputeWorkGroupInvocations);
    wanted.threadsPerRow = std::min(wanted.threadsPerRow, maxInvocations);
    while (wanted.rows > 1 && wanted.rows * wanted.threadsPerRow > maxInvocations)
        wanted.rows /= 2;
    while (sharedBytes(wanted, headDim) > maxShared) {
        if (wanted.tileKeys > 8)
            wanted.tileKeys /= 2;
        else if (wanted.rows > 1)
            wanted.rows /= 2;
        else
            return fail(ErrorCode::Unsupported, "attention: head dimension " + std::to_string(headDim) +
                                                    " needs more shared memory than the device's " +
                                                    std::to_string(maxShared) + " bytes");
    }
    return wanted;
}

// attention_decode's shared memory for `block` invocations: the rows'
// queries, the work area (the tile's probabilities, or up to 4 rows of
// every invocation's sums), the tile maxima, the parts' sums and row maxima.
uint64_t decodeSharedBytes(uint32_t block, uint32_t rows, uint32_t headDim)
{
    const uint64_t quads = headDim / 4;
    const uint64_t parts = block / quads;
    const uint64_t work = std::max<uint64_t>((uint64_t(rows) * block + 3) / 4, std::min<uint64_t>(parts, 4) * block);
    return (rows * quads + work) * 16 + (2 * rows + rows * parts + rows) * 4;
}

// The decode workgroup: `wanted` invocations (0: kDecodeBlock, or
// kDecodeCpuBlock for CPU layouts), at least one per quad of a head, halved
// while the device allows fewer or lacks the shared memory.
Result<uint32_t> decodeBlockSize(uint32_t wanted, bool cpuLayouts, uint32_t rows, uint32_t headDim,
                                 const vk::Device& device)
{
    VkPhysicalDeviceProperties properties{};
    vkGetPhysicalDeviceProperties(device.physical(), &properties);
    const uint64_t maxShared = properties.limits.maxComputeSharedMemorySize;
    const uint32_t maxInvocations = std::max(1u, device.adapter().maxComputeWorkGroupInvocations);
    uint32_t block = wanted != 0 ? wanted : cpuLayouts ? kDecodeCpuBlock : kDecodeBlock;
    while (block < headDim / 4)
        block *= 2;
    while (block / 2 >= headDim / 4 && (block > maxInvocations || decodeSharedBytes(block, rows, headDim) > maxShared))
        block /= 2;
    if (block > maxInvocations || decodeSharedBytes(block, rows, headDim) > maxShared)
        return fail(ErrorCode::Unsupported, "attention_decode: head dimension " + std::to_string(headDim) +
                                                " needs a larger workgroup or more shared memory than the device has");
    return block;
}

Result<uint32_t> checkAttentionShape(const AttentionShape& shape, const char* kernel)
{
    PONDER_TRY(kernels::checkCacheShape(shape.cache, kernel));
    if (shape.heads == 0 || shape.heads % shape.cache.headsKv != 0)
        return fail(ErrorCode::InvalidArgument, std::string(kernel) + ": " + std::to_string(shape.heads) +
                                                    " query heads are not a multiple of " +
                                                    std::to_string(shape.cache.headsKv) + " kv heads");
    return shape.heads / shape.cache.headsKv;
}

ShaderId decodeShader(KvCacheType type, bool subgroups)
{
    switch (type) {
    case KvCacheType::F16:
        return subgroups ? ShaderId::AttentionDecodeF16 : ShaderId::AttentionDecodeF16NoSubgroups;
    case KvCacheType::Q8_0:
        return subgroups ? ShaderId::AttentionDecodeQ80 : ShaderId::AttentionDecodeQ80NoSubgroups;
    case KvCacheType::F32:
        break;
    }
    return subgroups ? ShaderId::AttentionDecodeF32 : ShaderId::AttentionDecodeF32NoSubgroups;
}

float attentionScale(uint32_t headDim)
{
    return float(1.0 / std::sqrt(double(headDim)));
}

} // namespace

uint32_t Kernels::decodeSplits(const AttentionShape& shape) const
{
    return shape.splits != 0 ? shape.splits
                             : maxDecodeSplits(m_device.adapter().computeUnits, shape.cache.headsKv,
                                               shape.cache.capacity);
}

uint64_t Kernels::attentionDecodeScratchBytes(const AttentionShape& shape) const
{
    return decodeScratchBytes(shape.heads, shape.cache.headDim, decodeSplits(shape));
}

Result<void> Kernels::attentionDecode(vk::CommandRecorder& recorder, const AttentionShape& shape,
                                      const vk::BufferRange& out, const vk::BufferRange& q,
                                      const vk::BufferRange& kCache, const vk::BufferRange& vCache,
                                      const vk::BufferRange& positions, const vk::BufferRange& scratch) const
{
    auto group = checkAttentionShape(shape, "attention_decode");
    if (!group)
        return std::unexpected(group.error());
    const uint32_t splits = decodeSplits(shape);
    if (splits > kMaxDecodeSplits)
        return fail(ErrorCode::InvalidArgument, "attention_decode: " + std::to_string(splits) +
                                                    " splits, more than " + std::to_string(kMaxDecodeSplits));
    const KvCacheShape& cache = shape.cache;
    const uint64_t values = uint64_t(shape.heads) * cache.headDim;
    PONDER_TRY(checkBinding(out, values, 4, "attention_decode output"));
    PONDER_TRY(checkBinding(q, values, 4, "attention_decode queries"));
    PONDER_TRY(checkBinding(positions, 1, 4, "attention_decode position"));
    PONDER_TRY(checkBinding(scratch, attentionDecodeScratchBytes(shape), 1, "attention_decode scratch"));
    auto slices = kernels::sliceCache(cache, kCache, vCache, shape.maxBindingBytes, m_device.adapter(),
                                      "attention_decode");
    if (!slices)
        return std::unexpected(slices.error());

    // Up to 8 query heads per workgroup, the group split evenly when larger
    // (12 heads: two blocks of 6); one key per invocation per tile
    // (shaders/attention_decode.comp).
    const uint32_t rowBlocks = (*group + kDecodeMaxRows - 1) / kDecodeMaxRows;
    const uint32_t rows = (*group + rowBlocks - 1) / rowBlocks;
    if (shape.decodeBlock != 0 && (shape.decodeBlock & (shape.decodeBlock - 1)) != 0)
        return fail(ErrorCode::InvalidArgument, "attention_decode: a workgroup of " +
                                                    std::to_string(shape.decodeBlock) + " is not a power of two");
    auto block = decodeBlockSize(shape.decodeBlock, cpuLayouts(), rows, cache.headDim, m_device);
    if (!block)
        return std::unexpected(block.error());

    const vk::AdapterInfo& adapter = m_device.adapter();
    const bool subgroups = adapter.subgroupArithmetic && !shape.noSubgroups &&
                           m_options.layouts != KernelLayouts::GpuSharedMemory;
    const ShaderId shader = decodeShader(cache.type, subgroups);
    const uint32_t keyChunk = std::min(kDecodeKeyChunk, cache.headDim / 4);
    const std::array<uint32_t, 5> spec{*block, cache.headDim, *group, rows, keyChunk};
    auto pipeline = this->pipeline({shader, 5, sizeof(kernels::AttentionDecodePush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    for (const auto& slice : *slices) {
        const kernels::AttentionDecodePush push{cache.capacity, shape.heads,     slice.firstHead,
                                                slice.kOffset,  slice.vOffset,   splits,
                                                kDecodeSplitKeys, attentionScale(cache.headDim)};
        PONDER_TRY(recorder.dispatch(**pipeline, {scratch, q, slice.k, slice.v, positions}, &push, splits, rowBlocks,
                                     slice.heads));
    }
    recorder.barrier();

    // A quad of the head per invocation and the ranges in groups (8 for a
    // 128-dim head on a GPU), at least one invocation per quad.
    const uint32_t reduceBlock = std::max(
        std::min(cpuLayouts() ? kDecodeCpuBlock : kReduceBlock, adapter.maxComputeWorkGroupInvocations),
        cache.headDim / 4);
    const std::array<uint32_t, 2> reduceSpec{reduceBlock, cache.headDim};
    auto reduce = this->pipeline({ShaderId::AttentionReduce, 3, sizeof(kernels::AttentionReducePush), reduceSpec});
    if (!reduce)
        return std::unexpected(reduce.error());
    const kernels::AttentionReducePush push{shape.heads, splits, cache.headDim, kDecodeSplitKeys, cache.capacity};
    return recorder.dispatch(**reduce, {out, scratch, positions}, &push, shape.heads);
}

Result<void> Kernels::attentionPrefill(vk::CommandRecorder& recorder, const AttentionShape& shape, uint32_t tokens,
                                       const vk::BufferRange& out, const vk::BufferRange& q,
                                       const vk::BufferRange& kCache, const vk::BufferRange& vCache,
                                       const vk::BufferRange& positions) const
{
    auto group = checkAttentionShape(shape, "attention_prefill");
    if (!group)
        return std::unexpected(group.error());
    if (tokens == 0)
        return fail(ErrorCode::InvalidArgument, "attention_prefill of no tokens");
    const KvCacheShape& cache = shape.cache;
    const uint64_t values = uint64_t(tokens) * shape.heads * cache.headDim;
    PONDER_TRY(checkBinding(out, values, 4, "attention_prefill output"));
    PONDER_TRY(checkBinding(q, values, 4, "attention_prefill queries"));
    PONDER_TRY(checkBinding(positions, tokens, 4, "attention_prefill positions"));
    auto slices = kernels::sliceCache(cache, kCache, vCache, shape.maxBindingBytes, m_device.adapter(),
                                      "attention_prefill");
    if (!slices)
        return std::unexpected(slices.error());

    // 16 rows of 8 lanes: each K/V tile staged in shared memory serves 16
    // (token, head) rows, and each lane keeps 16 of a 128-dim row's outputs
    // in registers.
    auto config = fitConfig({std::clamp(cache.headDim / 4, 1u, 8u), 16, 32}, cache.headDim, m_device);
    if (!config)
        return std::unexpected(config.error());
    const uint64_t rowBlocks = (uint64_t(tokens) * *group + config->rows - 1) / config->rows;
    if (rowBlocks > kMaxGroups)
        return fail(ErrorCode::InvalidArgument, "attention_prefill: " + std::to_string(tokens) +
                                                    " tokens are too many for one dispatch");

    const ShaderId shader = cache.type == KvCacheType::F16   ? ShaderId::AttentionPrefillF16
                            : cache.type == KvCacheType::Q8_0 ? ShaderId::AttentionPrefillQ80
                                                              : ShaderId::AttentionPrefillF32;
    const std::array<uint32_t, 5> spec{config->rows * config->threadsPerRow, config->threadsPerRow, cache.headDim,
                                       *group, config->tileKeys};
    auto pipeline = this->pipeline({shader, 5, sizeof(kernels::AttentionPush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    for (const auto& slice : *slices) {
        const kernels::AttentionPush push{tokens,        shape.heads,   cache.capacity,
                                          slice.firstHead, slice.kOffset, slice.vOffset, attentionScale(cache.headDim)};
        PONDER_TRY(recorder.dispatch(**pipeline, {out, q, slice.k, slice.v, positions}, &push, uint32_t(rowBlocks), 1,
                                     slice.heads));
    }
    return {};
}

} // namespace ponder
