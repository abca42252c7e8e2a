// ModelFit: the verdict thresholds exactly at their boundaries, the reason
// in numbers, a plan that cannot run, the recommendation, and that the
// estimate is the engine's allocation: the same from a local file as from its
// header, and on a real Vulkan device (lavapipe in CI) equal to the bytes the
// engine allocates when it loads that file; on the CPU engine the estimate is
// CpuMemoryPlan's bytes against available RAM, and what CpuBackend allocates.
#include <QtTest>

#include "cpu_copy_extra.h"

#include <QTemporaryDir>

#include <chrono>

#include "gpu_fixture.h"
#include "local_models.h"
#include "model_fit.h"
#include "model_generator.h"
#include "ponder/cpu_backend.h"
#include "ponder/cpu_info.h"
#include "ponder/cpu_memory_plan.h"
#include "ponder/gguf.h"
#include "ponder/gpu_backend.h"
#include "ponder/gpu_model.h"
#include "ponder/known_models.h"
#include "ponder/model_file.h"

using namespace ponder;
using namespace ponder::app;

namespace {

constexpr uint64_t kGiB = 1ull << 30;

FitTarget cpuEngine(uint64_t freeBytes, uint32_t threads, CpuWeightPlacement placement = CpuWeightPlacement::Mapped)
{
    FitTarget target;
    target.weightPlacement = placement;
    target.freeBytes = freeBytes;
    target.type = vk::AdapterType::Cpu;
    target.cpuEngine = true;
    target.threads = threads;
    return target;
}

FitTarget discreteGpu(uint64_t freeBytes)
{
    FitTarget target;
    target.freeBytes = freeBytes;
    target.type = vk::AdapterType::Discrete;
    return target;
}

} // namespace

class TestModelFit : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;
    QTemporaryDir m_dir;

    QString generatedModel()
    {
        const QString path = m_dir.filePath(QStringLiteral("tiny-qwen2-Q4_K_M.gguf"));
        if (!QFile::exists(path)) {
            testing::ModelSpec spec;
            spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
            spec.mix = QuantMix::Q4_K_M;
            const auto written = testing::writeModel(path.toStdString(), spec, 2);
            if (!written)
                qFatal("%s", written.error().message.c_str());
        }
        return path;
    }

