// matMul: shaders/matmul.comp, one build per tensor type, its tiles chosen
// per device (MatMulTiles), split by rows into several dispatches when W
// exceeds what one binding may cover or the grid's first dimension.
#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "matmul_push.h"
#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "row_slices.h"

namespace ponder {
namespace {

constexpr uint32_t kMaxGroups = 65535;  // the smallest maxComputeWorkGroupCount Vulkan allows

std::optional<ShaderId> shaderFor(TensorType type)
{
    switch (type) {
    case TensorType::F32: return ShaderId::MatmulF32;
    case TensorType::F16: return ShaderId::MatmulF16;
    case TensorType::BF16: return ShaderId::MatmulBf16;
    case TensorType::Q4_0: return ShaderId::MatmulQ40;
    case TensorType::Q8_0: return ShaderId::MatmulQ80;
    case TensorType::Q2_K: return ShaderId::MatmulQ2K;
    case TensorType::Q3_K: return ShaderId::MatmulQ3K;
    case TensorType::Q4_K: return ShaderId::MatmulQ4K;
    case TensorType::Q5_K: return ShaderId::MatmulQ5K;
    case TensorType::Q6_K: return ShaderId::MatmulQ6K;
    default: return std::nullopt;
    }
}

bool isZero(const MatMulTiles& t)
{
    return t.rows == 0 && t.tokens == 0 && t.depth == 0 && t.rowsEach == 0 && t.tokensEach == 0;
}

uint32_t invocations(const MatMulTiles& t)
{
    return (t.rows / t.rowsEach) * (t.tokens / t.tokensEach);
}

// Shared memory the shader declares for `t`: the (depth, rows + 1) W tile
// (one float under RegisterWeights) and the (depth, tokens + 1) X tile.
uint64_t sharedBytes(const MatMulTiles& t)
{
    const uint64_t wTile = t.layout == MatMulLayout::RegisterWeights ? 1 : uint64_t(t.depth) * (t.rows + 1);
    return (wTile + uint64_t(t.depth) * (t.tokens + 1)) * 4;
}

Result<void> checkTiles(const MatMulTiles& t, const vk::AdapterInfo& adapter, uint64_t maxShared)
{
    auto bad = [](const std::string& why) { return fail(ErrorCode::InvalidArgument, "matmul tiles: " + why); };
    if (t.rowsEach == 0 || t.tokensEach == 0 || t.rows % t.rowsEach != 0 || t.tokens % t.tokensEach != 0)
        return bad("the tile must be a positive whole number of invocation blocks");
    if (t.depth == 0 || t.depth % 8 != 0)
        return bad("the depth must be a positive multiple of 8, not " + std::to_string(t.depth));
    // Beyond these the unrolled register block and loops are compile-time disasters.
    if (t.rowsEach * t.tokensEach > 256 || t.depth > 256)
        return bad("the register block or depth is too large");
    if (t.layout == MatMulLayout::RegisterWeights && t.tokensEach != t.tokens)
        return bad("RegisterWeights needs every invocation to own all of the tile's tokens");
    if (invocations(t) > adapter.maxComputeWorkGroupInvocations)
        return bad(std::to_string(invocations(t)) + " invocations per workgroup exceed the device's " +
                   std::to_string(adapter.maxComputeWorkGroupInvocations));
    if (sharedBytes(t) > maxShared)
        return bad(std::to_string(sharedBytes(t)) + " bytes of shared memory exceed the device's " +
                   std::to_string(maxShared));
    return {};
}

uint64_t maxSharedBytes(const vk::Device& device)
{
    VkPhysicalDeviceProperties properties{};
    vkGetPhysicalDeviceProperties(device.physical(), &properties);
    return properties.limits.maxComputeSharedMemorySize;
}

} // namespace

MatMulTiles Kernels::matMulTiles() const
{
    const auto& adapter = m_device.adapter();
    if (cpuLayouts()) {
        // Lavapipe: W in registers, 16 rows and 16 tokens per invocation,
        // 16 invocations (two SIMD batches of 8), 16 columns per step. Each
        // uniform (broadcast) load of a token value serves 16 rows, and each
        // dequantized weight 16 tokens. Measured on lavapipe with Qwen-1.5B's
        // FFN matrices at 128 tokens: about 9 GFLOP/s, against 4.5 for 4 rows
        // per invocation and 6.9 for 8; 8 tokens per invocation was slower,
        // and depth 16 as fast as 32 at half the unrolled code, which
        // lavapipe compiles at first use (BENCHMARKS.md).
        return {256, 16, 16, 16, 16, MatMulLayout::RegisterWeights};
    }
    // GPUs: 64x64 tiles of 256 invocations, 4x4 outputs each (16 KiB of
    // shared tiles at depth 32), the classic shape that keeps enough
    // multiply-adds per shared load without starving occupancy; 8x8 blocks
    // of 64 invocations where a workgroup may not have 256.
    MatMulTiles tiles{64, 64, 32, 4, 4, MatMulLayout::SharedTiles};
    if (invocations(tiles) > adapter.maxComputeWorkGroupInvocations)
        tiles.rowsEach = tiles.tokensEach = 8;
    return tiles;
}

Result<void> Kernels::matMul(vk::CommandRecorder& recorder, TensorType type, uint32_t rows, uint32_t cols,
                             uint32_t tokens, const vk::BufferRange& y, const vk::BufferRange& w,
                             const vk::BufferRange& x, const MatMulOptions& options) const
{
    const auto shader = shaderFor(type);
    if (!shader)
        return fail(ErrorCode::Unsupported, "matmul has no kernel for " + tensorTypeNameOrId(type));
    if (rows == 0 || cols == 0)
        return fail(ErrorCode::InvalidArgument, "matmul of an empty matrix");
    if (tokens == 0 || tokens > kMaxGroups)
        return fail(ErrorCode::InvalidArgument,
                    "matmul takes 1 to " + std::to_string(kMaxGroups) + " tokens, not " + std::to_string(tokens));
    PONDER_TRY(checkMatrixOperands("matmul", type, rows, cols, tokens, y, x, options.bias, options.residual));
    const bool hasBias = options.bias.size != 0;
    const bool hasResidual = options.residual.size != 0;

    const auto& adapter = m_device.adapter();
    const MatMulTiles tiles = isZero(options.tiles) ? matMulTiles() : options.tiles;
    PONDER_TRY(checkTiles(tiles, adapter, maxSharedBytes(m_device)));

    const uint64_t deviceRange = adapter.maxStorageBufferRange;
    const uint64_t maxBinding = options.maxBindingBytes ? std::min(options.maxBindingBytes, deviceRange) : deviceRange;
    const uint64_t rowBytes = tensorBytes(type, cols);
    auto slices = kernels::sliceRows(w, rows, rowBytes, maxBinding, adapter.minStorageBufferOffsetAlignment,
                                     "matmul weights");
    if (!slices)
        return std::unexpected(slices.error());

    const std::array<uint32_t, 7> spec{invocations(tiles), tiles.rows,       tiles.tokens,
                                       tiles.depth,        tiles.rowsEach,   tiles.tokensEach,
                                       tiles.layout == MatMulLayout::RegisterWeights ? 1u : 0u};
    auto pipeline = this->pipeline({*shader, 5, sizeof(kernels::MatmulPush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());

    // Every binding must be bound: absent options get x's range, never read.
    const vk::BufferRange bias = hasBias ? options.bias : x;
    const vk::BufferRange residual = hasResidual ? options.residual : x;
    const uint32_t flags = (hasBias ? kernels::kMatmulBias : 0u) | (hasResidual ? kernels::kMatmulResidual : 0u);
    const uint32_t tokenGroups = (tokens + tiles.tokens - 1) / tiles.tokens;
    // A slice of more than kMaxGroups row tiles (a vocabulary-sized output
    // with small CPU tiles) is dispatched in parts of the same binding.
    const uint32_t partRows = kMaxGroups * tiles.rows;
    for (const auto& slice : *slices) {
        for (uint32_t first = 0; first < slice.rowCount; first += partRows) {
            const uint32_t count = std::min(partRows, slice.rowCount - first);
            const kernels::MatmulPush push{count,
                                           cols,
                                           tokens,
                                           uint32_t(rowBytes),
                                           uint32_t(slice.rowOffset + uint64_t(first) * rowBytes),
                                           slice.firstRow + first,
                                           rows,
                                           flags};
            const uint32_t rowGroups = (count + tiles.rows - 1) / tiles.rows;
            PONDER_TRY(recorder.dispatch(**pipeline, {y, slice.binding, x, bias, residual}, &push, rowGroups,
                                         tokenGroups));
            ++m_layoutCounts.matMul[size_t(tiles.layout)];
        }
    }
    return {};
}

} // namespace ponder
