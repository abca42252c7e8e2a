#include "backends.h"

#include <cstdio>

#include "ponder/cpu_backend.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"
#include "split_devices.h"

namespace ponder::tools {
namespace {

// Keeps the device alive as long as the model that runs on it.
class OwningGpuBackend final : public InferenceBackend {
public:
    OwningGpuBackend(std::unique_ptr<GpuContext> context, std::unique_ptr<GpuBackend> backend)
        : m_context(std::move(context)), m_backend(std::move(backend))
    {
    }
    ~OwningGpuBackend() override { m_backend.reset(); }
    const ModelConfig& config() const override { return m_backend->config(); }
    uint32_t contextLength() const override { return m_backend->contextLength(); }
    uint32_t length() const override { return m_backend->length(); }
    Result<void> truncate(uint32_t length) override { return m_backend->truncate(length); }
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override
    {
        return m_backend->evaluate(tokens, allLogits);
    }
    std::string deviceName() const override { return m_backend->deviceName(); }

private:
    std::unique_ptr<GpuContext> m_context;
    std::unique_ptr<GpuBackend> m_backend;
};

// Keeps the devices alive as long as the split model that runs on them.
class OwningSplitBackend final : public InferenceBackend {
public:
    explicit OwningSplitBackend(SplitModel split) : m_split(std::move(split)) {}
    const ModelConfig& config() const override { return m_split.backend->config(); }
    uint32_t contextLength() const override { return m_split.backend->contextLength(); }
    uint32_t length() const override { return m_split.backend->length(); }
    Result<void> truncate(uint32_t length) override { return m_split.backend->truncate(length); }
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override
    {
        return m_split.backend->evaluate(tokens, allLogits);
    }
    std::string deviceName() const override { return m_split.backend->deviceName(); }
    void setCancelFlag(const std::atomic<bool>* cancel) override { m_split.backend->setCancelFlag(cancel); }

private:
    SplitModel m_split;
};

} // namespace

Result<std::unique_ptr<InferenceBackend>> openBackend(const std::string& device, const ModelFile& model,
                                                      uint32_t contextLength, uint32_t threads,
                                                      const SplitChoice& split, std::optional<KvCacheType> kvType)
{
    const KvCacheType engineCache = kvType.value_or(KvCacheType::F16);
    if (namesSeveralDevices(device)) {
        SplitRequest request{.devices = device, .split = split.shares, .gpuLayers = split.gpuLayers};
        request.plan.contextLength = std::min(contextLength, model.info().config.contextLength);
        request.plan.kvType = engineCache;
        request.threads = threads;
        auto opened = openSplit(model, request);
        if (!opened)
            return std::unexpected(opened.error());
        std::fprintf(stderr, "placement: %s\n",
                     describePlacement(opened->backend->placement(), opened->devices).c_str());
        return std::make_unique<OwningSplitBackend>(std::move(*opened));
    }
    if (split.gpuLayers || split.shares != "auto")
        return fail(ErrorCode::InvalidArgument, "--split and --gpu-layers need several devices in --device, "
                                                "e.g. --device vulkan,cpu");
    if (device == "cpu") {
        CpuBackendOptions options;
        options.plan.contextLength = std::min(contextLength, model.info().config.contextLength);
        options.plan.kvType = engineCache;
        options.threads = threads;
        auto backend = CpuBackend::load(model, options);
        if (!backend)
            return std::unexpected(backend.error());
        return std::unique_ptr<InferenceBackend>(std::move(*backend));
    }
    if (device == "cpu-reference")
        return std::make_unique<reference::ReferenceBackend>(model.info(), model.weights(), contextLength,
                                                             kvType.value_or(KvCacheType::F32));
    if (device == "vulkan" || device.rfind("vulkan:", 0) == 0) {
        const std::string preference = device == "vulkan" ? vk::adapterPreferenceFromEnvironment() : device.substr(7);
        vk::InstanceOptions options;
        // With PONDER_VALIDATION=1, show what the validation layer reports.
        options.onValidationMessage = [](std::string_view message) {
            std::fprintf(stderr, "vulkan validation: %.*s\n", int(message.size()), message.data());
        };
        auto context = GpuContext::open(preference, options, vk::defaultPipelineCacheFolder());
        if (!context)
            return std::unexpected(context.error());
        PlanOptions plan;
        plan.contextLength = std::min(contextLength, model.info().config.contextLength);
        plan.kvType = engineCache;
        auto backend = GpuBackend::load(*(*context)->kernels, model, plan);
        if (!backend)
            return std::unexpected(backend.error());
        return std::make_unique<OwningGpuBackend>(std::move(*context), std::move(*backend));
    }
    return fail(ErrorCode::InvalidArgument,
                "unknown --device '" + device + "' (known: " + std::string(kDeviceNames) + ")");
}

} // namespace ponder::tools
