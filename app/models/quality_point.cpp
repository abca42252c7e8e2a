#include "quality_point.h"

#include "model_picker_model.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace ponder::app {
namespace {

constexpr double kGiB = double(qint64(1) << 30);
// The highest the floor goes: a decade below Q8_0's typical 0.0014.
constexpr double kMaxFloor = 1e-4;

QString kldText(double kld)
{
    return QString::number(kld, 'g', 3);
}

// A measured figure the chart can draw: finite, not negative (a store that
// went wrong is ignored and the typical figure drawn instead).
bool usable(const QuantQuality& measured)
{
    return std::isfinite(measured.meanKld) && measured.meanKld >= 0 && measured.meanKld <= 100;
}

QString toolTipOf(const QualityPoint& p, const ModelPickerModel& picker, const FitResult& fit, const QString& fileSize,
                  const QString& referenceQuant, int positions, const QString& typicalBase, Benchmark benchmark)
{
    QStringList lines;
    lines << (fileSize.isEmpty() ? QStringLiteral("%1 %2").arg(p.modelName, p.quant)
                                 : QObject::tr("%1 %2 · %3 download").arg(p.modelName, p.quant, fileSize));
    const QString memory = fit.split ? splitMemoryText(*fit.split)
                                     : (picker.cpuEngine() ? QObject::tr("RAM %1") : QObject::tr("GPU %1"))
                                           .arg(formatMemoryBytes(uint64_t(p.memoryBytes)));
    lines << QObject::tr("%1 at %2 tokens of context").arg(memory, QLocale().toString(picker.contextLength()));
    if (p.reference)
        lines << (p.measured ? QObject::tr("Mean KLD 0: the reference it was measured against")
                             : QObject::tr("Mean KLD 0: the reference the others are compared with"));
    else if (p.measured)
        lines << QObject::tr("Mean KLD %1 (measured on this machine against %2, %3 tokens)")
                     .arg(kldText(p.meanKld), referenceQuant, QLocale().toString(positions));
    else
        lines << QObject::tr("Mean KLD %1 (typical for %2: llama.cpp, %3)").arg(kldText(p.meanKld), p.quant, typicalBase);
    if (!p.reference)
        lines << (p.sameTopPercent >= 0 ? QObject::tr("Same top token %1%").arg(p.sameTopPercent, 0, 'f', 1)
                                        : QObject::tr("Same top token: not published"));
    if (benchmark != Benchmark::None && p.score >= 0)
        lines << QObject::tr("%1 %2% (published for the unquantized model)")
                     .arg(benchmarkName(benchmark))
                     .arg(p.score, 0, 'f', 1);
    // The picker's reason, led by the fit in words ("Split: …" says it already).
    QString words = fitWords(p.verdict);
    words[0] = words[0].toUpper();
    lines << (fit.split ? fit.reason : QStringLiteral("%1: %2").arg(words, fit.reason));
    if (p.recommended)
        lines << QObject::tr("★ Recommended: the best quality that fits");
    return lines.join(u'\n');
}

} // namespace

QString benchmarkName(Benchmark benchmark)
{
    switch (benchmark) {
    case Benchmark::None: return {};
    case Benchmark::Math500: return QObject::tr("MATH-500 pass@1");
    case Benchmark::Aime2024: return QObject::tr("AIME 2024 pass@1");
    case Benchmark::GpqaDiamond: return QObject::tr("GPQA Diamond pass@1");
    case Benchmark::LiveCodeBench: return QObject::tr("LiveCodeBench pass@1");
    }
    return {};
}

std::optional<double> benchmarkScore(const CatalogQuality& quality, Benchmark benchmark)
{
    switch (benchmark) {
    case Benchmark::None: return std::nullopt;
    case Benchmark::Math500: return quality.math500Pass1;
    case Benchmark::Aime2024: return quality.aime2024Pass1;
    case Benchmark::GpqaDiamond: return quality.gpqaDiamondPass1;
    case Benchmark::LiveCodeBench: return quality.liveCodeBenchPass1;
    }
    return std::nullopt;
}

QString fitWords(const QString& verdict)
{
    if (verdict == QLatin1String("fits"))
        return QObject::tr("fits");
    if (verdict == QLatin1String("tight"))
        return QObject::tr("fits, tight");
    if (verdict == QLatin1String("split"))
        return QObject::tr("split");
    if (verdict == QLatin1String("splitTight"))
        return QObject::tr("split, tight");
    return QObject::tr("does not fit");
}

