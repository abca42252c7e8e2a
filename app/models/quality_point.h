// One quant of one model as the quality charts draw it: the memory the
// picker's cell counts against free memory (x), the quality it loses against
// F16 (mean KL divergence, y on a log scale), whether that figure was
// measured on this machine (MeasuredQuality) or is the typical one for its
// quant type (the catalog's typicalQuality, llama.cpp's Llama-3-8B figures),
// its fit and the picker's recommendation, and the tooltip that says all of
// it in words. QualityPointList holds a list of them as a list model; the
// per-model chart (QualityChartModel) and the overview of all models
// (QualityOverviewModel) fill it.
#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <optional>

#include "model_catalog.h"

namespace ponder::app {

class ModelPickerModel;

struct QualityPoint {
    Q_GADGET
    QML_VALUE_TYPE(qualityPoint)
    Q_PROPERTY(QString modelId MEMBER modelId)
    Q_PROPERTY(QString modelName MEMBER modelName)
    Q_PROPERTY(QString quant MEMBER quant)
    Q_PROPERTY(double memoryGiB MEMBER memoryGiB)
    Q_PROPERTY(double meanKld MEMBER meanKld)
    Q_PROPERTY(double plotKld MEMBER plotKld)
    Q_PROPERTY(bool reference MEMBER reference)
    Q_PROPERTY(bool measured MEMBER measured)
    Q_PROPERTY(double sameTopPercent MEMBER sameTopPercent)
    Q_PROPERTY(QString verdict MEMBER verdict)
    Q_PROPERTY(bool recommended MEMBER recommended)
    Q_PROPERTY(double score MEMBER score)
    Q_PROPERTY(double loss MEMBER loss)
    Q_PROPERTY(QString toolTip MEMBER toolTip)

public:
    QString modelId;             // the catalog's id, "qwen-7b"
    QString modelName;           // short, "Qwen-7B"
    QString quant;               // "Q4_K_M"
    qint64 memoryBytes = 0;      // the picker's NeededBytesRole: what counts against free memory (a split: all devices)
    double memoryGiB = 0;        // the same in GiB (2^30 bytes), the x of the point
    double meanKld = 0;          // nats against F16; 0 for F16, the reference
    double plotKld = 0;          // the y on the log axis: meanKld, or the chart's floor for the reference
    bool reference = false;      // F16: no divergence from itself, drawn at the floor
    bool measured = false;       // the figure was measured on this machine, not the typical one
    double sameTopPercent = -1;  // how often the top token is F16's, percent; -1 when not known
    QString verdict;             // the picker's verdict: "fits", "tight", "split", "splitTight", "doesNotFit"
    bool recommended = false;    // the picker's ★: the best quant of this model that loads
    double score = -1;           // the model's published score on the overview's benchmark, percent; -1 when none
    double loss = 0;             // 0 … 1: where plotKld lies between the floor and the largest divergence drawn (log scale)
    QString toolTip;             // size, memory, KLD, same top token, fit: plain text, one fact per line
};

// A published score of the unquantized distill (the catalog's "quality",
// DeepSeek's evaluation table), for the overview's y.
enum class Benchmark { None, Math500, Aime2024, GpqaDiamond, LiveCodeBench };
// "MATH-500 pass@1": its name in words.
QString benchmarkName(Benchmark benchmark);
// The model's score, percent; nullopt when not published (or Benchmark::None).
std::optional<double> benchmarkScore(const CatalogQuality& quality, Benchmark benchmark);

// "fits", "fits, tight", "split", "split, tight", "does not fit": a verdict in words.
QString fitWords(const QString& verdict);
// The log-axis floor the reference (KLD 0) is drawn at: a decade below the
// smallest divergence drawn, at most 10^-4.
double kldFloorFor(const QList<QualityPoint>& points);

// The points of every quant the picker has for `modelId` (all models when
// empty), in the picker's order: those with a memory figure (a plan that did
// not fail) and a divergence (measured, else typical), and, with a
// `benchmark`, a published score for it. The floor and loss are filled from
// the set.
QList<QualityPoint> qualityPoints(const ModelPickerModel& picker, const QString& modelId = {},
                                  Benchmark benchmark = Benchmark::None);

// A list of points as a list model (one row per point, a role per field),
// rebuilt whenever the picker's figures or its quality change.
class QualityPointList : public QAbstractListModel {
    Q_OBJECT
    QML_ANONYMOUS