private slots:
    // Memory in units of 1024 (as GPUs are sold), files in units of 1000 (as
    // Hugging Face lists them), so that each figure matches what the user
    // compares it with.
    void unitsOfMemoryAndFiles()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(formatMemoryBytes(8ull << 30), QStringLiteral("8.0 GB"));
        QCOMPARE(formatMemoryBytes(1825361100ull), QStringLiteral("1.7 GB"));
        QCOMPARE(formatFileBytes(924000000ull), QStringLiteral("924 MB"));
        QCOMPARE(formatFileBytes(4680000000ull), QStringLiteral("4.68 GB"));
        QCOMPARE(formatFileBytes(42520395936ull), QStringLiteral("42.5 GB"));
        QCOMPARE(formatFileBytes(8000000ull), QStringLiteral("8.00 MB"));
        QLocale::setDefault(QLocale::system());
    }

    void initTestCase()
    {
        // Reason texts in a fixed locale.
        QLocale::setDefault(QLocale::c());
    }

    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void thresholds_data()
    {
        QTest::addColumn<quint64>("needed");
        QTest::addColumn<quint64>("free");
        QTest::addColumn<int>("verdict");
        QTest::newRow("plenty") << quint64(1000) << quint64(10000) << int(FitVerdict::Fits);
        QTest::newRow("exactly 10% spare") << quint64(9000) << quint64(10000) << int(FitVerdict::Fits);
        QTest::newRow("one byte under 10% spare") << quint64(9001) << quint64(10000) << int(FitVerdict::Tight);
        QTest::newRow("exactly full") << quint64(10000) << quint64(10000) << int(FitVerdict::Tight);
        QTest::newRow("one byte over") << quint64(10001) << quint64(10000) << int(FitVerdict::DoesNotFit);
        QTest::newRow("nothing free") << quint64(1) << quint64(0) << int(FitVerdict::DoesNotFit);
        QTest::newRow("24 GiB card, 21.6 GiB") << quint64(216 * kGiB / 10) << quint64(24 * kGiB) << int(FitVerdict::Fits);
        QTest::newRow("24 GiB card, 21.7 GiB") << quint64(217 * kGiB / 10) << quint64(24 * kGiB) << int(FitVerdict::Tight);
    }

    void thresholds()
    {
        QFETCH(quint64, needed);
        QFETCH(quint64, free);
        QFETCH(int, verdict);
        QCOMPARE(int(classifyFit(needed, free)), verdict);
    }

    // The same boundary through a real plan: the smallest free memory that
    // leaves 10% spare fits, one byte less is tight, and so on.
    void thresholdsOfARealPlan()
    {
        const ModelInfo info = modelInfoFromConfig(*knownModelConfig("qwen-7b"), QuantMix::Q4_K_M);
        const uint64_t needed = evaluateFit(info, 8192, discreteGpu(0)).neededBytes;
        QVERIFY(needed > 4 * kGiB);
        const uint64_t roomy = (10 * needed + 8) / 9;  // ceil(needed / 0.9)
        QCOMPARE(int(evaluateFit(info, 8192, discreteGpu(roomy)).verdict), int(FitVerdict::Fits));
        QCOMPARE(int(evaluateFit(info, 8192, discreteGpu(roomy - 1)).verdict), int(FitVerdict::Tight));
        QCOMPARE(int(evaluateFit(info, 8192, discreteGpu(needed)).verdict), int(FitVerdict::Tight));
        QCOMPARE(int(evaluateFit(info, 8192, discreteGpu(needed - 1)).verdict), int(FitVerdict::DoesNotFit));
    }

    void neededBytesFollowTheEngineRule()
    {
        const ModelInfo info = modelInfoFromConfig(*knownModelConfig("llama-8b"), QuantMix::Q4_K_M);
        const auto plan = planMemory(info, fitPlanOptions(4096), DeviceLimits{});
        QVERIFY(plan);
        // A discrete GPU holds the device-local buffers; staging and readback are system memory.
        FitResult discrete = evaluateFit(info, 4096, discreteGpu(64 * kGiB));
        QCOMPARE(discrete.neededBytes, plan->deviceLocalBytes());
        QCOMPARE(discrete.totalBytes, plan->totalBytes());
        // On a CPU or integrated device everything comes out of the same memory.
        FitTarget cpu = discreteGpu(64 * kGiB);
        cpu.type = vk::AdapterType::Cpu;
        QCOMPARE(evaluateFit(info, 4096, cpu).neededBytes, plan->totalBytes());
        QVERIFY(plan->totalBytes() > plan->deviceLocalBytes());
    }

    void contextDrivesMemory()
    {
        const ModelInfo info = modelInfoFromConfig(*knownModelConfig("qwen-32b"), QuantMix::Q4_K_M);
        const uint64_t short_ = evaluateFit(info, 4096, discreteGpu(0)).neededBytes;
        const uint64_t long_ = evaluateFit(info, 32768, discreteGpu(0)).neededBytes;
        // 256 KiB of f16 KV cache per token (FORMATS.md).
        QCOMPARE(long_ - short_, uint64_t(32768 - 4096) * 256 * 1024);
        // Beyond the trained context the chat clamps, and so does the estimate.
        ModelConfig small = *knownModelConfig("qwen-1.5b");
        small.contextLength = 8192;
        const ModelInfo smallInfo = modelInfoFromConfig(small, QuantMix::Q8_0);
        QCOMPARE(evaluateFit(smallInfo, 131072, discreteGpu(0)).neededBytes,
                 evaluateFit(smallInfo, 8192, discreteGpu(0)).neededBytes);
    }

    void reasonText()
    {
        QCOMPARE(fitReason(uint64_t(9.4 * double(kGiB)), uint64_t(7.1 * double(kGiB))),
                 QStringLiteral("needs 9.4 GB, 7.1 GB free"));
        // As the cell shows it: each figure stays with its unit when the line wraps.
        QCOMPARE(fitReasonText(uint64_t(9.4 * double(kGiB)), uint64_t(7.1 * double(kGiB))),
                 QStringLiteral("needs 9.4\u00a0GB, 7.1\u00a0GB\u00a0free"));
        const ModelInfo info = modelInfoFromConfig(*knownModelConfig("qwen-14b"), QuantMix::Q4_K_M);
        const FitResult result = evaluateFit(info, 4096, discreteGpu(8 * kGiB));
        QCOMPARE(int(result.verdict), int(FitVerdict::DoesNotFit));
        QCOMPARE(result.reason, QStringLiteral("needs %1, 8.0 GB free").arg(formatMemoryBytes(result.neededBytes)));
        QVERIFY2(result.reason.startsWith(QLatin1String("needs 9.")), qPrintable(result.reason));
    }

    // A tensor larger than one allocation cannot be placed at all: that is a
    // "does not fit" with the plan's own reason, whatever memory is free.
    void planErrorDoesNotFit()
    {
        const ModelInfo info = modelInfoFromConfig(*knownModelConfig("qwen-7b"), QuantMix::F16);
        FitTarget small = discreteGpu(1024 * kGiB);
        small.limits.maxMemoryAllocationSize = 256ull << 20;  // the 1 GiB embedding is larger
        const FitResult result = evaluateFit(info, 4096, small);
        QCOMPARE(int(result.verdict), int(FitVerdict::DoesNotFit));
        QVERIFY(result.planFailed);
        QCOMPARE(result.neededBytes, uint64_t(0));
        QVERIFY2(result.reason.startsWith(QLatin1String("cannot run on this GPU: ")), qPrintable(result.reason));
        QVERIFY(result.reason.size() > 30);
    }

    void recommendation()
    {
        using F = FitVerdict;
        using Q = QuantMix;
        const std::pair<Q, F> someFit[] = {{Q::F16, F::DoesNotFit}, {Q::Q8_0, F::Tight},  {Q::Q6_K, F::Fits},
                                           {Q::Q5_K_M, F::Fits},    {Q::Q4_K_M, F::Fits}, {Q::Q2_K, F::Fits}};
        QCOMPARE(recommendQuant(someFit), std::optional<Q>(Q::Q6_K));
        const std::pair<Q, F> onlyTight[] = {{Q::Q4_K_M, F::Tight}, {Q::Q2_K, F::Tight}, {Q::F16, F::DoesNotFit}};
        QCOMPARE(recommendQuant(onlyTight), std::optional<Q>(Q::Q4_K_M));
        const std::pair<Q, F> none[] = {{Q::Q2_K, F::DoesNotFit}};
        QVERIFY(!recommendQuant(none));
        QCOMPARE(quantQualityRank(Q::F16), 0);
        QCOMPARE(quantQualityRank(Q::Q2_K), 6);
        QCOMPARE(quantQualityRank(Q::Q4_0), -1);
    }

    // The picker plans every cell on the UI thread: say how long one takes.
    void planTimeIsPrinted()
    {
        const ModelInfo info = modelInfoFromConfig(*knownModelConfig("llama-70b"), QuantMix::Q4_K_M);
        const auto start = std::chrono::steady_clock::now();
        uint64_t sum = 0;
        for (int i = 0; i < 100; ++i)
            sum += evaluateFit(info, 131072, discreteGpu(80 * kGiB)).neededBytes;
        const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        qInfo("evaluateFit on the 70B config at 131072 tokens: %.1f us", us / 100);
        QVERIFY(sum > 0);
    }

    // From the file (all of it, as an import reads it), from its header
    // alone (as a remote header gives it), and from the config and mix (as
    // the catalog gives it): one estimate.
    void fileHeaderAndConfigAgree()
    {
        const QString path = generatedModel();
        const auto fromFile = LocalModels::readModelInfoFrom(path);
        QVERIFY2(fromFile, fromFile ? "" : qPrintable(fromFile.error()));
        auto file = GgufFile::open(path.toStdString());
        QVERIFY(file);
        const auto fromHeader = readModelInfo(file->header());
        QVERIFY(fromHeader);
        const ModelInfo fromConfig = modelInfoFromConfig(testing::tinyConfig(Architecture::Qwen2, 320), QuantMix::Q4_K_M);

        for (const uint32_t context : {256u, 1024u, 2048u}) {
            const FitTarget gpu = discreteGpu(kGiB);
            const FitResult a = evaluateFit(*fromFile, context, gpu);
            const FitResult b = evaluateFit(*fromHeader, context, gpu);
            const FitResult c = evaluateFit(fromConfig, context, gpu);
            QVERIFY(a.neededBytes > 0);
            QCOMPARE(a.neededBytes, b.neededBytes);
            QCOMPARE(a.totalBytes, b.totalBytes);
            QCOMPARE(a.totalBytes, c.totalBytes);
        }
    }

    // On the CPU engine the figure is the CPU plan's bytes (per thread: its
    // scratch) plus the mapped weights, which must stay resident too, judged
    // against available RAM by the same thresholds. A 7B Q4_K_M needs its
    // 4.7 GB of weights in RAM whatever the plan says.
    void cpuFitIsTheCpuPlanAndTheWeights()
    {
        const ModelInfo info = modelInfoFromConfig(*knownModelConfig("qwen-7b"), QuantMix::Q4_K_M);
        const auto plan = planCpuMemory(info, fitPlanOptions(8192), 4, CpuWeightPlacement::Mapped);
        QVERIFY(plan);
        QVERIFY(info.tensorBytes > 4 * kGiB);
        const uint64_t needed = plan->allocatedBytes() + info.tensorBytes;
        const FitResult fit = evaluateFit(info, 8192, cpuEngine(64 * kGiB, 4));
        QCOMPARE(fit.neededBytes, needed);
        QCOMPARE(fit.totalBytes, plan->allocatedBytes());
        QCOMPARE(int(evaluateFit(info, 8192, cpuEngine(plan->allocatedBytes() + kGiB, 4)).verdict),
                 int(FitVerdict::DoesNotFit));
        QVERIFY(fit.neededBytes != evaluateFit(info, 8192, discreteGpu(64 * kGiB)).neededBytes);
        QVERIFY(evaluateFit(info, 8192, cpuEngine(64 * kGiB, 8)).neededBytes > needed);  // more threads, more scratch
        const uint64_t roomy = (10 * needed + 8) / 9;
        QCOMPARE(int(evaluateFit(info, 8192, cpuEngine(roomy, 4)).verdict), int(FitVerdict::Fits));
        QCOMPARE(int(evaluateFit(info, 8192, cpuEngine(roomy - 1, 4)).verdict), int(FitVerdict::Tight));
        QCOMPARE(int(evaluateFit(info, 8192, cpuEngine(needed, 4)).verdict), int(FitVerdict::Tight));
        QCOMPARE(int(evaluateFit(info, 8192, cpuEngine(needed - 1, 4)).verdict), int(FitVerdict::DoesNotFit));
        QCOMPARE(fit.reason, fitReason(needed, 64 * kGiB));

        // Copied into huge pages the weights are in the plan, counted once:
        // about the same RAM as reading them in place.
        const auto copying = planCpuMemory(info, fitPlanOptions(8192), 4, CpuWeightPlacement::HugePages);
        QVERIFY(copying);
        const FitResult copied = evaluateFit(info, 8192, cpuEngine(64 * kGiB, 4, CpuWeightPlacement::HugePages));
        QCOMPARE(copied.neededBytes, copying->allocatedBytes());
        QCOMPARE(copied.totalBytes, copying->allocatedBytes());
        QVERIFY(copying->residentWeightBytes >= copying->weightBytes);
        QVERIFY(copied.neededBytes <= needed + test::cpuCopyExtraBytes(info) + kHugePageBytes + 64 * info.tensors.size());
        QVERIFY(copied.neededBytes + 64 * (1 << 20) > needed);
    }

    // The CPU estimate is what CpuBackend allocates, at the machine's
    // available RAM and default thread count (one per physical core).
    void cpuEstimateEqualsAllocation()
    {
        const QString path = generatedModel();
        auto file = ModelFile::open(path.toStdString());
        QVERIFY(file);
        const auto info = LocalModels::readModelInfoFrom(path);
        QVERIFY(info);
        const CpuInfo cpu = readCpuInfo();
        for (const uint32_t context : {512u, 2048u}) {
            const FitResult fit = evaluateFit(
                *info, context, cpuEngine(cpu.availableBytes, cpu.physicalCores, defaultCpuWeightPlacement()));
            QCOMPARE(int(fit.verdict), int(FitVerdict::Fits));
            CpuBackendOptions options;
            options.plan = fitPlanOptions(context);
            auto backend = CpuBackend::load(**file, options);
            QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
            QCOMPARE((*backend)->threads(), cpu.physicalCores);
            QCOMPARE((*backend)->allocatedBytes(), fit.totalBytes);
            const bool mapped = (*backend)->plan().readsMappedWeights();
            QCOMPARE(mapped, !transparentHugePagesOffered());
            QCOMPARE((*backend)->plan().allocatedBytes() + (mapped ? info->tensorBytes : 0), fit.neededBytes);
            qInfo("context %u on %s: estimate %llu bytes, allocated %llu", context, cpu.displayName().c_str(),
                  static_cast<unsigned long long>(fit.totalBytes),
                  static_cast<unsigned long long>((*backend)->allocatedBytes()));
        }
    }

    // The estimate is what the engine allocates, on a real device.
    void estimateEqualsAllocation()
    {
        PONDER_REQUIRE_GPU(m_gpu);
        const QString path = generatedModel();
        auto file = ModelFile::open(path.toStdString());
        QVERIFY(file);
        const vk::Device& device = m_gpu.device();
        FitTarget target;
        target.limits = deviceLimits(device.adapter());
        target.freeBytes = device.freeDeviceLocalBytes();
        target.type = device.adapter().type;
        const auto info = LocalModels::readModelInfoFrom(path);
        QVERIFY(info);

        for (const uint32_t context : {512u, 2048u}) {
            const FitResult fit = evaluateFit(*info, context, target);
            QCOMPARE(int(fit.verdict), int(FitVerdict::Fits));
            auto backend = GpuBackend::load(m_gpu.kernels(), **file, fitPlanOptions(context));
            QVERIFY2(backend, backend ? "" : backend.error().message.c_str());
            const GpuModel& model = (*backend)->model();
            QCOMPARE(model.allocatedBytes(), fit.totalBytes);
            QCOMPARE(deviceBytesNeeded(model.plan(), device.adapter().type), fit.neededBytes);
            qInfo("context %u on %s: estimate %llu bytes, allocated %llu", context, device.adapter().name.c_str(),
                  static_cast<unsigned long long>(fit.totalBytes),
                  static_cast<unsigned long long>(model.allocatedBytes()));
        }
    }
};

QTEST_GUILESS_MAIN(TestModelFit)
#include "tst_model_fit.moc"
