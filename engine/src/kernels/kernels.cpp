#include "ponder/kernels.h"

#include <array>
#include <string>

#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "ponder/vk/pipeline.h"
#include "push_constants.h"

namespace ponder {

struct Kernels::Pipelines {
    vk::ComputePipeline rmsNorm;
};

namespace {

// Workgroup size for the row reductions: a power of two the device allows.
uint32_t reductionBlockSize(const vk::AdapterInfo& adapter)
{
    uint32_t size = 256;
    while (size > adapter.maxComputeWorkGroupInvocations && size > 1)
        size /= 2;
    return size;
}

Result<void> checkFloats(const vk::BufferRange& range, uint64_t count, const char* what)
{
    if (range.size < count * sizeof(float))
        return fail(ErrorCode::InvalidArgument, std::string(what) + " holds " + std::to_string(range.size) +
                                                    " bytes, fewer than the " + std::to_string(count) +
                                                    " floats the kernel reads");
    return {};
}

} // namespace

Kernels::Kernels(std::unique_ptr<Pipelines> pipelines) : m_pipelines(std::move(pipelines)) {}
Kernels::~Kernels() = default;

Result<std::unique_ptr<Kernels>> Kernels::create(const vk::Device& device)
{
    auto pipelines = std::make_unique<Pipelines>();
    const std::array<uint32_t, 1> reduceSpec{reductionBlockSize(device.adapter())};
    auto rmsNorm = vk::ComputePipeline::create(device, {ShaderId::RmsNorm, 3, sizeof(kernels::RmsNormPush), reduceSpec});
    if (!rmsNorm)
        return std::unexpected(rmsNorm.error());
    pipelines->rmsNorm = std::move(*rmsNorm);
    return std::unique_ptr<Kernels>(new Kernels(std::move(pipelines)));
}

Result<void> Kernels::rmsNorm(vk::CommandRecorder& recorder, uint32_t rows, uint32_t n, float eps,
                              const vk::BufferRange& y, const vk::BufferRange& x, const vk::BufferRange& weight) const
{
    if (rows == 0 || n == 0)
        return fail(ErrorCode::InvalidArgument, "rms_norm of an empty tensor");
    for (auto check : {checkFloats(y, uint64_t(rows) * n, "rms_norm output"),
                       checkFloats(x, uint64_t(rows) * n, "rms_norm input"), checkFloats(weight, n, "rms_norm weight")})
        if (!check)
            return check;
    const kernels::RmsNormPush push{n, eps};
    return recorder.dispatch(m_pipelines->rmsNorm, {y, x, weight}, &push, rows);
}

} // namespace ponder
