// The decode rate (ponder/decode_rate.h): what the decode kernels get
// through per weight type, on the GPU (lavapipe here, validation layer on)
// and the CPU engine. Every type's rate is positive and finite and no more
// than 2x the device's raw read bandwidth (a decode kernel reads at least
// the weights; the margin is for timing noise); bad arguments are
// errors; the working set is shaped as asked (shapes in turn, rows cut to
// fit); a model's types and matrix shapes are the ones its decode reads;
// and the rates predict a real decode: a generated 71 MiB Q8_0 model's
// weight bytes per token over its own matrices' rates against the measured
// decode step of a GpuBackend and a CpuBackend, within a factor of 2.
//
// The two speed bars (2x the read bandwidth, a factor of 2 on the
// prediction) are checked only with PONDER_SPEED_BARS=1 on a quiet machine:
// they catch a measure off by the kind of error the read bandwidth makes
// (5x on this machine), but a timing bar in the default run fails on a busy
// one. Without it the figures are printed and every other check holds.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <vector>

#include "gpu_fixture.h"
#include "model_generator.h"
#include "ponder/bandwidth.h"
#include "ponder/cpu_backend.h"
#include "ponder/decode_rate.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/placement.h"

Q_DECLARE_METATYPE(ponder::TensorType)

using namespace ponder;

namespace {

using Clock = std::chrono::steady_clock;

// Small enough to keep the suite quick (lavapipe gets through ~0.6 GB/s),
// large enough to pass this machine's last-level cache.
const DecodeRateOptions kGpuOptions{.bytes = 48ull << 20, .rows = 1024, .cols = 4096, .repeats = 2};
const DecodeRateOptions kCpuOptions{.bytes = 128ull << 20, .rows = 1024, .cols = 4096, .repeats = 2};
constexpr uint32_t kCpuThreads = 2;

// A rate within the read bandwidth, with a margin for this shared
// machine: its CPU engine's F32 matvec reaches 0.8-0.9 of the best read
// bandwidth, and a read measure taken in a busy second can come out at 0.55
// of the best (seen: 50 GB/s of F32 weights against a read measure of 32,
// re-measured for two seconds). A measure off by the 5x that the read
// bandwidth is off by (or a working set in cache) still fails.
constexpr double kAboveBandwidth = 2.0;
// The prediction against the measured decode step, either way.
constexpr double kPredictionFactor = 2.0;

// Speed is a benchmark's business, not a test's: on a busy machine (CI runs
// suites side by side on two cores) any bar on a timing fails for reasons
// that are not the code's. The two bars above are checked only with
// PONDER_SPEED_BARS=1, on a quiet machine; otherwise the figures are only
// printed, and the tests check what does not depend on timing.
bool speedBarsChecked()
{
    return qEnvironmentVariableIntValue("PONDER_SPEED_BARS") == 1;
}

double mib(uint64_t bytes) { return double(bytes) / (1 << 20); }
double gbps(double bytesPerSecond) { return bytesPerSecond * 1e-9; }

// A model of ~73 MiB of Q8_0 weights, past this machine's 32 MiB
// last-level cache as the rates' working sets are (a model that fits runs
// faster than any rate predicts), quick to write (Q8_0's quantizer is
// cheap; Q4_K_M's least-squares search takes seconds here). A decode step
// reads every weight once, so its time is mostly the matvecs.
testing::ModelSpec predictionSpec()
{
    testing::ModelSpec spec;
    spec.config = testing::tinyConfig(Architecture::Qwen2, 2048);
    ModelConfig& c = spec.config;
    c.embeddingLength = 1024;
    c.feedForwardLength = 2816;
    c.headCount = 16;
    c.headCountKv = 4;
    c.headDim = 64;
    c.ropeDimensions = 64;
    c.blockCount = 6;
    spec.matrixType = TensorType::Q8_0;
    spec.seed = 5;
    return spec;
}

struct DecodeTimes {
    double median = 0;
    double fastest = 0;
};

// Evaluates a short prompt, then `steps` single tokens, each timed by the
// wall clock (as ponder-bench times decode): the median and the fastest.
DecodeTimes timeDecode(InferenceBackend& backend, int steps)
{
    const std::vector<int32_t> prompt{1, 2, 3, 4, 5, 6, 7, 8};
    if (auto r = backend.truncate(0); !r)
        qFatal("%s", r.error().message.c_str());
    if (auto r = backend.evaluate(prompt, false); !r)
        qFatal("%s", r.error().message.c_str());
    std::vector<double> seconds;
    for (int i = 0; i < steps; ++i) {
        const int32_t token = 9 + i;
        const auto start = Clock::now();
        auto logits = backend.evaluate(std::span<const int32_t>(&token, 1), false);
        seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        if (!logits)
            qFatal("%s", logits.error().message.c_str());
    }
    std::sort(seconds.begin(), seconds.end());
    return {seconds[seconds.size() / 2], seconds.front()};
}

} // namespace

