// Attention over the KV cache: split-KV decode with its reduce, and
// flash-style causal prefill (shaders/common/flash_attention.glsl).
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "attention_push.h"
#include "kv_cache_slices.h"
#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"

namespace ponder {
namespace {

constexpr uint32_t kMaxSplits = 1024;
constexpr uint32_t kMaxGroups = 65535;  // Vulkan's smallest maxComputeWorkGroupCount
constexpr uint32_t kReduceBlock = 64;

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

Result<uint32_t> checkAttentionShape(const AttentionShape& shape, const char* kernel)
{
    PONDER_TRY(kernels::checkCacheShape(shape.cache, kernel));
    if (shape.heads == 0 || shape.heads % shape.cache.headsKv != 0)
        return fail(ErrorCode::InvalidArgument, std::string(kernel) + ": " + std::to_string(shape.heads) +
                                                    " query heads are not a multiple of " +
                                                    std::to_string(shape.cache.headsKv) + " kv heads");
    return shape.heads / shape.cache.headsKv;
}

float attentionScale(uint32_t headDim)
{
    return float(1.0 / std::sqrt(double(headDim)));
}

} // namespace

uint32_t Kernels::decodeSplits(const AttentionShape& shape) const
{
    // 32 splits x the kv heads keep a GPU's units busy at long contexts;
    // chunks never drop below one tile, so a short context uses fewer splits
    // and the rest exit at once. (On lavapipe 8 and 32 splits ran alike.)
    return shape.splits != 0 ? shape.splits : kDefaultDecodeSplits;
}

uint64_t Kernels::attentionDecodeScratchBytes(const AttentionShape& shape) const
{
    // Per head and split: headDim partial outputs, then a (max, sum) pair.
    return uint64_t(shape.heads) * decodeSplits(shape) * (uint64_t(shape.cache.headDim) + 2) * 4;
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
    if (splits > kMaxSplits)
        return fail(ErrorCode::InvalidArgument, "attention_decode: " + std::to_string(splits) +
                                                    " splits, more than " + std::to_string(kMaxSplits));
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

    // One row per query head of the kv group, 8 lanes per row: each lane
    // scores 4 keys of a 32-key tile per query read and accumulates 4 quads
    // per probability read, and the row's max and sum come from 8 lanes.
    // (32 lanes per row, one key each, made lavapipe 2.5x slower: the
    // per-lane reads of every lane's max and sum cost as much as the dots.)
    FlashConfig wanted;
    wanted.threadsPerRow = std::clamp(cache.headDim / 4, 1u, 8u);
    wanted.rows = std::min(*group, 256 / wanted.threadsPerRow);
    auto config = fitConfig(wanted, cache.headDim, m_device);
    if (!config)
        return std::unexpected(config.error());
    const uint32_t rowBlocks = (*group + config->rows - 1) / config->rows;

    const ShaderId shader = cache.type == KvCacheType::F16 ? ShaderId::AttentionDecodeF16
                                                           : ShaderId::AttentionDecodeF32;
    const std::array<uint32_t, 5> spec{config->rows * config->threadsPerRow, config->threadsPerRow, cache.headDim,
                                       *group, config->tileKeys};
    auto pipeline = this->pipeline({shader, 5, sizeof(kernels::AttentionPush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    for (const auto& slice : *slices) {
        const kernels::AttentionPush push{1,             shape.heads,   cache.capacity, slice.firstHead,
                                          slice.kOffset, slice.vOffset, splits,         attentionScale(cache.headDim)};
        PONDER_TRY(recorder.dispatch(**pipeline, {scratch, q, slice.k, slice.v, positions}, &push, splits, rowBlocks,
                                     slice.heads));
    }
    recorder.barrier();

    const std::array<uint32_t, 1> reduceSpec{kReduceBlock};
    auto reduce = this->pipeline({ShaderId::AttentionReduce, 2, sizeof(kernels::AttentionReducePush), reduceSpec});
    if (!reduce)
        return std::unexpected(reduce.error());
    const kernels::AttentionReducePush push{shape.heads, splits, cache.headDim};
    return recorder.dispatch(**reduce, {out, scratch}, &push, shape.heads);
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

    const ShaderId shader = cache.type == KvCacheType::F16 ? ShaderId::AttentionPrefillF16
                                                           : ShaderId::AttentionPrefillF32;
    const std::array<uint32_t, 5> spec{config->rows * config->threadsPerRow, config->threadsPerRow, cache.headDim,
                                       *group, config->tileKeys};
    auto pipeline = this->pipeline({shader, 5, sizeof(kernels::AttentionPush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    for (const auto& slice : *slices) {
        const kernels::AttentionPush push{tokens,        shape.heads,   cache.capacity, slice.firstHead,
                                          slice.kOffset, slice.vOffset, 1,              attentionScale(cache.headDim)};
        PONDER_TRY(recorder.dispatch(**pipeline, {out, q, slice.k, slice.v, positions}, &push, uint32_t(rowBlocks), 1,
                                     slice.heads));
    }
    return {};
}

} // namespace ponder
