// matVec / matVecBatch: shaders/matvec.comp, one build per tensor type and
// reduction, its work layout chosen per device (MatVecVariant), split by rows
// into several dispatches when W exceeds what one binding may cover.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "matvec_push.h"
#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "row_slices.h"

namespace ponder {
namespace {

constexpr uint32_t kMaxVectors = 8;
constexpr uint32_t kMaxGroupsX = 65535;  // the smallest maxComputeWorkGroupCount[0] Vulkan allows

struct MatvecShaders {
    ShaderId sharedMemory;
    ShaderId subgroup;
};

std::optional<MatvecShaders> shadersFor(TensorType type)
{
    switch (type) {
    case TensorType::F32: return MatvecShaders{ShaderId::MatvecF32, ShaderId::MatvecF32Subgroup};
    case TensorType::F16: return MatvecShaders{ShaderId::MatvecF16, ShaderId::MatvecF16Subgroup};
    case TensorType::BF16: return MatvecShaders{ShaderId::MatvecBf16, ShaderId::MatvecBf16Subgroup};
    case TensorType::Q4_0: return MatvecShaders{ShaderId::MatvecQ40, ShaderId::MatvecQ40Subgroup};
    case TensorType::Q8_0: return MatvecShaders{ShaderId::MatvecQ80, ShaderId::MatvecQ80Subgroup};
    case TensorType::Q2_K: return MatvecShaders{ShaderId::MatvecQ2K, ShaderId::MatvecQ2KSubgroup};
    case TensorType::Q3_K: return MatvecShaders{ShaderId::MatvecQ3K, ShaderId::MatvecQ3KSubgroup};
    case TensorType::Q4_K: return MatvecShaders{ShaderId::MatvecQ4K, ShaderId::MatvecQ4KSubgroup};
    case TensorType::Q5_K: return MatvecShaders{ShaderId::MatvecQ5K, ShaderId::MatvecQ5KSubgroup};
    case TensorType::Q6_K: return MatvecShaders{ShaderId::MatvecQ6K, ShaderId::MatvecQ6KSubgroup};
    default: return std::nullopt;
    }
}

bool isFloatType(TensorType type)
{
    return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16;
}

// Workgroup size: 64 invocations (two NVIDIA warps, one AMD wave64) keep
// enough loads in flight per row, but no more than twice the units of work
// a row has (32 values each, 8 for float rows), so short rows do not leave
// most invocations idle. A power of two for the shared-memory tree.
uint32_t workgroupSize(TensorType type, uint32_t cols, uint32_t deviceMax)
{
    const uint32_t units = isFloatType(type) ? (cols + 7) / 8 : cols / 32;
    uint32_t size = 64;
    while (size > 16 && size / 2 >= units)
        size /= 2;
    while (size > deviceMax && size > 1)
        size /= 2;
    return size;
}

// Tuning knobs for the shared-rows layouts on one vector (decode), read
// once: PONDER_MATVEC_ROWS (1-8 rows per workgroup) and PONDER_MATVEC_WG
// (32-256 invocations, a power of two). Unset, the rules above apply. They
// exist to sweep shapes on a real GPU in one run (tests/bench/gpu/run.sh);
// the defaults follow what that measured.
struct MatvecTuning {
    uint32_t rows = 0;
    uint32_t workgroup = 0;
};

uint32_t tuningValue(const char* name, uint32_t low, uint32_t high)
{
    const char* text = std::getenv(name);
    if (!text || !*text)
        return 0;
    char* end = nullptr;
    const unsigned long value = std::strtoul(text, &end, 10);
    return *end == '\0' && value >= low && value <= high ? uint32_t(value) : 0;
}

const MatvecTuning& matvecTuning()
{
    static const MatvecTuning tuning = [] {
        MatvecTuning t;
        t.rows = tuningValue("PONDER_MATVEC_ROWS", 1, 8);
        t.workgroup = tuningValue("PONDER_MATVEC_WG", 32, 256);
        if (t.workgroup & (t.workgroup - 1))
            t.workgroup = 0;
        return t;
    }();
    return tuning;
}

} // namespace

Result<void> Kernels::matVec(vk::CommandRecorder& recorder, TensorType type, uint32_t rows, uint32_t cols,
                             const vk::BufferRange& y, const vk::BufferRange& w, const vk::BufferRange& x,
                             const MatVecOptions& options) const
{
    return matVecBatch(recorder, type, rows, cols, 1, y, w, x, options);
}

Result<void> Kernels::matVecBatch(vk::CommandRecorder& recorder, TensorType type, uint32_t rows, uint32_t cols,
                                  uint32_t vectors, const vk::BufferRange& y, const vk::BufferRange& w,
                                  const vk::BufferRange& x, const MatVecOptions& options) const
{
    const auto shaders = shadersFor(type);
    if (!shaders)
        return fail(ErrorCode::Unsupported,
                    "matvec has no kernel for " + tensorTypeNameOrId(type));
    if (rows == 0 || cols == 0)
        return fail(ErrorCode::InvalidArgument, "matvec of an empty matrix");
    if (vectors == 0 || vectors > kMaxVectors)
        return fail(ErrorCode::InvalidArgument, "matvec takes 1 to " + std::to_string(kMaxVectors) +
                                                    " vectors at once, not " + std::to_string(vectors));
    PONDER_TRY(checkMatrixOperands("matvec", type, rows, cols, vectors, y, x, options.bias, options.residual));
    const bool hasBias = options.bias.size != 0;
    const bool hasResidual = options.residual.size != 0;
    const bool hasNorm = options.normWeight.size != 0;
    if (hasNorm) {
        PONDER_TRY(checkBinding(options.normWeight, cols, 4, "matvec norm weights"));
        if (!(options.normEpsilon >= 0.f) || !std::isfinite(options.normEpsilon))
            return fail(ErrorCode::InvalidArgument, "matvec: the norm's epsilon must be finite and >= 0");
    }

    const auto& adapter = m_device.adapter();
    const MatVecVariant variant = options.variant == MatVecVariant::Auto ? matVecVariant() : options.variant;
    if (variant == MatVecVariant::Subgroup && !adapter.subgroupArithmetic)
        return fail(ErrorCode::Unsupported, "matvec: " + adapter.name + " has no subgroup arithmetic");

    const uint64_t deviceRange = adapter.maxStorageBufferRange;
    const uint64_t maxBinding = options.maxBindingBytes ? std::min(options.maxBindingBytes, deviceRange) : deviceRange;
    const uint64_t rowBytes = tensorBytes(type, cols);
    // Q4_K/Q5_K read 16-byte quads: their rows are multiples of 16 bytes, so
    // every slice's row offset (the matrix offset modulo a power-of-two
    // alignment) is one too.
    auto slices = kernels::sliceRows(w, rows, rowBytes, maxBinding, adapter.minStorageBufferOffsetAlignment,
                                     "matvec weights");
    if (!slices)
        return std::unexpected(slices.error());

    // Rows per workgroup (shared rows) or per invocation (row per
    // invocation): each x value loaded serves all of them. Shared rows keep
    // it at 2 so a GPU still gets thousands of workgroups from a 4096-row
    // matrix; on a CPU device 4 rows per invocation halve lavapipe's cost per
    // weight byte again (loads of x are its bottleneck). With several vectors
    // x is reloaded per row anyway and the accumulators multiply, so 1.
    const bool rowPerInvocation = variant == MatVecVariant::RowPerInvocation;
    uint32_t groupSize =
        rowPerInvocation ? std::min(32u, adapter.maxComputeWorkGroupInvocations)
                         : workgroupSize(type, cols, adapter.maxComputeWorkGroupInvocations);
    uint32_t rowsEach = rowPerInvocation ? (vectors == 1 ? 4 : 1) : (vectors <= 2 ? 2 : 1);
    if (!rowPerInvocation && vectors == 1) {
        const MatvecTuning& tuning = matvecTuning();
        if (tuning.rows)
            rowsEach = tuning.rows;
        if (tuning.workgroup && tuning.workgroup <= adapter.maxComputeWorkGroupInvocations)
            groupSize = tuning.workgroup;
    }
    const uint32_t rowsPerGroup = rowPerInvocation ? groupSize * rowsEach : rowsEach;
    const std::array<uint32_t, 5> spec{groupSize, rowsEach, vectors, rowPerInvocation ? 1u : 0u, hasNorm ? 1u : 0u};
    auto pipeline = this->pipeline({variant == MatVecVariant::Subgroup ? shaders->subgroup : shaders->sharedMemory,
                                    6, sizeof(kernels::MatvecPush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());

    // Every binding must be bound: absent options get x's range, never read.
    const vk::BufferRange bias = hasBias ? options.bias : x;
    const vk::BufferRange residual = hasResidual ? options.residual : x;
    const vk::BufferRange normWeight = hasNorm ? options.normWeight : x;
    const uint32_t flags = (hasBias ? kernels::kMatvecBias : 0u) | (hasResidual ? kernels::kMatvecResidual : 0u);
    for (const auto& slice : *slices) {
        const kernels::MatvecPush push{slice.rowCount, cols, uint32_t(rowBytes), slice.rowOffset,
                                       slice.firstRow, rows, flags, options.normEpsilon};
        const uint32_t groups = (slice.rowCount + rowsPerGroup - 1) / rowsPerGroup;
        const uint32_t groupsX = std::min(groups, kMaxGroupsX);
        const uint32_t groupsY = (groups + groupsX - 1) / groupsX;
        PONDER_TRY(recorder.dispatch(**pipeline, {y, slice.binding, x, bias, residual, normWeight}, &push, groupsX,
                                     groupsY));
        ++m_layoutCounts.matVec[size_t(variant)];
    }
    return {};
}

MatVecVariant Kernels::matVecVariant() const
{
    if (cpuLayouts())
        return MatVecVariant::RowPerInvocation;
    if (m_device.adapter().subgroupArithmetic && m_options.layouts != KernelLayouts::GpuSharedMemory)
        return MatVecVariant::Subgroup;
    return MatVecVariant::SharedMemory;
}

} // namespace ponder
