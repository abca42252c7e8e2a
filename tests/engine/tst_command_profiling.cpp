// CommandRecorder's profiling mode: GPU timestamps around each dispatch and
// copy, summed per shader name, with the validation layer on. Covers
// recordings longer than one query pool, replays of one recording, the
// errors when profiling was off or nothing has run yet, and a GpuSession's
// profiled decode step and prefill batch on a tiny generated model.
#include <QtTest>

#include <random>
#include <vector>

#include "kernel_test_buffers.h"
#include "model_generator.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/vk/commands.h"

using namespace ponder;

namespace {

constexpr uint32_t kRows = 4;
constexpr uint32_t kWidth = 1536;  // Qwen 1.5B's hidden size

struct NormBuffers {
    vk::Buffer x, weight, y, copy;
};

Result<NormBuffers> makeBuffers(test::GpuFixture& gpu)
{
    std::mt19937 rng(7);
    NormBuffers b;
    auto x = test::uploaded(gpu, test::randomFloats(kRows * kWidth, rng, 1.f));
    auto weight = test::uploaded(gpu, test::randomFloats(kWidth, rng, 1.f));
    auto y = vk::Buffer::create(gpu.device(), kRows * kWidth * 4, vk::MemoryUsage::DeviceLocal);
    auto copy = vk::Buffer::create(gpu.device(), kRows * kWidth * 4, vk::MemoryUsage::DeviceLocal);
    if (!x || !weight || !y || !copy)
        return fail(ErrorCode::OutOfMemory, "could not create the test buffers");
    b.x = std::move(*x);
    b.weight = std::move(*weight);
    b.y = std::move(*y);
    b.copy = std::move(*copy);
    return b;
}

// `dispatches` rms_norms of x into y, then `copies` copies of y.
Result<void> record(test::GpuFixture& gpu, vk::CommandRecorder& recorder, const NormBuffers& b, int dispatches,
                    int copies)
{
    PONDER_TRY(recorder.begin());
    for (int i = 0; i < dispatches; ++i) {
        PONDER_TRY(gpu.kernels().rmsNorm(recorder, kRows, kWidth, 1e-6f, b.y.range(), b.x.range(), b.weight.range()));
        recorder.barrier();
    }
    for (int i = 0; i < copies; ++i) {
        recorder.copy(b.y.range(), b.copy.range());
        recorder.barrier();
    }
    return recorder.end();
}

const vk::KernelTime* find(const std::vector<vk::KernelTime>& times, const std::string& name)
{
    for (const auto& t : times)
        if (t.name == name)
            return &t;
    return nullptr;
}

} // namespace

