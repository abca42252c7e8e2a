// ChatEngine: a model split across devices. On Vulkan the layout comes from
// planLayout, the function the picker's badge comes from: the whole model
// on the chosen GPU when it fits there and the settings ask for no split,
// else ponder::planPlacement over the GPUs taking part (Vulkan order) and
// the CPU engine, loaded as one ponder::SplitBackend. Free memory is read
// from the opened devices now, so the plan is for this moment's memory.
#include "chat_engine.h"

#include "byte_format.h"
#include "device_bandwidth.h"
#include "engine_guard.h"
#include "engine_helpers.h"
#include "gpu_free_memory.h"
#include "split_fit.h"

#include <QStringList>

#include <vector>

#include "ponder/cpu_info.h"
#include "ponder/gpu_backend.h"
#include "ponder/gpu_model.h"
#include "ponder/model_file.h"
#include "ponder/split_backend.h"

namespace ponder::app {
namespace {

// A layout that cannot be planned or loaded, in words: which setting or
// device is the trouble and what to try.
QString describeSplitError(const Error& error)
{
    const QString detail = QString::fromStdString(error.message);
    switch (error.code) {
    case ErrorCode::OutOfMemory:
        return ChatEngine::tr("Not enough memory for the model, even split across the GPU and the CPU. Try a "
                              "smaller model or quantization, a shorter context length, or fewer layers on the "
                              "GPU. (%1)").arg(detail);
    case ErrorCode::InvalidArgument:
        return ChatEngine::tr("The split settings do not suit this model or these GPUs: %1. Change the layers on "
                              "the GPU, the GPUs that take part or the split shares in the settings.").arg(detail);
    default:
        return describeEngineError(error);
    }
}

} // namespace

void ChatEngine::closeGpus()
{
    m_gpu.reset();
    m_extraGpus.clear();
}

ChatEngine::SplitLoad ChatEngine::loadSplit(const EngineDevice& device, uint32_t context)
{
    const int chosen = int(m_gpu->device->adapter().index);
    const QList<int> gpus = gpusTakingPart(chosen, device.placement.extraGpus);
    // The other GPUs, opened once and kept; one no longer taking part is closed.
    for (auto it = m_extraGpus.begin(); it != m_extraGpus.end();)
        it = gpus.contains(it->first) ? std::next(it) : m_extraGpus.erase(it);
    for (int index : gpus) {
        if (index == chosen || m_extraGpus.contains(index))
            continue;
        auto gpu = openGpuContext(QString::number(index));
        if (!gpu) {
            emit loadFailed(tr("Cannot open GPU %1, which the settings have take part in the split: %2")
                                .arg(index)
                                .arg(QString::fromStdString(gpu.error().message)));
            return SplitLoad::Failed;
        }
        m_extraGpus[index] = std::move(*gpu);
    }

    // The devices in chain order, and each GPU's kernels (null for the CPU).
    std::vector<PlacementDevice> devices;
    std::vector<const Kernels*> kernels;
    for (int index : gpus) {
        const GpuContext& gpu = index == chosen ? *m_gpu : *m_extraGpus.at(index);
        const vk::AdapterInfo& adapter = gpu.device->adapter();
        devices.push_back(placementGpu(QString::fromStdString(adapter.name), adapter.type, deviceLimits(adapter),
                                       plannedGpuFreeBytes(gpu.device->freeDeviceLocalBytes()),
                                       cachedBandwidth(bandwidthKey(adapter)).value_or(0)));
        devices.back().decodeBytesPerSecond = cachedDecodeRates(bandwidthKey(adapter));
        kernels.push_back(gpu.kernels.get());
    }
    const CpuInfo cpu = readCpuInfo();
    devices.push_back(placementCpu(QString::fromStdString(cpu.displayName()), cpu.availableBytes,
                                   device.threads ? device.threads : cpu.physicalCores,
                                   cachedBandwidth(cpuBandwidthKey(cpu)).value_or(0)));
    // The figures the picker's estimate used (kept by GpuSelector), for the same plan and estimate.
    devices.back().decodeBytesPerSecond = cachedDecodeRates(cpuBandwidthKey(cpu));
    kernels.push_back(nullptr);

    PlanOptions options;
    options.contextLength = context;
    auto layout = planLayout(m_file->info(), options, device.placement, devices);
    if (!layout) {
        emit loadFailed(describeSplitError(layout.error()));
        return SplitLoad::Failed;
    }
    if (!*layout)
        return SplitLoad::NotSplit;
    qCInfo(lcEngine) << "splitting:" << splitLayersText(splitFitOf(**layout, devices));

    CpuBackendOptions cpuOptions;
    cpuOptions.threads = device.threads;
    auto backend = SplitBackend::load(*m_file, **layout, kernels, cpuOptions, loadProgressReporter());
    if (!backend) {
        if (backend.error().code == ErrorCode::DeviceLost)
            closeGpus();
        emit loadFailed(backend.error().code == ErrorCode::OutOfMemory ? describeSplitError(backend.error())
                                                                        : describeEngineError(backend.error()));
        return SplitLoad::Failed;
    }
    m_backend = std::move(*backend);
    return SplitLoad::Loaded;
}

void ChatEngine::describeSplit(QVariantMap& loaded, QString& summary) const
{
    const auto& split = static_cast<const SplitBackend&>(*m_backend);
    const Placement& placement = split.placement();
    // In words the GPUs come first and the CPU last, whatever the chain order.
    SplitFit fit;
    fit.gpuLayers = placement.gpuUnits;
    fit.totalLayers = placement.totalUnits;
    std::optional<SplitPart> cpuPart;
    QVariantList parts;
    uint64_t allocated = 0;
    for (size_t i = 0; i < placement.parts.size(); ++i) {
        SplitPart part;
        part.device = QString::fromStdString(split.partDeviceName(i));
        part.cpu = placement.parts[i].cpuPlan.has_value();
        part.layers = placement.parts[i].layerUnits();
        part.bytes = split.partAllocatedBytes(i);
        allocated += part.bytes;
        parts << QVariantMap{{QStringLiteral("device"), part.device},
                             {QStringLiteral("cpu"), part.cpu},
                             {QStringLiteral("layers"), part.layers},
                             {QStringLiteral("allocatedBytes"), qulonglong(part.bytes)}};
        if (part.cpu)
            cpuPart = part;
        else
            fit.parts << part;
    }
    if (cpuPart)
        fit.parts << *cpuPart;
    QStringList bytes;
    for (const SplitPart& part : fit.parts)
        bytes << formatMemoryBytes(part.bytes);
    loaded["split"] = true;
    loaded["gpuLayers"] = fit.gpuLayers;
    loaded["totalLayers"] = fit.totalLayers;
    loaded["allocatedBytes"] = qulonglong(allocated);
    loaded["parts"] = parts;
    // The layers say where it runs: "on llvmpipe + CPU (…)" would say it twice.
    summary = tr("%1 (%2) · Split: %3 · %4")
                  .arg(loaded["name"].toString(), loaded["fileType"].toString(), splitLayersText(fit),
                       bytes.join(QStringLiteral(" + ")));
}

} // namespace ponder::app
