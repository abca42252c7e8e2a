// The CPU engine's load reads the weights into memory with progress and
// cancel: progress never goes backwards and ends at the weight bytes of the
// part loaded (one file, the parts of a split file, a part of the model); a
// cancel from the callback returns Cancelled within one chunk and keeps no
// backend, and the next load works as if none had been cancelled. All of it
// with the weights read in place and with them copied into huge pages; the
// two give the same logits, and the copy outlives its file.
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "cpu/rows16.h"
#include "cpu/rows16_amx.h"
#include "split_models.h"
#include "tst_cpu_backend_models.h"

using namespace ponder;

Q_DECLARE_METATYPE(ponder::CpuWeightPlacement)

namespace {

// Small against the tiny models' ~1 MB of weights, so a load reports many chunks.
constexpr uint64_t kChunk = 64 << 10;

struct Recorded {
    std::vector<LoadProgress> reports;
    int cancelAt = -1;  // the report (0-based) whose callback returns false; -1: none
};

CpuBackendOptions options(CpuWeightPlacement placement, std::optional<ModelPart> part = {})
{
    CpuBackendOptions o;
    o.weightPlacement = placement;
    o.plan.contextLength = 64;
    o.plan.batchSize = 8;
    o.plan.part = part;
    o.threads = 2;
    o.readInChunkBytes = kChunk;
    return o;
}

Result<std::unique_ptr<CpuBackend>> loadRecording(const ModelFile& file, Recorded& recorded,
                                                  CpuWeightPlacement placement, std::optional<ModelPart> part = {})
{
    return CpuBackend::load(file, options(placement, part), [&recorded](const LoadProgress& p) {
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
        QTest::addColumn<CpuWeightPlacement>("placement");
        QTest::newRow("one file, mapped") << false << CpuWeightPlacement::Mapped;
        QTest::newRow("split file, 3 parts, mapped") << true << CpuWeightPlacement::Mapped;
        QTest::newRow("one file, huge pages") << false << CpuWeightPlacement::HugePages;
        QTest::newRow("split file, 3 parts, huge pages") << true << CpuWeightPlacement::HugePages;
    }

    void progressEndsAtTheWeightBytes()
    {
        QFETCH(bool, split);
        QFETCH(CpuWeightPlacement, placement);
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
        auto backend = loadRecording(**file, recorded, placement);
        QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
        const QString fault = progressFault(recorded.reports, total);
        QVERIFY2(fault.isEmpty(), qPrintable(fault));
        QVERIFY(recorded.reports.size() > total / kChunk);
        QCOMPARE((*backend)->plan().weightPlacement, placement);
        QVERIFY((*backend)->evaluate(test::someTokens(5), false));
    }

    // A part of a split model reads only its own tensors.
    void aPartReadsItsOwnWeights_data()
    {
        QTest::addColumn<CpuWeightPlacement>("placement");
        QTest::newRow("mapped") << CpuWeightPlacement::Mapped;
        QTest::newRow("huge pages") << CpuWeightPlacement::HugePages;
    }

    void aPartReadsItsOwnWeights()
    {
        QFETCH(CpuWeightPlacement, placement);
        auto file = ModelFile::open(m_paths.single);
        QVERIFY(file);
        const ModelConfig& config = (*file)->info().config;
        const ModelPart part{.firstLayer = 1, .endLayer = config.blockCount, .embedding = false, .output = true};
        const uint64_t total = partWeightBytes((*file)->weights(), config, part);
        QVERIFY(total < partWeightBytes((*file)->weights(), config, ModelPart::whole(config)));
        Recorded recorded;
        auto backend = loadRecording(**file, recorded, placement, part);
        QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
        const QString fault = progressFault(recorded.reports, total);
        QVERIFY2(fault.isEmpty(), qPrintable(fault));
        // Copied, only the part's own matrices: the first layer's are not.
        if (placement == CpuWeightPlacement::HugePages) {
            uint64_t held = 0;
            for (const WeightView& w : partWeights((*file)->weights(), config, part))
                if (w.desc->dims.size() > 1)
                    held += w.data.size();
            QCOMPARE((*backend)->plan().weightBytes, held);
            QVERIFY((*backend)->plan().residentWeightBytes >= held);
        }
    }

    void cancelReturnsCancelled_data()
    {
        QTest::addColumn<bool>("split");
        QTest::addColumn<int>("cancelAt");
        QTest::addColumn<CpuWeightPlacement>("placement");
        QTest::newRow("before the first chunk") << false << 0 << CpuWeightPlacement::Mapped;
        QTest::newRow("midway") << false << 5 << CpuWeightPlacement::Mapped;
        QTest::newRow("split file, midway") << true << 5 << CpuWeightPlacement::Mapped;
        QTest::newRow("huge pages, before the first chunk") << false << 0 << CpuWeightPlacement::HugePages;
        QTest::newRow("huge pages, midway") << false << 5 << CpuWeightPlacement::HugePages;
        QTest::newRow("huge pages, split file, midway") << true << 5 << CpuWeightPlacement::HugePages;
    }

    // The callback is not called again after it said no, the load keeps no
    // backend, and the next load of the same file gives the same logits as
    // a load that was never cancelled (nor had a callback).
    void cancelReturnsCancelled()
    {
        QFETCH(bool, split);
        QFETCH(int, cancelAt);
        QFETCH(CpuWeightPlacement, placement);
        auto file = ModelFile::open(split ? m_paths.first : m_paths.single);
        QVERIFY(file);
        Recorded cancelled{.cancelAt = cancelAt};
        auto stopped = loadRecording(**file, cancelled, placement);
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        QCOMPARE(int(cancelled.reports.size()), cancelAt + 1);
        QVERIFY(cancelled.reports.back().bytesDone < cancelled.reports.back().bytesTotal);

        Recorded again;
        auto backend = loadRecording(**file, again, placement);
        QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
        QVERIFY(again.reports.size() > size_t(cancelAt + 1));
        QCOMPARE(again.reports.back().bytesDone, again.reports.back().bytesTotal);
        auto fresh = ModelFile::open(m_paths.single);
        QVERIFY(fresh);
        auto never = CpuBackend::load(**fresh, options(placement));
        QVERIFY(never);
        auto expected = (*never)->evaluate(test::someTokens(7), true);
        auto logits = (*backend)->evaluate(test::someTokens(7), true);
        QVERIFY(expected && logits);
        QCOMPARE(*logits, *expected);
    }

    // The kernels read the same values wherever they are: the same logits,
    // read in place and copied, one file and split. Bit for bit unless the
    // copy holds K-quant and Q8_0 matrices as rows16 (rows16.h, on AVX-512 VNNI):
    // that kernel sums each block's integers before its float steps, where
    // the in-place kernel scales per lane, and the logits then agree within
    // 1% of the largest (measured: 2e-7 on this model; the int8 quantization
    // of each layer's input can turn a last-bit difference into a whole step).
    void placementsGiveTheSameLogits()
    {
        for (const std::filesystem::path& path : {m_paths.single, m_paths.first}) {
            auto file = ModelFile::open(path);
            QVERIFY(file);
            auto mapped = CpuBackend::load(**file, options(CpuWeightPlacement::Mapped));
            auto copied = CpuBackend::load(**file, options(CpuWeightPlacement::HugePages));
            QVERIFY(mapped && copied);
            QCOMPARE((*copied)->plan().weightPlacement, CpuWeightPlacement::HugePages);
            QVERIFY((*copied)->plan().residentWeightBytes >= (*copied)->plan().weightBytes);
            QVERIFY((*copied)->residentHugePageBytes() <= (*copied)->plan().residentWeightBytes);
            auto expected = (*mapped)->evaluate(test::someTokens(9), true);
            auto logits = (*copied)->evaluate(test::someTokens(9), true);
            QVERIFY(expected && logits);
            if (!cpu::rows16Supported()) {
                QCOMPARE(*logits, *expected);
                continue;
            }
            QCOMPARE(logits->size(), expected->size());
            float largest = 0.f, worst = 0.f;
            for (size_t i = 0; i < logits->size(); ++i) {
                largest = std::max(largest, std::fabs((*expected)[i]));
                worst = std::max(worst, std::fabs((*logits)[i] - (*expected)[i]));
            }
            qInfo("rows16 against in place: largest difference %.3g%% of the largest logit", 100.0 * worst / largest);
            QVERIFY2(worst <= 0.01f * largest, qPrintable(QString("differ by %1 of %2").arg(worst).arg(largest)));
        }
    }

    // Prefill on AMX tiles (rows16_amx.h, where the CPU has AMX-INT8) gives
    // the logits of the AVX-512 kernels bit for bit: 21 tokens in one batch,
    // a tile of 16 and the rest, with the tiles on and off (this model's
    // Q4_K and Q6_K matrices; tst_cpu_matrix checks Q8_0's too). (Against the
    // file's layout read in place, the test above, 21 tokens differ by 0.8%
    // of the largest logit on this model: from the 19th token on, one int8
    // step of a layer's input falls the other way.)
    void amxTilesGiveTheSameLogits()
    {
        if (!cpu::rows16AmxSupported())
            QSKIP("this CPU lacks AMX-INT8: prefill runs on AVX-512 alone");
        CpuBackendOptions o = options(CpuWeightPlacement::HugePages);
        o.plan.batchSize = 21;
        auto file = ModelFile::open(m_paths.single);
        QVERIFY(file);
        auto backend = CpuBackend::load(**file, o);
        QVERIFY(backend);
        auto tiles = (*backend)->evaluate(test::someTokens(21), true);
        QVERIFY((*backend)->truncate(0));
        cpu::setRows16AmxForTest(false);
        auto withoutTiles = (*backend)->evaluate(test::someTokens(21), true);
        cpu::setRows16AmxForTest(true);
        QVERIFY(tiles && withoutTiles);
        QCOMPARE(*tiles, *withoutTiles);
    }

    // Copied, the weights no longer depend on the file: one cut short after
    // the load (a disk filling up, another program writing over it) would
    // end a mapped engine's process with SIGBUS at its next step; the
    // copied one answers as before.
    void aCopyOutlivesItsFile()
    {
        const QString path = m_dir.filePath("outlived.gguf");
        QVERIFY(QFile::copy(QString::fromStdString(m_paths.single.string()), path));
        auto file = ModelFile::open(path.toStdString());
        QVERIFY(file);
        auto backend = CpuBackend::load(**file, options(CpuWeightPlacement::HugePages));
        QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
        auto before = (*backend)->evaluate(test::someTokens(6), true);
        QVERIFY(before);
        QVERIFY((*backend)->truncate(0));
        QVERIFY(QFile::resize(path, 0));
        auto after = (*backend)->evaluate(test::someTokens(6), true);
        QVERIFY(after);
        QCOMPARE(*after, *before);
    }
};

QTEST_GUILESS_MAIN(TestCpuBackendLoad)
#include "tst_cpu_backend_load.moc"
