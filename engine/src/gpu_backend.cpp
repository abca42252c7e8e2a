#include "ponder/gpu_backend.h"

#include "ponder/model_file.h"

namespace ponder {

Result<std::unique_ptr<GpuContext>> GpuContext::open(std::string_view preference, const vk::InstanceOptions& options,
                                                     const std::filesystem::path& pipelineCacheFolder)
{
    auto context = std::make_unique<GpuContext>();
    auto instance = vk::Instance::create(options);
    if (!instance)
        return std::unexpected(instance.error());
    context->instance = *instance;
    const auto adapters = vk::listAdapters(*context->instance);
    auto picked = vk::pickAdapter(adapters, preference);
    if (!picked)
        return std::unexpected(picked.error());
    auto device = vk::Device::create(context->instance, adapters[*picked]);
    if (!device)
        return std::unexpected(device.error());
    context->device = std::move(*device);
    if (!pipelineCacheFolder.empty()) {
        if (auto cache = vk::PipelineCache::open(*context->device, pipelineCacheFolder)) {
            context->pipelineCache = std::move(*cache);
            context->device->setPipelineCache(context->pipelineCache->handle());
        }
    }
    auto kernels = Kernels::create(*context->device);
    if (!kernels)
        return std::unexpected(kernels.error());
    context->kernels = std::move(*kernels);
    return context;
}

GpuContext::~GpuContext()
{
    // Kernels and their pipelines go first; the cache keeps what they built.
    kernels.reset();
    if (pipelineCache && device && !device->hung())
        (void)pipelineCache->save();
    if (device)
        device->setPipelineCache(VK_NULL_HANDLE);
    pipelineCache.reset();
}

Result<std::unique_ptr<GpuBackend>> GpuBackend::load(const Kernels& kernels, const ModelFile& file,
                                                     const PlanOptions& options, const LoadProgressCallback& progress)
{
    std::unique_ptr<GpuBackend> backend(new GpuBackend());
    auto model = GpuModel::load(kernels.device(), file.info(), file.weights(), options, progress);
    if (!model)
        return std::unexpected(model.error());
    backend->m_model = std::move(*model);
    // The weights live on the GPU now: drop the file's pages from this
    // process, so no second copy of the weights stays resident (the page
    // cache keeps them; a later read maps them back in).
    file.files().releaseTensorPages();
    auto session = GpuSession::create(kernels, *backend->m_model, file.weights());
    if (!session)
        return std::unexpected(session.error());
    backend->m_session = std::move(*session);
    return backend;
}

} // namespace ponder
