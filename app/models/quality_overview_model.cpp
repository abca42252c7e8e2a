#include "quality_overview_model.h"

#include "model_picker_model.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <cmath>

namespace ponder::app {
namespace {

// AIME 2024 first: on it the six distills' rows lie apart (the closest,
// 14B and 70B, meet at one memory figure); on MATH-500 the 14B, 32B and 70B
// score within 0.6 points and their rows lie on one another.
constexpr std::array kBenchmarks{Benchmark::Aime2024, Benchmark::Math500, Benchmark::GpqaDiamond,
                                 Benchmark::LiveCodeBench};

// How far a model's name reaches from its point, in doublings of memory
// (the x is log 2), and how near another row may lie, as a share of the
// score axis, before the name would cover its markers.
constexpr double kLabelDoublings = 1.2;
constexpr double kLabelRowShare = 0.04;

} // namespace

QStringList QualityOverviewModel::benchmarks() const
{
    QStringList names;
    for (const Benchmark b : kBenchmarks)
        names << benchmarkName(b);
    return names;
}

void QualityOverviewModel::setBenchmarkIndex(int index)
{
    if (index < 0 || index >= int(kBenchmarks.size()) || index == m_benchmarkIndex)
        return;
    m_benchmarkIndex = index;
    rebuild();
    emit benchmarkIndexChanged();
}

Benchmark QualityOverviewModel::benchmark() const
{
    return kBenchmarks[size_t(m_benchmarkIndex)];
}

QString QualityOverviewModel::scoreAxisTitle() const
{
    return tr("%1 (%), published for the unquantized model").arg(benchmarkName(benchmark()));
}

QList<QualityPoint> QualityOverviewModel::build(const ModelPickerModel& picker) const
{
    return qualityPoints(picker, {}, benchmark());
}

double QualityOverviewModel::scoreAxisMin() const
{
    double lowest = 100;
    for (const QualityPoint& p : points())
        lowest = std::min(lowest, p.score);
    // Room below the lowest row for its markers.
    return std::max(0.0, std::floor(lowest) - 2);
}

double QualityOverviewModel::scoreAxisMax() const
{
    double highest = 0;
    for (const QualityPoint& p : points())
        highest = std::max(highest, p.score);
    return std::min(100.0, std::ceil(highest) + 2);
}

double QualityOverviewModel::memoryAxisMin() const
{
    double lowest = 0;
    for (const QualityPoint& p : points())
        if (lowest == 0 || p.memoryGiB < lowest)
            lowest = p.memoryGiB;
    // A power of two below, with room for the model's name left of its first point.
    return lowest > 0 ? std::pow(2.0, std::floor(std::log2(lowest)) - 1) : 0.5;
}

double QualityOverviewModel::memoryAxisMax() const
{
    double highest = std::max(1.0, freeMemoryGiB());
    for (const QualityPoint& p : points())
        highest = std::max(highest, p.memoryGiB);
    return std::pow(2.0, std::ceil(std::log2(highest * 1.1)));
}

bool QualityOverviewModel::nameCovers(int row, bool right) const
{
    const QualityPoint& at = points()[row];
    const double rowGap = kLabelRowShare * (scoreAxisMax() - scoreAxisMin());
    const double reach = std::exp2(kLabelDoublings);
    for (const QualityPoint& p : points())
        if (p.modelId != at.modelId && std::abs(p.score - at.score) < rowGap &&
            (right ? p.memoryGiB >= at.memoryGiB && p.memoryGiB <= at.memoryGiB * reach
                   : p.memoryGiB <= at.memoryGiB && p.memoryGiB >= at.memoryGiB / reach))
            return true;
    return false;
}

void QualityOverviewModel::placeNames(QList<int>& rows, QList<int>& rightRows) const
{
    QHash<QString, std::pair<int, int>> ends;  // model: its rows with the least and the most memory
    for (int i = 0; i < points().size(); ++i) {
        const auto it = ends.find(points()[i].modelId);
        if (it == ends.end()) {
            ends.insert(points()[i].modelId, {i, i});
            continue;
        }
        if (points()[i].memoryGiB < points()[it->first].memoryGiB)
            it->first = i;
        if (points()[i].memoryGiB > points()[it->second].memoryGiB)
            it->second = i;
    }
    // Left of the row, unless that covers another row's markers and the right does not.
    for (const auto& [left, right] : ends) {
        const bool toRight = nameCovers(left, false) && !nameCovers(right, true);
        rows << (toRight ? right : left);
        if (toRight)
            rightRows << right;
    }
    std::sort(rows.begin(), rows.end());
    std::sort(rightRows.begin(), rightRows.end());
}

QList<int> QualityOverviewModel::labelRows() const
{
    QList<int> rows, rightRows;
    placeNames(rows, rightRows);
    return rows;
}

QList<int> QualityOverviewModel::labelRightRows() const
{
    QList<int> rows, rightRows;
    placeNames(rows, rightRows);
    return rightRows;
}

double QualityOverviewModel::typicalLoss(const QString& quant) const
{
    const ModelPickerModel* source = picker();
    const TypicalQuantQuality* figure = source ? source->catalog().typicalQuality().find(quant) : nullptr;
    if (!figure)
        return -1;
    if (figure->meanKld <= 0)
        return 0;
    double largest = 0;
    for (const QString& name : source->quantNames())
        if (const TypicalQuantQuality* other = source->catalog().typicalQuality().find(name))
            largest = std::max(largest, other->meanKld);
    const double floor = kldFloor();
    if (largest <= floor)
        return 0;
    return std::clamp((std::log(std::max(figure->meanKld, floor)) - std::log(floor)) / (std::log(largest) - std::log(floor)),
                      0.0, 1.0);
}

QString QualityOverviewModel::typicalKldText(const QString& quant) const
{
    const ModelPickerModel* source = picker();
    const TypicalQuantQuality* figure = source ? source->catalog().typicalQuality().find(quant) : nullptr;
    if (!figure)
        return {};
    return figure->meanKld <= 0 ? tr("0 (reference)") : QString::number(figure->meanKld, 'g', 3);
}

} // namespace ponder::app
