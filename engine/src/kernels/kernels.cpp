#include "ponder/kernels.h"

#include <string>

#include "ponder/vk/device.h"

namespace ponder {

Kernels::~Kernels() = default;

Result<std::unique_ptr<Kernels>> Kernels::create(const vk::Device& device)
{
    return std::unique_ptr<Kernels>(new Kernels(device));
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

} // namespace ponder
