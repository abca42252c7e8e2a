#include "quality_overview_model.h"

#include "model_picker_model.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <cmath>

namespace ponder::app {
namespace {

constexpr std::array kBenchmarks{Benchmark::Math500, Benchmark::Aime2024, Benchmark::GpqaDiamond,
                                 Benchmark::LiveCodeBench};

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
    // Room below the lowest row for its markers, on a multiple of 5.
    return std::max(0.0, std::floor((lowest - 3) / 5) * 5);
}

double QualityOverviewModel::scoreAxisMax() const
{
    double highest = 0;
    for (const QualityPoint& p : points())
        highest = std::max(highest, p.score);
    return std::min(100.0, std::ceil((highest + 2) / 5) * 5);
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

QList<int> QualityOverviewModel::labelRows() const
{
    QHash<QString, int> leftmost;
    for (int i = 0; i < points().size(); ++i) {
        const auto it = leftmost.find(points()[i].modelId);
        if (it == leftmost.end())
            leftmost.insert(points()[i].modelId, i);
        else if (points()[i].memoryGiB < points()[*it].memoryGiB)
            *it = i;
    }
    QList<int> rows = leftmost.values();
    std::sort(rows.begin(), rows.end());
    return rows;
}

} // namespace ponder::app
