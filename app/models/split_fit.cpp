#include "split_fit.h"

#include "byte_format.h"
#include "model_fit.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>

namespace ponder::app {
namespace {

// lupdate takes a SplitFitText::tr() call's context from its class.
struct SplitFitText {
    Q_DECLARE_TR_FUNCTIONS(SplitFit)
};

// The verdict of a split: the GPUs are filled on purpose (as many layers as
// fit), so their spare says nothing; the RAM the CPU's part leaves does.
// Without the CPU every GPU's spare counts, as on one device.
FitVerdict splitVerdict(const SplitFit& split)
{
    bool tight = false;
    if (const SplitPart* cpu = split.cpuPart())
        tight = classifyFit(cpu->bytes, cpu->freeBytes) == FitVerdict::Tight;
    else
        for (const SplitPart& part : split.parts)
            tight = tight || classifyFit(part.bytes, part.freeBytes) == FitVerdict::Tight;
    return tight ? FitVerdict::SplitTight : FitVerdict::Split;
}

} // namespace

int SplitFit::gpuCount() const
{
    return int(std::count_if(parts.begin(), parts.end(), [](const SplitPart& p) { return !p.cpu; }));
}

const SplitPart* SplitFit::cpuPart() const
{
    const auto cpu = std::find_if(parts.begin(), parts.end(), [](const SplitPart& p) { return p.cpu; });
    return cpu == parts.end() ? nullptr : &*cpu;
}

SplitFit splitFitOf(const Placement& placement, std::span<const PlacementDevice> devices)
{
    SplitFit split;
    split.gpuLayers = placement.gpuUnits;
    split.totalLayers = placement.totalUnits;
    split.tokensPerSecond = placement.estimatedTokensPerSecond(devices);
    std::optional<SplitPart> cpu;
    for (const PlacedPart& placed : placement.parts) {
        const PlacementDevice* device = placed.device < devices.size() ? &devices[placed.device] : nullptr;
        SplitPart part;
        part.device = device ? QString::fromStdString(device->name) : QString();
        part.cpu = placed.cpuPlan.has_value();
        part.layers = placed.layerUnits();
        part.bytes = placed.neededBytes;
        part.freeBytes = device ? device->freeBytes : 0;
        if (part.cpu)
            cpu = part;
        else
            split.parts << part;
    }
    // The CPU's layers come first in the chain; in words it comes last.
    if (cpu)
        split.parts << *cpu;
    return split;
}

QString splitLayersText(const SplitFit& split, bool deviceNames)
{
    const SplitPart* cpu = split.cpuPart();
    if (split.gpuLayers == 0 && cpu)
        return SplitFitText::tr("all %1 layers on the CPU").arg(split.totalLayers);
    QStringList phrases;
    const int gpus = split.gpuCount();
    if (!deviceNames) {
        phrases << (gpus == 1
                        ? SplitFitText::tr("%1 of %2 layers on the GPU").arg(split.gpuLayers).arg(split.totalLayers)
                        : SplitFitText::tr("%1 of %2 layers on %3 GPUs")
                              .arg(split.gpuLayers)
                              .arg(split.totalLayers)
                              .arg(gpus));
    } else {
        for (const SplitPart& part : split.parts) {
            if (part.cpu)
                continue;
            phrases << (phrases.isEmpty() ? SplitFitText::tr("%1 of %2 layers on %3")
                                                .arg(part.layers)
                                                .arg(split.totalLayers)
                                                .arg(part.device)
                                          : SplitFitText::tr("%1 on %2").arg(part.layers).arg(part.device));
        }
    }
    if (cpu)
        phrases << SplitFitText::tr("%1 on the CPU").arg(cpu->layers);
    return phrases.join(QStringLiteral(", "));
}

QString splitSpeedText(const SplitFit& split)
{
    if (!split.tokensPerSecond)
        return {};
    const double speed = *split.tokensPerSecond;
    return SplitFitText::tr("about %1 tok/s (estimate)").arg(speed, 0, 'f', speed < 10 ? 1 : 0);
}

QString splitCellText(const SplitFit& split)
{
    QStringList lines;
    const SplitPart* cpu = split.cpuPart();
    if (split.gpuLayers > 0)
        lines << (split.gpuCount() > 1 ? SplitFitText::tr("GPUs: %1 of %2 layers")
                                       : SplitFitText::tr("GPU: %1 of %2 layers"))
                     .arg(split.gpuLayers)
                     .arg(split.totalLayers);
    if (cpu)
        lines << (split.gpuLayers > 0
                      ? SplitFitText::tr("CPU: %1 · %2").arg(cpu->layers).arg(formatMemoryBytes(cpu->bytes))
                                      : SplitFitText::tr("CPU: all %1 layers").arg(cpu->layers));
    if (split.tokensPerSecond) {
        const double speed = *split.tokensPerSecond;
        lines << SplitFitText::tr("estimated %1 tok/s").arg(speed, 0, 'f', speed < 10 ? 1 : 0);
    }
    return lines.join(u'\n');
}

QString splitGpuMemoryText(const SplitFit& split)
{
    uint64_t gpu = 0;
    for (const SplitPart& part : split.parts)
        if (!part.cpu)
            gpu += part.bytes;
    const SplitPart* cpu = split.cpuPart();
    if (cpu && split.gpuLayers == 0)
        return SplitFitText::tr("RAM %1").arg(formatMemoryBytes(cpu->bytes));
    return (split.gpuCount() > 1 ? SplitFitText::tr("GPUs %1") : SplitFitText::tr("GPU %1"))
        .arg(formatMemoryBytes(gpu));
}

QString splitMemoryText(const SplitFit& split)
{
    const SplitPart* cpu = split.cpuPart();
    if (!cpu || split.gpuLayers == 0)
        return splitGpuMemoryText(split);
    return SplitFitText::tr("%1 + RAM %2").arg(splitGpuMemoryText(split), formatMemoryBytes(cpu->bytes));
}

QString splitMemoryDetails(const SplitFit& split)
{
    QStringList lines;
    for (const SplitPart& part : split.parts)
        if (part.layers > 0)
            lines << (part.cpu ? SplitFitText::tr("%1: %2 of RAM, %3 available")
                               : SplitFitText::tr("%1: %2 of %3 free"))
                         .arg(part.device, formatMemoryBytes(part.bytes), formatMemoryBytes(part.freeBytes));
    return lines.join(u'\n');
}

FitResult evaluateSplitFit(const ModelInfo& info, uint32_t contextLength, const PlacementSettings& settings,
                           std::span<const PlacementDevice> devices, FitResult single)
{
    if (info.config.contextLength > 0)
        contextLength = std::min(contextLength, info.config.contextLength);
    auto layout = planLayout(info, fitPlanOptions(contextLength, settings.kvType), settings, devices);
    // Settings the load would refuse (shares that do not match the GPUs):
    // the load's error, not a fit it will not give.
    if (!layout && layout.error().code == ErrorCode::InvalidArgument) {
        FitResult refused = single;
        refused.verdict = FitVerdict::DoesNotFit;
        refused.planFailed = true;
        refused.neededBytes = refused.totalBytes = 0;
        refused.reason = SplitFitText::tr("the split settings do not suit these GPUs: %1")
                             .arg(QString::fromStdString(layout.error().message));
        return refused;
    }
    // Nothing holds it, or it runs whole on the GPU after all (`single` says how).
    if (!layout || !*layout || (!(*layout)->split() && !(*layout)->parts.front().cpuPlan))
        return single;
    FitResult result;
    result.split = splitFitOf(**layout, devices);
    result.verdict = splitVerdict(*result.split);
    for (const SplitPart& part : result.split->parts) {
        result.neededBytes += part.bytes;
        result.freeBytes += part.freeBytes;
    }
    for (const PlacedPart& placed : (*layout)->parts)
        result.totalBytes += placed.allocatedBytes;
    const QString speed = splitSpeedText(*result.split);
    result.reason = SplitFitText::tr("Split: %1").arg(splitLayersText(*result.split)) +
                    (speed.isEmpty() ? QString() : QStringLiteral(" · ") + speed);
    return result;
}

} // namespace ponder::app
