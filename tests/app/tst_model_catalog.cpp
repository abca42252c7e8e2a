// The model catalog: the real resources/catalog.json (from the source tree
// and as embedded in the app) loads, lists the six distills with all seven
// quants, agrees with the engine's knownModels() configs, and its sizes agree
// with what the engine's layout of each quant mix predicts. Malformed
// catalogs are refused with an error naming the place and the problem. The
// typical quality block holds llama.cpp's published figures and is validated
// like the rest.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>
#include <functional>

#include "model_catalog.h"
#include "model_fit.h"
#include "ponder/known_models.h"
#include "ponder/model_layout.h"

using namespace ponder;
using namespace ponder::app;

namespace {

QString sourceCatalogPath()
{
    return qEnvironmentVariable("PONDER_SOURCE_DIR") + QStringLiteral("/resources/catalog.json");
}

QByteArray sourceCatalogBytes()
{
    QFile file(sourceCatalogPath());
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(sourceCatalogPath()));
    return file.readAll();
}

// The real catalog with one change made by `edit` to its JSON.
QByteArray edited(const std::function<void(QJsonObject&)>& edit)
{
    QJsonObject root = QJsonDocument::fromJson(sourceCatalogBytes()).object();
    edit(root);
    return QJsonDocument(root).toJson();
}

// Applies `edit` to models[model].quants[quant] (or to the model with quant -1).
std::function<void(QJsonObject&)> editModel(int model, int quant, const std::function<void(QJsonObject&)>& edit)
{
    return [=](QJsonObject& root) {
        QJsonArray models = root[QStringLiteral("models")].toArray();
        QJsonObject m = models[model].toObject();
        if (quant < 0) {
            edit(m);
        } else {
            QJsonArray quants = m[QStringLiteral("quants")].toArray();
            QJsonObject q = quants[quant].toObject();
            edit(q);
            quants[quant] = q;
            m[QStringLiteral("quants")] = quants;
        }
        models[model] = m;
        root[QStringLiteral("models")] = models;
    };
}

// Applies `edit` to typicalQuality (or to its quants[quant] when quant >= 0).
std::function<void(QJsonObject&)> editTypical(int quant, const std::function<void(QJsonObject&)>& edit)
{
    return [=](QJsonObject& root) {
        QJsonObject typical = root[QStringLiteral("typicalQuality")].toObject();
        if (quant < 0) {
            edit(typical);
        } else {
            QJsonArray quants = typical[QStringLiteral("quants")].toArray();
            QJsonObject q = quants[quant].toObject();
            edit(q);
            quants[quant] = q;
            typical[QStringLiteral("quants")] = quants;
        }
        root[QStringLiteral("typicalQuality")] = typical;
    };
}

} // namespace

class TestModelCatalog : public QObject {
    Q_OBJECT

private slots:
    void embeddedCatalogIsTheSourceFile()
    {
        const auto& builtIn = ModelCatalog::builtIn();
        QVERIFY2(builtIn.has_value(), qPrintable(builtIn.error()));
        QFile embedded(ModelCatalog::builtInPath());
        QVERIFY(embedded.open(QIODevice::ReadOnly));
        QCOMPARE(embedded.readAll(), sourceCatalogBytes());
    }

    void listsSixModelsWithSevenQuants()
    {
        const auto catalog = ModelCatalog::load(sourceCatalogPath());
        QVERIFY2(catalog.has_value(), qPrintable(catalog.error()));
        QCOMPARE(catalog->models().size(), 6);
        for (const auto& model : catalog->models()) {
            QCOMPARE(model.quants.size(), 7);
            for (const QuantMix mix : quantQualityOrder())
                QVERIFY2(model.quant(mix), qPrintable(model.id + " lacks " + QString::fromUtf8(quantMixName(mix).data())));
        }
    }