class TestDecodeRate : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;
    QTemporaryDir m_dir;
    double m_gpuRead = 0;
    double m_cpuRead = 0;
    std::unique_ptr<ModelFile> m_model;

    const ModelFile& model()
    {
        if (!m_model) {
            const std::string path = m_dir.filePath("q8_0.gguf").toStdString();
            if (auto written = testing::writeModel(path, predictionSpec(), kCpuThreads); !written)
                qFatal("%s", written.error().message.c_str());
            auto opened = ModelFile::open(path);
            if (!opened)
                qFatal("%s", opened.error().message.c_str());
            m_model = std::move(*opened);
        }
        return *m_model;
    }

    // The device's read bandwidth, measured again when `bytesPerSecond`
    // passes kAboveBandwidth of it (the best kept): on a shared machine a
    // neighbour can slow either measure for a second or two (this one's
    // CPU engine read 30 GB/s at one moment and 55 the next), so one slow
    // read measure must not fail a rate.
    bool withinReadBandwidth(double bytesPerSecond, bool gpu)
    {
        double& read = gpu ? m_gpuRead : m_cpuRead;
        for (int attempt = 0; bytesPerSecond > kAboveBandwidth * read; ++attempt) {
            if (attempt == 8)
                return false;
            QThread::msleep(250);
            const auto again = gpu ? measureGpuReadBandwidth(m_gpu.device())
                                   : measureCpuReadBandwidth(kBandwidthBufferBytes, kCpuThreads);
            if (again)
                read = std::max(read, again->bytesPerSecond());
        }
        return true;
    }

    void checkRate(const DecodeRate& rate, TensorType type, bool gpu)
    {
        const double bytesPerSecond = rate.bytesPerSecond();
        QCOMPARE(rate.type, type);
        QVERIFY(rate.matrices >= 1);
        QCOMPARE(rate.bytes, uint64_t(rate.matrices) * rate.first.rows * tensorBytes(type, rate.first.cols));
        QVERIFY(std::isfinite(bytesPerSecond));
        QVERIFY(bytesPerSecond > 0);
        const bool within = !speedBarsChecked() || withinReadBandwidth(bytesPerSecond, gpu);
        const double read = gpu ? m_gpuRead : m_cpuRead;
        qInfo("%s %-5s %3u x %4u x %4u (%6.1f MiB): %6.2f GB/s = %.2f of the read bandwidth%s", gpu ? "GPU" : "CPU",
              std::string(tensorTypeName(type)).c_str(), rate.matrices, rate.first.rows, rate.first.cols,
              mib(rate.bytes), gbps(bytesPerSecond), bytesPerSecond / read,
              rate.gpuTimestamps ? " (GPU timestamps)" : "");
        QVERIFY2(within, qPrintable(QString("%1 GB/s against a read bandwidth of %2 GB/s")
                                        .arg(gbps(bytesPerSecond))
                                        .arg(gbps(read))));
    }

