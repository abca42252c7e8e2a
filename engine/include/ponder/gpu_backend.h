// The Vulkan engine as one object: a device with its kernels (GpuContext),
// and a model file loaded onto it as an InferenceBackend (the CLI, the app
// and the benchmark open models this way).
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "ponder/backend.h"
#include "ponder/gpu_model.h"
#include "ponder/gpu_session.h"
#include "ponder/kernels.h"
#include "ponder/vk/device.h"
#include "ponder/vk/instance.h"
#include "ponder/vk/pipeline_cache.h"

namespace ponder {

class ModelFile;

struct GpuContext {
    std::shared_ptr<vk::Instance> instance;
    std::unique_ptr<vk::Device> device;
    std::unique_ptr<Kernels> kernels;
    std::unique_ptr<vk::PipelineCache> pipelineCache;  // null when not kept on disk

    // Opens the adapter `preference` names (an index or part of a name; empty
    // picks the best, see vk::pickAdapter). With `pipelineCacheFolder`, its
    // pipelines are built through a cache kept there (vk::PipelineCache):
    // loaded now, saved when the context closes. A cache that cannot be
    // opened or saved costs only the time to build pipelines again.
    static Result<std::unique_ptr<GpuContext>> open(std::string_view preference,
                                                    const vk::InstanceOptions& options = {},
                                                    const std::filesystem::path& pipelineCacheFolder = {});
    GpuContext() = default;
    GpuContext(const GpuContext&) = delete;
    GpuContext& operator=(const GpuContext&) = delete;
    ~GpuContext();
};

// A model's weights on the GPU and a session over them.
class GpuBackend final : public InferenceBackend {
public:
    // `kernels` (and its device) and `file` must outlive the backend; the
    // weights are copied to the GPU, so the file's mapping is only read
    // during the call.
    static Result<std::unique_ptr<GpuBackend>> load(const Kernels& kernels, const ModelFile& file,
                                                    const PlanOptions& options,
                                                    const LoadProgressCallback& progress = {});

    const ModelConfig& config() const override { return m_session->config(); }
    uint32_t contextLength() const override { return m_session->contextLength(); }
    uint32_t length() const override { return m_session->length(); }
    Result<void> truncate(uint32_t length) override { return m_session->truncate(length); }
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override
    {
        return m_session->evaluate(tokens, allLogits);
    }
    std::string deviceName() const override { return m_session->deviceName(); }
    void setCancelFlag(const std::atomic<bool>* cancel) override { m_session->setCancelFlag(cancel); }

    const GpuModel& model() const { return *m_model; }
    GpuSession& session() { return *m_session; }

private:
    GpuBackend() = default;
    std::unique_ptr<GpuModel> m_model;
    std::unique_ptr<GpuSession> m_session;
};

} // namespace ponder
