// The first run's recommendation (app/welcome/first_run_choice.h) over the
// rigs people have, against the real catalog: each expected model and quant
// is worked out by hand in the comment above its row, from the catalog's
// file sizes and the KV cache an 8k context needs (2 × layers × KV heads ×
// 128 × 2 bytes per token, f16), with a margin of about 1 GiB for the rest
// of the plan; the test then holds the exact plan (model_fit) to it.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "first_run_choice.h"

using namespace ponder;
using namespace ponder::app;

namespace {

constexpr qint64 kGiB = qint64(1) << 30;

AdapterSummary gpu(const QString& name, qint64 total, qint64 free)
{
    AdapterSummary device;
    device.name = name;
    device.type = vk::AdapterType::Discrete;
    device.totalMemory = total;
    device.freeMemory = free;
    device.measuredFree = true;
    device.vulkanIndex = 0;
    return device;
}

AdapterSummary cpu(qint64 total, qint64 available, uint32_t cores)
{
    AdapterSummary device;
    device.name = QStringLiteral("CPU (%1 cores, AVX2)").arg(cores);
    device.type = vk::AdapterType::Cpu;
    device.cpuEngine = true;
    device.totalMemory = total;
    device.freeMemory = available;
    device.measuredFree = true;
    device.physicalCores = cores;
    return device;
}

} // namespace

Q_DECLARE_METATYPE(ponder::app::AdapterSummary)

class TestFirstRunChoice : public QObject {
    Q_OBJECT

    const ModelCatalog& catalog()
    {
        const auto& builtIn = ModelCatalog::builtIn();
        if (!builtIn)
            qFatal("%s", qPrintable(builtIn.error()));
        return *builtIn;
    }

private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void rigs_data()
    {
        QTest::addColumn<AdapterSummary>("device");
        QTest::addColumn<QString>("model");  // empty: nothing fits
        QTest::addColumn<QString>("quant");
        QTest::addColumn<bool>("belowFloor");

        // 22.5 GiB free, Fits below 20.25 GiB. AIME ranks 32B (72.6) >
        // 70B (70.0) > 14B (69.7) > 7B > 8B > 1.5B. 32B: Q4_K_M is 18.5 GiB
        // of weights + 2 GiB of KV (64 layers × 8 heads) = 20.5+: tight;
        // Q3_K_M fits but is below the floor (mean KLD 0.10), so not 32B.
        // 70B: even Q2_K (24.6 GiB) does not load. 14B: Q8_0 is 14.6 GiB +
        // 1.5 GiB of KV (48 layers × 8 heads) = 16.1+: fits.
        QTest::newRow("24 GB GPU") << gpu(QStringLiteral("NVIDIA GeForce RTX 4090"), 24 * kGiB, 45 * kGiB / 2)
                                   << QStringLiteral("qwen-14b") << QStringLiteral("Q8_0") << false;
        // 7.5 GiB free, Fits below 6.75 GiB. 14B Q4_K_M alone is 8.4 GiB,
        // Q3_K_M (6.8) over, Q2_K below the floor anyway. 7B (28 layers × 4
        // KV heads: 0.44 GiB of KV at 8k): Q6_K is 5.8 GiB + 0.44 = 6.3+:
        // fits; Q8_0 (7.5 GiB) does not.
        QTest::newRow("8 GB GPU") << gpu(QStringLiteral("NVIDIA GeForce RTX 3070"), 8 * kGiB, 15 * kGiB / 2)
                                  << QStringLiteral("qwen-7b") << QStringLiteral("Q6_K") << false;
        // 3.6 GiB free, Fits below 3.24 GiB. 7B Q4_K_M is 4.4 GiB: no; Q3_K_M
        // is under the floor. 1.5B (28 layers × 2 KV heads: 0.22 GiB at 8k):
        // F16 is 3.3 GiB: no; Q8_0 is 1.76 GiB + 0.22: fits.
        QTest::newRow("4 GB GPU") << gpu(QStringLiteral("NVIDIA GeForce GTX 1650"), 4 * kGiB, qint64(3.6 * kGiB))
                                  << QStringLiteral("qwen-1.5b") << QStringLiteral("Q8_0") << false;
        // The CPU engine, 12 GiB of the 16 available, Fits below 10.8 GiB.
        // 32B Q4_K_M (18.5) no. 14B: Q5_K_M is 9.8 GiB + 1.5 of KV = 11.3:
        // over; Q4_K_M is 8.4 + 1.5 = 9.9+: fits.
        QTest::newRow("no GPU, 16 GB RAM") << cpu(16 * kGiB, 12 * kGiB, 8) << QStringLiteral("qwen-14b")
                                           << QStringLiteral("Q4_K_M") << false;
        // 2.5 GiB of 4 available, Fits below 2.25 GiB. 7B Q2_K alone is 2.8:
        // no. 1.5B: F16 (3.3) no; Q8_0 is 1.76 + 0.22 = 2.0+: fits.
        QTest::newRow("no GPU, 4 GB RAM") << cpu(4 * kGiB, 5 * kGiB / 2, 4) << QStringLiteral("qwen-1.5b")
                                          << QStringLiteral("Q8_0") << false;
        // 0.75 GiB free: the smallest file (1.5B Q2_K) is 0.70 GiB, and
        // with its 0.22 GiB of KV nothing loads.
        QTest::newRow("nothing fits") << gpu(QStringLiteral("Old GPU"), 1 * kGiB, 3 * kGiB / 4) << QString()
                                      << QString() << false;
    }

