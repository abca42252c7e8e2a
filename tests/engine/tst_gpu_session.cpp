// The whole forward pass on the GPU against the CPU reference, on generated
// models of both architectures in every tensor type and in the real mixes,
// on lavapipe with the validation layer on. Also: the allocation equals the
// memory plan, prefill in one batch, in chunks and token by token agree,
// and a reused prefix gives what a fresh session gives.
#include <QtTest>

#include <atomic>
#include <cmath>

#include "gpu_fixture.h"
#include "model_generator.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"

using namespace ponder;

namespace {

// The largest |gpu - cpu| over all logits, relative to the largest |cpu|.
double relativeError(const std::vector<float>& gpu, const std::vector<float>& cpu)
{
    double scale = 0, worst = 0;
    for (float v : cpu)
        scale = std::max(scale, double(std::abs(v)));
    for (size_t i = 0; i < cpu.size(); ++i)
        worst = std::max(worst, double(std::abs(gpu[i] - cpu[i])));
    return worst / scale;
}

std::vector<int32_t> greedy(InferenceBackend& backend, std::vector<float> logits, int count)
{
    std::vector<int32_t> tokens;
    for (int i = 0; i < count; ++i) {
        const int32_t best = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
        tokens.push_back(best);
        auto next = backend.evaluate(std::span<const int32_t>(&best, 1), false);
        if (!next)
            qFatal("%s", next.error().message.c_str());
        logits = std::move(*next);
    }
    return tokens;
}

} // namespace

