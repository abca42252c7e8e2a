// The picker's exact figure before a download: a catalog whose files are
// served by the local test server (the catalog's "server" key), a cell
// refined by reading its file's header over HTTP (one file, and a model in
// two parts), and the result equal to the memory plan of the real file. A
// file the server does not have keeps the catalog's estimate.
#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "model_catalog.h"
#include "model_fit.h"
#include "model_generator.h"
#include "model_picker_model.h"
#include "ponder/gguf_parts.h"
#include "ponder/model_info.h"
#include "test_http_server.h"

using namespace ponder;
using app::AdapterSummary;
using app::ModelCatalog;
using app::ModelPickerModel;
using test::TestHttpServer;

namespace {

constexpr int kTimeoutMs = 15000;
constexpr qint64 kGiB = qint64(1) << 30;

AdapterSummary bigGpu()
{
    AdapterSummary gpu;
    gpu.name = QStringLiteral("Test GPU");
    gpu.totalMemory = gpu.freeMemory = 24 * kGiB;
    gpu.measuredFree = true;
    return gpu;
}

} // namespace

class TestPickerRemoteFit : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    TestHttpServer m_server;
    QString m_single;  // one file
    QString m_split;   // the first of two parts

    // The built-in catalog with the Qwen-1.5B Q8_0 and Q4_K_M files moved to
    // the test server: the first a single file, the second in two parts, the
    // Q6_K one to a path the server does not have.
    ModelCatalog testCatalog() const
    {
        QFile file(QStringLiteral(":/ponder/catalog.json"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("no built-in catalog");
        QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        root["server"] = m_server.url(QString()).toString();
        QJsonArray models = root["models"].toArray();
        QJsonObject model = models[0].toObject();
        QJsonArray quants = model["quants"].toArray();
        for (int i = 0; i < quants.size(); ++i) {
            QJsonObject q = quants[i].toObject();
            q["repo"] = QStringLiteral("test/tiny");
            q["revision"] = QStringLiteral("main");
            q["check"] = QStringLiteral("unverified");
            q.remove(QStringLiteral("sha256"));
            if (q["quant"].toString() == QLatin1String("Q8_0"))
                q["files"] = QJsonArray{QStringLiteral("tiny-Q8_0.gguf")};
            else if (q["quant"].toString() == QLatin1String("Q4_K_M"))
                q["files"] = QJsonArray{QStringLiteral("split/tiny-Q4_K_M-00001-of-00002.gguf"),
                                        QStringLiteral("split/tiny-Q4_K_M-00002-of-00002.gguf")};
            else
                q["files"] = QJsonArray{QStringLiteral("missing-%1.gguf").arg(q["quant"].toString())};
            quants[i] = q;
        }
        model["quants"] = quants;
        models[0] = model;
        root["models"] = models;
        auto catalog = ModelCatalog::fromJson(QJsonDocument(root).toJson());
        if (!catalog)
            qFatal("%s", qPrintable(catalog.error()));
        return *catalog;
    }

    static qint64 neededFromFile(const QString& path, int context)
    {
        auto parts = GgufParts::open(path.toStdString());
        if (!parts)
            qFatal("%s", parts.error().message.c_str());
        auto info = readModelInfo(parts->metadata().header(), parts->tensors());
        if (!info)
            qFatal("%s", info.error().message.c_str());
        const AdapterSummary gpu = bigGpu();
        return qint64(app::evaluateFit(*info, uint32_t(context), {gpu.limits, uint64_t(gpu.freeMemory), gpu.type})
                          .neededBytes);
    }

    static QString source(const ModelPickerModel& model, int row)
    {
        return model.data(model.index(row), ModelPickerModel::EstimateSourceRole).toString();
    }
    static qint64 needed(const ModelPickerModel& model, int row)
    {
        return model.data(model.index(row), ModelPickerModel::NeededBytesRole).toLongLong();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.mix = QuantMix::Q8_0;
        m_single = m_dir.filePath(QStringLiteral("tiny-Q8_0.gguf"));
        QVERIFY(testing::writeModel(m_single.toStdString(), spec, 2));
        spec.mix = QuantMix::Q4_K_M;
        spec.parts = 2;
        QVERIFY(testing::writeModel(m_dir.filePath(QStringLiteral("tiny-Q4_K_M.gguf")).toStdString(), spec, 2));
        m_split = m_dir.filePath(QStringLiteral("tiny-Q4_K_M-00001-of-00002.gguf"));
        QVERIFY(QFile::exists(m_split));

        QVERIFY(m_server.listen());
        m_server.serveFile(QStringLiteral("/test/tiny/resolve/main/tiny-Q8_0.gguf"), m_single);
        for (int part = 1; part <= 2; ++part) {
            const QString name = QStringLiteral("tiny-Q4_K_M-0000%1-of-00002.gguf").arg(part);
            m_server.serveFile(QStringLiteral("/test/tiny/resolve/main/split/") + name, m_dir.filePath(name));
        }
    }

    void singleFileHeaderGivesTheExactFigure()
    {
        ModelPickerModel model;
        model.setCatalog(testCatalog());
        model.setAdapters({bigGpu()});
        const int row = model.rowOf(QStringLiteral("qwen-1.5b"), QuantMix::Q8_0);
        QVERIFY(row >= 0);
        QCOMPARE(source(model, row), QString("catalog"));
        const qint64 estimate = needed(model, row);  // a real 1.5B's: far above the tiny file's

        model.refineEstimate(row);
        QCOMPARE(model.refiningRow(), row);
        QTRY_COMPARE_WITH_TIMEOUT(model.refiningRow(), -1, kTimeoutMs);
        QCOMPARE(source(model, row), QString("remote"));
        QCOMPARE(needed(model, row), neededFromFile(m_single, model.contextLength()));
        QVERIFY(needed(model, row) < estimate);

        // It follows the context length like any other figure.
        model.setContextLength(model.contextLength() * 2);
        QCOMPARE(needed(model, row), neededFromFile(m_single, model.contextLength()));
    }

    void splitModelCombinesItsParts()
    {
        ModelPickerModel model;
        model.setCatalog(testCatalog());
        model.setAdapters({bigGpu()});
        const int row = model.rowOf(QStringLiteral("qwen-1.5b"), QuantMix::Q4_K_M);
        model.refineEstimate(row);
        QTRY_COMPARE_WITH_TIMEOUT(model.refiningRow(), -1, kTimeoutMs);
        QCOMPARE(source(model, row), QString("remote"));
        QCOMPARE(needed(model, row), neededFromFile(m_split, model.contextLength()));
    }

    void missingFileKeepsTheEstimate()
    {
        ModelPickerModel model;
        model.setCatalog(testCatalog());
        model.setAdapters({bigGpu()});
        const int missing = model.rowOf(QStringLiteral("qwen-1.5b"), QuantMix::Q6_K);
        const int waiting = model.rowOf(QStringLiteral("qwen-1.5b"), QuantMix::Q8_0);
        const qint64 estimate = needed(model, missing);
        model.refineEstimate(missing);
        model.refineEstimate(waiting);  // waits for the first, then runs
        QTRY_VERIFY_WITH_TIMEOUT(source(model, waiting) == QLatin1String("remote"), kTimeoutMs);
        QCOMPARE(source(model, missing), QString("catalog"));
        QCOMPARE(needed(model, missing), estimate);
        QCOMPARE(model.refiningRow(), -1);
    }
};

QTEST_GUILESS_MAIN(TestPickerRemoteFit)
#include "tst_picker_remote_fit.moc"
