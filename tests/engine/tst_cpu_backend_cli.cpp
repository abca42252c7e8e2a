// ponder-cli and ponder-bench with --device cpu, as a user runs them on a
// generated model: the CLI answers a prompt, its logits match the float32
// reference's, ponder-bench reports speed, memory (allocated == planned) and
// the decode bandwidth fraction, PONDER_CPU_SIMD holds the kernels to a
// lesser SIMD, and bad --threads values exit 1 with one line. Speed itself
// is never asserted.
#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tool_process.h"

class TestCpuBackendCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;
    int m_runs = 0;

    static QString cli() { return qEnvironmentVariable("PONDER_CLI"); }
    static QString bench() { return qEnvironmentVariable("PONDER_BENCH"); }

    // The CLI's logits for four tokens on `device`, run in `environment`.
    std::vector<float> logits(const QString& device,
                              const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
    {
        const QString out = m_dir.filePath(QString("logits-%1-%2.bin").arg(device).arg(++m_runs));
        const ponder::test::ToolRun r = ponder::test::runTool(cli(), {"--model", m_model, "--device", device, "--threads", "2", "--tokens", "1,2,3,500",
                                  "--dump-logits", out}, environment);
        if (r.exitCode != 0)
            qFatal("%s", r.err.constData());
        QFile file(out);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("no logits from %s", qPrintable(device));
        const QByteArray bytes = file.readAll();
        std::vector<float> values(size_t(bytes.size()) / sizeof(float));
        std::memcpy(values.data(), bytes.constData(), values.size() * sizeof(float));
        return values;
    }

    // The largest difference from the reference, over its largest value.
    static double worstRelative(const std::vector<float>& fast, const std::vector<float>& exact)
    {
        double scale = 0, worst = 0;
        for (size_t i = 0; i < exact.size(); ++i) {
            scale = std::max(scale, double(std::abs(exact[i])));
            worst = std::max(worst, double(std::abs(fast[i] - exact[i])));
        }
        return worst / scale;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(cli()), "PONDER_CLI is not set to the ponder-cli executable");
        QVERIFY2(QFile::exists(bench()), "PONDER_BENCH is not set to the ponder-bench executable");
        m_model = m_dir.filePath("tiny.gguf");
        const ponder::test::ToolRun made = ponder::test::runTool(qEnvironmentVariable("PONDER_MAKE_MODEL"),
                             {"--out", m_model, "--arch", "qwen2", "--mix", "Q4_K_M", "--seed", "9"});
        QVERIFY2(made.exitCode == 0, made.err.constData());
    }

    void answersAPrompt()
    {
        const ponder::test::ToolRun r = ponder::test::runTool(cli(), {"--model", m_model, "--prompt", "Hello", "--max-tokens", "8", "--greedy", "--device",
                                  "cpu", "--threads", "2"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("tokens/s"));
        QVERIFY(r.err.contains("8 generated") || r.err.contains("end of turn"));
        QVERIFY2(r.err.contains("device: CPU ("), r.err.constData());
    }

    // Same tolerance as tst_cpu_backend's quantized rows.
    void logitsMatchTheReference()
    {
        const auto fast = logits("cpu");
        const auto exact = logits("cpu-reference");
        QCOMPARE(fast.size(), size_t(4 * 512));
        QCOMPARE(fast.size(), exact.size());
        const double worst = worstRelative(fast, exact);
        QVERIFY2(worst < 0.038, qPrintable(QString::number(worst)));
    }

    // A short greedy answer on the CPU engine, run in `environment`; its
    // stderr names the device.
    ponder::test::ToolRun cpuAnswer(const QProcessEnvironment& environment)
    {
        return ponder::test::runTool(
            cli(), {"--model", m_model, "--prompt", "Hello", "--max-tokens", "4", "--greedy", "--device", "cpu"},
            environment);
    }

    static QProcessEnvironment withSimd(const QString& name)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("PONDER_CPU_SIMD", name);
        return environment;
    }

    // PONDER_CPU_SIMD=SSE4 holds the engine to its SSE4 kernels, as on a
    // CPU without AVX: the device says so and the answers still match the
    // reference.
    void simdLimitHoldsTheEngineBack()
    {
#if !defined(__x86_64__)
        QSKIP("PONDER_CPU_SIMD names x86 targets");
#endif
        const ponder::test::ToolRun answer = cpuAnswer(withSimd("SSE4"));
        QVERIFY2(answer.exitCode == 0, answer.err.constData());
        QVERIFY2(answer.err.contains(", SSE4)]"), answer.err.constData());
        const auto limited = logits("cpu", withSimd("SSE4"));
        const auto exact = logits("cpu-reference");
        QCOMPARE(limited.size(), exact.size());
        const double worst = worstRelative(limited, exact);
        QVERIFY2(worst < 0.038, qPrintable(QString::number(worst)));
    }

    // A name the engine does not know is said on stderr and changes nothing.
    void unknownSimdNameIsIgnored()
    {
        const ponder::test::ToolRun unknown = cpuAnswer(withSimd("AVX9000"));
        QVERIFY2(unknown.exitCode == 0, unknown.err.constData());
        QVERIFY2(unknown.err.contains("PONDER_CPU_SIMD=AVX9000 is not AVX2 or SSE4"), unknown.err.constData());
        const ponder::test::ToolRun best = cpuAnswer(QProcessEnvironment::systemEnvironment());
        const qsizetype at = best.err.indexOf("device: CPU (");
        QVERIFY2(at >= 0, best.err.constData());
        QVERIFY2(unknown.err.contains(best.err.mid(at, best.err.indexOf(']', at) - at)), unknown.err.constData());
    }

    void benchReportsTheCpu()
    {
        const ponder::test::ToolRun r = ponder::test::runTool(bench(), {"--model", m_model, "--device", "cpu", "--threads", "2", "--prompt-tokens", "20",
                                    "--gen-tokens", "4", "--repeat", "1"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(report["device"]["type"].toString(), QString("cpu"));
        QCOMPARE(report["device"]["threads"].toInt(), 2);
        QVERIFY(report["prefill"]["tokens_per_second"]["median"].toDouble() > 0);
        QVERIFY(report["decode"]["tokens_per_second"]["median"].toDouble() > 0);
        QVERIFY(report["time_to_first_token_seconds"]["median"].toDouble() > 0);
        // The load reads the weights into memory, and says how long that took apart.
        QVERIFY(report["map_seconds"].toDouble() > 0);
        QVERIFY(report["read_bytes"].toDouble() > 0);
        QVERIFY(report["read_seconds"].toDouble() >= 0);
        QVERIFY(report["read_seconds"].toDouble() <= report["load_seconds"].toDouble());
        const QJsonObject memory = report["memory"].toObject();
        QVERIFY(memory["allocated_bytes"].toDouble() > 0);
        QCOMPARE(memory["allocated_bytes"].toDouble(), memory["plan_bytes"].toDouble());
        const double bandwidth = report["bandwidth"]["gb_per_second"].toDouble() * 1e9;
        QVERIFY(bandwidth > 0);
        const double weightBytes = report["decode_weight_bytes_per_token"].toDouble();
        const double fastest = weightBytes * report["decode"]["tokens_per_second"]["median"].toDouble() / bandwidth;
        QVERIFY(std::abs(fastest - report["decode_bandwidth_fraction_of_fastest"].toDouble()) <
                1e-6 * std::max(1.0, fastest));
        // Each repeat's decode against the read measured right after it; the median of those.
        const QJsonArray reads = report["bandwidth"]["after_each_repeat_gb_per_second"].toArray();
        const QJsonArray rates = report["decode"]["each_repeat_tokens_per_second"].toArray();
        QCOMPARE(reads.size(), report["settings"]["repeat"].toInt());
        QCOMPARE(rates.size(), reads.size());
        std::vector<double> fractions;
        for (qsizetype i = 0; i < reads.size(); ++i) {
            QVERIFY(reads[i].toDouble() > 0 && reads[i].toDouble() * 1e9 <= bandwidth * (1 + 1e-9));
            fractions.push_back(weightBytes * rates[i].toDouble() / (reads[i].toDouble() * 1e9));
        }
        std::sort(fractions.begin(), fractions.end());
        const size_t n = fractions.size();
        const double fraction = n % 2 ? fractions[n / 2] : (fractions[n / 2 - 1] + fractions[n / 2]) / 2;
        QVERIFY(std::abs(fraction - report["decode_bandwidth_fraction"].toDouble()) < 1e-6 * std::max(1.0, fraction));
    }

    void badThreadsFailWithOneLine_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("threads");
        QTest::newRow("cli zero") << "cli" << "0";
        QTest::newRow("cli word") << "cli" << "two";
        QTest::newRow("bench zero") << "bench" << "0";
    }

    void badThreadsFailWithOneLine()
    {
        QFETCH(QString, program);
        QFETCH(QString, threads);
        const bool isCli = program == "cli";
        const QStringList arguments =
            isCli ? QStringList{"--model", m_model, "--device", "cpu", "--threads", threads, "--prompt", "hi"}
                  : QStringList{"--model", m_model, "--device", "cpu", "--threads", threads};
        const ponder::test::ToolRun r = ponder::test::runTool(isCli ? cli() : bench(), arguments);
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(err.contains("--threads") && !err.contains('\n'), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCpuBackendCli)
#include "tst_cpu_backend_cli.moc"