class TestCommandProfiling : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void sumsTimePerShader_data()
    {
        QTest::addColumn<int>("dispatches");
        QTest::addColumn<int>("copies");
        QTest::addColumn<int>("submissions");
        QTest::newRow("one dispatch") << 1 << 0 << 1;
        QTest::newRow("a few dispatches and a copy") << 5 << 1 << 1;
        QTest::newRow("replayed three times") << 3 << 2 << 3;
        // More timestamps than one query pool holds (1024).
        QTest::newRow("past one query pool") << 1100 << 3 << 1;
    }

    void sumsTimePerShader()
    {
        QFETCH(int, dispatches);
        QFETCH(int, copies);
        QFETCH(int, submissions);
        if (m_gpu.device().adapter().timestampPeriodNs <= 0.f)
            QSKIP("the device has no timestamps");
        auto buffers = makeBuffers(m_gpu);
        PONDER_VERIFY_RESULT(buffers);
        auto recorder = vk::CommandRecorder::create(m_gpu.device());
        PONDER_VERIFY_RESULT(recorder);
        QVERIFY(!(*recorder)->profiling());
        PONDER_VERIFY_RESULT((*recorder)->setProfiling(true));
        QVERIFY((*recorder)->profiling());
        PONDER_VERIFY_RESULT(record(m_gpu, **recorder, *buffers, dispatches, copies));

        for (int s = 0; s < submissions; ++s) {
            PONDER_VERIFY_RESULT((*recorder)->submitAndWait());
            const auto times = (*recorder)->profile();
            PONDER_VERIFY_RESULT(times);
            QCOMPARE(times->size(), size_t(copies ? 2 : 1));
            QCOMPARE(times->front().name, std::string("rms_norm"));  // first to run comes first
            const vk::KernelTime* norm = find(*times, "rms_norm");
            QVERIFY(norm);
            QCOMPARE(norm->count, uint32_t(dispatches));
            // Lavapipe's clock ticks in nanoseconds; a 4 x 1536 norm takes microseconds.
            QVERIFY2(norm->nanoseconds > 0, "rms_norm took no GPU time");
            QVERIFY2(norm->nanoseconds < 60'000'000'000ull, "rms_norm took over a minute: a bad timestamp");
            if (copies) {
                const vk::KernelTime* copy = find(*times, "copy");
                QVERIFY(copy);
                QCOMPARE(copy->count, uint32_t(copies));
                QVERIFY2(copy->nanoseconds > 0, "the copies took no GPU time");
            }
        }
    }

    void resultsUnchangedByProfiling()
    {
        auto buffers = makeBuffers(m_gpu);
        PONDER_VERIFY_RESULT(buffers);
        std::vector<std::vector<float>> outputs;
        for (bool on : {false, true}) {
            if (on && m_gpu.device().adapter().timestampPeriodNs <= 0.f)
                QSKIP("the device has no timestamps");
            auto recorder = vk::CommandRecorder::create(m_gpu.device());
            PONDER_VERIFY_RESULT(recorder);
            PONDER_VERIFY_RESULT((*recorder)->setProfiling(on));
            PONDER_VERIFY_RESULT(record(m_gpu, **recorder, *buffers, 2, 1));
            PONDER_VERIFY_RESULT((*recorder)->submitAndWait());
            auto copied = test::downloaded<float>(m_gpu, buffers->copy, kRows * kWidth);
            PONDER_VERIFY_RESULT(copied);
            outputs.push_back(std::move(*copied));
        }
        QVERIFY(outputs[0] == outputs[1]);
    }

    void profileNeedsAProfiledCompletedRecording()
    {
        auto buffers = makeBuffers(m_gpu);
        PONDER_VERIFY_RESULT(buffers);
        auto created = vk::CommandRecorder::create(m_gpu.device());
        PONDER_VERIFY_RESULT(created);
        vk::CommandRecorder& recorder = **created;

        // Off by default: a recording has no timestamps to report.
        PONDER_VERIFY_RESULT(record(m_gpu, recorder, *buffers, 2, 0));
        PONDER_VERIFY_RESULT(recorder.submitAndWait());
        auto off = recorder.profile();
        QVERIFY(!off);
        QCOMPARE(off.error().code, ErrorCode::InvalidArgument);

        if (m_gpu.device().adapter().timestampPeriodNs <= 0.f)
            QSKIP("the device has no timestamps");
        // Turned on, it applies from the next recording, which must run first.
        PONDER_VERIFY_RESULT(recorder.setProfiling(true));
        QVERIFY(!recorder.profile());
        PONDER_VERIFY_RESULT(record(m_gpu, recorder, *buffers, 2, 0));
        auto notRun = recorder.profile();
        QVERIFY(!notRun);
        QCOMPARE(notRun.error().code, ErrorCode::InvalidArgument);
        PONDER_VERIFY_RESULT(recorder.submitAndWait());
        PONDER_VERIFY_RESULT(recorder.profile());

        // Turned off again, the next recording is unprofiled.
        PONDER_VERIFY_RESULT(recorder.setProfiling(false));
        PONDER_VERIFY_RESULT(record(m_gpu, recorder, *buffers, 2, 0));
        PONDER_VERIFY_RESULT(recorder.submitAndWait());
        QVERIFY(!recorder.profile());
    }

    void profilesSessionBatches()
    {
        if (m_gpu.device().adapter().timestampPeriodNs <= 0.f)
            QSKIP("the device has no timestamps");
        QTemporaryDir dir;
        const std::string path = dir.filePath("tiny.gguf").toStdString();
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.matrixType = TensorType::Q8_0;
        PONDER_VERIFY_RESULT(testing::writeModel(path, spec, 2));
        auto file = ModelFile::open(path);
        PONDER_VERIFY_RESULT(file);
        PlanOptions options;
        options.contextLength = 64;
        options.batchSize = 16;
        const std::vector<int32_t> prompt{5, 17, 300, 2, 41};
        const int32_t next = 99;

        std::vector<std::vector<float>> logits;  // unprofiled, profiled
        for (bool on : {false, true}) {
            auto backend = GpuBackend::load(m_gpu.kernels(), **file, options);
            PONDER_VERIFY_RESULT(backend);
            GpuSession& session = (*backend)->session();
            QVERIFY(!session.lastProfile());
            PONDER_VERIFY_RESULT(session.setProfiling(on));
            PONDER_VERIFY_RESULT(session.evaluate(prompt, false));
            if (on) {
                const auto prefill = session.lastProfile();
                PONDER_VERIFY_RESULT(prefill);
                QCOMPARE(prefill->front().name, std::string("copy"));  // token ids and positions come first
                QVERIFY(find(*prefill, "attention_prefill_f16"));
                QVERIFY(!find(*prefill, "attention_decode_f16"));
            }
            auto decoded = session.evaluate(std::span(&next, 1), false);
            PONDER_VERIFY_RESULT(decoded);
            logits.push_back(std::move(*decoded));
            if (!on) {
                QVERIFY(!session.lastProfile());
                continue;
            }
            const auto decode = session.lastProfile();
            PONDER_VERIFY_RESULT(decode);
            const uint32_t layers = spec.config.blockCount;
            const vk::KernelTime* norm = find(*decode, "rms_norm");
            QVERIFY(norm);
            QCOMPARE(norm->count, 2 * layers + 1);  // two per layer and the output norm
            // The subgroup build under a GPU's layouts (PONDER_GPU_LAYOUTS).
            const std::string matvec = m_gpu.kernels().matVecVariant() == MatVecVariant::Subgroup
                                           ? "matvec_q8_0_subgroup"
                                           : "matvec_q8_0";
            for (const std::string name : {"embed_q8_0", matvec.c_str(), "rope", "kv_store_f16",
                                           "attention_decode_f16", "attention_reduce", "silu_mul"}) {
                const vk::KernelTime* kernel = find(*decode, name);
                QVERIFY2(kernel && kernel->nanoseconds > 0, name.c_str());
            }
            QVERIFY(find(*decode, matvec)->count >= 7 * layers);  // q k v o gate up down

            PONDER_VERIFY_RESULT(session.setProfiling(false));
            QVERIFY(!session.lastProfile());
        }
        QVERIFY(logits[0] == logits[1]);  // timestamps do not change the results
    }
};

QTEST_GUILESS_MAIN(TestCommandProfiling)
#include "tst_command_profiling.moc"
