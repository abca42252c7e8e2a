#include "compare_backend.h"

#include <QCoreApplication>

#include "engine_helpers.h"

#include "ponder/cpu_backend.h"
#include "ponder/gpu_backend.h"
#include "ponder/gpu_model.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"

#include <algorithm>

namespace ponder::app {
namespace {

// lupdate takes a tr() call's context from its class.
struct BackendText {
    Q_DECLARE_TR_FUNCTIONS(CompareBackends)
};

} // namespace

// A backend that counts itself among the models alive while it lives.
class CompareBackends::Tracked final : public InferenceBackend {
public:
    Tracked(std::unique_ptr<InferenceBackend> inner, std::atomic<int>& alive, std::atomic<int>& peak)
        : m_inner(std::move(inner)), m_alive(alive)
    {
        const int now = ++m_alive;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
    }
    ~Tracked() override
    {
        m_inner.reset();
        --m_alive;
    }

    const ModelConfig& config() const override { return m_inner->config(); }
    uint32_t contextLength() const override { return m_inner->contextLength(); }
    uint32_t length() const override { return m_inner->length(); }
    Result<void> truncate(uint32_t length) override { return m_inner->truncate(length); }
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override
    {
        return m_inner->evaluate(tokens, allLogits);
    }
    std::string deviceName() const override { return m_inner->deviceName(); }
    void setCancelFlag(const std::atomic<bool>* cancel) override { m_inner->setCancelFlag(cancel); }

private:
    std::unique_ptr<InferenceBackend> m_inner;
    std::atomic<int>& m_alive;
};

CompareBackends::CompareBackends(EngineDevice device, uint32_t contextTokens)
    : m_device(resolvedDevice(std::move(device))), m_contextTokens(contextTokens)
{
}

CompareBackends::~CompareBackends() = default;

Result<std::unique_ptr<InferenceBackend>> CompareBackends::open(const ModelFile& model)
{
    const uint32_t context = std::clamp<uint32_t>(m_contextTokens, 256, std::max<uint32_t>(256, model.info().config.contextLength));
    std::unique_ptr<InferenceBackend> backend;
    uint64_t bytes = 0;
    switch (m_device.kind) {
    case EngineDevice::Kind::CpuReference:
        backend = std::make_unique<reference::ReferenceBackend>(model.info(), model.weights(), context);
        break;
    case EngineDevice::Kind::Cpu: {
        auto cpu = CpuBackend::load(model, m_device.cpuOptions(context));
        if (!cpu)
            return fail(cpu.error().code, describeEngineError(cpu.error(), true).toStdString());
        bytes = (*cpu)->allocatedBytes();
        backend = std::move(*cpu);
        break;
    }
    case EngineDevice::Kind::Automatic:  // resolved in the constructor
    case EngineDevice::Kind::Vulkan: {
        if (!m_gpu) {
            auto gpu = openGpuContext(m_device.adapter);
            if (!gpu)
                return fail(gpu.error().code, BackendText::tr("No usable GPU: %1")
                                                  .arg(QString::fromStdString(gpu.error().message))
                                                  .toStdString());
            m_gpu = std::move(*gpu);
        }
        PlanOptions options;
        options.contextLength = context;
        options.kvType = m_device.placement.kvType;
        auto gpu = GpuBackend::load(*m_gpu->kernels, model, options);
        if (!gpu)
            return fail(gpu.error().code, describeEngineError(gpu.error()).toStdString());
        bytes = (*gpu)->model().allocatedBytes();
        backend = std::move(*gpu);
        break;
    }
    }
    std::lock_guard lock(m_mutex);
    m_memory[model.gguf().path().string()] = bytes;
    m_deviceName = QString::fromStdString(backend->deviceName());
    return std::make_unique<Tracked>(std::move(backend), m_alive, m_peak);
}

std::map<std::string, uint64_t> CompareBackends::memoryBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_memory;
}

QString CompareBackends::deviceName() const
{
    std::lock_guard lock(m_mutex);
    return m_deviceName;
}

} // namespace ponder::app