    void configsMatchKnownModels()
    {
        const auto catalog = ModelCatalog::load(sourceCatalogPath());
        QVERIFY(catalog.has_value());
        QCOMPARE(catalog->models().size(), qsizetype(knownModels().size()));
        for (const auto& known : knownModels()) {
            const QString id = QString::fromUtf8(known.shape.data(), qsizetype(known.shape.size()));
            const CatalogModel* model = catalog->model(id);
            QVERIFY2(model, qPrintable(id));
            QCOMPARE(model->name.toStdString(), std::string(known.name));
            const ModelConfig& a = model->config;
            const ModelConfig& b = known.config;
            QCOMPARE(int(a.architecture), int(b.architecture));
            QCOMPARE(a.embeddingLength, b.embeddingLength);
            QCOMPARE(a.blockCount, b.blockCount);
            QCOMPARE(a.feedForwardLength, b.feedForwardLength);
            QCOMPARE(a.headCount, b.headCount);
            QCOMPARE(a.headCountKv, b.headCountKv);
            QCOMPARE(a.headDim, b.headDim);
            QCOMPARE(a.ropeDimensions, b.ropeDimensions);
            QCOMPARE(a.vocabSize, b.vocabSize);
            QCOMPARE(a.contextLength, b.contextLength);
            QCOMPARE(a.ropeFreqBase, b.ropeFreqBase);
            QCOMPARE(a.rmsEpsilon, b.rmsEpsilon);
            QCOMPARE(int(a.ropeLayout), int(b.ropeLayout));
            QCOMPARE(a.hasQkvBias, b.hasQkvBias);
            QCOMPARE(a.tiedOutput, b.tiedOutput);
            QCOMPARE(a.hasRopeFreqs, b.hasRopeFreqs);
        }
    }

    // The engine's layout of each mix (modelInfoFromConfig) predicts the
    // published file sizes: it follows llama-quantize's per-tensor choices,
    // so the only differences are the header (a few MB of vocabulary) and
    // the published sizes' rounding to three digits. Sizes the catalog
    // itself estimated are skipped: comparing them would be circular.
    void sizesAgreeWithTheEngineLayout()
    {
        const auto catalog = ModelCatalog::load(sourceCatalogPath());
        QVERIFY(catalog.has_value());
        int compared = 0;
        int exact = 0;
        for (const auto& model : catalog->models())
            for (const auto& quant : model.quants) {
                if (quant.sizeSource == QLatin1String("estimate"))
                    continue;
                const ModelInfo info = modelInfoFromConfig(model.config, quant.mix);
                // A file is its tensors plus a header of a few MB (the vocabulary).
                const double estimate = double(info.tensorBytes);
                const double published = double(quant.bytes);
                const double tolerance = 0.01;
                const double off = std::abs(estimate - published) / published;
                qInfo("%-32s %-7s published %7.3f GB, estimated %7.3f GB (%+.1f%%)", qPrintable(model.name),
                      qPrintable(quant.name()), published / 1e9, estimate / 1e9, 100 * (estimate - published) / published);
                QVERIFY2(off <= tolerance, qPrintable(QStringLiteral("%1 %2: %3% off")
                                                          .arg(model.name, quant.name())
                                                          .arg(100 * off, 0, 'f', 1)));
                // Where the size is exact, not rounded, the difference is the
                // header alone: positive, and a few MB (vocabulary and merges).
                if (quant.bytes % 1000000 != 0) {
                    const qint64 header = quant.bytes - qint64(info.tensorBytes);
                    QVERIFY2(header > 1000000 && header < 16000000,
                             qPrintable(QStringLiteral("%1 %2: %3 bytes beyond the tensors")
                                            .arg(model.name, quant.name()).arg(header)));
                    ++exact;
                }
                ++compared;
            }
        QVERIFY(compared >= 38);
        QVERIFY(exact >= 2);
    }

