// The quality charts' data, without QML: one point per quant of a model at
// the memory the picker's cell counts (the very figure, and it follows the
// context), the catalog's typical KL divergence until MeasuredQuality has a
// measurement of that quant of that model (then that, drawn filled), the
// picker's recommended quant, the chosen device's free memory as the line,
// F16 at the log axis' floor; and the overview of all models against a
// published score.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

#include "measured_quality.h"
#include "model_picker_model.h"
#include "quality_chart_model.h"
#include "quality_overview_model.h"

using namespace ponder;
using namespace ponder::app;

namespace {

constexpr qint64 kGiB = qint64(1) << 30;

// The picker's test card: 8 GiB, 7.5 GiB free.
AdapterSummary testGpu(qint64 free = 15 * kGiB / 2, qint64 total = 8 * kGiB)
{
    AdapterSummary gpu;
    gpu.name = QStringLiteral("Test GPU");
    gpu.type = vk::AdapterType::Discrete;
    gpu.totalMemory = total;
    gpu.freeMemory = free;
    gpu.measuredFree = true;
    return gpu;
}

AdapterSummary testCpu()
{
    AdapterSummary cpu;
    cpu.name = QStringLiteral("CPU (8 cores, AVX2)");
    cpu.type = vk::AdapterType::Cpu;
    cpu.cpuEngine = true;
    cpu.totalMemory = 32 * kGiB;
    cpu.freeMemory = 24 * kGiB;
    cpu.measuredFree = true;
    cpu.physicalCores = 8;
    return cpu;
}

QString mixName(QuantMix mix)
{
    return QString::fromUtf8(quantMixName(mix).data(), qsizetype(quantMixName(mix).size()));
}

QuantQuality measurement(const QString& model, const QString& quant, double kld, double sameTop,
                         const QDateTime& at = QDateTime(QDate(2025, 3, 1), QTime(12, 0)))
{
    QuantQuality q;
    q.modelId = model;
    q.quant = quant;
    q.referenceQuant = QStringLiteral("F16");
    q.meanKld = kld;
    q.kld99 = kld * 10;
    q.sameTopPercent = sameTop;
    q.positions = 2048;
    q.measuredAt = at;
    return q;
}

// The embedded catalog with one change to its JSON.
ModelCatalog editedCatalog(const std::function<void(QJsonObject&)>& edit)
{
    QFile file(ModelCatalog::builtInPath());
    if (!file.open(QIODevice::ReadOnly))
        qFatal("no embedded catalog");
    QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    edit(root);
    auto catalog = ModelCatalog::fromJson(QJsonDocument(root).toJson());
    if (!catalog)
        qFatal("%s", qPrintable(catalog.error()));
    return *catalog;
}

const CatalogTypicalQuality& typical()
{
    return ModelCatalog::builtIn()->typicalQuality();
}

} // namespace

class TestQualityChart : public QObject {
    Q_OBJECT

