#include "ponder/kernels.h"

#include <cstdlib>
#include <string>
#include <string_view>

#include "ponder/vk/device.h"

namespace ponder {

KernelOptions kernelOptionsFromEnvironment()
{
    KernelOptions options;
    const char* value = std::getenv("PONDER_GPU_LAYOUTS");
    const std::string_view text = value ? value : "";
    if (text == "shared-memory")
        options.layouts = KernelLayouts::GpuSharedMemory;
    else if (!text.empty() && text != "0")
        options.layouts = KernelLayouts::Gpu;
    return options;
}

Kernels::~Kernels() = default;

Result<std::unique_ptr<Kernels>> Kernels::create(const vk::Device& device)
{
    return create(device, kernelOptionsFromEnvironment());
}

Result<std::unique_ptr<Kernels>> Kernels::create(const vk::Device& device, const KernelOptions& options)
{
    return std::unique_ptr<Kernels>(new Kernels(device, options));
}

bool Kernels::cpuLayouts() const
{
    return m_options.layouts == KernelLayouts::Device && m_device.adapter().type == vk::AdapterType::Cpu;
}

Result<const vk::ComputePipeline*> Kernels::pipeline(const vk::PipelineDesc& desc) const
{
    Key key{desc.shader, std::vector<uint32_t>(desc.specialization.begin(), desc.specialization.end())};
    if (auto found = m_pipelines.find(key); found != m_pipelines.end())
        return found->second.get();
    auto built = vk::ComputePipeline::create(m_device, desc);
    if (!built)
        return std::unexpected(built.error());
    auto stored = std::make_unique<vk::ComputePipeline>(std::move(*built));
    const vk::ComputePipeline* result = stored.get();
    m_pipelines.emplace(std::move(key), std::move(stored));
    return result;
}

uint32_t Kernels::reductionBlockSize() const
{
    uint32_t size = 256;
    while (size > m_device.adapter().maxComputeWorkGroupInvocations && size > 1)
        size /= 2;
    return size;
}

Result<void> checkBinding(const vk::BufferRange& range, uint64_t count, uint64_t bytesEach, const char* what)
{
    if (range.size < count * bytesEach)
        return fail(ErrorCode::InvalidArgument, std::string(what) + " holds " + std::to_string(range.size) +
                                                    " bytes, fewer than the " + std::to_string(count * bytesEach) +
                                                    " the kernel reads or writes");
    return {};
}

Result<void> checkMatrixOperands(const char* kernel, TensorType type, uint32_t rows, uint32_t cols, uint32_t count,
                                 const vk::BufferRange& y, const vk::BufferRange& x, const vk::BufferRange& bias,
                                 const vk::BufferRange& residual)
{
    const std::string name(kernel);
    const uint32_t blockSize = traits(type).blockSize;
    if (cols % blockSize != 0)
        return fail(ErrorCode::InvalidArgument, name + ": " + std::to_string(cols) + " columns are not a whole number of " +
                                                    tensorTypeNameOrId(type) + " blocks of " + std::to_string(blockSize));
    PONDER_TRY(checkBinding(y, uint64_t(count) * rows, 4, (name + " output").c_str()));
    PONDER_TRY(checkBinding(x, uint64_t(count) * cols, 4, (name + " input").c_str()));
    if (bias.size != 0)
        PONDER_TRY(checkBinding(bias, rows, 4, (name + " bias").c_str()));
    if (residual.size != 0)
        PONDER_TRY(checkBinding(residual, uint64_t(count) * rows, 4, (name + " residual").c_str()));
    return {};
}

std::string tensorTypeNameOrId(TensorType type)
{
    return tensorTypeFromId(uint32_t(type)) ? std::string(tensorTypeName(type))
                                            : "tensor type id " + std::to_string(uint32_t(type));
}

} // namespace ponder