    void urlsAndFileNames()
    {
        const auto catalog = ModelCatalog::load(sourceCatalogPath());
        QVERIFY(catalog.has_value());
        const CatalogQuant* q4 = catalog->model(QStringLiteral("qwen-7b"))->quant(QuantMix::Q4_K_M);
        QVERIFY(q4);
        QCOMPARE(q4->files, QStringList{QStringLiteral("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf")});
        QCOMPARE(q4->url().toString(),
                 QStringLiteral("https://huggingface.co/bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/resolve/"
                                "1920579b50c2a227ddd96a5a093bc4685b49b5fa/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"));

        // Files above 50 GB come in parts in a folder; locally they are named by the part.
        const CatalogQuant* q8 = catalog->model(QStringLiteral("llama-70b"))->quant(QuantMix::Q8_0);
        QVERIFY(q8);
        QCOMPARE(q8->files.size(), 2);
        QCOMPARE(q8->files[0], QStringLiteral("DeepSeek-R1-Distill-Llama-70B-Q8_0/"
                                              "DeepSeek-R1-Distill-Llama-70B-Q8_0-00001-of-00002.gguf"));
        QCOMPARE(q8->localFileName(), QStringLiteral("DeepSeek-R1-Distill-Llama-70B-Q8_0-00001-of-00002.gguf"));

        const auto match = catalog->matchFileName(QStringLiteral("deepseek-r1-distill-qwen-7b-F16.gguf"));
        QVERIFY(match.model && match.quant);
        QCOMPARE(match.model->id, QStringLiteral("qwen-7b"));
        QCOMPARE(match.quant->mix, QuantMix::F16);
        QVERIFY(!catalog->matchFileName(QStringLiteral("other-model.gguf")).model);

        for (const auto& model : catalog->models())
            for (const auto& quant : model.quants) {
                QVERIFY(quant.url().isValid());
                // Every file above 50 GB (Hugging Face's limit) is split.
                if (quant.files.size() == 1)
                    QVERIFY2(quant.bytes < 50'000'000'000, qPrintable(model.name + ' ' + quant.name()));
            }
        QVERIFY(catalog->model(QStringLiteral("llama-70b"))->quality.aime2024Pass1.has_value());
        QCOMPARE(*catalog->model(QStringLiteral("qwen-32b"))->quality.math500Pass1, 94.3);
    }

    // The typical figures are llama.cpp's published ones (tools/perplexity/README.md,
    // "LLaMA 3 8b Scoreboard", rows without an imatrix), copied as printed.
    void typicalQualityIsLlamaCppsScoreboard()
    {
        const auto catalog = ModelCatalog::load(sourceCatalogPath());
        QVERIFY2(catalog.has_value(), qPrintable(catalog.error()));
        const CatalogTypicalQuality& typical = catalog->typicalQuality();
        QCOMPARE(typical.baseModel, QStringLiteral("Llama-3-8B"));
        QCOMPARE(typical.reference, QStringLiteral("F16"));
        // The copy read, at its commit.
        QVERIFY2(QRegularExpression(QStringLiteral("^https://github\\.com/[^/]+/llama\\.cpp/blob/[0-9a-f]{40}/"
                                                   "tools/perplexity/README\\.md"))
                     .match(typical.source)
                     .hasMatch(),
                 qPrintable(typical.source));
        QVERIFY(typical.upstream.startsWith(QLatin1String("https://github.com/ggml-org/llama.cpp/")));

        // Every quant the picker offers has a figure; F16 is the reference.
        for (const QuantMix mix : quantQualityOrder())
            QVERIFY2(typical.find(QString::fromUtf8(quantMixName(mix).data())),
                     quantMixName(mix).data());
        QCOMPARE(typical.find(QStringLiteral("F16"))->meanKld, 0.0);
        QVERIFY(!typical.find(QStringLiteral("F16"))->sameTopPercent);
        QCOMPARE(typical.find(QStringLiteral("Q8_0"))->meanKld, 0.001355);
        QCOMPARE(typical.find(QStringLiteral("q6_k"))->meanKld, 0.005452);  // any case
        QCOMPARE(typical.find(QStringLiteral("Q5_K_M"))->meanKld, 0.010762);
        QCOMPARE(typical.find(QStringLiteral("Q4_K_M"))->meanKld, 0.031273);
        QCOMPARE(typical.find(QStringLiteral("Q3_K_M"))->meanKld, 0.101913);
        QCOMPARE(typical.find(QStringLiteral("Q2_K"))->meanKld, 0.445132);
        QCOMPARE(typical.find(QStringLiteral("Q3_K_S"))->meanKld, 0.228217);
        QCOMPARE(typical.find(QStringLiteral("Q3_K_L"))->meanKld, 0.087176);
        QCOMPARE(typical.find(QStringLiteral("Q4_K_S"))->meanKld, 0.043136);
        QCOMPARE(typical.find(QStringLiteral("Q5_K_S"))->meanKld, 0.016595);
        // Same top p is published for four types only (the LLaMA 2 vs 3 table).
        QCOMPARE(*typical.find(QStringLiteral("Q8_0"))->sameTopPercent, 97.674);
        QCOMPARE(*typical.find(QStringLiteral("Q6_K"))->sameTopPercent, 96.031);
        QCOMPARE(*typical.find(QStringLiteral("Q4_K_M"))->sameTopPercent, 91.901);
        QCOMPARE(*typical.find(QStringLiteral("Q2_K"))->sameTopPercent, 71.138);
        QVERIFY(!typical.find(QStringLiteral("Q5_K_M"))->sameTopPercent);
        QVERIFY(!typical.find(QStringLiteral("Q3_K_M"))->sameTopPercent);
        QVERIFY(!typical.find(QStringLiteral("IQ2_XS")));

        // Fewer bits, more divergence: the published order of the K-quants.
        const QStringList order{QStringLiteral("F16"),    QStringLiteral("Q8_0"),   QStringLiteral("Q6_K"),
                                QStringLiteral("Q5_K_M"), QStringLiteral("Q5_K_S"), QStringLiteral("Q4_K_M"),
                                QStringLiteral("Q4_K_S"), QStringLiteral("Q3_K_L"), QStringLiteral("Q3_K_M"),
                                QStringLiteral("Q3_K_S"), QStringLiteral("Q2_K")};
        for (int i = 1; i < order.size(); ++i)
            QVERIFY2(typical.find(order[i])->meanKld > typical.find(order[i - 1])->meanKld, qPrintable(order[i]));
    }

    // A catalog without the block still loads: the chart then has no typical points.
    void typicalQualityIsOptional()
    {
        const auto catalog =
            ModelCatalog::fromJson(edited([](QJsonObject& r) { r.remove(QStringLiteral("typicalQuality")); }));
        QVERIFY2(catalog.has_value(), qPrintable(catalog.error()));
        QVERIFY(catalog->typicalQuality().isEmpty());
        QVERIFY(!catalog->typicalQuality().find(QStringLiteral("Q4_K_M")));
    }

    void malformedCatalogsGiveClearErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");

        QTest::newRow("not json") << QByteArray("{ \"schema\": 1, ") << "not valid JSON at byte";
        QTest::newRow("array") << QByteArray("[]") << "the catalog must be a JSON object";
        QTest::newRow("newer schema") << edited([](QJsonObject& r) { r[QStringLiteral("schema")] = 2; })
                                      << "schema: version 2, but this Ponder reads version 1";
        QTest::newRow("server not a URL") << edited([](QJsonObject& r) { r[QStringLiteral("server")] = "ftp://x"; })
                                          << "server: expected an http or https URL";
        QTest::newRow("no models") << edited([](QJsonObject& r) { r.remove(QStringLiteral("models")); })
                                   << "models: expected a non-empty array";
        QTest::newRow("model not an object")
            << edited([](QJsonObject& r) {
                   QJsonArray models = r[QStringLiteral("models")].toArray();
                   models[1] = 7;
                   r[QStringLiteral("models")] = models;
               })
            << "models[1]: expected an object";
        QTest::newRow("missing config key")
            << edited(editModel(2, -1, [](QJsonObject& m) {
                   QJsonObject c = m[QStringLiteral("config")].toObject();
                   c.remove(QStringLiteral("headCountKv"));
                   m[QStringLiteral("config")] = c;
               }))
            << "models[2].config.headCountKv: expected a whole number from 1 to 16777216";
        QTest::newRow("fractional layers")
            << edited(editModel(0, -1, [](QJsonObject& m) {
                   QJsonObject c = m[QStringLiteral("config")].toObject();
                   c[QStringLiteral("blockCount")] = 27.5;
                   m[QStringLiteral("config")] = c;
               }))
            << "models[0].config.blockCount: expected a whole number";
        QTest::newRow("unknown architecture")
            << edited(editModel(0, -1, [](QJsonObject& m) {
                   QJsonObject c = m[QStringLiteral("config")].toObject();
                   c[QStringLiteral("architecture")] = QStringLiteral("mamba");
                   m[QStringLiteral("config")] = c;
               }))
            << "models[0].config.architecture: unknown architecture \"mamba\"";
        QTest::newRow("duplicate id")
            << edited(editModel(1, -1, [](QJsonObject& m) { m[QStringLiteral("id")] = QStringLiteral("qwen-1.5b"); }))
            << "models[1].id: \"qwen-1.5b\" is used twice";
        QTest::newRow("unknown quant")
            << edited(editModel(1, 4, [](QJsonObject& q) { q[QStringLiteral("quant")] = QStringLiteral("Q9_K"); }))
            << "models[1].quants[4].quant: unknown quantization \"Q9_K\"";
        QTest::newRow("quant twice")
            << edited(editModel(1, 4, [](QJsonObject& q) { q[QStringLiteral("quant")] = QStringLiteral("Q8_0"); }))
            << "models[1].quants[4].quant: Q8_0 is listed twice";
        QTest::newRow("short revision")
            << edited(editModel(3, 0, [](QJsonObject& q) { q[QStringLiteral("revision")] = QStringLiteral("9b957d0"); }))
            << "models[3].quants[0].revision: expected a 40-digit lowercase commit hash or \"main\"";
        QTest::newRow("main but listed")
            << edited(editModel(3, 0, [](QJsonObject& q) { q[QStringLiteral("revision")] = QStringLiteral("main"); }))
            << "models[3].quants[0].check: \"unverified\" goes with revision \"main\"";
        QTest::newRow("bad repo")
            << edited(editModel(3, 0, [](QJsonObject& q) { q[QStringLiteral("repo")] = QStringLiteral("no-owner"); }))
            << "models[3].quants[0].repo: expected \"owner/name\"";
        QTest::newRow("negative size")
            << edited(editModel(3, 0, [](QJsonObject& q) { q[QStringLiteral("bytes")] = -5; }))
            << "models[3].quants[0].bytes: expected a whole number";
        QTest::newRow("bad sha256")
            << edited(editModel(3, 5, [](QJsonObject& q) { q[QStringLiteral("sha256")] = QStringLiteral("abc"); }))
            << "models[3].quants[5].sha256: expected 64 lowercase hex digits";
        QTest::newRow("path escapes")
            << edited(editModel(3, 0, [](QJsonObject& q) {
                   q[QStringLiteral("files")] = QJsonArray{QStringLiteral("../../etc/passwd.gguf")};
               }))
            << "models[3].quants[0].files[0]: expected a relative path ending in .gguf";
        QTest::newRow("parts out of order")
            << edited(editModel(5, 1, [](QJsonObject& q) {
                   const QJsonArray files = q[QStringLiteral("files")].toArray();
                   q[QStringLiteral("files")] = QJsonArray{files[1], files[0]};
               }))
            << "models[5].quants[1].files[0]: expected part 1 of 2 (\"…-00001-of-00002.gguf\")";

        // The typical quality block.
        QTest::newRow("typical not an object")
            << edited([](QJsonObject& r) { r[QStringLiteral("typicalQuality")] = QStringLiteral("good"); })
            << "typicalQuality: expected an object";
        QTest::newRow("typical source not https")
            << edited(editTypical(-1, [](QJsonObject& t) { t[QStringLiteral("source")] = QStringLiteral("javascript:alert(1)"); }))
            << "typicalQuality.source: expected an https URL";
        QTest::newRow("typical without base model")
            << edited(editTypical(-1, [](QJsonObject& t) { t.remove(QStringLiteral("baseModel")); }))
            << "typicalQuality.baseModel: expected a non-empty string";
        QTest::newRow("typical base model a paragraph")
            << edited(editTypical(-1, [](QJsonObject& t) { t[QStringLiteral("baseModel")] = QString(500, u'x'); }))
            << "typicalQuality.baseModel: expected a model name of at most 40 characters";
        QTest::newRow("typical against Q8_0")
            << edited(editTypical(-1, [](QJsonObject& t) { t[QStringLiteral("reference")] = QStringLiteral("Q8_0"); }))
            << "typicalQuality.reference: expected \"F16\"";
        QTest::newRow("typical no quants")
            << edited(editTypical(-1, [](QJsonObject& t) { t[QStringLiteral("quants")] = QJsonArray(); }))
            << "typicalQuality.quants: expected a non-empty array";
        QTest::newRow("typical quant not an object")
            << edited(editTypical(-1, [](QJsonObject& t) { t[QStringLiteral("quants")] = QJsonArray{1}; }))
            << "typicalQuality.quants[0]: expected an object";
        QTest::newRow("typical unknown quant")
            << edited(editTypical(3, [](QJsonObject& q) { q[QStringLiteral("quant")] = QStringLiteral("Q9_K"); }))
            << "typicalQuality.quants[3].quant: unknown quantization \"Q9_K\"";
        QTest::newRow("typical quant twice")
            << edited(editTypical(3, [](QJsonObject& q) { q[QStringLiteral("quant")] = QStringLiteral("Q8_0"); }))
            << "typicalQuality.quants[3].quant: Q8_0 is listed twice";
        QTest::newRow("typical kld a string")
            << edited(editTypical(2, [](QJsonObject& q) { q[QStringLiteral("meanKld")] = QStringLiteral("0.005"); }))
            << "typicalQuality.quants[2].meanKld: expected a number from 0 to 100";
        QTest::newRow("typical kld missing")
            << edited(editTypical(2, [](QJsonObject& q) { q.remove(QStringLiteral("meanKld")); }))
            << "typicalQuality.quants[2].meanKld: expected a number from 0 to 100";
        QTest::newRow("typical kld negative")
            << edited(editTypical(2, [](QJsonObject& q) { q[QStringLiteral("meanKld")] = -0.5; }))
            << "typicalQuality.quants[2].meanKld: expected a number from 0 to 100";
        QTest::newRow("typical kld huge")
            << edited(editTypical(2, [](QJsonObject& q) { q[QStringLiteral("meanKld")] = 1e300; }))
            << "typicalQuality.quants[2].meanKld: expected a number from 0 to 100";
        QTest::newRow("typical quant of 0")
            << edited(editTypical(2, [](QJsonObject& q) { q[QStringLiteral("meanKld")] = 0; }))
            << "typicalQuality.quants[2].meanKld: only F16, the reference, has a divergence of 0";
        QTest::newRow("typical F16 diverges")
            << edited(editTypical(0, [](QJsonObject& q) { q[QStringLiteral("meanKld")] = 0.000551; }))
            << "typicalQuality.quants[0].meanKld: F16 is the reference: its divergence is 0";
        QTest::newRow("typical same top over 100")
            << edited(editTypical(1, [](QJsonObject& q) { q[QStringLiteral("sameTopPercent")] = 197.674; }))
            << "typicalQuality.quants[1].sameTopPercent: expected a number from 0 to 100";
        QTest::newRow("typical rms not a number")
            << edited(editTypical(1, [](QJsonObject& q) { q[QStringLiteral("rmsDeltaPPercent")] = QJsonValue::Null; }))
            << "typicalQuality.quants[1].rmsDeltaPPercent: expected a number from 0 to 100";
    }

    void malformedCatalogsGiveClearErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const auto catalog = ModelCatalog::fromJson(json);
        QVERIFY(!catalog.has_value());
        QVERIFY2(catalog.error().startsWith(error), qPrintable(catalog.error()));
    }

    void loadNamesTheFile()
    {
        const auto missing = ModelCatalog::load(QStringLiteral("/nonexistent/catalog.json"));
        QVERIFY(!missing.has_value());
        QVERIFY2(missing.error().contains(QLatin1String("/nonexistent/catalog.json")), qPrintable(missing.error()));
    }
};

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "tst_model_catalog.moc"