private slots:
    void initTestCase()
    {
        PONDER_REQUIRE_GPU(m_gpu);
        QVERIFY(m_dir.isValid());
        auto gpu = measureGpuReadBandwidth(m_gpu.device());
        QVERIFY2(gpu.has_value(), gpu ? "" : gpu.error().message.c_str());
        m_gpuRead = gpu->bytesPerSecond();
        auto cpu = measureCpuReadBandwidth(kBandwidthBufferBytes, kCpuThreads);
        QVERIFY2(cpu.has_value(), cpu ? "" : cpu.error().message.c_str());
        m_cpuRead = cpu->bytesPerSecond();
        qInfo("read bandwidth: %s %.2f GB/s, CPU (%u threads) %.2f GB/s", m_gpu.device().adapter().name.c_str(),
              gbps(m_gpuRead), cpu->threads, gbps(m_cpuRead));
    }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void gpuRateOfEveryType_data()
    {
        QTest::addColumn<TensorType>("type");
        for (TensorType type : kDecodeRateTypes)
            QTest::newRow(std::string(tensorTypeName(type)).c_str()) << type;
    }
    void gpuRateOfEveryType()
    {
        QFETCH(TensorType, type);
        auto rate = measureGpuDecodeRate(m_gpu.kernels(), type, kGpuOptions);
        QVERIFY2(rate.has_value(), rate ? "" : rate.error().message.c_str());
        checkRate(*rate, type, true);
        QCOMPARE(rate->threads, 0u);
        QCOMPARE(rate->first, (MatrixShape{kGpuOptions.rows, kGpuOptions.cols}));
        QCOMPARE(rate->gpuTimestamps, m_gpu.device().adapter().timestampPeriodNs > 0);
        // As many whole matrices as the bytes hold (F32's 16 MiB: three).
        QCOMPARE(uint64_t(rate->matrices), kGpuOptions.bytes / (uint64_t(kGpuOptions.rows) * tensorBytes(type, 4096)));
    }

    void cpuRateOfEveryType_data() { gpuRateOfEveryType_data(); }
    void cpuRateOfEveryType()
    {
        QFETCH(TensorType, type);
        auto rate = measureCpuDecodeRate(type, kCpuThreads, kCpuOptions);
        QVERIFY2(rate.has_value(), rate ? "" : rate.error().message.c_str());
        checkRate(*rate, type, false);
        QCOMPARE(rate->threads, kCpuThreads);
        QCOMPARE(rate->first, (MatrixShape{kCpuOptions.rows, kCpuOptions.cols}));
        QCOMPARE(uint64_t(rate->matrices), kCpuOptions.bytes / (uint64_t(kCpuOptions.rows) * tensorBytes(type, 4096)));
        QVERIFY(!rate->gpuTimestamps);
    }

    // Fewer bytes than one matrix: fewer rows, on both.
    void smallBudgetTakesFewerRows()
    {
        const DecodeRateOptions options{.bytes = 16ull << 20, .rows = 4096, .cols = 4096, .repeats = 1};
        auto gpu = measureGpuDecodeRate(m_gpu.kernels(), TensorType::F32, options);
        QVERIFY2(gpu.has_value(), gpu ? "" : gpu.error().message.c_str());
        QCOMPARE(gpu->matrices, 1u);
        QCOMPARE(gpu->first, (MatrixShape{1024, 4096}));
        QCOMPARE(gpu->bytes, options.bytes);
        auto cpu = measureCpuDecodeRate(TensorType::F32, 1, options);
        QVERIFY2(cpu.has_value(), cpu ? "" : cpu.error().message.c_str());
        QCOMPARE(cpu->matrices, 1u);
        QCOMPARE(cpu->first, (MatrixShape{1024, 4096}));
        QCOMPARE(cpu->bytes, options.bytes);
    }

    void badArguments()
    {
        // -1 for a result that is no error.
        const auto code = [](const auto& result) { return result ? -1 : int(result.error().code); };
        const DecodeRateOptions oddCols{.bytes = 1 << 20, .rows = 16, .cols = 4000};
        const DecodeRateOptions noRows{.bytes = 1 << 20, .rows = 0, .cols = 256};
        const DecodeRateOptions noCols{.bytes = 1 << 20, .rows = 16, .cols = 0};
        const DecodeRateOptions noRepeats{.bytes = 1 << 20, .rows = 16, .cols = 256, .repeats = 0};
        for (const DecodeRateOptions& o : {oddCols, noRows, noCols, noRepeats}) {
            QCOMPARE(code(measureGpuDecodeRate(m_gpu.kernels(), TensorType::Q4_K, o)), int(ErrorCode::InvalidArgument));
            QCOMPARE(code(measureCpuDecodeRate(TensorType::Q4_K, 1, o)), int(ErrorCode::InvalidArgument));
        }
        const DecodeRateOptions small{.bytes = 1 << 20, .rows = 16, .cols = 256};
        for (TensorType type : {TensorType::Q4_1, TensorType::Q8_K, TensorType(99)}) {
            QCOMPARE(code(measureGpuDecodeRate(m_gpu.kernels(), type, small)), int(ErrorCode::Unsupported));
            QCOMPARE(code(measureCpuDecodeRate(type, 1, small)), int(ErrorCode::Unsupported));
        }
        // Fewer bytes than one row.
        const DecodeRateOptions tiny{.bytes = 1000, .rows = 16, .cols = 256};
        QCOMPARE(code(measureGpuDecodeRate(m_gpu.kernels(), TensorType::F32, tiny)), int(ErrorCode::InvalidArgument));
        QCOMPARE(code(measureCpuDecodeRate(TensorType::F32, 1, tiny)), int(ErrorCode::InvalidArgument));
        // The multi-type forms fail with the first failure.
        const TensorType types[] = {TensorType::Q4_K, TensorType::Q4_1};
        QCOMPARE(code(measureCpuDecodeRates(types, 1, small)), int(ErrorCode::Unsupported));
    }

    void ratesAndSeconds()
    {
        const TensorType types[] = {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q8_0};
        const DecodeRateOptions small{.bytes = 8ull << 20, .rows = 256, .cols = 4096, .repeats = 1};
        auto rates = measureCpuDecodeRates(types, 1, small);
        QVERIFY2(rates.has_value(), rates ? "" : rates.error().message.c_str());
        QCOMPARE(rates->bytesPerSecond.size(), size_t(2));
        const double q8 = rates->bytesPerSecond.at(TensorType::Q8_0);
        const double q4 = rates->bytesPerSecond.at(TensorType::Q4_0);
        QVERIFY(q8 > 0 && q4 > 0);
        const auto seconds = rates->secondsFor({{TensorType::Q8_0, 1000000}, {TensorType::Q4_0, 2000000}});
        QVERIFY(seconds.has_value());
        QCOMPARE(*seconds, 1000000 / q8 + 2000000 / q4);
        QVERIFY(!rates->secondsFor({{TensorType::Q6_K, 1}}).has_value());
        QCOMPARE(*rates->secondsFor({{TensorType::Q6_K, 0}}), 0.0);
        QCOMPARE(*rates->secondsFor({}), 0.0);

        auto gpuRates = measureGpuDecodeRates(m_gpu.kernels(), types, small);
        QVERIFY2(gpuRates.has_value(), gpuRates ? "" : gpuRates.error().message.c_str());
        QCOMPARE(gpuRates->bytesPerSecond.size(), size_t(2));
    }

    // Matrices of the given shapes in turn until the next would pass the
    // bytes; a first matrix larger than the bytes has its rows cut.
    void shapesInTurn()
    {
        const TensorType type = TensorType::Q8_0;
        const MatrixShape a{256, 1024}, b{96, 2048};
        const uint64_t pair = 256 * tensorBytes(type, 1024) + 96 * tensorBytes(type, 2048);
        DecodeRateOptions options{.bytes = 2 * pair + 256 * tensorBytes(type, 1024) + 1000, .shapes = {a, b}, .repeats = 1};
        auto gpu = measureGpuDecodeRate(m_gpu.kernels(), type, options);
        QVERIFY2(gpu.has_value(), gpu ? "" : gpu.error().message.c_str());
        QCOMPARE(gpu->matrices, 5u);  // a b a b a
        QCOMPARE(gpu->first, a);
        QCOMPARE(gpu->bytes, 2 * pair + 256 * tensorBytes(type, 1024));
        auto cpu = measureCpuDecodeRate(type, 2, options);
        QVERIFY2(cpu.has_value(), cpu ? "" : cpu.error().message.c_str());
        QCOMPARE(cpu->matrices, 5u);
        QCOMPARE(cpu->bytes, gpu->bytes);

        options.bytes = 100 * tensorBytes(type, 1024) + 10;
        cpu = measureCpuDecodeRate(type, 2, options);
        QVERIFY2(cpu.has_value(), cpu ? "" : cpu.error().message.c_str());
        QCOMPARE(cpu->matrices, 1u);
        QCOMPARE(cpu->first, (MatrixShape{100, 1024}));

        // Float rows of any width; a shape that is not whole blocks is refused.
        auto f16 = measureCpuDecodeRate(TensorType::F16, 1,
                                        {.bytes = 1 << 20, .shapes = {{64, 1000}, {32, 1003}}, .repeats = 1});
        QVERIFY2(f16.has_value(), f16 ? "" : f16.error().message.c_str());
        auto odd = measureCpuDecodeRate(type, 1, {.bytes = 1 << 20, .shapes = {{64, 1024}, {32, 1000}}});
        QVERIFY(!odd && odd.error().code == ErrorCode::InvalidArgument);
        odd = measureGpuDecodeRate(m_gpu.kernels(), type, {.bytes = 1 << 20, .shapes = {{0, 1024}}});
        QVERIFY(!odd && odd.error().code == ErrorCode::InvalidArgument);
    }

    void typesAndShapesOfAModel()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Llama, 512);
        spec.config.blockCount = 3;
        spec.mix = QuantMix::Q4_K_M;
        const std::string path = m_dir.filePath("tiny_q4_k_m.gguf").toStdString();
        QVERIFY(testing::writeModel(path, spec, kCpuThreads).has_value());
        auto file = ModelFile::open(path);
        QVERIFY2(file.has_value(), file ? "" : file.error().message.c_str());
        const ModelInfo& info = (*file)->info();
        const ModelConfig& c = info.config;
        for (const ModelPart& part : {ModelPart::whole(c), ModelPart{1, 3, false, true}, ModelPart{0, 2, true, false}}) {
            const std::vector<TensorType> types = decodeReadTypes(info, part);
            const auto bytes = partReadBytesByType(info, part);
            QCOMPARE(types.size(), bytes.size());
            uint64_t matrices = 0;
            for (TensorType type : types) {
                // Each type's shapes hold exactly its bytes.
                uint64_t total = 0;
                for (const MatrixShape& m : decodeMatrixShapes(info, part, type)) {
                    total += m.rows * tensorBytes(type, m.cols);
                    ++matrices;
                }
                QCOMPARE(total, bytes.at(type));
            }
            QCOMPARE(matrices, 7ull * part.layerCount() + (part.output ? 1 : 0));
        }
        // Q4_K_M: Q4_K first (the order of kDecodeRateTypes), Q6_K too.
        const std::vector<TensorType> types = decodeReadTypes(info);
        QCOMPARE(types.front(), TensorType::Q4_K);
        QVERIFY(std::find(types.begin(), types.end(), TensorType::Q6_K) != types.end());
        // Layer by layer, the output last (the tied embedding of this llama, or its output).
        const std::vector<MatrixShape> q6 = decodeMatrixShapes(info, ModelPart::whole(c), TensorType::Q6_K);
        QCOMPARE(q6.back(), (MatrixShape{c.vocabSize, c.embeddingLength}));
        // Q8_0 weights: one type, every matrix of a layer in turn.
        QCOMPARE(decodeReadTypes(model().info()), std::vector<TensorType>{TensorType::Q8_0});
        const ModelConfig& big = model().info().config;
        const std::vector<MatrixShape> q8 = decodeMatrixShapes(model().info(), ModelPart::whole(big), TensorType::Q8_0);
        QCOMPARE(q8.size(), size_t(7 * big.blockCount + 1));
        QCOMPARE(q8.front(), (MatrixShape{big.qDim(), big.embeddingLength}));
        QCOMPARE(q8.back(), (MatrixShape{big.vocabSize, big.embeddingLength}));
    }

    // The rates predict the GPU's decode step: lavapipe, where a step also
    // runs norms, RoPE, attention and a dispatch per kernel besides the
    // matvecs. Measured over the model's own matrices (the bench's figure)
    // and, printed beside it, over 4096 x 4096 ones (the app's per-device
    // figure). Seen here: measured / predicted 0.9-1.1 from the model's own
    // matrices, 1.5 from 4096 x 4096 ones, 7 from the read bandwidth.
    void predictsGpuDecode()
    {
        const ModelFile& file = model();
        PlanOptions plan;
        plan.contextLength = 64;
        plan.batchSize = 16;
        auto backend = GpuBackend::load(m_gpu.kernels(), file, plan);
        QVERIFY2(backend.has_value(), backend ? "" : backend.error().message.c_str());
        checkPrediction(
            file.info(), **backend, 8, "GPU", m_gpuRead,
            [&](const ModelInfo& info, const ModelPart& part) { return measureGpuDecodeRates(m_gpu.kernels(), info, part); },
            [&](std::span<const TensorType> types) { return measureGpuDecodeRates(m_gpu.kernels(), types); });
    }

    // The same for the CPU engine at 2 threads. Seen here: 0.9-1.2 from the
    // model's own matrices; 1.5-2.7 from 4096 x 4096 ones (a pool run per
    // matrix costs more next to this model's small ones), 6-7 from the read
    // bandwidth.
    void predictsCpuDecode()
    {
        const ModelFile& file = model();
        CpuBackendOptions options;
        options.plan.contextLength = 64;
        options.plan.batchSize = 16;
        options.threads = kCpuThreads;
        auto backend = CpuBackend::load(file, options);
        QVERIFY2(backend.has_value(), backend ? "" : backend.error().message.c_str());
        QCOMPARE((*backend)->decodeWeightBytes(),
                 partReadBytesPerToken(file.info(), ModelPart::whole(file.info().config)));
        checkPrediction(
            file.info(), **backend, 24, "CPU", m_cpuRead,
            [&](const ModelInfo& info, const ModelPart& part) { return measureCpuDecodeRates(info, part, kCpuThreads); },
            [&](std::span<const TensorType> types) { return measureCpuDecodeRates(types, kCpuThreads); });
    }

