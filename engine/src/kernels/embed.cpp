// embed: shaders/embed.comp, one variant per tensor type; a table larger than
// one binding is looked up by one dispatch per slice of rows.
#include <array>
#include <optional>
#include <string>

#include "embed_push.h"
#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "row_slices.h"

namespace ponder {
namespace {

constexpr uint32_t kMaxGroups = 65535;  // the smallest maxComputeWorkGroupCount Vulkan allows
constexpr uint32_t kMaxTokens = kMaxGroups;  // one workgroup row per token
constexpr uint32_t kValuesPerInvocation = 8;
constexpr uint32_t kWorkgroupSize = 64;

std::optional<ShaderId> shaderFor(TensorType type)
{
    switch (type) {
    case TensorType::F32: return ShaderId::EmbedF32;
    case TensorType::F16: return ShaderId::EmbedF16;
    case TensorType::BF16: return ShaderId::EmbedBf16;
    case TensorType::Q4_0: return ShaderId::EmbedQ40;
    case TensorType::Q8_0: return ShaderId::EmbedQ80;
    case TensorType::Q2_K: return ShaderId::EmbedQ2K;
    case TensorType::Q3_K: return ShaderId::EmbedQ3K;
    case TensorType::Q4_K: return ShaderId::EmbedQ4K;
    case TensorType::Q5_K: return ShaderId::EmbedQ5K;
    case TensorType::Q6_K: return ShaderId::EmbedQ6K;
    default: return std::nullopt;
    }
}

} // namespace

Result<void> Kernels::embed(vk::CommandRecorder& recorder, TensorType type, uint32_t nEmbd, uint32_t vocab,
                            uint32_t tokens, const vk::BufferRange& out, const vk::BufferRange& table,
                            const vk::BufferRange& ids, uint64_t maxBindingBytes) const
{
    const auto shader = shaderFor(type);
    if (!shader)
        return fail(ErrorCode::Unsupported,
                    "embed has no kernel for " + (tensorTypeFromId(uint32_t(type))
                                                      ? std::string(tensorTypeName(type))
                                                      : "tensor type id " + std::to_string(uint32_t(type))));
    if (nEmbd == 0 || vocab == 0 || tokens == 0)
        return fail(ErrorCode::InvalidArgument, "embed of an empty table or no tokens");
    if (tokens > kMaxTokens)
        return fail(ErrorCode::InvalidArgument, "embed takes at most " + std::to_string(kMaxTokens) +
                                                    " tokens at once, not " + std::to_string(tokens));
    const uint32_t blockSize = traits(type).blockSize;
    if (nEmbd % blockSize != 0)
        return fail(ErrorCode::InvalidArgument, "embed: rows of " + std::to_string(nEmbd) +
                                                    " values are not a whole number of " +
                                                    std::string(tensorTypeName(type)) + " blocks of " +
                                                    std::to_string(blockSize));
    PONDER_TRY(checkBinding(out, uint64_t(tokens) * nEmbd, 4, "embed output"));
    PONDER_TRY(checkBinding(ids, tokens, 4, "embed token ids"));

    const auto& adapter = m_device.adapter();
    const uint64_t deviceRange = adapter.maxStorageBufferRange;
    const uint64_t maxBinding = maxBindingBytes ? std::min(maxBindingBytes, deviceRange) : deviceRange;
    const uint64_t rowBytes = tensorBytes(type, nEmbd);
    auto slices = kernels::sliceRows(table, vocab, rowBytes, maxBinding, adapter.minStorageBufferOffsetAlignment,
                                     "embedding table");
    if (!slices)
        return std::unexpected(slices.error());

    const std::array<uint32_t, 1> spec{kWorkgroupSize};
    auto pipeline = this->pipeline({*shader, 3, sizeof(kernels::EmbedPush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    const uint32_t invocations = (nEmbd + kValuesPerInvocation - 1) / kValuesPerInvocation;
    const uint32_t groupsX = (invocations + kWorkgroupSize - 1) / kWorkgroupSize;
    if (groupsX > kMaxGroups)
        return fail(ErrorCode::Unsupported, "embed: rows of " + std::to_string(nEmbd) + " values are too wide");
    // The slices write disjoint rows of `out` (each token's id is in one
    // slice) and read nothing another writes, so they need no barrier.
    for (const auto& slice : *slices) {
        const kernels::EmbedPush push{nEmbd, vocab, slice.firstRow, slice.rowCount, uint32_t(rowBytes),
                                      slice.rowOffset};
        PONDER_TRY(recorder.dispatch(**pipeline, {out, slice.binding, ids}, &push, groupsX, tokens));
    }
    return {};
}

Result<void> checkTokenIds(std::span<const int32_t> ids, uint32_t vocab)
{
    for (size_t i = 0; i < ids.size(); ++i)
        if (ids[i] < 0 || uint32_t(ids[i]) >= vocab)
            return fail(ErrorCode::InvalidArgument, "token id " + std::to_string(ids[i]) + " at position " +
                                                        std::to_string(i) + " is outside the vocabulary of " +
                                                        std::to_string(vocab) + " tokens");
    return {};
}

} // namespace ponder
