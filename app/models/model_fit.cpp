#include "model_fit.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>

#include "ponder/cpu_memory_plan.h"
#include "ponder/gpu_model.h"

namespace ponder::app {
namespace {

constexpr std::array<QuantMix, 7> kQualityOrder{QuantMix::F16,    QuantMix::Q8_0,   QuantMix::Q6_K, QuantMix::Q5_K_M,
                                                QuantMix::Q4_K_M, QuantMix::Q3_K_M, QuantMix::Q2_K};

} // namespace

PlanOptions fitPlanOptions(uint32_t contextLength, KvCacheType kvType)
{
    PlanOptions options;
    options.contextLength = contextLength;
    options.kvType = kvType;
    return options;
}

FitVerdict classifyFit(uint64_t needed, uint64_t free)
{
    if (needed > free)
        return FitVerdict::DoesNotFit;
    // spare / free < 10%, in integers: exact at the boundary (spare of exactly
    // 10% fits), no overflow (free is far below 2^64 / 100).
    const uint64_t spare = free - needed;
    return spare * 100 < free * kTightPercent ? FitVerdict::Tight : FitVerdict::Fits;
}

FitTarget fitTargetFor(const AdapterSummary& device, int cpuThreads)
{
    FitTarget target;
    target.limits = device.limits;
    target.freeBytes = uint64_t(std::max<qint64>(device.freeMemory, 0));
    target.type = device.type;
    target.cpuEngine = device.cpuEngine;
    target.threads = cpuThreads > 0 ? uint32_t(cpuThreads) : std::max(device.physicalCores, 1u);
    // CpuBackend::load keeps them where this machine's default says.
    target.weightPlacement = defaultCpuWeightPlacement();
    return target;
}

FitResult evaluateFit(const ModelInfo& info, uint32_t contextLength, const FitTarget& target, KvCacheType kvType)
{
    FitResult result;
    result.freeBytes = target.freeBytes;
    // The chat never asks for more context than the model was trained for
    // (ChatEngine::loadModel clamps it), so neither does the estimate.
    if (info.config.contextLength > 0)
        contextLength = std::min(contextLength, info.config.contextLength);
    if (target.cpuEngine) {
        // The engine allocates exactly the CPU plan (totalBytes), the
        // weights' copy in huge pages included where it makes one. Weights
        // read in place from the mapped file are not allocated, but every
        // decode step touches all of them, so they must stay in RAM beside
        // the plan or each token pages the file in again. Both count against
        // the available RAM.
        auto plan = planCpuMemory(info, fitPlanOptions(contextLength, kvType), std::max(target.threads, 1u),
                                  target.weightPlacement);
        if (!plan) {
            result.planFailed = true;
            result.reason = QCoreApplication::translate("ModelFit", "cannot run on the CPU: %1")
                                .arg(QString::fromStdString(plan.error().message));
            return result;
        }
        result.neededBytes = plan->allocatedBytes() + (plan->readsMappedWeights() ? info.tensorBytes : 0);
        result.totalBytes = plan->allocatedBytes();
        result.verdict = classifyFit(result.neededBytes, target.freeBytes);
        result.reason = fitReason(result.neededBytes, target.freeBytes);
        return result;
    }
    auto plan = planMemory(info, fitPlanOptions(contextLength, kvType), target.limits);
    if (!plan) {
        result.planFailed = true;
        result.reason = QCoreApplication::translate("ModelFit", "cannot run on this GPU: %1")
                            .arg(QString::fromStdString(plan.error().message));
        return result;
    }
    result.neededBytes = deviceBytesNeeded(*plan, target.type);
    result.totalBytes = plan->totalBytes();
    result.verdict = classifyFit(result.neededBytes, target.freeBytes);
    result.reason = fitReason(result.neededBytes, target.freeBytes);
    return result;
}

QString fitReason(uint64_t needed, uint64_t free)
{
    return QCoreApplication::translate("ModelFit", "needs %1, %2 free").arg(formatMemoryBytes(needed), formatMemoryBytes(free));
}

QString fitReasonText(uint64_t needed, uint64_t free)
{
    const QChar noBreak(0x00a0);
    const auto together = [noBreak](QString figure) { return figure.replace(u' ', noBreak); };
    return QCoreApplication::translate("ModelFit", "needs %1, %2%3free")
        .arg(together(formatMemoryBytes(needed)), together(formatMemoryBytes(free)), noBreak);
}

QString verdictName(FitVerdict verdict)
{
    switch (verdict) {
    case FitVerdict::Fits: return QStringLiteral("fits");
    case FitVerdict::Tight: return QStringLiteral("tight");
    case FitVerdict::Split: return QStringLiteral("split");
    case FitVerdict::SplitTight: return QStringLiteral("splitTight");
    case FitVerdict::DoesNotFit: return QStringLiteral("doesNotFit");
    }
    return QStringLiteral("doesNotFit");
}

std::span<const QuantMix> quantQualityOrder()
{
    return kQualityOrder;
}

int quantQualityRank(QuantMix mix)
{
    const auto it = std::find(kQualityOrder.begin(), kQualityOrder.end(), mix);
    return it == kQualityOrder.end() ? -1 : int(it - kQualityOrder.begin());
}

std::optional<QuantMix> recommendQuant(std::span<const std::pair<QuantMix, FitVerdict>> fits)
{
    for (const FitVerdict wanted : {FitVerdict::Fits, FitVerdict::Tight, FitVerdict::Split, FitVerdict::SplitTight}) {
        std::optional<QuantMix> best;
        for (const auto& [mix, verdict] : fits) {
            const int rank = quantQualityRank(mix);
            if (verdict == wanted && rank >= 0 && (!best || rank < quantQualityRank(*best)))
                best = mix;
        }
        if (best)
            return best;
    }
    return std::nullopt;
}

} // namespace ponder::app
