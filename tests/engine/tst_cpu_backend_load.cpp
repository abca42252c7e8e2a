// The CPU engine's load reads the weights into memory with progress and
// cancel: progress never goes backwards and ends at the weight bytes of the
// part loaded (one file, the parts of a split file, a part of the model); a
// cancel from the callback returns Cancelled within one chunk and keeps no
// backend, and the next load works as if none had been cancelled.
#include <QtTest>

#include "split_models.h"
#include "tst_cpu_backend_models.h"

using namespace ponder;

namespace {

// Small against the tiny models' ~1 MB of weights, so a load reports many chunks.
constexpr uint64_t kChunk = 64 << 10;

struct Recorded {
    std::vector<LoadProgress> reports;
    int cancelAt = -1;  // the report (0-based) whose callback returns false; -1: none
};

CpuBackendOptions options(std::optional<ModelPart> part = {})
{
    CpuBackendOptions o;
    o.plan.contextLength = 64;
    o.plan.batchSize = 8;
    o.plan.part = part;
    o.threads = 2;
    o.readInChunkBytes = kChunk;
    return o;
}

Result<std::unique_ptr<CpuBackend>> loadRecording(const ModelFile& file, Recorded& recorded,
                                                  std::optional<ModelPart> part = {})
{
    return CpuBackend::load(file, options(part), [&recorded](const LoadProgress& p) {
        recorded.reports.push_back(p);
        return int(recorded.reports.size()) - 1 != recorded.cancelAt;
    });
}

// Empty when the reports start at {0, total}, never go backwards, keep one
// total equal to `total`, end there and come at most one chunk apart.
QString progressFault(const std::vector<LoadProgress>& reports, uint64_t total)
{
    if (reports.empty())
        return "no progress reported";
    if (reports.front().bytesDone != 0)
        return "the first report is not 0 bytes";
    for (size_t i = 0; i < reports.size(); ++i) {
        if (reports[i].bytesTotal != total)
            return QString("report %1: total %2, the weights are %3 bytes").arg(i).arg(reports[i].bytesTotal).arg(total);
        if (i && reports[i].bytesDone < reports[i - 1].bytesDone)
            return QString("report %1 went backwards").arg(i);
        if (i && reports[i].bytesDone - reports[i - 1].bytesDone > kChunk)
            return QString("report %1 came more than a chunk after the one before").arg(i);
    }
    if (reports.back().bytesDone != total)
        return QString("ended at %1 of %2 bytes").arg(reports.back().bytesDone).arg(total);
    return {};
}

} // namespace

class TestCpuBackendLoad : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::SingleAndSplit m_paths;

private slots:
    void initTestCase()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
        spec.mix = QuantMix::Q4_K_M;
        m_paths = test::writeSingleAndSplit(m_dir, "load", spec, 3);
    }

    void progressEndsAtTheWeightBytes_data()
    {
        QTest::addColumn<bool>("split");
        QTest::newRow("one file") << false;
        QTest::newRow("split file, 3 parts") << true;
    }

    void progressEndsAtTheWeightBytes()
    {
        QFETCH(bool, split);
        auto file = ModelFile::open(split ? m_paths.first : m_paths.single);
        QVERIFY(file);
        const ModelConfig& config = (*file)->info().config;
        const uint64_t total = partWeightBytes((*file)->weights(), config, ModelPart::whole(config));
        // Every tensor the forward pass reads: the matrices, norms, biases and embedding.
        uint64_t tensors = 0;
        for (const TensorDesc& t : (*file)->info().tensors)
            tensors += t.bytes;
        QCOMPARE(total, tensors);
        Recorded recorded;
        auto backend = loadRecording(**file, recorded);
        QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
        const QString fault = progressFault(recorded.reports, total);
        QVERIFY2(fault.isEmpty(), qPrintable(fault));
        QVERIFY(recorded.reports.size() > total / kChunk);
        QVERIFY((*backend)->evaluate(test::someTokens(5), false));
    }

    // A part of a split model reads only its own tensors.
    void aPartReadsItsOwnWeights()
    {
        auto file = ModelFile::open(m_paths.single);
        QVERIFY(file);
        const ModelConfig& config = (*file)->info().config;
        const ModelPart part{.firstLayer = 1, .endLayer = config.blockCount, .embedding = false, .output = true};
        const uint64_t total = partWeightBytes((*file)->weights(), config, part);
        QVERIFY(total < partWeightBytes((*file)->weights(), config, ModelPart::whole(config)));
        Recorded recorded;
        auto backend = loadRecording(**file, recorded, part);
        QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
        const QString fault = progressFault(recorded.reports, total);
        QVERIFY2(fault.isEmpty(), qPrintable(fault));
    }

    void cancelReturnsCancelled_data()
    {
        QTest::addColumn<bool>("split");
        QTest::addColumn<int>("cancelAt");
        QTest::newRow("before the first chunk") << false << 0;
        QTest::newRow("midway") << false << 5;
        QTest::newRow("split file, midway") << true << 5;
    }

    // The callback is not called again after it said no, the load keeps no
    // backend, and the next load of the same file gives the same logits as
    // a load that was never cancelled (nor had a callback).
    void cancelReturnsCancelled()
    {
        QFETCH(bool, split);
        QFETCH(int, cancelAt);
        auto file = ModelFile::open(split ? m_paths.first : m_paths.single);
        QVERIFY(file);
        Recorded cancelled{.cancelAt = cancelAt};
        auto stopped = loadRecording(**file, cancelled);
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        QCOMPARE(int(cancelled.reports.size()), cancelAt + 1);
        QVERIFY(cancelled.reports.back().bytesDone < cancelled.reports.back().bytesTotal);

        Recorded again;
        auto backend = loadRecording(**file, again);
        QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
        QVERIFY(again.reports.size() > size_t(cancelAt + 1));
        QCOMPARE(again.reports.back().bytesDone, again.reports.back().bytesTotal);
        auto fresh = ModelFile::open(m_paths.single);
        QVERIFY(fresh);
        auto never = CpuBackend::load(**fresh, options());
        QVERIFY(never);
        auto expected = (*never)->evaluate(test::someTokens(7), true);
        auto logits = (*backend)->evaluate(test::someTokens(7), true);
        QVERIFY(expected && logits);
        QCOMPARE(*logits, *expected);
    }

};

QTEST_GUILESS_MAIN(TestCpuBackendLoad)
#include "tst_cpu_backend_load.moc"