double kldFloorFor(const QList<QualityPoint>& points)
{
    double smallest = 0;
    for (const QualityPoint& p : points)
        if (!p.reference && (smallest == 0 || p.meanKld < smallest))
            smallest = p.meanKld;
    if (smallest <= 0)
        return kMaxFloor;
    return std::min(kMaxFloor, std::pow(10.0, std::floor(std::log10(smallest)) - 1));
}

QList<QualityPoint> qualityPoints(const ModelPickerModel& picker, const QString& modelId, Benchmark benchmark)
{
    const CatalogTypicalQuality& typical = picker.catalog().typicalQuality();
    const MeasuredQuality* measuredQuality = picker.measuredQuality();
    QList<QualityPoint> points;
    // What the tooltip needs beside the point.
    struct Extra {
        QString fileSize;
        QString referenceQuant;
        int positions = 0;
        int row = 0;
    };
    QList<Extra> extras;
    for (int row = 0; row < picker.rowCount(); ++row) {
        const QModelIndex index = picker.index(row);
        const QString id = index.data(ModelPickerModel::ModelIdRole).toString();
        if (!modelId.isEmpty() && id != modelId)
            continue;
        const FitResult& fit = picker.fit(row);
        if (fit.planFailed || fit.neededBytes == 0)
            continue;  // no memory figure: nowhere to put it
        QualityPoint p;
        p.modelId = id;
        p.quant = index.data(ModelPickerModel::QuantRole).toString();
        const CatalogModel* model = picker.catalog().model(id);
        p.modelName = model ? QString(model->name).remove(QStringLiteral("DeepSeek-R1-Distill-")) : id;
        p.memoryBytes = index.data(ModelPickerModel::NeededBytesRole).toLongLong();
        p.memoryGiB = double(p.memoryBytes) / kGiB;
        p.verdict = index.data(ModelPickerModel::VerdictRole).toString();
        p.recommended = index.data(ModelPickerModel::RecommendedRole).toBool();
        if (benchmark != Benchmark::None) {
            const std::optional<double> score = model ? benchmarkScore(model->quality, benchmark) : std::nullopt;
            if (!score)
                continue;  // nowhere on the overview's y
            p.score = *score;
        }

        Extra extra;
        extra.row = row;
        extra.fileSize = index.data(ModelPickerModel::FileSizeTextRole).toString();
        const QuantQuality* measured = measuredQuality ? measuredQuality->find(id, p.quant) : nullptr;
        if (measured && usable(*measured)) {
            p.measured = true;
            p.meanKld = measured->meanKld;
            if (measured->sameTopPercent >= 0 && measured->sameTopPercent <= 100)
                p.sameTopPercent = measured->sameTopPercent;
            extra.referenceQuant = measured->referenceQuant.isEmpty() ? QStringLiteral("F16") : measured->referenceQuant;
            extra.positions = measured->positions;
        } else if (const TypicalQuantQuality* figure = typical.find(p.quant)) {
            p.meanKld = figure->meanKld;
            p.sameTopPercent = figure->sameTopPercent.value_or(-1);
        } else {
            continue;  // no figure for this quant: the chart omits it
        }
        p.reference = p.meanKld <= 0;
        points << p;
        extras << extra;
    }

    const double floor = kldFloorFor(points);
    double largest = floor;
    for (QualityPoint& p : points) {
        p.plotKld = p.reference ? floor : std::max(p.meanKld, floor);
        largest = std::max(largest, p.plotKld);
    }
    const double span = std::log(largest) - std::log(floor);
    for (int i = 0; i < points.size(); ++i) {
        QualityPoint& p = points[i];
        p.loss = span > 0 ? (std::log(p.plotKld) - std::log(floor)) / span : 0;
        p.toolTip = toolTipOf(p, picker, picker.fit(extras[i].row), extras[i].fileSize, extras[i].referenceQuant,
                              extras[i].positions, typical.baseModel, benchmark);
    }
    return points;
}

QualityPointList::QualityPointList(QObject* parent) : QAbstractListModel(parent) {}

void QualityPointList::setPicker(ModelPickerModel* picker)
{
    if (picker == m_picker)
        return;
    if (m_picker)
        disconnect(m_picker, nullptr, this, nullptr);
    m_picker = picker;
    if (m_picker) {
        // Every recompute of the grid (context, device, placement, local files) ends in dataChanged.
        connect(m_picker, &QAbstractItemModel::dataChanged, this, &QualityPointList::rebuild);
        connect(m_picker, &QAbstractItemModel::modelReset, this, &QualityPointList::rebuild);
        connect(m_picker, &ModelPickerModel::adaptersChanged, this, &QualityPointList::rebuild);
        connect(m_picker, &ModelPickerModel::qualityChanged, this, &QualityPointList::rebuild);
    }
    rebuild();
    emit pickerChanged();
}

