// The overview of all six distills on one plane, so "14B at Q3_K_M or 7B at
// Q8_0?" reads at a glance: every quant of every model as a point of memory
// at the chosen context on the chosen device (x, GiB, log 2 scale) against
// the model's published score on a benchmark (y, percent; the same for all
// quants of a model, so each model is a row), each point carrying its quality
// loss: its size and colour are its quant type's typical mean KLD from F16
// (every model's Q4_K_M the same, so sizes compare across rows), its
// tooltip the figure itself, measured on this model when it has been.
#pragma once

#include "quality_point.h"

#include <QStringList>

namespace ponder::app {

class QualityOverviewModel : public QualityPointList {
    Q_OBJECT
    QML_ELEMENT

    /// The benchmarks the y can show, in words ("MATH-500 pass@1", …).
    Q_PROPERTY(QStringList benchmarks READ benchmarks CONSTANT)
    /// Index into `benchmarks` of the one shown; AIME 2024 at first (its rows lie apart).
    Q_PROPERTY(int benchmarkIndex READ benchmarkIndex WRITE setBenchmarkIndex NOTIFY benchmarkIndexChanged)
    /// "MATH-500 pass@1 (%), published for the unquantized model": the y axis' title.
    Q_PROPERTY(QString scoreAxisTitle READ scoreAxisTitle NOTIFY benchmarkIndexChanged)
    /// The y axis' range, percent.
    Q_PROPERTY(double scoreAxisMin READ scoreAxisMin NOTIFY pointsChanged)
    Q_PROPERTY(double scoreAxisMax READ scoreAxisMax NOTIFY pointsChanged)
    /// The x axis' range, GiB: powers of two around every point and the free memory.
    Q_PROPERTY(double memoryAxisMin READ memoryAxisMin NOTIFY pointsChanged)
    Q_PROPERTY(double memoryAxisMax READ memoryAxisMax NOTIFY pointsChanged)
    /// Per model, the row of the point its name is written by: left of its point with the least memory,
    /// or, where that would cover another model's markers, right of its point with the most.
    Q_PROPERTY(QList<int> labelRows READ labelRows NOTIFY pointsChanged)
    /// Those of labelRows whose name goes right of the point.
    Q_PROPERTY(QList<int> labelRightRows READ labelRightRows NOTIFY pointsChanged)

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
    QList<int> labelRightRows() const;

    /// A quant type's typical loss, 0 … 1 on the log scale from the floor (F16) to the largest typical
    /// divergence of the quants the picker offers: what a marker's size shows. -1 when not published.
    Q_INVOKABLE double typicalLoss(const QString& quant) const;
    /// "0.0313", "0 (reference)"; empty when not published.
    Q_INVOKABLE QString typicalKldText(const QString& quant) const;

signals:
    void benchmarkIndexChanged();

protected:
    QList<QualityPoint> build(const ModelPickerModel& picker) const override;

private:
    // Whether a name written left (right) of `row` would cover another model's markers.
    bool nameCovers(int row, bool right) const;
    void placeNames(QList<int>& rows, QList<int>& rightRows) const;

    int m_benchmarkIndex = 0;
};

} // namespace ponder::app