private:
    // The model's own rates against `steps` timed decode steps, up to three
    // times: a neighbour on a shared machine can slow the rates' passes or
    // the steps, rarely both alike, and the bar is about the measure, not
    // the neighbours.
    template <typename OwnRates, typename GenericRates>
    void checkPrediction(const ModelInfo& info, InferenceBackend& backend, int steps, const char* device,
                         double readBandwidth, const OwnRates& ownRates, const GenericRates& genericRates)
    {
        const ModelPart whole = ModelPart::whole(info.config);
        const auto bytesByType = partReadBytesByType(info, whole);
        const uint64_t weightBytes = partReadBytesPerToken(info, whole);
        bool within = false;
        const int attempts = speedBarsChecked() ? 3 : 1;
        for (int attempt = 0; attempt < attempts && !within; ++attempt) {
            auto own = ownRates(info, whole);
            QVERIFY2(own.has_value(), own ? "" : own.error().message.c_str());
            auto generic = genericRates(decodeReadTypes(info));
            QVERIFY2(generic.has_value(), generic ? "" : generic.error().message.c_str());
            const double predicted = own->secondsFor(bytesByType).value_or(0);
            const double genericPredicted = generic->secondsFor(bytesByType).value_or(0);
            QVERIFY(predicted > 0 && genericPredicted > 0);
            const DecodeTimes measured = timeDecode(backend, steps);
            const double readOnly = double(weightBytes) / readBandwidth;
            qInfo("%s decode of %.1f MiB of weights: measured %.2f ms (fastest %.2f); predicted by its own "
                  "matrices' rates %.2f ms (measured / predicted %.2f), by 4096 x 4096 ones %.2f ms (%.2f), by the "
                  "read bandwidth %.2f ms (%.2f)",
                  device, mib(weightBytes), measured.median * 1e3, measured.fastest * 1e3, predicted * 1e3,
                  measured.median / predicted, genericPredicted * 1e3, measured.median / genericPredicted,
                  readOnly * 1e3, measured.median / readOnly);
            within = !speedBarsChecked() ||
                     (measured.median <= kPredictionFactor * predicted && measured.median >= predicted / kPredictionFactor);
        }
        QVERIFY2(within, "the decode rates did not predict the decode step within a factor of 2 in three tries");
    }
};

QTEST_GUILESS_MAIN(TestDecodeRate)
#include "tst_decode_rate.moc"
