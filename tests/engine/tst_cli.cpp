// ponder-cli and ponder-make-model as a user runs them: every mode works on
// a generated model, and any bad input exits non-zero with one line that
// says what is wrong.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "gpu_fixture.h"
#include "tool_process.h"

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;

    static QString cli() { return qEnvironmentVariable("PONDER_CLI"); }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(cli()), "PONDER_CLI is not set to the ponder-cli executable");
        m_model = m_dir.filePath("tiny.gguf");
        const ponder::test::ToolRun made = ponder::test::runTool(qEnvironmentVariable("PONDER_MAKE_MODEL"),
                             {"--out", m_model, "--arch", "qwen2", "--mix", "Q4_K_M", "--seed", "9"});
        QVERIFY2(made.exitCode == 0, made.err.constData());
        QVERIFY(QFile::exists(m_model));
    }

    void info()
    {
        const ponder::test::ToolRun r = ponder::test::runTool(cli(), {"--model", m_model, "--info"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject info = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(info["architecture"].toString(), QString("qwen2"));
        QCOMPARE(info["file_type"].toString(), QString("Q4_K_M"));
        QCOMPARE(info["embedding_length"].toInt(), 256);
        QCOMPARE(info["chat_format"].toString(), QString("DeepSeek-R1"));
        QVERIFY(info["tensors"].toArray().size() > 20);
    }

    void tokenize()
    {
        const ponder::test::ToolRun r = ponder::test::runTool(cli(), {"--model", m_model, "--tokenize", "<｜User｜>hi<think>"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray ids = QJsonDocument::fromJson(r.out).array();
        QVERIFY(ids.size() >= 3);
        // Special-token text is recognised: the first id is one token, not characters.
        QVERIFY(ids.first().toInt() >= 256);
    }

    void dumpLogits_data()
    {
        QTest::addColumn<QString>("device");
        QTest::newRow("cpu-reference") << "cpu-reference";
        QTest::newRow("vulkan") << "vulkan";
    }

    void dumpLogits()
    {
        QFETCH(QString, device);
        if (device == "vulkan") {
            ponder::test::GpuFixture gpu;
            PONDER_REQUIRE_GPU(gpu);
        }
        const QString out = m_dir.filePath("logits-" + device + ".bin");
        const ponder::test::ToolRun r = ponder::test::runTool(cli(), {"--model", m_model, "--device", device, "--tokens", "1,2,3,500", "--dump-logits", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QFileInfo(out).size(), qint64(4 * 512 * 4));
    }

    // --device with several devices splits the model and says where its
    // layers went; the logits are the one-GPU logits within the CPU
    // engine's bar (its part quantizes activations: 0.038 of the largest logit).
    void splitAcrossDevices()
    {
        ponder::test::GpuFixture gpu;
        PONDER_REQUIRE_GPU(gpu);
        const QString one = m_dir.filePath("logits-one.bin");
        const QString split = m_dir.filePath("logits-split.bin");
        const ponder::test::ToolRun a =
            ponder::test::runTool(cli(), {"--model", m_model, "--device", "vulkan", "--tokens", "1,2,3,500",
                                          "--dump-logits", one});
        QVERIFY2(a.exitCode == 0, a.err.constData());
        const ponder::test::ToolRun b = ponder::test::runTool(
            cli(), {"--model", m_model, "--device", "vulkan:0,vulkan:0,cpu", "--gpu-layers", "2", "--split", "1,1",
                    "--tokens", "1,2,3,500", "--dump-logits", split});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        // The CPU's layer first, one layer on the first GPU, the output alone on the second.
        const QString placement = QString::fromUtf8(b.err).section('\n', 0, 0);
        QVERIFY2(placement.startsWith("placement: layer") && placement.count(" on ") == 3 &&
                     placement.section(';', 0, 0).contains(" on CPU") && placement.section(';', 2, 2).contains("output only on "),
                 qPrintable(placement));
        QFile fa(one), fb(split);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        const QByteArray x = fa.readAll(), y = fb.readAll();
        QCOMPARE(x.size(), y.size());
        const auto* p = reinterpret_cast<const float*>(x.constData());
        const auto* q = reinterpret_cast<const float*>(y.constData());
        float scale = 0, worst = 0;
        for (qsizetype i = 0; i < x.size() / 4; ++i) {
            scale = std::max(scale, std::abs(p[i]));
            worst = std::max(worst, std::abs(p[i] - q[i]));
        }
        QVERIFY2(worst <= 0.038f * scale, qPrintable(QString::number(worst / scale)));
    }

    // --kv-type q8_0: the GPU and the CPU engine against the reference
    // with a q8_0 cache too (tst_gpu_session's 1e-3 of the largest logit,
    // and the CPU engine's 3.8% on quantized weights).
    void kvTypeQ8_0MatchesReference()
    {
        const auto logits = [&](const QString& device) {
            const QString out = m_dir.filePath("logits-q8_0-" + QString(device).replace(':', '_') + ".bin");
            const ponder::test::ToolRun r = ponder::test::runTool(
                cli(), {"--model", m_model, "--device", device, "--kv-type", "q8_0", "--tokens", "1,2,3,500",
                        "--dump-logits", out});
            if (r.exitCode != 0)
                qFatal("%s", r.err.constData());
            QFile file(out);
            if (!file.open(QIODevice::ReadOnly))
                qFatal("no logits from %s", qPrintable(device));
            const QByteArray bytes = file.readAll();
            std::vector<float> values(size_t(bytes.size()) / sizeof(float));
            std::memcpy(values.data(), bytes.constData(), values.size() * sizeof(float));
            return values;
        };
        const auto worst = [](const std::vector<float>& a, const std::vector<float>& b) {
            double scale = 0, error = 0;
            for (size_t i = 0; i < b.size(); ++i) {
                scale = std::max(scale, double(std::abs(b[i])));
                error = std::max(error, double(std::abs(a[i] - b[i])));
            }
            return error / scale;
        };
        const auto reference = logits("cpu-reference");
        QCOMPARE(reference.size(), size_t(4 * 512));
        const auto cpu = logits("cpu");
        QCOMPARE(cpu.size(), reference.size());
        QVERIFY2(worst(cpu, reference) < 0.038, qPrintable(QString::number(worst(cpu, reference))));
        ponder::test::GpuFixture gpu;
        PONDER_REQUIRE_GPU(gpu);
        const auto vulkan = logits("vulkan");
        QCOMPARE(vulkan.size(), reference.size());
        QVERIFY2(worst(vulkan, reference) < 1e-3, qPrintable(QString::number(worst(vulkan, reference))));
    }

    void prompt()
    {
        const ponder::test::ToolRun r = ponder::test::runTool(cli(), {"--model", m_model, "--prompt", "Hello", "--max-tokens", "8", "--greedy", "--device",
                                  "cpu-reference"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("tokens/s"));
        QVERIFY(r.err.contains("8 generated") || r.err.contains("end of turn"));
    }

    void badInputFailsWithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no model") << QStringList{"--info"} << "--model FILE is required";
        QTest::newRow("missing file") << QStringList{"--model", "/nonexistent/x.gguf", "--info"} << "No such file";
        QTest::newRow("unknown flag") << QStringList{"--model", "x", "--frobnicate"} << "unknown option --frobnicate";
        QTest::newRow("flag needs value") << QStringList{"--model"} << "--model needs a value";
        QTest::newRow("bad number") << QStringList{"--temperature", "warm", "--model", "M", "--prompt", "hi"}
                                    << "--temperature must be a number";
        QTest::newRow("token out of range") << QStringList{"--model", "M", "--tokens", "1,512", "--dump-logits", "o"}
                                            << "outside the vocabulary";
        QTest::newRow("token not a number") << QStringList{"--model", "M", "--tokens", "1,x", "--dump-logits", "o"}
                                            << "is not a token id";
        QTest::newRow("unknown device") << QStringList{"--model", "M", "--device", "tpu", "--prompt", "hi"}
                                        << "unknown --device";
        QTest::newRow("unknown kv type") << QStringList{"--model", "M", "--kv-type", "q4_0", "--prompt", "hi"}
                                         << "unknown --kv-type 'q4_0'";
        QTest::newRow("nothing to do") << QStringList{"--model", "M"} << "nothing to do";
        QTest::newRow("split without devices") << QStringList{"--model", "M", "--split", "1,1", "--prompt", "hi"}
                                               << "need several devices";
        QTest::newRow("bad split") << QStringList{"--model", "M", "--device", "vulkan,cpu", "--split", "1,x",
                                                  "--prompt", "hi"}
                                   << "is not a share";
        QTest::newRow("unknown device in a list") << QStringList{"--model", "M", "--device", "vulkan,tpu", "--prompt", "hi"}
                                                  << "unknown device 'tpu'";
    }

    void badInputFailsWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        arguments.replaceInStrings(QRegularExpression("^M$"), m_model);
        arguments.replaceInStrings(QRegularExpression("^o$"), m_dir.filePath("out.bin"));
        const ponder::test::ToolRun r = ponder::test::runTool(cli(), arguments);
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(err.startsWith("ponder-cli: ") && !err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(message), qPrintable(err));
    }

    void notAModel()
    {
        const QString path = m_dir.filePath("garbage.gguf");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(1000, 'x'));
        file.close();
        const ponder::test::ToolRun r = ponder::test::runTool(cli(), {"--model", path, "--info"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("garbage.gguf"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