    ModelPickerModel m_picker;

private slots:
    void init()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY2(ModelCatalog::builtIn().has_value(), qPrintable(ModelCatalog::builtIn().error()));
        m_picker.setCatalog(*ModelCatalog::builtIn());
        m_picker.setAdapters({testGpu()});
        m_picker.setAdapterIndex(0);
        m_picker.setContextLength(4096);
        m_picker.setMeasuredQuality(nullptr);
    }

    void onePointPerQuant_data()
    {
        QTest::addColumn<QString>("model");
        for (const char* id : {"qwen-1.5b", "qwen-7b", "llama-8b", "qwen-14b", "qwen-32b", "llama-70b"})
            QTest::newRow(id) << QString::fromLatin1(id);
    }

    // Every quant of the model, in the picker's column order, none of another model.
    void onePointPerQuant()
    {
        QFETCH(QString, model);
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(model);
        QCOMPARE(chart.count(), int(quantQualityOrder().size()));
        QCOMPARE(chart.rowCount(), chart.count());
        for (int i = 0; i < chart.count(); ++i) {
            const QualityPoint p = chart.point(i);
            QCOMPARE(p.modelId, model);
            QCOMPARE(p.quant, mixName(quantQualityOrder()[size_t(i)]));
            QCOMPARE(chart.rowOf(model, p.quant), i);
            QCOMPARE(chart.data(chart.index(i), QualityPointList::QuantRole).toString(), p.quant);
            QCOMPARE(chart.data(chart.index(i), QualityPointList::PointRole).value<QualityPoint>().quant, p.quant);
        }
        QCOMPARE(chart.modelName(), m_picker.catalog().model(model)->name.mid(QStringLiteral("DeepSeek-R1-Distill-").size()));
        QVERIFY(chart.point(chart.count()).quant.isEmpty());  // out of range: an empty point
    }

    // x is the figure the picker's cell counts against free memory, and it
    // follows the context slider.
    void memoryIsThePickersFigure()
    {
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(QStringLiteral("qwen-7b"));
        QSignalSpy changed(&chart, &QualityPointList::pointsChanged);
        for (const int context : {4096, 32768}) {
            m_picker.setContextLength(context);
            QCOMPARE(chart.count(), 7);
            for (const QualityPoint& p : chart.points()) {
                const auto mix = quantMixFromName(p.quant.toStdString());
                QVERIFY(mix);
                const int row = m_picker.rowOf(QStringLiteral("qwen-7b"), *mix);
                const QModelIndex cell = m_picker.index(row);
                const qint64 needed = cell.data(ModelPickerModel::NeededBytesRole).toLongLong();
                QVERIFY(needed > 0);
                QCOMPARE(p.memoryBytes, needed);
                QCOMPARE(p.memoryGiB, double(needed) / double(kGiB));
                // The tooltip states the cell's own figure and the context.
                QVERIFY2(p.toolTip.contains(cell.data(ModelPickerModel::MemoryTextRole).toString() +
                                            QStringLiteral(" at %1 tokens").arg(QLocale().toString(context))),
                         qPrintable(p.toolTip));
                QCOMPARE(p.verdict, cell.data(ModelPickerModel::VerdictRole).toString());
            }
        }
        QVERIFY(changed.size() >= 1);
        QVERIFY(chart.memoryAxisTitle().contains(QLatin1String("32,768 tokens")));
        // More context, more memory: the chart moved with the picker.
        const int q4 = chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q4_K_M"));
        const qint64 at32k = chart.point(q4).memoryBytes;
        m_picker.setContextLength(4096);
        QVERIFY(chart.point(q4).memoryBytes < at32k);
    }

    // A split cell: x is everything it needs (GPU and RAM), said so in the tooltip.
    void splitPointsCountEveryDevice()
    {
        m_picker.setAdapters({testGpu(), testCpu()});
        m_picker.setAdapterIndex(0);
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(QStringLiteral("qwen-14b"));
        const QualityPoint p = chart.point(chart.rowOf(QStringLiteral("qwen-14b"), QStringLiteral("Q4_K_M")));
        const FitResult& fit = m_picker.fit(m_picker.rowOf(QStringLiteral("qwen-14b"), QuantMix::Q4_K_M));
        QVERIFY(fit.split);
        QCOMPARE(p.verdict, QStringLiteral("split"));
        QCOMPARE(p.memoryBytes, qint64(fit.neededBytes));
        QVERIFY2(p.toolTip.contains(splitMemoryText(*fit.split)), qPrintable(p.toolTip));
        QVERIFY2(p.toolTip.contains(QLatin1String("\nSplit: ")), qPrintable(p.toolTip));
    }

    // Until measured, each point carries its quant type's published figures.
    void typicalFigures()
    {
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(QStringLiteral("llama-8b"));
        QCOMPARE(chart.typicalLabel(), QStringLiteral("typical (llama.cpp, Llama-3-8B)"));
        QCOMPARE(chart.typicalSource(), typical().source);
        QCOMPARE(chart.measuredCount(), 0);
        for (const QualityPoint& p : chart.points()) {
            const TypicalQuantQuality* figure = typical().find(p.quant);
            QVERIFY2(figure, qPrintable(p.quant));
            QVERIFY(!p.measured);
            QCOMPARE(p.meanKld, figure->meanKld);
            QCOMPARE(p.sameTopPercent, figure->sameTopPercent.value_or(-1));
        }
        const QualityPoint q4 = chart.point(chart.rowOf(QStringLiteral("llama-8b"), QStringLiteral("Q4_K_M")));
        QCOMPARE(q4.meanKld, 0.031273);
        QVERIFY2(q4.toolTip.contains(QLatin1String("Mean KLD 0.0313 (typical for Q4_K_M: llama.cpp, Llama-3-8B)")),
                 qPrintable(q4.toolTip));
        QVERIFY2(q4.toolTip.contains(QLatin1String("Same top token 91.9%")), qPrintable(q4.toolTip));
        QVERIFY2(q4.toolTip.startsWith(QStringLiteral("Llama-8B Q4_K_M · 4.92 GB download\n")), qPrintable(q4.toolTip));
        QVERIFY2(q4.toolTip.contains(QLatin1String("\nFits: needs ")) && q4.toolTip.contains(QLatin1String("7.5 GB free")),
                 qPrintable(q4.toolTip));
        const QualityPoint q5 = chart.point(chart.rowOf(QStringLiteral("llama-8b"), QStringLiteral("Q5_K_M")));
        QVERIFY2(q5.toolTip.contains(QLatin1String("Same top token: not published")), qPrintable(q5.toolTip));
    }

    // A quant the catalog has no figure for gets no point; no block, no typical points.
    void unpublishedQuantsAreLeftOut()
    {
        m_picker.setCatalog(editedCatalog([](QJsonObject& root) {
            QJsonObject t = root[QStringLiteral("typicalQuality")].toObject();
            QJsonArray kept;
            for (const QJsonValue q : t[QStringLiteral("quants")].toArray())
                if (q.toObject()[QStringLiteral("quant")].toString() != QLatin1String("Q3_K_M"))
                    kept.append(q);
            t[QStringLiteral("quants")] = kept;
            root[QStringLiteral("typicalQuality")] = t;
        }));
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(QStringLiteral("qwen-7b"));
        QCOMPARE(chart.count(), 6);
        QCOMPARE(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q3_K_M")), -1);

        m_picker.setCatalog(editedCatalog([](QJsonObject& root) { root.remove(QStringLiteral("typicalQuality")); }));
        QCOMPARE(chart.count(), 0);
        QVERIFY(chart.typicalLabel().isEmpty());
        // A measured quant still shows.
        MeasuredQuality measured;
        measured.setAll({measurement(QStringLiteral("qwen-7b"), QStringLiteral("Q4_K_M"), 0.02, 93.5)});
        m_picker.setMeasuredQuality(&measured);
        QCOMPARE(chart.count(), 1);
        QVERIFY(chart.point(0).measured);
        m_picker.setMeasuredQuality(nullptr);
    }

    // A measurement of this model's quant replaces the typical figure (the
    // newest when there are several); other quants and models keep theirs;
    // an unusable measurement is ignored.
    void measuredReplacesTypical()
    {
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(QStringLiteral("qwen-7b"));
        QualityChartModel other;
        other.setPicker(&m_picker);
        other.setModelId(QStringLiteral("qwen-14b"));
        QSignalSpy changed(&chart, &QualityPointList::pointsChanged);

        MeasuredQuality measured;
        m_picker.setMeasuredQuality(&measured);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(chart.measuredCount(), 0);
        measured.setAll({
            measurement(QStringLiteral("qwen-7b"), QStringLiteral("Q4_K_M"), 0.05, 88.0,
                        QDateTime(QDate(2025, 1, 1), QTime(9, 0))),
            measurement(QStringLiteral("qwen-7b"), QStringLiteral("Q4_K_M"), 0.0215, 93.46),  // newer
            measurement(QStringLiteral("qwen-7b"), QStringLiteral("Q2_K"), std::nan(""), 50),  // damaged
            measurement(QStringLiteral("qwen-7b"), QStringLiteral("Q3_K_M"), -1, 50),           // damaged
            measurement(QStringLiteral("qwen-7b"), QStringLiteral("Q6_K"), 0.004, 250),         // same top impossible
        });
        QCOMPARE(changed.size(), 2);  // MeasuredQuality::changed reaches the chart

        QCOMPARE(chart.measuredCount(), 2);
        const QualityPoint q4 = chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q4_K_M")));
        QVERIFY(q4.measured);
        QCOMPARE(q4.meanKld, 0.0215);
        QCOMPARE(q4.plotKld, 0.0215);
        QCOMPARE(q4.sameTopPercent, 93.46);
        QVERIFY2(q4.toolTip.contains(QLatin1String("Mean KLD 0.0215 (measured on this machine against F16, 2,048 tokens)")),
                 qPrintable(q4.toolTip));
        QVERIFY2(q4.toolTip.contains(QLatin1String("Same top token 93.5%")), qPrintable(q4.toolTip));
        const QualityPoint q6 = chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q6_K")));
        QVERIFY(q6.measured);
        QCOMPARE(q6.sameTopPercent, -1.0);
        for (const char* damaged : {"Q2_K", "Q3_K_M"}) {
            const QualityPoint p = chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QString::fromLatin1(damaged)));
            QVERIFY2(!p.measured, damaged);
            QCOMPARE(p.meanKld, typical().find(QString::fromLatin1(damaged))->meanKld);
        }
        QVERIFY(!chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q8_0"))).measured);
        // Another model's chart is not touched.
        QCOMPARE(other.measuredCount(), 0);
        QCOMPARE(other.point(other.rowOf(QStringLiteral("qwen-14b"), QStringLiteral("Q4_K_M"))).meanKld, 0.031273);

        // Gone again: typical again.
        m_picker.setMeasuredQuality(nullptr);
        QCOMPARE(chart.measuredCount(), 0);
        QCOMPARE(chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q4_K_M"))).meanKld, 0.031273);
    }

    // The recommended mark is the picker's ★, and moves with the device.
    void recommendedIsThePickers()
    {
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(QStringLiteral("qwen-7b"));
        const auto recommendedCell = [&] {
            for (int row = 0; row < m_picker.rowCount(); ++row) {
                const QModelIndex cell = m_picker.index(row);
                if (cell.data(ModelPickerModel::ModelIdRole).toString() == QLatin1String("qwen-7b") &&
                    cell.data(ModelPickerModel::RecommendedRole).toBool())
                    return cell.data(ModelPickerModel::QuantRole).toString();
            }
            return QString();
        };
        // 7.5 GiB free: Q6_K (the picker's test says so too).
        QCOMPARE(recommendedCell(), QStringLiteral("Q6_K"));
        QCOMPARE(chart.recommendedQuant(), QStringLiteral("Q6_K"));
        int marked = 0;
        for (const QualityPoint& p : chart.points()) {
            marked += p.recommended;
            QCOMPARE(p.recommended, p.quant == QLatin1String("Q6_K"));
        }
        QCOMPARE(marked, 1);
        QVERIFY(chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q6_K")))
                    .toolTip.endsWith(QStringLiteral("\n★ Recommended: the best quality that fits")));

        // A 48 GiB card holds F16.
        m_picker.setAdapters({testGpu(48 * kGiB, 48 * kGiB)});
        QCOMPARE(recommendedCell(), QStringLiteral("F16"));
        QCOMPARE(chart.recommendedQuant(), QStringLiteral("F16"));
        // Nothing that loads: no mark.
        m_picker.setAdapters({testGpu(kGiB / 4, kGiB / 2)});
        QCOMPARE(recommendedCell(), QString());
        QCOMPARE(chart.recommendedQuant(), QString());
    }

    // The free-memory line is the chosen device's free memory, on the axis
    // when it is near the points.
    void freeMemoryLine()
    {
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(QStringLiteral("qwen-7b"));
        QCOMPARE(chart.freeMemoryGiB(), 7.5);
        QCOMPARE(chart.freeMemoryText(), QStringLiteral("7.5 GB free"));
        QVERIFY(chart.freeLineVisible());
        double largest = 0;
        for (const QualityPoint& p : chart.points())
            largest = std::max(largest, p.memoryGiB);
        QVERIFY(chart.memoryAxisMax() > largest);
        QVERIFY(chart.memoryAxisMax() > chart.freeMemoryGiB());

        // Another device: another line.
        m_picker.setAdapters({testGpu(), testGpu(20 * kGiB, 24 * kGiB)});
        m_picker.setAdapterIndex(1);
        QCOMPARE(chart.freeMemoryGiB(), 20.0);
        QCOMPARE(chart.freeMemoryText(), QStringLiteral("20.0 GB free"));
        QVERIFY(chart.freeLineVisible());

        // Far more than the model needs: the line leaves the axis rather than squash the points.
        chart.setModelId(QStringLiteral("qwen-1.5b"));
        m_picker.setAdapters({testGpu(48 * kGiB, 48 * kGiB)});
        QVERIFY(!chart.freeLineVisible());
        QVERIFY(chart.memoryAxisMax() < 10);
        QCOMPARE(chart.freeMemoryText(), QStringLiteral("48.0 GB free"));

        // The CPU engine: RAM.
        m_picker.setAdapters({testCpu()});
        QCOMPARE(chart.freeMemoryText(), QStringLiteral("24.0 GB of RAM available"));
        QVERIFY(chart.memoryAxisTitle().startsWith(QLatin1String("RAM at 4,096 tokens")));
        // No device at all: no line.
        m_picker.setAdapters({});
        QCOMPARE(chart.freeMemoryGiB(), 0.0);
        QVERIFY(chart.freeMemoryText().isEmpty());
        QVERIFY(!chart.freeLineVisible());
    }

    // log 0 is nowhere: F16 sits at the floor, a decade below the smallest divergence.
    void referenceAtTheLogFloor()
    {
        QualityChartModel chart;
        chart.setPicker(&m_picker);
        chart.setModelId(QStringLiteral("qwen-7b"));
        const QualityPoint f16 = chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("F16")));
        QVERIFY(f16.reference);
        QCOMPARE(f16.meanKld, 0.0);
        QCOMPARE(chart.kldFloor(), 1e-4);  // Q8_0's 0.0014 is the smallest
        QCOMPARE(f16.plotKld, chart.kldFloor());
        QCOMPARE(f16.loss, 0.0);
        QVERIFY2(f16.toolTip.contains(QLatin1String("Mean KLD 0: the reference")), qPrintable(f16.toolTip));
        QVERIFY(!f16.toolTip.contains(QLatin1String("Same top token")));
        QVERIFY(chart.kldAxisMin() > 0 && chart.kldAxisMin() < chart.kldFloor());
        QCOMPARE(chart.kldAxisMax(), 1.0);  // Q2_K's 0.445, with room, to the decade
        for (const QualityPoint& p : chart.points()) {
            QVERIFY(p.plotKld >= chart.kldFloor() && p.plotKld < chart.kldAxisMax());
            QCOMPARE(p.reference, p.quant == QLatin1String("F16"));
            if (!p.reference)
                QCOMPARE(p.plotKld, p.meanKld);
            QVERIFY(p.loss >= 0 && p.loss <= 1);
        }
        QCOMPARE(chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q2_K"))).loss, 1.0);

        // A measured divergence below the floor moves the floor down a decade below it.
        MeasuredQuality measured;
        measured.setAll({measurement(QStringLiteral("qwen-7b"), QStringLiteral("Q8_0"), 0.00005, 99.9)});
        m_picker.setMeasuredQuality(&measured);
        QCOMPARE(chart.kldFloor(), 1e-6);
        QCOMPARE(chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("F16"))).plotKld, 1e-6);
        QCOMPARE(chart.point(chart.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q8_0"))).plotKld, 0.00005);
        m_picker.setMeasuredQuality(nullptr);
    }

    // The overview: every quant of every model at its memory against the
    // model's published score, the benchmark chosen.
    void overviewOfAllModels()
    {
        m_picker.setAdapters({testGpu(), testCpu()});
        m_picker.setAdapterIndex(0);
        QualityOverviewModel overview;
        overview.setPicker(&m_picker);
        // AIME 2024 first (its rows lie apart), MATH-500 next.
        QCOMPARE(overview.benchmarks().first(), QStringLiteral("AIME 2024 pass@1"));
        QCOMPARE(overview.benchmarks().at(1), QStringLiteral("MATH-500 pass@1"));
        QCOMPARE(overview.benchmarkIndex(), 0);
        QVERIFY(overview.scoreAxisTitle().startsWith(QLatin1String("AIME 2024 pass@1 (%)")));
        QCOMPARE(overview.count(), 6 * 7);
        QSet<QString> models;
        for (const QualityPoint& p : overview.points()) {
            models.insert(p.modelId);
            const CatalogModel* model = m_picker.catalog().model(p.modelId);
            QCOMPARE(p.score, *model->quality.aime2024Pass1);
            const auto mix = quantMixFromName(p.quant.toStdString());
            QCOMPARE(p.memoryBytes, qint64(m_picker.fit(m_picker.rowOf(p.modelId, *mix)).neededBytes));
            QVERIFY(p.score >= overview.scoreAxisMin() && p.score <= overview.scoreAxisMax());
            QVERIFY(p.memoryGiB > overview.memoryAxisMin() && p.memoryGiB < overview.memoryAxisMax());
            QVERIFY2(p.toolTip.contains(QStringLiteral("AIME 2024 pass@1 %1% (published for the unquantized model)")
                                            .arg(p.score, 0, 'f', 1)),
                     qPrintable(p.toolTip));
        }
        QCOMPARE(models.size(), 6);
        // The axis ends are powers of two (a log 2 axis).
        QCOMPARE(std::exp2(std::round(std::log2(overview.memoryAxisMin()))), overview.memoryAxisMin());
        QCOMPARE(std::exp2(std::round(std::log2(overview.memoryAxisMax()))), overview.memoryAxisMax());

        // Each model's name goes by its point with the least memory, unless
        // that covers another row: the 70B's (AIME 70.0) would cover the
        // 14B's (69.7) larger quants, so it goes right of its F16.
        const QList<int> labels = overview.labelRows();
        QCOMPARE(labels.size(), 6);
        QSet<QString> named;
        for (const int row : labels) {
            named.insert(overview.point(row).modelId);
            const bool right = overview.labelRightRows().contains(row);
            for (const QualityPoint& p : overview.points())
                if (p.modelId == overview.point(row).modelId)
                    QVERIFY(right ? p.memoryGiB <= overview.point(row).memoryGiB
                                  : p.memoryGiB >= overview.point(row).memoryGiB);
        }
        QCOMPARE(named.size(), 6);
        QCOMPARE(overview.labelRightRows(), QList<int>{overview.rowOf(QStringLiteral("llama-70b"), QStringLiteral("F16"))});

        // "14B at Q3_K_M or 7B at Q8_0?": both are there with their figures.
        const QualityPoint q14 = overview.point(overview.rowOf(QStringLiteral("qwen-14b"), QStringLiteral("Q3_K_M")));
        const QualityPoint q7 = overview.point(overview.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q8_0")));
        QVERIFY(q14.score > q7.score);
        QVERIFY(q14.meanKld > q7.meanKld);

        // Another benchmark.
        QSignalSpy changed(&overview, &QualityOverviewModel::benchmarkIndexChanged);
        overview.setBenchmarkIndex(1);
        QCOMPARE(changed.size(), 1);
        QVERIFY(overview.scoreAxisTitle().startsWith(QLatin1String("MATH-500 pass@1")));
        QCOMPARE(overview.point(overview.rowOf(QStringLiteral("qwen-7b"), QStringLiteral("Q8_0"))).score, 92.8);
        overview.setBenchmarkIndex(99);  // refused
        QCOMPARE(overview.benchmarkIndex(), 1);

        // A model without the score is left off.
        m_picker.setCatalog(editedCatalog([](QJsonObject& root) {
            QJsonArray list = root[QStringLiteral("models")].toArray();
            QJsonObject m = list[0].toObject();
            QJsonObject q = m[QStringLiteral("quality")].toObject();
            q.remove(QStringLiteral("math500Pass1"));
            m[QStringLiteral("quality")] = q;
            list[0] = m;
            root[QStringLiteral("models")] = list;
        }));
        QCOMPARE(overview.count(), 5 * 7);
        QCOMPARE(overview.labelRows().size(), 5);
    }
};

QTEST_GUILESS_MAIN(TestQualityChart)
#include "tst_quality_chart.moc"
