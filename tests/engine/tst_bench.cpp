// ponder-bench as a user runs it, on a tiny generated model: the JSON has
// every measurement, its numbers agree with each other (median within
// min..max, the bandwidth fraction is weight bytes x tokens/s / bandwidth,
// the allocation equals the plan, one rms_norm per layer half plus the
// output norm), and bad input exits 1 with one line on stderr. Speed itself
// is never asserted.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "gpu_fixture.h"
#include "tool_process.h"

class TestBench : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;

    static QString bench() { return qEnvironmentVariable("PONDER_BENCH"); }

    static QJsonObject kernel(const QJsonObject& profile, const QString& name)
    {
        for (const auto& k : profile["kernels"].toArray())
            if (k.toObject()["name"].toString() == name)
                return k.toObject();
        return {};
    }

    static void checkSpread(const QJsonObject& spread)
    {
        const double median = spread["median"].toDouble();
        QVERIFY(median > 0);
        QVERIFY(spread["min"].toDouble() <= median);
        QVERIFY(median <= spread["max"].toDouble());
    }

private slots:
    void initTestCase()
    {
        ponder::test::GpuFixture gpu;
        PONDER_REQUIRE_GPU(gpu);
        QVERIFY2(QFile::exists(bench()), "PONDER_BENCH is not set to the ponder-bench executable");
        m_model = m_dir.filePath("tiny.gguf");
        const ponder::test::ToolRun made = ponder::test::runTool(qEnvironmentVariable("PONDER_MAKE_MODEL"),
                             {"--out", m_model, "--arch", "qwen2", "--mix", "Q4_K_M", "--seed", "3"});
        QVERIFY2(made.exitCode == 0, made.err.constData());
    }

    void reportsEveryMeasurement()
    {
        const ponder::test::ToolRun r = ponder::test::runTool(bench(), {"--model", m_model, "--prompt-tokens", "13", "--gen-tokens", "5", "--repeat",
                                    "3", "--seed", "4"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonParseError parsed;
        const QJsonObject json = QJsonDocument::fromJson(r.out, &parsed).object();
        QCOMPARE(parsed.error, QJsonParseError::NoError);

        QVERIFY(!json["device"].toObject()["name"].toString().isEmpty());
        QCOMPARE(json["model"].toObject()["architecture"].toString(), QString("qwen2"));
        QCOMPARE(json["model"].toObject()["file_type"].toString(), QString("Q4_K_M"));
        QVERIFY(json["model"].toObject()["bytes_by_type"].toObject().contains("Q6_K"));
        const QJsonObject settings = json["settings"].toObject();
        QCOMPARE(settings["prompt_tokens"].toInt(), 13);
        QCOMPARE(settings["context"].toInt(), 13 + 5 + 1);
        QCOMPARE(settings["sampler"].toString(), QString("default"));  // the app's sampler unless told otherwise
        QCOMPARE(settings["kv_type"].toString(), QString("f16"));
        checkSpread(json["decode"].toObject()["sampling_ms_per_token"].toObject());

        checkSpread(json["prefill"].toObject()["tokens_per_second"].toObject());
        checkSpread(json["decode"].toObject()["tokens_per_second"].toObject());
        checkSpread(json["time_to_first_token_seconds"].toObject());

        const QJsonObject memory = json["memory"].toObject();
        QCOMPARE(memory["allocated_bytes"].toDouble(), memory["plan_bytes"].toDouble());
        double roles = 0;
        for (const auto& bytes : memory["by_role"].toObject())
            roles += bytes.toDouble();
        QCOMPARE(roles, memory["plan_bytes"].toDouble());

        const QJsonObject bandwidth = json["bandwidth"].toObject();
        QCOMPARE(bandwidth["counts"].toString(), QString("read+write"));
        QCOMPARE(bandwidth["counted_bytes"].toDouble(), 2 * bandwidth["copy_bytes"].toDouble());
        QVERIFY(bandwidth["gb_per_second"].toDouble() > 0);
        // Decode is held to the compute shader's read bandwidth.
        const QJsonObject read = bandwidth["read"].toObject();
        QCOMPARE(read["counts"].toString(), QString("read"));
        QVERIFY(read["bytes"].toDouble() >= 64 << 20 && read["bytes"].toDouble() <= bandwidth["copy_bytes"].toDouble());
        const double readPerSecond = read["gb_per_second"].toDouble() * 1e9;
        QVERIFY(readPerSecond > 0);
        QVERIFY(qAbs(read["bytes"].toDouble() / read["seconds"].toDouble() - readPerSecond) <= 1e-6 * readPerSecond);
        // ... except on a CPU device (lavapipe), whose memcpy-backed copy is the ceiling there.
        const bool cpuDevice = json["device"].toObject()["type"].toString() == "CPU";
        QCOMPARE(json["decode_bandwidth_reference"].toString(), QString(cpuDevice ? "copy" : "read"));
        const double bytesPerSecond = cpuDevice ? bandwidth["gb_per_second"].toDouble() * 1e9 : readPerSecond;
        const double weightBytes = json["decode_weight_bytes_per_token"].toDouble();
        QVERIFY(weightBytes > 0);
        const double decodeRate = json["decode"].toObject()["tokens_per_second"].toObject()["median"].toDouble();
        // The JSON prints 9 significant digits, so compare to 1e-6.
        const double fraction = weightBytes * decodeRate / bytesPerSecond;
        QVERIFY(std::abs(json["decode_bandwidth_fraction"].toDouble() - fraction) <= 1e-6 * fraction);

        const QJsonObject decode = json["profile"].toObject()["decode_step"].toObject();
        QCOMPARE(decode["tokens"].toInt(), 1);
        QCOMPARE(decode["first_position"].toInt(), 13);
        // Decode folds every RMS norm into the projections after it on a
        // GPU's layouts; CPU devices (lavapipe, unless PONDER_GPU_LAYOUTS
        // forces them) keep the norm apart: 2 per layer (tiny models have 2)
        // and the output's.
        const bool gpuLayouts = json["device"].toObject()["type"].toString() != "CPU" ||
                                !QList<QByteArray>{"", "0"}.contains(qgetenv("PONDER_GPU_LAYOUTS"));
        if (gpuLayouts)
            QVERIFY(kernel(decode, "rms_norm").isEmpty());
        else
            QCOMPARE(kernel(decode, "rms_norm")["dispatches"].toInt(), 2 * 2 + 1);
        QVERIFY(!kernel(decode, "attention_decode_f16").isEmpty());
        // The device's matvec layout, or the subgroup one under PONDER_GPU_LAYOUTS=1.
        QJsonObject q4k = kernel(decode, "matvec_q4_k");
        if (q4k.isEmpty())
            q4k = kernel(decode, "matvec_q4_k_subgroup");
        QVERIFY(q4k["weight_bytes"].toDouble() > 0);
        QVERIFY(q4k["weight_gb_per_second"].toDouble() > 0);
        double sum = 0;
        for (const auto& k : decode["kernels"].toArray())
            sum += k.toObject()["ms"].toDouble();
        QVERIFY(qAbs(sum - decode["gpu_ms"].toDouble()) < 1e-6 * qMax(1.0, sum));
        // The recording's own counts agree with the timestamps' per-kernel counts.
        int dispatches = 0, copies = 0;
        for (const auto& k : decode["kernels"].toArray())
            (k.toObject()["name"].toString() == "copy" ? copies : dispatches) += k.toObject()["dispatches"].toInt();
        QCOMPARE(decode["dispatches"].toInt(), dispatches);
        QCOMPARE(decode["copies"].toInt(), copies);
        const int barriers = decode["barrier_phases"].toInt();
        QVERIFY2(barriers >= 2 * 2 && barriers < dispatches + copies, qPrintable(QString::number(barriers)));

        const QJsonObject prefill = json["profile"].toObject()["prefill_batch"].toObject();
        QCOMPARE(prefill["tokens"].toInt(), settings["prefill_batch_tokens"].toInt());
        QCOMPARE(prefill["first_position"].toInt(), 13 - prefill["tokens"].toInt());
        QVERIFY(!kernel(prefill, "attention_prefill_f16").isEmpty());
        // A prompt batch normalises apart before its matmuls (2 per layer);
        // the last token's logits fold the output norm on a GPU's layouts.
        QCOMPARE(kernel(prefill, "rms_norm")["dispatches"].toInt(), 2 * 2 + (gpuLayouts ? 0 : 1));
    }

    void greedySamplerIsArgmax()
    {
        const ponder::test::ToolRun r = ponder::test::runTool(
            bench(), {"--model", m_model, "--prompt-tokens", "5", "--gen-tokens", "3", "--repeat", "1", "--sampler",
                      "greedy"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(json["settings"].toObject()["sampler"].toString(), QString("greedy"));
        checkSpread(json["decode"].toObject()["tokens_per_second"].toObject());
    }

    void badInputExitsWithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("says");
        // MODEL stands for the generated model.
        QTest::newRow("no model") << QStringList{} << "--model";
        QTest::newRow("missing file") << QStringList{"--model", "/nonexistent/x.gguf"} << "x.gguf";
        QTest::newRow("unknown option") << QStringList{"--model", "MODEL", "--fast"} << "--fast";
        QTest::newRow("zero repeats") << QStringList{"--model", "MODEL", "--repeat", "0"} << "--repeat";
        QTest::newRow("context too small")
            << QStringList{"--model", "MODEL", "--prompt-tokens", "8", "--gen-tokens", "8", "--context", "10"}
            << "--context";
        QTest::newRow("unknown sampler") << QStringList{"--model", "MODEL", "--sampler", "top-a"} << "--sampler";
        QTest::newRow("unknown kv type") << QStringList{"--model", "MODEL", "--kv-type", "q4_0"} << "--kv-type";
        QTest::newRow("not vulkan") << QStringList{"--model", "MODEL", "--device", "cpu-reference"} << "--device";
    }

    void badInputExitsWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, says);
        arguments.replaceInStrings(QRegularExpression("^MODEL$"), m_model);
        const ponder::test::ToolRun r = ponder::test::runTool(bench(), arguments);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(!err.contains('\n'), qPrintable(err));
        QVERIFY2(err.startsWith("ponder-bench: ") && err.contains(says), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestBench)
#include "tst_bench.moc"
