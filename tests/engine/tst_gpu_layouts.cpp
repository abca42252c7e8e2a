// Whole models through each family of kernel layouts. On a CPU device
// (lavapipe, CI's only device) the kernels' automatic choice takes the
// CPU-friendly layouts (RowPerInvocation matvec, RegisterWeights matmul); a
// GPU runs Subgroup or SharedMemory matvec and SharedTiles matmul. Here the
// same session runs with the device's choice, with a GPU's layouts forced
// (KernelLayouts::Gpu, what PONDER_GPU_LAYOUTS=1 asks for) and with the
// shared-memory matvec of a GPU without subgroup arithmetic forced, and
// every position's logits of a long prompt and of decode steps are checked
// against the CPU reference. The kernels' dispatch counts prove which
// layouts the forward pass really took.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <span>

#include "gpu_fixture.h"
#include "model_generator.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"
#include "ponder/vk/adapter.h"

using namespace ponder;

namespace {

// Prompt chunks, each one evaluate() with every position's logits, then
// single-token decode steps. With a batch of 66: 1 token runs the recorded
// decode step (matVec), 7 the batched matVec, 33 one matMul, 70 a matMul of
// 66 (two 64-token SharedTiles tiles, the second nearly empty; four and a
// bit 16-token RegisterWeights tiles) and a batched matVec of 4.
constexpr uint32_t kBatch = 66;
constexpr int kChunks[] = {1, 7, 33, 70};
constexpr int kDecodeSteps = 4;
constexpr uint32_t kContext = 128;
// 331 rows of output: not a whole number of any tile's rows.
constexpr uint32_t kVocab = 331;

// The logits of every position the test evaluates, in order.
using Positions = std::vector<std::vector<float>>;

std::vector<int32_t> someTokens(size_t count, uint32_t salt)
{
    std::vector<int32_t> tokens(count);
    for (size_t i = 0; i < count; ++i)
        tokens[i] = int32_t((i * 37 + salt * 11 + 5) % kVocab);
    return tokens;
}

Result<Positions> run(InferenceBackend& backend)
{
    Positions positions;
    auto take = [&](const std::vector<float>& logits) {
        for (size_t first = 0; first < logits.size(); first += kVocab)
            positions.emplace_back(logits.begin() + first, logits.begin() + first + kVocab);
    };
    uint32_t salt = 0;
    for (int length : kChunks) {
        auto logits = backend.evaluate(someTokens(length, salt++), true);
        if (!logits)
            return std::unexpected(logits.error());
        take(*logits);
    }
    for (int step = 0; step < kDecodeSteps; ++step) {
        const int32_t token = int32_t((step * 101 + 17) % kVocab);
        auto logits = backend.evaluate(std::span<const int32_t>(&token, 1), false);
        if (!logits)
            return std::unexpected(logits.error());
        take(*logits);
    }
    return positions;
}

// The largest |gpu - cpu| of one position, relative to its largest |cpu|.
double relativeError(const std::vector<float>& gpu, const std::vector<float>& cpu)
{
    double scale = 0, worst = 0;
    for (size_t i = 0; i < cpu.size(); ++i) {
        scale = std::max(scale, double(std::abs(cpu[i])));
        worst = std::max(worst, double(std::abs(gpu[i] - cpu[i])));
    }
    return worst / scale;
}

Kernels::LayoutCounts since(const Kernels::LayoutCounts& now, const Kernels::LayoutCounts& before)
{
    Kernels::LayoutCounts d;
    for (size_t i = 0; i < d.matVec.size(); ++i)
        d.matVec[i] = now.matVec[i] - before.matVec[i];
    for (size_t i = 0; i < d.matMul.size(); ++i)
        d.matMul[i] = now.matMul[i] - before.matMul[i];
    return d;
}

} // namespace

class TestGpuLayouts : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;
    QTemporaryDir m_dir;
    std::map<KernelLayouts, std::unique_ptr<Kernels>> m_kernels;
    std::map<QString, Positions> m_reference;  // per model file, computed once

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

