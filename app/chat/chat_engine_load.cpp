// ChatEngine: opening a model. Reads the file, switches on the device's kind
// in one place (the CPU reference, the native CPU engine, a GPU, or a split
// that chat_engine_split.cpp plans and loads) and reports what was loaded,
// and where, in the status line's words and the info fields beside them.
// Apart from the answers (chat_engine.cpp) because a new device or a new
// figure about a load changes this file and nothing of how answers run.
#include "chat_engine.h"

#include "byte_format.h"
#include "engine_guard.h"
#include "engine_helpers.h"
#include "job.h"

#include <QFileInfo>

#include "ponder/cpu_backend.h"
#include "ponder/generator.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"
#include "ponder/split_backend.h"
#include "ponder/vk/adapter.h"
#include "ponder/vk/device.h"
#include "ponder/vk/instance.h"

#include <algorithm>
#include <optional>

namespace ponder::app {
namespace {

// Bytes this process uses in the device's device-local heaps, measured by
// the driver (VK_EXT_memory_budget); nothing where the driver cannot say.
std::optional<qint64> deviceLocalUsage(const GpuContext& gpu)
{
    for (const vk::AdapterInfo& adapter : vk::listAdapters(*gpu.instance)) {
        if (adapter.handle != gpu.device->physical())
            continue;
        if (!adapter.hasMemoryBudget)
            return std::nullopt;
        qint64 used = 0;
        for (const vk::MemoryHeap& heap : adapter.heaps)
            if (heap.deviceLocal)
                used += qint64(heap.usage);
        return used;
    }
    return std::nullopt;
}

} // namespace

LoadProgressCallback ChatEngine::loadProgressReporter()
{
    return [this](const LoadProgress& progress) {
        emit loadProgress(progress.bytesTotal ? double(progress.bytesDone) / double(progress.bytesTotal) : 1.0);
        return !m_stop.exchange(false);
    };
}

void ChatEngine::loadModel(const QString& path, int contextLength, const EngineDevice& chosen, quint64 request)
{
    if (!begin(request)) {
        emit loadFailed(tr("Opening the model was cancelled."));
        return;
    }
    if (const QString error = guardedEngineCall([&] { load(path, contextLength, chosen); }); !error.isEmpty()) {
        unloadModel();
        emit loadFailed(error);
    }
}

void ChatEngine::load(const QString& path, int contextLength, const EngineDevice& chosen)
{
    unloadModel();
    auto file = ModelFile::open(path.toStdString());
    if (!file) {
        emit loadFailed(describeEngineError(file.error()));
        return;
    }
    m_file = std::move(*file);
    engineTestStep("load");
    const uint32_t context = uint32_t(std::clamp<int>(contextLength, 256, int(m_file->info().config.contextLength)));

    const EngineDevice device = resolvedDevice(chosen);
    std::optional<qint64> usageBefore;
    switch (device.kind) {
    case EngineDevice::Kind::CpuReference:
        m_backend = std::make_unique<reference::ReferenceBackend>(m_file->info(), m_file->weights(), context);
        break;
    case EngineDevice::Kind::Cpu: {
        // The plan is checked against free RAM, then the weights are read
        // into it from the mapped file, with progress and cancel as a GPU's upload.
        auto backend = CpuBackend::load(*m_file, device.cpuOptions(context), loadProgressReporter());
        if (!backend) {
            m_file.reset();
            emit loadFailed(describeEngineError(backend.error(), true));
            return;
        }
        m_backend = std::move(*backend);
        break;
    }
    case EngineDevice::Kind::Automatic:  // resolved above
    case EngineDevice::Kind::Vulkan: {
        if (m_gpu && device.adapter != m_gpuAdapter)
            m_gpu.reset();
        m_gpuAdapter = device.adapter;
        if (!m_gpu) {
            auto gpu = openGpuContext(device.adapter);
            if (!gpu) {
                m_file.reset();
                // Not describeEngineError(): its NotFound means a missing file, here a missing device.
                emit loadFailed(tr("No usable GPU: %1").arg(QString::fromStdString(gpu.error().message)));
                return;
            }
            m_gpu = std::move(*gpu);
        }
        // A model the GPU cannot hold (or that the settings split) runs
        // split across it, the other GPUs taking part and the CPU engine.
        if (const SplitLoad split = loadSplit(device, context); split == SplitLoad::Failed) {
            m_file.reset();
            return;
        } else if (split == SplitLoad::Loaded) {
            break;
        }
        PlanOptions options;
        options.contextLength = context;
        options.kvType = device.placement.kvType;
        usageBefore = deviceLocalUsage(*m_gpu);
        auto backend = GpuBackend::load(*m_gpu->kernels, *m_file, options, loadProgressReporter());
        if (!backend) {
            m_file.reset();
            if (backend.error().code == ErrorCode::DeviceLost)
                closeGpus();
            emit loadFailed(describeEngineError(backend.error()));
            return;
        }
        m_backend = std::move(*backend);
        break;
    }
    }
    m_steps = std::make_unique<serve::StepCounter>(*m_backend);
    m_generator = std::make_unique<Generator>(*m_steps, m_file->tokenizer(), m_file->chatFormat());

    const ModelInfo& info = m_file->info();
    QVariantMap loaded;
    loaded["path"] = path;
    loaded["name"] = info.name.empty() ? QFileInfo(path).completeBaseName() : QString::fromStdString(info.name);
    loaded["architecture"] = QString::fromUtf8(architectureName(info.config.architecture).data());
    loaded["fileType"] = QString::fromStdString(info.fileType);
    loaded["parameters"] = qulonglong(info.parameterCount);
    loaded["contextLength"] = int(context);
    loaded["device"] = QString::fromStdString(m_backend->deviceName());
    loaded["chatFormat"] = QString::fromUtf8(chatFormatName(m_file->chatFormat()).data());
    loaded["expectReasoning"] = m_file->chatFormat() == ChatFormat::DeepSeekR1;
    QString summary = tr("%1 (%2) on %3").arg(loaded["name"].toString(), loaded["fileType"].toString(),
                                             loaded["device"].toString());
    if (auto* gpu = dynamic_cast<GpuBackend*>(m_backend.get())) {
        // The plan's bytes (the picker's estimate), and beside them what the
        // driver reports this process's device-local usage grew by.
        loaded["allocatedBytes"] = qulonglong(gpu->model().allocatedBytes());
        if (const auto usageAfter = deviceLocalUsage(*m_gpu); usageBefore && usageAfter)
            loaded["measuredBytes"] = qlonglong(*usageAfter - *usageBefore);
        summary += loaded.contains("measuredBytes")
                       ? tr(" · %1 on the GPU (measured: %2)")
                             .arg(formatMemoryBytes(gpu->model().allocatedBytes()),
                                  formatMemoryBytes(uint64_t(std::max<qlonglong>(0, loaded["measuredBytes"].toLongLong()))))
                       : tr(" · %1 on the GPU").arg(formatMemoryBytes(gpu->model().allocatedBytes()));
    } else if (dynamic_cast<SplitBackend*>(m_backend.get())) {
        describeSplit(loaded, summary);
    } else if (auto* cpu = dynamic_cast<CpuBackend*>(m_backend.get())) {
        // The CPU plan's bytes (the picker's estimate for the CPU), allocated at load.
        loaded["allocatedBytes"] = qulonglong(cpu->allocatedBytes());
        loaded["threads"] = int(cpu->threads());
        const QString ram = formatMemoryBytes(cpu->allocatedBytes());
        summary += cpu->threads() == 1 ? tr(" · %1 of RAM, 1 thread").arg(ram)
                                       : tr(" · %1 of RAM, %2 threads").arg(ram).arg(cpu->threads());
    }
    loaded["summary"] = summary;
    qCInfo(lcEngine) << "loaded" << path << "on" << loaded["device"].toString();
    emit modelLoaded(loaded);
}

} // namespace ponder::app