class TestGpuSession : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;
    QTemporaryDir m_dir;

    std::unique_ptr<ModelFile> makeModel(const QString& name, const testing::ModelSpec& spec)
    {
        const QString path = m_dir.filePath(name);
        if (!QFile::exists(path)) {
            const auto written = testing::writeModel(path.toStdString(), spec, 2);
            if (!written)
                qFatal("%s", written.error().message.c_str());
        }
        auto model = ModelFile::open(path.toStdString());
        if (!model)
            qFatal("%s", model.error().message.c_str());
        return std::move(*model);
    }

    std::unique_ptr<GpuBackend> load(const ModelFile& file, KvCacheType kv, uint32_t context = 128)
    {
        PlanOptions options;
        options.contextLength = context;
        options.kvType = kv;
        options.batchSize = 16;
        auto backend = GpuBackend::load(m_gpu.kernels(), file, options);
        if (!backend)
            qFatal("%s", backend.error().message.c_str());
        return std::move(*backend);
    }

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void logitsMatchReference_data()
    {
        QTest::addColumn<int>("arch");
        QTest::addColumn<QString>("type");  // one type for every matrix, or a mix
        QTest::addColumn<int>("kv");
        QTest::addColumn<double>("tolerance");
        // F32 weights, f32 cache: only summation order differs (issue bar 1e-4).
        QTest::newRow("llama F32, f32 kv") << int(Architecture::Llama) << "F32" << int(KvCacheType::F32) << 1e-4;
        QTest::newRow("qwen2 F32, f32 kv") << int(Architecture::Qwen2) << "F32" << int(KvCacheType::F32) << 1e-4;
        // Quantized weights: the GPU dequantizes the same bytes as the
        // reference, so only f32 summation order differs: same bound. The
        // f16 cache rounds k and v to 11 bits: 2e-3 relative.
        for (const char* type : {"F16", "BF16", "Q8_0", "Q6_K", "Q5_K", "Q4_K", "Q4_0", "Q3_K", "Q2_K"})
            for (int arch : {int(Architecture::Llama), int(Architecture::Qwen2)})
                QTest::newRow(qPrintable(QString("%1 %2, f32 kv").arg(arch ? "qwen2" : "llama", type)))
                    << arch << type << int(KvCacheType::F32) << 1e-4;
        for (const char* mix : {"Q4_K_M", "Q5_K_M", "Q3_K_M", "Q2_K", "Q8_0"})
            QTest::newRow(qPrintable(QString("qwen2 mix %1, f16 kv").arg(mix)))
                << int(Architecture::Qwen2) << QString("mix:") + mix << int(KvCacheType::F16) << 2e-3;
        QTest::newRow("llama mix Q4_K_M, f16 kv") << int(Architecture::Llama) << "mix:Q4_K_M" << int(KvCacheType::F16)
                                                  << 2e-3;
        // A q8_0 cache against the reference with a q8_0 cache (each k and v
        // row through the engine's codec): the GPU stores the codec's bytes,
        // so only f32 summation order differs, and through it a rare k or v
        // value that lands on the neighbouring level (one level is 1/127 of
        // its block's largest value).
        const int q8 = int(KvCacheType::Q8_0);
        for (const char* type : {"F32", "Q8_0"})
            for (int arch : {int(Architecture::Llama), int(Architecture::Qwen2)})
                QTest::newRow(qPrintable(QString("%1 %2, q8_0 kv").arg(arch ? "qwen2" : "llama", type)))
                    << arch << type << q8 << 1e-3;
        QTest::newRow("qwen2 mix Q4_K_M, q8_0 kv") << int(Architecture::Qwen2) << "mix:Q4_K_M" << q8 << 1e-3;
        QTest::newRow("llama mix Q4_K_M, q8_0 kv") << int(Architecture::Llama) << "mix:Q4_K_M" << q8 << 1e-3;
    }

    void logitsMatchReference()
    {
        QFETCH(int, arch);
        QFETCH(QString, type);
        QFETCH(int, kv);
        QFETCH(double, tolerance);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture(arch), 320);
        spec.seed = 21;
        if (type.startsWith("mix:")) {
            spec.mix = *quantMixFromName(type.mid(4).toStdString());
        } else {
            for (uint32_t id = 0; id < 64; ++id)
                if (auto t = tensorTypeFromId(id); t && tensorTypeName(*t) == type.toStdString())
                    spec.matrixType = t;
            QVERIFY(spec.matrixType);
        }
        auto file = makeModel(QString("%1-%2.gguf").arg(arch).arg(type).replace(':', '_'), spec);
        auto gpu = load(*file, KvCacheType(kv));
        QCOMPARE(gpu->model().allocatedBytes(), gpu->model().plan().totalBytes());
        const KvCacheType referenceCache = KvCacheType(kv) == KvCacheType::Q8_0 ? KvCacheType::Q8_0 : KvCacheType::F32;
        reference::ReferenceBackend cpu(file->info(), file->weights(), 128, referenceCache);

        // 21 prompt tokens: a batch of 16 (the tiled matmul) and one of 5 (the batched matvec).
        const auto prompt = file->tokenizer().encode("Hello there, how many r's are in strawberry? Think.", true, false);
        auto gpuLogits = gpu->evaluate(prompt, true);
        auto cpuLogits = cpu.evaluate(prompt, true);
        QVERIFY2(gpuLogits, gpuLogits ? "" : gpuLogits.error().message.c_str());
        QVERIFY(cpuLogits);
        QCOMPARE(gpuLogits->size(), cpuLogits->size());
        double error = relativeError(*gpuLogits, *cpuLogits);
        // Then decode steps, the replayed single-token path.
        for (int32_t token : {7, 100, 250}) {
            auto g = gpu->evaluate(std::span<const int32_t>(&token, 1), false);
            auto c = cpu.evaluate(std::span<const int32_t>(&token, 1), false);
            QVERIFY(g && c);
            error = std::max(error, relativeError(*g, *c));
        }
        qInfo("%s: largest logit difference %.3g of the largest logit", qPrintable(type), error);
        QVERIFY2(error < tolerance, qPrintable(QString::number(error)));
    }

    void greedyGenerationMatchesReference_data()
    {
        QTest::addColumn<int>("arch");
        QTest::newRow("llama") << int(Architecture::Llama);
        QTest::newRow("qwen2") << int(Architecture::Qwen2);
    }

    // F32 weights and an f32 cache: 64 greedy tokens identical to the reference.
    void greedyGenerationMatchesReference()
    {
        QFETCH(int, arch);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture(arch), 320);
        spec.matrixType = TensorType::F32;
        spec.seed = 8;
        auto file = makeModel(QString("greedy-%1.gguf").arg(arch), spec);
        auto gpu = load(*file, KvCacheType::F32);
        reference::ReferenceBackend cpu(file->info(), file->weights(), 128);
        const auto prompt = file->tokenizer().encode("Once upon a time", true, false);
        auto g = gpu->evaluate(prompt, false);
        auto c = cpu.evaluate(prompt, false);
        QVERIFY(g && c);
        QCOMPARE(greedy(*gpu, *g, 64), greedy(cpu, *c, 64));
    }

    // One batch, chunks, and token by token give the same logits.
    void prefillShapesAgree()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
        spec.mix = QuantMix::Q4_K_M;
        auto file = makeModel("prefill.gguf", spec);
        auto whole = load(*file, KvCacheType::F16);
        auto chunked = load(*file, KvCacheType::F16);
        auto single = load(*file, KvCacheType::F16);
        std::vector<int32_t> prompt;
        for (int i = 0; i < 19; ++i)
            prompt.push_back((i * 37 + 5) % 300);
        auto a = whole->evaluate(prompt, true);
        QVERIFY(a);
        std::vector<float> b, c;
        for (size_t first = 0; first < prompt.size(); first += 5) {
            auto part = chunked->evaluate(std::span(prompt).subspan(first, std::min<size_t>(5, prompt.size() - first)), true);
            QVERIFY(part);
            b.insert(b.end(), part->begin(), part->end());
        }
        for (int32_t token : prompt) {
            auto part = single->evaluate(std::span<const int32_t>(&token, 1), true);
            QVERIFY(part);
            c.insert(c.end(), part->begin(), part->end());
        }
        // Same kernels, different batch shapes: only summation order differs.
        QVERIFY2(relativeError(b, *a) < 1e-4, qPrintable(QString::number(relativeError(b, *a))));
        QVERIFY2(relativeError(c, *a) < 1e-4, qPrintable(QString::number(relativeError(c, *a))));
    }

    void prefixReuseMatchesFreshSession_data()
    {
        QTest::addColumn<int>("kv");
        QTest::newRow("f16 kv") << int(KvCacheType::F16);
        // Rewritten positions' blocks replace the old ones whole (kv_store
        // merges the words blocks share, never keeping stale halves).
        QTest::newRow("q8_0 kv") << int(KvCacheType::Q8_0);
    }

    // A second turn that truncates to a shared prefix gives what a fresh
    // session evaluating the whole conversation gives.
    void prefixReuseMatchesFreshSession()
    {
        QFETCH(int, kv);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Llama, 320);
        spec.mix = QuantMix::Q8_0;
        auto file = makeModel("prefix.gguf", spec);
        auto reused = load(*file, KvCacheType(kv));
        auto fresh = load(*file, KvCacheType(kv));
        const std::vector<int32_t> first{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        const std::vector<int32_t> second{1, 2, 3, 4, 5, 6, 7, 8, 20, 21, 22};
        QVERIFY(reused->evaluate(first, false));
        QVERIFY(reused->truncate(8));
        auto a = reused->evaluate(std::span(second).subspan(8), false);
        auto b = fresh->evaluate(second, false);
        QVERIFY(a && b);
        QVERIFY2(relativeError(*a, *b) < 1e-5, qPrintable(QString::number(relativeError(*a, *b))));
    }

    // A raised cancel flag stops a prompt before its next batch: Cancelled,
    // none of the call's tokens cached, the earlier ones intact; lowered,
    // the same prompt gives what a session never cancelled gives.
    void cancelStopsAPromptBeforeItsNextBatch()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
        spec.mix = QuantMix::Q4_K_M;
        auto file = makeModel("cancel.gguf", spec);
        auto cancelled = load(*file, KvCacheType::F16);
        auto fresh = load(*file, KvCacheType::F16);
        std::vector<int32_t> prompt;
        for (int i = 0; i < 44; ++i)  // 12 cached, then 32: two batches of 16
            prompt.push_back((i * 29 + 3) % 300);
        const auto head = std::span(prompt).first(12), tail = std::span(prompt).subspan(12);
        QVERIFY(cancelled->evaluate(head, false));
        std::atomic<bool> cancel{true};
        cancelled->setCancelFlag(&cancel);
        auto stopped = cancelled->evaluate(tail, false);
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        QCOMPARE(cancelled->length(), 12u);
        cancel = false;
        auto resumed = cancelled->evaluate(tail, false);
        cancelled->setCancelFlag(nullptr);
        auto whole = fresh->evaluate(prompt, false);
        QVERIFY(resumed && whole);
        QCOMPARE(cancelled->length(), 44u);
        QVERIFY2(relativeError(*resumed, *whole) < 1e-4, qPrintable(QString::number(relativeError(*resumed, *whole))));
    }

    void contextFullAndBadIdsAreErrors()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
        auto file = makeModel("limits.gguf", spec);
        auto gpu = load(*file, KvCacheType::F16, 16);
        std::vector<int32_t> tokens(16, 3);
        QVERIFY(gpu->evaluate(tokens, false));
        const int32_t one = 1;
        auto full = gpu->evaluate(std::span<const int32_t>(&one, 1), false);
        QVERIFY(!full);
        QCOMPARE(full.error().code, ErrorCode::ContextFull);
        QVERIFY(gpu->truncate(0));
        const int32_t bad = 320;
        auto outOfRange = gpu->evaluate(std::span<const int32_t>(&bad, 1), false);
        QVERIFY(!outOfRange);
        QCOMPARE(outOfRange.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(gpu->length(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestGpuSession)
#include "tst_gpu_session.moc"