    /// The picker whose cells the points come from.
    Q_PROPERTY(ModelPickerModel* picker READ picker WRITE setPicker NOTIFY pickerChanged)
    /// Rows (points).
    Q_PROPERTY(int count READ count NOTIFY pointsChanged)
    /// Where the reference (F16, KLD 0) is drawn on the log axis, nats.
    Q_PROPERTY(double kldFloor READ kldFloor NOTIFY pointsChanged)
    /// The log axis' range, nats: a little below the floor to a decade boundary above the largest KLD.
    Q_PROPERTY(double kldAxisMin READ kldAxisMin NOTIFY pointsChanged)
    Q_PROPERTY(double kldAxisMax READ kldAxisMax NOTIFY pointsChanged)
    /// Free memory of the chosen device, GiB (the vertical line); 0 when there is no device.
    Q_PROPERTY(double freeMemoryGiB READ freeMemoryGiB NOTIFY pointsChanged)
    /// "7.5 GB free" ("7.5 GB of RAM available" on the CPU engine); empty when there is no device.
    Q_PROPERTY(QString freeMemoryText READ freeMemoryText NOTIFY pointsChanged)
    /// "GPU memory at 4,096 tokens of context (GB)": the x axis' title ("RAM …" on the CPU engine).
    Q_PROPERTY(QString memoryAxisTitle READ memoryAxisTitle NOTIFY pointsChanged)
    /// "typical (llama.cpp, Llama-3-8B)": the legend of points drawn hollow; empty when the catalog has no figures.
    Q_PROPERTY(QString typicalLabel READ typicalLabel NOTIFY pointsChanged)
    /// Where the typical figures come from (a URL, shown as text).
    Q_PROPERTY(QString typicalSource READ typicalSource NOTIFY pointsChanged)

public:
    enum Role {
        ModelIdRole = Qt::UserRole + 1,
        ModelNameRole,
        QuantRole,
        MemoryGiBRole,
        MeanKldRole,
        PlotKldRole,
        ReferenceRole,
        MeasuredRole,
        SameTopPercentRole,
        VerdictRole,
        RecommendedRole,
        ScoreRole,
        LossRole,
        ToolTipRole,
        PointRole,  // the whole QualityPoint
    };
    Q_ENUM(Role)

    explicit QualityPointList(QObject* parent = nullptr);

    ModelPickerModel* picker() const { return m_picker; }
    void setPicker(ModelPickerModel* picker);
    int count() const { return int(m_points.size()); }
    const QList<QualityPoint>& points() const { return m_points; }
    double kldFloor() const { return m_kldFloor; }
    double kldAxisMin() const { return m_kldFloor / 2; }
    double kldAxisMax() const;
    double freeMemoryGiB() const;
    QString freeMemoryText() const;
    QString memoryAxisTitle() const;
    QString typicalLabel() const;
    QString typicalSource() const;

    /// One point by row (a qualityPoint value); an empty one out of range.
    Q_INVOKABLE ponder::app::QualityPoint point(int row) const;
    /// The row of a model's quant; -1 when not drawn.
    Q_INVOKABLE int rowOf(const QString& modelId, const QString& quant) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void pickerChanged();
    void pointsChanged();

protected:
    // The points this list shows, from the picker's current figures.
    virtual QList<QualityPoint> build(const ModelPickerModel& picker) const;
    void rebuild();

private:
    QPointer<ModelPickerModel> m_picker;
    QList<QualityPoint> m_points;
    double m_kldFloor = 1e-4;
};

} // namespace ponder::app
