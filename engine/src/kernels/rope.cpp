// RoPE and the KV-cache store (with RoPE of the keys fused in).
#include <array>
#include <cmath>
#include <numbers>
#include <string>

#include "kv_cache_slices.h"
#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "rope_push.h"

namespace ponder {
namespace {

// Workgroup size of rope and kv_store: one invocation per pair or per four
// values is light work, and 64 fills a wave on every vendor.
constexpr uint32_t kElementBlock = 64;
// Grid y carries the token: the smallest maxComputeWorkGroupCount Vulkan allows.
constexpr uint32_t kMaxTokens = 65535;

uint32_t groupsFor(uint64_t invocations)
{
    return uint32_t((invocations + kElementBlock - 1) / kElementBlock);
}

Result<void> checkRopeDims(uint32_t ropeDims, uint32_t headDim, const char* kernel)
{
    if (ropeDims < 2 || ropeDims % 2 != 0 || ropeDims > headDim)
        return fail(ErrorCode::InvalidArgument, std::string(kernel) + ": rope dimensions " +
                                                    std::to_string(ropeDims) + " must be even and in 2.." +
                                                    std::to_string(headDim));
    return {};
}

Result<void> checkTokens(uint32_t tokens, const char* kernel)
{
    if (tokens == 0 || tokens > kMaxTokens)
        return fail(ErrorCode::InvalidArgument, std::string(kernel) + ": " + std::to_string(tokens) +
                                                    " tokens, outside 1.." + std::to_string(kMaxTokens));
    return {};
}

} // namespace

uint64_t KvCacheShape::bytes() const
{
    return kvCacheBytes(type, headDim, uint64_t(headsKv) * capacity);
}

Result<std::vector<float>> ropeFrequencyTable(uint32_t ropeDims, float base, std::span<const float> freqFactors)
{
    if (ropeDims < 2 || ropeDims % 2 != 0 || ropeDims > 1024)
        return fail(ErrorCode::InvalidArgument, "rope dimensions " + std::to_string(ropeDims) +
                                                    " must be even and in 2..1024");
    if (!(base > 1.f) || !std::isfinite(base))
        return fail(ErrorCode::InvalidArgument, "rope base frequency " + std::to_string(base) + " is not above 1");
    const uint32_t pairs = ropeDims / 2;
    if (!freqFactors.empty() && freqFactors.size() < pairs)
        return fail(ErrorCode::InvalidArgument, "rope frequency factors hold " + std::to_string(freqFactors.size()) +
                                                    " values, fewer than the " + std::to_string(pairs) +
                                                    " rotated pairs");
    std::vector<float> table(2 * size_t(pairs));
    for (uint32_t i = 0; i < pairs; ++i) {
        // The reference's frequency (radians per position), in turns.
        double turns = std::pow(double(base), -2.0 * i / double(ropeDims)) / (2.0 * std::numbers::pi);
        if (!freqFactors.empty()) {
            const float factor = freqFactors[i];
            if (!(factor > 0.f) || !std::isfinite(factor))
                return fail(ErrorCode::InvalidArgument, "rope frequency factor " + std::to_string(i) + " is " +
                                                            std::to_string(factor) + ", not a positive number");
            turns /= double(factor);
        }
        // hi: the top 12 significant bits, so the shader's products with
        // 12-bit parts of the position are exact in float32.
        int exponent = 0;
        const double mantissa = std::frexp(turns, &exponent);  // in [0.5, 1)
        const double hi = std::ldexp(std::floor(mantissa * 4096.0), exponent - 12);
        table[2 * i] = float(hi);
        table[2 * i + 1] = float(turns - hi);
    }
    return table;
}

Result<void> Kernels::rope(vk::CommandRecorder& recorder, uint32_t tokens, uint32_t heads, uint32_t headDim,
                           const RopeShape& shape, const vk::BufferRange& y, const vk::BufferRange& x,
                           const vk::BufferRange& positions, const vk::BufferRange& freqTable) const
{
    PONDER_TRY(checkTokens(tokens, "rope"));
    if (heads == 0 || headDim == 0 || headDim % 2 != 0)
        return fail(ErrorCode::InvalidArgument, "rope: " + std::to_string(heads) + " heads of " +
                                                    std::to_string(headDim) + " (need heads and an even dimension)");
    PONDER_TRY(checkRopeDims(shape.ropeDims, headDim, "rope"));
    const uint64_t values = uint64_t(tokens) * heads * headDim;
    PONDER_TRY(checkBinding(y, values, 4, "rope output"));
    PONDER_TRY(checkBinding(x, values, 4, "rope input"));
    PONDER_TRY(checkBinding(positions, tokens, 4, "rope positions"));
    PONDER_TRY(checkBinding(freqTable, shape.ropeDims, 4, "rope frequency table"));

    const std::array<uint32_t, 1> spec{kElementBlock};
    auto pipeline = this->pipeline({ShaderId::Rope, 4, sizeof(kernels::RopePush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    const kernels::RopePush push{heads, headDim, shape.ropeDims, shape.layout == RopeLayout::Neox ? 1u : 0u};
    return recorder.dispatch(**pipeline, {y, x, positions, freqTable}, &push, groupsFor(uint64_t(heads) * headDim / 2),
                             tokens);
}

Result<void> Kernels::kvStore(vk::CommandRecorder& recorder, const KvCacheShape& cache, uint32_t tokens,
                              const vk::BufferRange& kCache, const vk::BufferRange& vCache, const vk::BufferRange& k,
                              const vk::BufferRange& v, const vk::BufferRange& positions,
                              const KvStoreOptions& options) const
{
    PONDER_TRY(checkTokens(tokens, "kv_store"));
    auto slices = kernels::sliceCache(cache, kCache, vCache, options.maxBindingBytes, m_device.adapter(), "kv_store");
    if (!slices)
        return std::unexpected(slices.error());
    const uint64_t values = uint64_t(tokens) * cache.headsKv * cache.headDim;
    PONDER_TRY(checkBinding(k, values, 4, "kv_store keys"));
    PONDER_TRY(checkBinding(v, values, 4, "kv_store values"));
    PONDER_TRY(checkBinding(positions, tokens, 4, "kv_store positions"));
    const uint32_t ropeDims = options.rope.ropeDims;
    if (ropeDims > 0) {
        PONDER_TRY(checkRopeDims(ropeDims, cache.headDim, "kv_store"));
        PONDER_TRY(checkBinding(options.freqTable, ropeDims, 4, "kv_store rope frequency table"));
    }
    // Without RoPE the table binding is never read; any valid range will do.
    const vk::BufferRange& table = ropeDims > 0 ? options.freqTable : positions;

    const std::array<uint32_t, 1> spec{kElementBlock};
    const ShaderId shader = cache.type == KvCacheType::F16   ? ShaderId::KvStoreF16
                            : cache.type == KvCacheType::Q8_0 ? ShaderId::KvStoreQ80
                                                              : ShaderId::KvStoreF32;
    // One invocation per 4 values, or per 32-value block it quantizes (Q8_0).
    const uint32_t valuesEach = cache.type == KvCacheType::Q8_0 ? kKvQ8_0BlockValues : 4;
    auto pipeline = this->pipeline({shader, 6, sizeof(kernels::KvStorePush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    const uint32_t neox = options.rope.layout == RopeLayout::Neox ? 1u : 0u;
    for (const auto& slice : *slices) {
        const kernels::KvStorePush push{cache.headsKv, slice.heads,   slice.firstHead, cache.headDim, cache.capacity,
                                        slice.kOffset, slice.vOffset, ropeDims,        neox};
        PONDER_TRY(recorder.dispatch(**pipeline, {slice.k, slice.v, k, v, positions, table}, &push,
                                     groupsFor(uint64_t(slice.heads) * cache.headDim / valuesEach), tokens));
    }
    return {};
}

} // namespace ponder