    void rigs()
    {
        QFETCH(AdapterSummary, device);
        QFETCH(QString, model);
        QFETCH(QString, quant);
        QFETCH(bool, belowFloor);

        const FirstRunChoice choice = chooseFirstModel(catalog(), device);
        if (model.isEmpty()) {
            QVERIFY2(!choice.found(), qPrintable(choice.found() ? choice.model->id : QString()));
            QVERIFY(firstRunReason(choice, device).isEmpty());
            return;
        }
        QVERIFY(choice.found());
        QCOMPARE(choice.model->id, model);
        QCOMPARE(choice.quant()->name(), quant);
        QCOMPARE(choice.belowQualityFloor, belowFloor);
        QCOMPARE(choice.fit.verdict, FitVerdict::Fits);
        // The next better quant of the same model would not leave the room.
        const int rank = quantQualityRank(choice.mix);
        if (rank > 0) {
            const QuantMix better = quantQualityOrder()[size_t(rank - 1)];
            FitTarget target{device.limits, uint64_t(device.freeMemory), device.type, device.cpuEngine,
                             std::max(device.physicalCores, 1u)};
            const FitResult fit = evaluateFit(modelInfoFromConfig(choice.model->config, better), kFirstRunContext, target);
            QVERIFY2(fit.verdict != FitVerdict::Fits, qPrintable(fit.reason));
        }

        const QString reason = firstRunReason(choice, device);
        qInfo("%s: %s", QTest::currentDataTag(), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("with room for an 8k context")), qPrintable(reason));
        QVERIFY2(reason.contains(formatMemoryBytes(uint64_t(device.freeMemory)) + QStringLiteral(" free")),
                 qPrintable(reason));
        if (device.cpuEngine)
            QVERIFY2(reason.contains(QStringLiteral("your CPU")), qPrintable(reason));
        else
            QVERIFY2(reason.contains(device.name), qPrintable(reason));
    }

    // Only when no model fits at Q4_K_M or better does a lower quant win,
    // and it says so: 1.4 GiB free (Fits below 1.26) leaves the 1.5B (the
    // smallest) room for Q3_K_M (0.86 GiB + 0.22 of KV + about 0.12 of
    // scratch = 1.2) but not Q4_K_M (1.03 + 0.22 + 0.12 = 1.37).
    void fallsBelowTheFloorOnlyWhenNothingElseFits()
    {
        const AdapterSummary device = gpu(QStringLiteral("Small GPU"), 2 * kGiB, qint64(1.4 * kGiB));
        const FirstRunChoice choice = chooseFirstModel(catalog(), device);
        QVERIFY(choice.found());
        QCOMPARE(choice.model->id, QStringLiteral("qwen-1.5b"));
        QCOMPARE(choice.quant()->name(), QStringLiteral("Q3_K_M"));
        QVERIFY(choice.belowQualityFloor);
    }

    // The ranking is the catalog's scores, not the file order: a catalog
    // whose first model scores lower still recommends the better one.
    void ranksByScoreNotOrder()
    {
        QFile file(ModelCatalog::builtInPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        QJsonArray models = root.value(QLatin1String("models")).toArray();
        QJsonArray reversed;
        for (qsizetype i = models.size() - 1; i >= 0; --i)
            reversed.append(models[i]);
        root.insert(QLatin1String("models"), reversed);
        const auto parsed = ModelCatalog::fromJson(QJsonDocument(root).toJson());
        QVERIFY2(parsed, qPrintable(parsed.error()));
        const ModelCatalog& reordered = *parsed;
        QCOMPARE(reordered.models().first().id, QStringLiteral("llama-70b"));
        const AdapterSummary device = gpu(QStringLiteral("GPU"), 8 * kGiB, 15 * kGiB / 2);
        const FirstRunChoice choice = chooseFirstModel(reordered, device);
        QVERIFY(choice.found());
        // llama-8b (AIME 50.4) comes after qwen-7b (55.5) in score though both fit at Q6_K.
        QCOMPARE(choice.model->id, QStringLiteral("qwen-7b"));
        QVERIFY(choice.model->quality.aime2024Pass1.value_or(0) >
                reordered.model(QStringLiteral("llama-8b"))->quality.aime2024Pass1.value_or(0));
    }
};

QTEST_GUILESS_MAIN(TestFirstRunChoice)
#include "tst_first_run_choice.moc"