private slots:
    void initTestCase()
    {
        PONDER_REQUIRE_GPU(m_gpu);
        for (auto layouts : {KernelLayouts::Device, KernelLayouts::Gpu, KernelLayouts::GpuSharedMemory}) {
            auto kernels = Kernels::create(m_gpu.device(), {.layouts = layouts});
            QVERIFY(kernels);
            m_kernels[layouts] = std::move(*kernels);
        }
    }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void environmentNamesLayouts_data()
    {
        QTest::addColumn<QByteArray>("value");  // "unset": no variable
        QTest::addColumn<int>("layouts");
        QTest::newRow("unset") << QByteArray("unset") << int(KernelLayouts::Device);
        QTest::newRow("empty") << QByteArray("") << int(KernelLayouts::Device);
        QTest::newRow("0") << QByteArray("0") << int(KernelLayouts::Device);
        QTest::newRow("1") << QByteArray("1") << int(KernelLayouts::Gpu);
        QTest::newRow("shared-memory") << QByteArray("shared-memory") << int(KernelLayouts::GpuSharedMemory);
    }

    // PONDER_GPU_LAYOUTS, read by Kernels::create(device) when it is called.
    void environmentNamesLayouts()
    {
        QFETCH(QByteArray, value);
        QFETCH(int, layouts);
        const QByteArray saved = qgetenv("PONDER_GPU_LAYOUTS");
        const bool wasSet = qEnvironmentVariableIsSet("PONDER_GPU_LAYOUTS");
        if (value == "unset")
            qunsetenv("PONDER_GPU_LAYOUTS");
        else
            qputenv("PONDER_GPU_LAYOUTS", value);
        const KernelOptions options = kernelOptionsFromEnvironment();
        auto kernels = Kernels::create(m_gpu.device());
        if (wasSet)
            qputenv("PONDER_GPU_LAYOUTS", saved);
        else
            qunsetenv("PONDER_GPU_LAYOUTS");
        QCOMPARE(int(options.layouts), layouts);
        QVERIFY(kernels);
        QCOMPARE(int((*kernels)->options().layouts), layouts);
    }

    // What each setting makes of the automatic choices on this device.
    void layoutsChooseVariants()
    {
        const auto& adapter = m_gpu.device().adapter();
        const bool cpu = adapter.type == vk::AdapterType::Cpu;
        const Kernels& device = *m_kernels[KernelLayouts::Device];
        const Kernels& gpu = *m_kernels[KernelLayouts::Gpu];
        const Kernels& shared = *m_kernels[KernelLayouts::GpuSharedMemory];
        QCOMPARE(device.matVecVariant() == MatVecVariant::RowPerInvocation, cpu);
        QCOMPARE(device.matMulTiles().layout == MatMulLayout::RegisterWeights, cpu);
        QCOMPARE(gpu.matVecVariant(),
                 adapter.subgroupArithmetic ? MatVecVariant::Subgroup : MatVecVariant::SharedMemory);
        QCOMPARE(gpu.matMulTiles().layout, MatMulLayout::SharedTiles);
        QCOMPARE(shared.matVecVariant(), MatVecVariant::SharedMemory);
        QCOMPARE(shared.matMulTiles().layout, MatMulLayout::SharedTiles);
        if (!cpu) {
            // On a GPU, forcing its own layouts changes nothing.
            QCOMPARE(gpu.matVecVariant(), device.matVecVariant());
            QCOMPARE(gpu.matMulTiles().rows, device.matMulTiles().rows);
        }
    }

    void logitsMatchReference_data()
    {
        QTest::addColumn<int>("arch");
        QTest::addColumn<QString>("mix");
        QTest::addColumn<int>("layouts");
        // A GPU session dequantizes the same bytes as the reference and
        // keeps an f32 cache here, so only the f32 summation order differs,
        // whatever the layout: tst_gpu_session's bound for an f32 cache,
        // 1e-4 of the position's largest logit. Measured errors are near
        // 1e-6; a wrong block, row or token in any tile is far above it.
        const std::pair<KernelLayouts, const char*> layouts[] = {
            {KernelLayouts::Device, "device's layouts"},
            {KernelLayouts::Gpu, "GPU layouts"},
            {KernelLayouts::GpuSharedMemory, "GPU layouts, shared-memory matvec"},
        };
        auto add = [&](Architecture arch, const char* mix, std::span<const std::pair<KernelLayouts, const char*>> with) {
            for (const auto& [layout, name] : with)
                QTest::newRow(qPrintable(QString("%1 %2, %3").arg(arch == Architecture::Qwen2 ? "qwen2" : "llama",
                                                                  mix, name)))
                    << int(arch) << QString(mix) << int(layout);
        };
        // The common mixes with every setting...
        add(Architecture::Qwen2, "Q4_K_M", layouts);
        add(Architecture::Llama, "Q4_K_M", layouts);
        add(Architecture::Qwen2, "Q8_0", layouts);
        add(Architecture::Llama, "Q6_K", layouts);
        add(Architecture::Qwen2, "F16", layouts);
        // ...and the other tensor types (Q5_K, Q3_K, Q2_K, Q4_0, BF16) only
        // with the forced ones: tst_gpu_session runs them with the device's.
        const auto forced = std::span(layouts).subspan(1);
        add(Architecture::Llama, "Q5_K_M", forced);
        add(Architecture::Qwen2, "Q3_K_M", forced);
        add(Architecture::Llama, "Q2_K", forced);
        add(Architecture::Qwen2, "Q4_0", forced);
        add(Architecture::Llama, "BF16", forced);
    }

    void logitsMatchReference()
    {
        QFETCH(int, arch);
        QFETCH(QString, mix);
        QFETCH(int, layouts);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture(arch), kVocab);
        spec.mix = *quantMixFromName(mix.toStdString());
        spec.seed = 33;
        const QString name = QString("%1-%2.gguf").arg(arch).arg(mix);
        auto file = makeModel(name, spec);
        if (!m_reference.count(name)) {
            reference::ReferenceBackend cpu(file->info(), file->weights(), kContext);
            auto positions = run(cpu);
            QVERIFY2(positions, positions ? "" : positions.error().message.c_str());
            m_reference[name] = std::move(*positions);
        }
        const Positions& expected = m_reference[name];

        const Kernels& kernels = *m_kernels[KernelLayouts(layouts)];
        const Kernels::LayoutCounts before = kernels.layoutCounts();
        PlanOptions options;
        options.contextLength = kContext;
        options.kvType = KvCacheType::F32;
        options.batchSize = kBatch;
        auto gpu = GpuBackend::load(kernels, *file, options);
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
        QCOMPARE((*gpu)->session().batchSize(), kBatch);
        auto positions = run(**gpu);
        QVERIFY2(positions, positions ? "" : positions.error().message.c_str());
        QCOMPARE(positions->size(), expected.size());

        double worst = 0;
        size_t worstAt = 0;
        for (size_t i = 0; i < expected.size(); ++i)
            if (const double error = relativeError((*positions)[i], expected[i]); error > worst) {
                worst = error;
                worstAt = i;
            }
        qInfo("largest logit difference %.3g of the position's largest logit, at position %zu", worst, worstAt);
        QVERIFY2(worst < 1e-4, qPrintable(QString("%1 at position %2").arg(worst).arg(worstAt)));

        // Every matrix product of the pass took the layouts the setting
        // names, and both the matvec and the matmul paths ran.
        const Kernels::LayoutCounts ran = since(kernels.layoutCounts(), before);
        const MatVecVariant variant = kernels.matVecVariant();
        const MatMulLayout layout = kernels.matMulTiles().layout;
        for (size_t v = 0; v < ran.matVec.size(); ++v)
            if (v != size_t(variant))
                QCOMPARE(ran.matVec[v], uint64_t(0));
        for (size_t l = 0; l < ran.matMul.size(); ++l)
            if (l != size_t(layout))
                QCOMPARE(ran.matMul[l], uint64_t(0));
        QVERIFY(ran.matVec[size_t(variant)] > 0);
        QVERIFY(ran.matMul[size_t(layout)] > 0);
        if (KernelLayouts(layouts) != KernelLayouts::Device) {
            QCOMPARE(ran.matVec[size_t(MatVecVariant::RowPerInvocation)], uint64_t(0));
            QCOMPARE(ran.matMul[size_t(MatMulLayout::RegisterWeights)], uint64_t(0));
        }
    }
};

QTEST_GUILESS_MAIN(TestGpuLayouts)
#include "tst_gpu_layouts.moc"
