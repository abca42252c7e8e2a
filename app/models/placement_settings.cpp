#include "placement_settings.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace ponder::app {
namespace {

// lupdate takes a PlacementText::tr() call's context from its class.
struct PlacementText {
    Q_DECLARE_TR_FUNCTIONS(PlacementSettings)
};

// A device-local heap that is system memory: every buffer counts against
// it (ponder::deviceBytesNeeded's rule).
bool unifiedMemory(vk::AdapterType type)
{
    return type == vk::AdapterType::Cpu || type == vk::AdapterType::Integrated;
}

} // namespace

std::expected<std::vector<double>, QString> parseSplitShares(const QString& text)
{
    std::vector<double> shares;
    if (text.trimmed().isEmpty())
        return shares;
    double total = 0;
    for (const QString& item : text.split(u',')) {
        bool ok = false;
        const double share = item.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(share) || share < 0)
            return std::unexpected(PlacementText::tr("“%1” is not a share: give a number of at least 0 per GPU, as in 8,6,6,6")
                                       .arg(item.trimmed().left(20)));
        shares.push_back(share);
        total += share;
    }
    if (!(total > 0))
        return std::unexpected(PlacementText::tr("at least one GPU's share must be more than 0"));
    return shares;
}

QList<int> parseGpuList(const QString& text)
{
    QList<int> gpus;
    for (const QString& item : text.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int index = item.trimmed().toInt(&ok);
        if (ok && index >= 0 && !gpus.contains(index))
            gpus << index;
    }
    return gpus;
}

QString gpuListText(const QList<int>& gpus)
{
    QStringList items;
    for (int index : gpus)
        items << QString::number(index);
    return items.join(u',');
}

QList<int> gpusTakingPart(int chosen, const QList<int>& extraGpus)
{
    QList<int> gpus{chosen};
    for (int index : extraGpus)
        if (index >= 0 && !gpus.contains(index))
            gpus << index;
    std::sort(gpus.begin(), gpus.end());
    return gpus;
}

bool splitRequested(const PlacementSettings& settings, int gpuCount)
{
    return settings.gpuLayers.has_value() || gpuCount > 1;
}

PlacementRequest placementRequest(PlanOptions plan, const PlacementSettings& settings, std::vector<double> shares,
                                  uint32_t totalLayers)
{
    PlacementRequest request;
    plan.kvType = settings.kvType;
    plan.part.reset();
    request.plan = plan;
    if (settings.gpuLayers)
        request.gpuLayers = std::min(*settings.gpuLayers, totalLayers);
    request.gpuShares = std::move(shares);
    return request;
}

PlacementDevice placementGpu(const QString& name, vk::AdapterType type, const DeviceLimits& limits,
                             uint64_t freeBytes, double readBytesPerSecond)
{
    PlacementDevice device;
    device.name = name.toStdString();
    device.freeBytes = freeBytes;
    device.limits = limits;
    device.unifiedMemory = unifiedMemory(type);
    device.readBytesPerSecond = readBytesPerSecond;
    return device;
}

PlacementDevice placementCpu(const QString& name, uint64_t freeBytes, uint32_t threads, double readBytesPerSecond)
{
    PlacementDevice device;
    device.name = name.toStdString();
    device.cpu = true;
    device.freeBytes = freeBytes;
    device.threads = std::max(threads, 1u);
    device.weightPlacement = defaultCpuWeightPlacement();
    device.readBytesPerSecond = readBytesPerSecond;
    return device;
}

PlacementDevice placementDevice(const AdapterSummary& device, uint32_t cpuThreads)
{
    const uint64_t free = uint64_t(std::max<qint64>(device.freeMemory, 0));
    PlacementDevice placed =
        device.cpuEngine
            ? placementCpu(device.name, free, cpuThreads > 0 ? cpuThreads : std::max(device.physicalCores, 1u),
                           device.readBytesPerSecond)
            : placementGpu(device.name, device.type, device.limits, free, device.readBytesPerSecond);
    // Measured at the CPU engine's default thread count; the estimate
    // takes them as they are for another count, as it does the bandwidth.
    placed.decodeBytesPerSecond = device.decodeBytesPerSecond;
    return placed;
}

Result<std::optional<Placement>> planLayout(const ModelInfo& info, const PlanOptions& plan,
                                            const PlacementSettings& settings,
                                            std::span<const PlacementDevice> devices)
{
    const auto gpus = size_t(std::count_if(devices.begin(), devices.end(), [](const auto& d) { return !d.cpu; }));
    if (gpus == 0 || devices.front().cpu)
        return fail(ErrorCode::InvalidArgument, "a layout needs a GPU first among its devices");
    PlanOptions whole = plan;
    whole.kvType = settings.kvType;
    whole.part.reset();
    if (!splitRequested(settings, int(gpus))) {
        // The one-device path, as the engine checks it (GpuModel::load).
        const PlacementDevice& gpu = devices.front();
        auto single = planMemory(info, whole, gpu.limits);
        if (single && (gpu.unifiedMemory ? single->totalBytes() : single->deviceLocalBytes()) <= gpu.freeBytes)
            return std::optional<Placement>();
    }
    // A share for one GPU says nothing: only several GPUs are split by shares.
    std::vector<double> shares;
    if (gpus > 1) {
        auto parsed = parseSplitShares(settings.shares);
        if (!parsed)
            return fail(ErrorCode::InvalidArgument, parsed.error().toStdString());
        shares = std::move(*parsed);
    }
    auto placement = planPlacement(info, placementRequest(whole, settings, std::move(shares), info.config.blockCount + 1),
                                   devices);
    if (!placement)
        return std::unexpected(placement.error());
    return std::optional<Placement>(std::move(*placement));
}

} // namespace ponder::app