QList<QualityPoint> QualityPointList::build(const ModelPickerModel& picker) const
{
    return qualityPoints(picker);
}

void QualityPointList::rebuild()
{
    beginResetModel();
    const ModelPickerModel* picker = m_picker.data();
    m_points = picker ? build(*picker) : QList<QualityPoint>{};
    m_kldFloor = kldFloorFor(m_points);
    endResetModel();
    emit pointsChanged();
}

double QualityPointList::kldAxisMax() const
{
    double largest = m_kldFloor;
    for (const QualityPoint& p : m_points)
        largest = std::max(largest, p.plotKld);
    // A decade boundary above the largest, with room for its marker.
    return std::pow(10.0, std::ceil(std::log10(largest * 1.5)));
}

double QualityPointList::freeMemoryGiB() const
{
    const ModelPickerModel* picker = m_picker.data();
    return picker ? double(std::max<qint64>(picker->freeMemory(), 0)) / kGiB : 0;
}

QString QualityPointList::freeMemoryText() const
{
    const ModelPickerModel* picker = m_picker.data();
    if (!picker || picker->adapterIndex() < 0)
        return {};
    const QString free = formatMemoryBytes(uint64_t(std::max<qint64>(picker->freeMemory(), 0)));
    return picker->cpuEngine() ? tr("%1 of RAM available").arg(free) : tr("%1 free").arg(free);
}

QString QualityPointList::memoryAxisTitle() const
{
    const ModelPickerModel* picker = m_picker.data();
    if (!picker)
        return {};
    return (picker->cpuEngine() ? tr("RAM at %1 tokens of context (GB)") : tr("GPU memory at %1 tokens of context (GB)"))
        .arg(QLocale().toString(picker->contextLength()));
}

QString QualityPointList::typicalLabel() const
{
    const ModelPickerModel* picker = m_picker.data();
    if (!picker || picker->catalog().typicalQuality().isEmpty())
        return {};
    return tr("typical (llama.cpp, %1)").arg(picker->catalog().typicalQuality().baseModel);
}

QString QualityPointList::typicalSource() const
{
    const ModelPickerModel* picker = m_picker.data();
    return picker ? picker->catalog().typicalQuality().source : QString();
}

QualityPoint QualityPointList::point(int row) const
{
    return row >= 0 && row < m_points.size() ? m_points[row] : QualityPoint{};
}

int QualityPointList::rowOf(const QString& modelId, const QString& quant) const
{
    for (int i = 0; i < m_points.size(); ++i)
        if (m_points[i].modelId == modelId && m_points[i].quant == quant)
            return i;
    return -1;
}

int QualityPointList::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

QVariant QualityPointList::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_points.size())
        return {};
    const QualityPoint& p = m_points[index.row()];
    switch (role) {
    case ModelIdRole: return p.modelId;
    case Qt::DisplayRole:
    case ModelNameRole: return p.modelName;
    case QuantRole: return p.quant;
    case MemoryGiBRole: return p.memoryGiB;
    case MeanKldRole: return p.meanKld;
    case PlotKldRole: return p.plotKld;
    case ReferenceRole: return p.reference;
    case MeasuredRole: return p.measured;
    case SameTopPercentRole: return p.sameTopPercent;
    case VerdictRole: return p.verdict;
    case RecommendedRole: return p.recommended;
    case ScoreRole: return p.score;
    case LossRole: return p.loss;
    case Qt::ToolTipRole:
    case ToolTipRole: return p.toolTip;
    case PointRole: return QVariant::fromValue(p);
    default: return {};
    }
}

QHash<int, QByteArray> QualityPointList::roleNames() const
{
    return {
        {ModelIdRole, "modelId"},     {ModelNameRole, "modelName"},   {QuantRole, "quant"},
        {MemoryGiBRole, "memoryGiB"}, {MeanKldRole, "meanKld"},       {PlotKldRole, "plotKld"},
        {ReferenceRole, "reference"}, {MeasuredRole, "measured"},     {SameTopPercentRole, "sameTopPercent"},
        {VerdictRole, "verdict"},     {RecommendedRole, "recommended"}, {ScoreRole, "score"},
        {LossRole, "loss"},           {ToolTipRole, "toolTip"},       {PointRole, "point"},
    };
}

} // namespace ponder::app
