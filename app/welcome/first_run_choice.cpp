#include "first_run_choice.h"

#include <QCoreApplication>

#include <algorithm>
#include <vector>

namespace ponder::app {

namespace {

// The published score a distill is ranked by: AIME 2024 first (it
// separates the sizes best: 28.9 … 72.6), MATH-500 to break a tie. A model
// without scores ranks last.
std::pair<double, double> score(const CatalogModel& model)
{
    return {model.quality.aime2024Pass1.value_or(-1), model.quality.math500Pass1.value_or(-1)};
}

// Within the quality floor, by the catalog's typical figures; a quant they
// do not list counts by its place in the picker's order against Q4_K_M.
bool withinQualityFloor(const ModelCatalog& catalog, QuantMix mix)
{
    const std::string_view name = quantMixName(mix);
    if (const TypicalQuantQuality* typical =
            catalog.typicalQuality().find(QString::fromLatin1(name.data(), qsizetype(name.size()))))
        return typical->meanKld <= kMaxFirstRunKld;
    return quantQualityRank(mix) >= 0 && quantQualityRank(mix) <= quantQualityRank(QuantMix::Q4_K_M);
}

struct Candidate {
    const CatalogModel* model = nullptr;
    QuantMix mix = QuantMix::Q4_K_M;
    FitResult fit;
};

// The model's best quant that `accept`s its verdict, by the picker's order.
std::optional<Candidate> bestQuant(const CatalogModel& model, const FitTarget& target, uint32_t context,
                                   FitVerdict wanted)
{
    for (const QuantMix mix : quantQualityOrder()) {
        if (!model.quant(mix))
            continue;
        FitResult fit = evaluateFit(modelInfoFromConfig(model.config, mix, model.name.toStdString()), context, target);
        if (fit.verdict == wanted)
            return Candidate{&model, mix, std::move(fit)};
    }
    return std::nullopt;
}

} // namespace

FirstRunChoice chooseFirstModel(const ModelCatalog& catalog, const AdapterSummary& device, int cpuThreads,
                                uint32_t contextLength)
{
    std::vector<const CatalogModel*> ranked;
    for (const CatalogModel& model : catalog.models())
        ranked.push_back(&model);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const CatalogModel* a, const CatalogModel* b) { return score(*a) > score(*b); });

    const FitTarget target = fitTargetFor(device, cpuThreads);
    // The best-scoring model whose best fitting quant is within the floor.
    for (const CatalogModel* model : ranked)
        if (auto best = bestQuant(*model, target, contextLength, FitVerdict::Fits);
            best && withinQualityFloor(catalog, best->mix))
            return {best->model, best->mix, std::move(best->fit), false};
    // None: the best-scoring model that loads at all, roomy before tight.
    for (const FitVerdict wanted : {FitVerdict::Fits, FitVerdict::Tight})
        for (const CatalogModel* model : ranked)
            if (auto best = bestQuant(*model, target, contextLength, wanted))
                return {best->model, best->mix, std::move(best->fit), true};
    return {};
}

QString firstRunReason(const FirstRunChoice& choice, const AdapterSummary& device, uint32_t contextLength)
{
    if (!choice.found())
        return {};
    const QString context = QStringLiteral("%1k").arg(contextLength / 1024);
    const QString needed = formatMemoryBytes(choice.fit.neededBytes);
    const QString free = formatMemoryBytes(choice.fit.freeBytes);
    const QString room = choice.fit.verdict == FitVerdict::Fits
        ? QCoreApplication::translate("FirstRunChoice", "with room for an %1 context").arg(context)
        : QCoreApplication::translate("FirstRunChoice", "with an %1 context, but little to spare").arg(context);
    if (device.cpuEngine)
        return QCoreApplication::translate("FirstRunChoice",
                                           "Runs on your CPU, in %1 of RAM, %2: it needs %3 of the %4 free.")
            .arg(formatMemoryBytes(uint64_t(device.totalMemory)), room, needed, free);
    return QCoreApplication::translate("FirstRunChoice", "Fits your %1 (%2) %3: it needs %4 of the %5 free.")
        .arg(device.name, formatMemoryBytes(uint64_t(device.totalMemory)), room, needed, free);
}

} // namespace ponder::app
