// The overview of all six distills on one plane, so "14B at Q3_K_M or 7B at
// Q8_0?" reads at a glance: every quant of every model as a point of memory
// at the chosen context on the chosen device (x, GiB, log 2 scale) against
// the model's published score on a benchmark (y, percent; the same for all
// quants of a model, so each model is a row), each point carrying its quality
// loss (mean KLD from F16, typical or measured) for its size and tooltip.
#pragma once

#include "quality_point.h"

#include <QStringList>

namespace ponder::app {

class QualityOverviewModel : public QualityPointList {
    Q_OBJECT
    QML_ELEMENT

    /// The benchmarks the y can show, in words ("MATH-500 pass@1", …).
    Q_PROPERTY(QStringList benchmarks READ benchmarks CONSTANT)
    /// Index into `benchmarks` of the one shown; MATH-500 at first.
    Q_PROPERTY(int benchmarkIndex READ benchmarkIndex WRITE setBenchmarkIndex NOTIFY benchmarkIndexChanged)
    /// "MATH-500 pass@1 (%), published for the unquantized model": the y axis' title.
    Q_PROPERTY(QString scoreAxisTitle READ scoreAxisTitle NOTIFY benchmarkIndexChanged)
    /// The y axis' range, percent.
    Q_PROPERTY(double scoreAxisMin READ scoreAxisMin NOTIFY pointsChanged)
    Q_PROPERTY(double scoreAxisMax READ scoreAxisMax NOTIFY pointsChanged)
    /// The x axis' range, GiB: powers of two around every point and the free memory.
    Q_PROPERTY(double memoryAxisMin READ memoryAxisMin NOTIFY pointsChanged)
    Q_PROPERTY(double memoryAxisMax READ memoryAxisMax NOTIFY pointsChanged)
    /// Per model, the row of its point with the least memory, where its name is written.
    Q_PROPERTY(QList<int> labelRows READ labelRows NOTIFY pointsChanged)

public:
    using QualityPointList::QualityPointList;

    QStringList benchmarks() const;
    int benchmarkIndex() const { return m_benchmarkIndex; }
    void setBenchmarkIndex(int index);
    Benchmark benchmark() const;
    QString scoreAxisTitle() const;
    double scoreAxisMin() const;
    double scoreAxisMax() const;
    double memoryAxisMin() const;
    double memoryAxisMax() const;
    QList<int> labelRows() const;

signals:
    void benchmarkIndexChanged();

protected:
    QList<QualityPoint> build(const ModelPickerModel& picker) const override;

private:
    int m_benchmarkIndex = 0;
};

} // namespace ponder::app
