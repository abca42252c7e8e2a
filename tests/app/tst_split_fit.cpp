// The picker's split fit (evaluateSplitFit over planLayout): a model the
// GPU cannot hold but the GPU and RAM can is Split with planPlacement's
// exact parts and an estimated speed from the devices' bandwidth; "Does not
// fit" only when nothing holds it; the settings force a split; the words it
// is shown in; the recommendation prefers one device; the split settings'
// text parses strictly.
#include <QtTest>

#include <chrono>
#include <cmath>

#include "model_fit.h"
#include "model_picker_model.h"
#include "placement_settings.h"
#include "split_fit.h"
#include "ponder/decode_rate.h"
#include "ponder/known_models.h"

using namespace ponder;
using namespace ponder::app;

namespace {

constexpr uint64_t kGiB = 1ull << 30;

PlacementDevice gpu(uint64_t freeBytes, double bandwidth = 272e9)
{
    return placementGpu(QStringLiteral("Test GPU"), vk::AdapterType::Discrete, DeviceLimits{}, freeBytes, bandwidth);
}

PlacementDevice cpu(uint64_t freeBytes, double bandwidth = 60e9)
{
    return placementCpu(QStringLiteral("CPU (8 cores, AVX2)"), freeBytes, 8, bandwidth);
}

FitTarget discreteGpu(uint64_t freeBytes)
{
    FitTarget target;
    target.freeBytes = freeBytes;
    return target;
}

ModelInfo model(const char* id, QuantMix mix)
{
    return modelInfoFromConfig(*knownModelConfig(id), mix);
}

} // namespace

class TestSplitFit : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    // Seed 000's rig: the 14B Q4_K_M on an 8 GB GPU with RAM beside it.
    void splitsWhatTheGpuCannotHold()
    {
        const ModelInfo info = model("qwen-14b", QuantMix::Q4_K_M);
        const std::vector<PlacementDevice> devices{gpu(15 * kGiB / 2), cpu(24 * kGiB)};
        const FitResult single = evaluateFit(info, 4096, discreteGpu(15 * kGiB / 2));
        QCOMPARE(single.verdict, FitVerdict::DoesNotFit);
        const FitResult fit = evaluateSplitFit(info, 4096, {}, devices, single);
        QCOMPARE(fit.verdict, FitVerdict::Split);
        QVERIFY(fit.split);

        // Exactly planPlacement's parts, GPU first in words.
        PlacementRequest request;
        request.plan = fitPlanOptions(4096);
        const auto placement = planPlacement(info, request, devices);
        QVERIFY(placement);
        QCOMPARE(fit.split->gpuLayers, placement->gpuUnits);
        QCOMPARE(fit.split->totalLayers, 49u);
        QVERIFY(fit.split->gpuLayers > 0 && fit.split->gpuLayers < 49);
        QCOMPARE(fit.split->parts.size(), 2);
        QVERIFY(!fit.split->parts[0].cpu && fit.split->parts[1].cpu);
        for (const PlacedPart& placed : placement->parts) {
            const SplitPart& part = fit.split->parts[placed.cpuPlan ? 1 : 0];
            QCOMPARE(part.bytes, placed.neededBytes);
            QCOMPARE(part.layers, placed.layerUnits());
            QVERIFY(part.bytes <= part.freeBytes);
        }
        QCOMPARE(fit.split->parts[0].layers + fit.split->parts[1].layers, 49u);

        // The estimate: each part's bytes read per token over its device's bandwidth.
        double seconds = 0;
        for (const PlacedPart& placed : placement->parts)
            seconds += double(placed.readBytesPerToken) / devices[placed.device].readBytesPerSecond;
        QVERIFY(fit.split->tokensPerSecond);
        QVERIFY(std::abs(*fit.split->tokensPerSecond - 1 / seconds) < 1e-9);

        const QString layers = QStringLiteral("%1 of 49 layers on Test GPU, %2 on the CPU")
                                   .arg(fit.split->gpuLayers)
                                   .arg(49 - fit.split->gpuLayers);
        QCOMPARE(splitLayersText(*fit.split), layers);
        QCOMPARE(splitLayersText(*fit.split, false), QString(layers).replace("Test GPU", "the GPU"));
        QVERIFY2(fit.reason.startsWith("Split: " + layers + " · about "), qPrintable(fit.reason));
        QVERIFY2(fit.reason.endsWith(" tok/s (estimate)"), qPrintable(fit.reason));
        QVERIFY2(splitMemoryText(*fit.split).startsWith("GPU ") && splitMemoryText(*fit.split).contains(" + RAM "),
                 qPrintable(splitMemoryText(*fit.split)));
        const QString details = splitMemoryDetails(*fit.split);
        QVERIFY2(details.startsWith("Test GPU: ") && details.contains("7.5 GB free\nCPU (8 cores, AVX2): "),
                 qPrintable(details));
    }

    // The picker plans every cell again when the context or the device
    // changes, on the UI thread: how long one split of the largest model takes.
    void splitPlanningCost()
    {
        const ModelInfo info = model("llama-70b", QuantMix::Q2_K);
        const std::vector<PlacementDevice> devices{gpu(15 * kGiB / 2), cpu(48 * kGiB)};
        const FitResult single = evaluateFit(info, 4096, discreteGpu(15 * kGiB / 2));
        const auto start = std::chrono::steady_clock::now();
        int split = 0;
        for (int i = 0; i < 20; ++i)
            split += evaluateSplitFit(info, 4096, {}, devices, single).verdict == FitVerdict::Split;
        const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        qInfo("evaluateSplitFit of the 70B Q2_K on 7.5 GB + RAM: %.0f us", us / 20);
        QCOMPARE(split, 20);
    }

    // The measured decode rates (GpuSelector keeps them per device and
    // type) reach the estimate through placementDevice: per type the decode
    // rate where known, the read bandwidth for a type without one.
    void estimateUsesTheDecodeRates()
    {
        const ModelInfo info = model("qwen-14b", QuantMix::Q4_K_M);
        AdapterSummary gpuSummary{QStringLiteral("Test GPU"), vk::AdapterType::Discrete, qint64(8 * kGiB),
                                  qint64(15 * kGiB / 2), true, DeviceLimits{}, false, 0, 0, 272e9,
                                  QStringLiteral("Test GPU | key"), {}};
        AdapterSummary cpuSummary;
        cpuSummary.name = QStringLiteral("CPU (8 cores, AVX2)");
        cpuSummary.type = vk::AdapterType::Cpu;
        cpuSummary.freeMemory = qint64(24 * kGiB);
        cpuSummary.cpuEngine = true;
        cpuSummary.physicalCores = 8;
        cpuSummary.readBytesPerSecond = 60e9;
        // The GPU's Q4_K at a third of its bandwidth, its Q6_K unmeasured; the CPU's every type at a quarter.
        gpuSummary.decodeBytesPerSecond = {{TensorType::Q4_K, 90e9}};
        for (TensorType type : decodeReadTypes(info))
            cpuSummary.decodeBytesPerSecond[type] = 15e9;
        const std::vector<PlacementDevice> devices{placementDevice(gpuSummary, 0), placementDevice(cpuSummary, 0)};
        QCOMPARE(devices[0].decodeBytesPerSecond, gpuSummary.decodeBytesPerSecond);
        QCOMPARE(devices[1].decodeBytesPerSecond, cpuSummary.decodeBytesPerSecond);
        QCOMPARE(devices[1].threads, 8u);

        const FitResult fit = evaluateSplitFit(info, 4096, {}, devices, evaluateFit(info, 4096, discreteGpu(15 * kGiB / 2)));
        QCOMPARE(fit.verdict, FitVerdict::Split);
        QVERIFY(fit.split->tokensPerSecond);
        PlacementRequest request;
        request.plan = fitPlanOptions(4096);
        const auto placement = planPlacement(info, request, devices);
        QVERIFY(placement);
        double seconds = 0, bandwidthSeconds = 0;
        for (const PlacedPart& placed : placement->parts) {
            const PlacementDevice& device = devices[placed.device];
            for (const auto& [type, bytes] : partReadBytesByType(info, placed.part)) {
                const auto rate = device.decodeBytesPerSecond.find(type);
                seconds += double(bytes) / (rate != device.decodeBytesPerSecond.end() ? rate->second
                                                                                       : device.readBytesPerSecond);
            }
            bandwidthSeconds += double(placed.readBytesPerToken) / device.readBytesPerSecond;
        }
        QVERIFY2(std::abs(*fit.split->tokensPerSecond - 1 / seconds) < 1e-9 / seconds,
                 qPrintable(QString::number(*fit.split->tokensPerSecond)));
        // Well under what the read bandwidth alone claimed.
        QVERIFY(*fit.split->tokensPerSecond < 0.5 / bandwidthSeconds);
        qInfo("%s (bandwidth alone: %.1f tok/s)", qPrintable(fit.reason), 1 / bandwidthSeconds);
        QVERIFY2(fit.reason.endsWith(" tok/s (estimate)"), qPrintable(fit.reason));
    }

    // Without a bandwidth there is no speed to claim.
    void noEstimateWithoutBandwidth()
    {
        const ModelInfo info = model("qwen-14b", QuantMix::Q4_K_M);
        const std::vector<PlacementDevice> devices{gpu(15 * kGiB / 2, 0), cpu(24 * kGiB)};
        const FitResult fit = evaluateSplitFit(info, 4096, {}, devices, evaluateFit(info, 4096, discreteGpu(15 * kGiB / 2)));
        QCOMPARE(fit.verdict, FitVerdict::Split);
        QVERIFY(!fit.split->tokensPerSecond);
        QVERIFY(splitSpeedText(*fit.split).isEmpty());
        QVERIFY2(!fit.reason.contains("tok/s"), qPrintable(fit.reason));
    }

    // Nothing holds the 70B F16 in 7.5 GB + 24 GB: Does not fit, the GPU's reason kept.
    void doesNotFitWhenNothingHoldsIt()
    {
        const ModelInfo info = model("llama-70b", QuantMix::F16);
        const std::vector<PlacementDevice> devices{gpu(15 * kGiB / 2), cpu(24 * kGiB)};
        const FitResult single = evaluateFit(info, 4096, discreteGpu(15 * kGiB / 2));
        const FitResult fit = evaluateSplitFit(info, 4096, {}, devices, single);
        QCOMPARE(fit.verdict, FitVerdict::DoesNotFit);
        QVERIFY(!fit.split);
        QCOMPARE(fit.reason, single.reason);
    }

    // Little RAM to spare: split, but tight (the GPU is filled on purpose, so only the RAM counts).
    void tightWhenTheRamIsShort()
    {
        const ModelInfo info = model("qwen-14b", QuantMix::Q4_K_M);
        const std::vector<PlacementDevice> roomy{gpu(15 * kGiB / 2), cpu(24 * kGiB)};
        const FitResult split = evaluateSplitFit(info, 4096, {}, roomy, evaluateFit(info, 4096, discreteGpu(15 * kGiB / 2)));
        const uint64_t cpuNeeds = split.split->cpuPart()->bytes;
        const std::vector<PlacementDevice> shortRam{gpu(15 * kGiB / 2), cpu(cpuNeeds + cpuNeeds / 20)};
        const FitResult tight =
            evaluateSplitFit(info, 4096, {}, shortRam, evaluateFit(info, 4096, discreteGpu(15 * kGiB / 2)));
        QCOMPARE(tight.verdict, FitVerdict::SplitTight);
        QCOMPARE(verdictName(tight.verdict), QStringLiteral("splitTight"));
    }

    // A number of GPU layers splits even a model that fits; more than it has is all of them.
    void settingsForceASplit()
    {
        const ModelInfo info = model("qwen-7b", QuantMix::Q4_K_M);
        const std::vector<PlacementDevice> devices{gpu(48 * kGiB), cpu(24 * kGiB)};
        const FitResult single = evaluateFit(info, 4096, discreteGpu(48 * kGiB));
        QCOMPARE(single.verdict, FitVerdict::Fits);
        PlacementSettings settings;
        settings.gpuLayers = 10;
        const FitResult fit = evaluateSplitFit(info, 4096, settings, devices, single);
        QCOMPARE(fit.verdict, FitVerdict::Split);
        QCOMPARE(fit.split->gpuLayers, 10u);
        QCOMPARE(fit.split->cpuPart()->layers, 19u);  // 28 blocks + the output
        settings.gpuLayers = 500;
        QCOMPARE(evaluateSplitFit(info, 4096, settings, devices, single).verdict, FitVerdict::Fits);
        settings.gpuLayers = 0;
        const FitResult cpuOnly = evaluateSplitFit(info, 4096, settings, devices, single);
        QCOMPARE(cpuOnly.verdict, FitVerdict::Split);
        QCOMPARE(splitLayersText(*cpuOnly.split), QStringLiteral("all 29 layers on the CPU"));
        QCOMPARE(splitMemoryText(*cpuOnly.split).left(4), QStringLiteral("RAM "));
        // The whole model on the GPU when nothing asks for a split.
        const auto layout = planLayout(info, fitPlanOptions(4096), {}, devices);
        QVERIFY(layout && !*layout);
    }

    // The KV cache type is planned as chosen: a q8_0 cache leaves room for more layers.
    void kvCacheTypeCounts()
    {
        const ModelInfo info = model("qwen-14b", QuantMix::Q4_K_M);
        const std::vector<PlacementDevice> devices{gpu(15 * kGiB / 2), cpu(24 * kGiB)};
        const FitResult single = evaluateFit(info, 32768, discreteGpu(15 * kGiB / 2));
        PlacementSettings q8;
        q8.kvType = KvCacheType::Q8_0;
        const FitResult f16 = evaluateSplitFit(info, 32768, {}, devices, single);
        const FitResult q8Fit = evaluateSplitFit(info, 32768, q8, devices, single);
        QCOMPARE(f16.verdict, FitVerdict::Split);
        QCOMPARE(q8Fit.verdict, FitVerdict::Split);
        QVERIFY2(q8Fit.split->gpuLayers > f16.split->gpuLayers,
                 qPrintable(QStringLiteral("%1 vs %2").arg(q8Fit.split->gpuLayers).arg(f16.split->gpuLayers)));
    }

    // One device first, then the best split quant.
    void recommendationPrefersOneDevice()
    {
        using V = FitVerdict;
        const std::vector<std::pair<QuantMix, V>> mixed{
            {QuantMix::Q8_0, V::Split}, {QuantMix::Q6_K, V::Split}, {QuantMix::Q4_K_M, V::Tight}, {QuantMix::Q2_K, V::Fits}};
        QCOMPARE(recommendQuant(mixed), QuantMix::Q2_K);
        const std::vector<std::pair<QuantMix, V>> tight{{QuantMix::Q8_0, V::Split}, {QuantMix::Q4_K_M, V::Tight}};
        QCOMPARE(recommendQuant(tight), QuantMix::Q4_K_M);
        const std::vector<std::pair<QuantMix, V>> split{
            {QuantMix::F16, V::DoesNotFit}, {QuantMix::Q8_0, V::SplitTight}, {QuantMix::Q6_K, V::Split}, {QuantMix::Q4_K_M, V::Split}};
        QCOMPARE(recommendQuant(split), QuantMix::Q6_K);
        const std::vector<std::pair<QuantMix, V>> none{{QuantMix::F16, V::DoesNotFit}};
        QVERIFY(!recommendQuant(none));
    }

    // Several GPUs: the split is requested, the shares must match them.
    void severalGpus()
    {
        const ModelInfo info = model("qwen-14b", QuantMix::Q4_K_M);
        const std::vector<PlacementDevice> devices{gpu(8 * kGiB), gpu(6 * kGiB), cpu(24 * kGiB)};
        PlacementSettings settings;
        settings.shares = QStringLiteral("1,1");
        const auto layout = planLayout(info, fitPlanOptions(4096), settings, devices);
        QVERIFY2(layout && *layout, layout ? "" : layout.error().message.c_str());
        QCOMPARE((*layout)->gpuUnits, 49u);  // 14 GB of GPUs hold the 9.5 GB model
        settings.shares = QStringLiteral("8,6,6");
        const auto wrong = planLayout(info, fitPlanOptions(4096), settings, devices);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(gpusTakingPart(2, {0, 2, 1}), (QList<int>{0, 1, 2}));
        QVERIFY(splitRequested({}, 2));
        QVERIFY(!splitRequested({}, 1));
    }

    // The picker plans over the chosen GPU and the ones the settings add, in
    // Vulkan order; settings the load would refuse show as its error.
    void pickerPlansOverTheGpusTakingPart()
    {
        AdapterSummary first;
        first.name = QStringLiteral("GPU A");
        first.totalMemory = first.freeMemory = 8 * qint64(kGiB);
        first.vulkanIndex = 0;
        AdapterSummary second = first;
        second.name = QStringLiteral("GPU B");
        second.totalMemory = second.freeMemory = 6 * qint64(kGiB);
        second.vulkanIndex = 1;
        AdapterSummary engine;
        engine.name = QStringLiteral("CPU (8 cores, AVX2)");
        engine.type = vk::AdapterType::Cpu;
        engine.cpuEngine = true;
        engine.totalMemory = engine.freeMemory = 24 * qint64(kGiB);
        engine.physicalCores = 8;
        ModelPickerModel picker;
        picker.setAdapters({first, second, engine});
        picker.setAdapterIndex(1);  // GPU B chosen
        const int row14 = picker.rowOf(QStringLiteral("qwen-14b"), QuantMix::Q4_K_M);
        const int row7 = picker.rowOf(QStringLiteral("qwen-7b"), QuantMix::Q4_K_M);
        QCOMPARE(picker.fit(row14).verdict, FitVerdict::Split);
        QCOMPARE(picker.fit(row14).split->gpuCount(), 1);
        QVERIFY(picker.fit(row14).reason.contains("on GPU B, "));
        QCOMPARE(picker.fit(row7).verdict, FitVerdict::Fits);

        picker.setExtraGpus({0});
        // Both GPUs hold the 14B: no CPU; A (Vulkan 0) first in the chain.
        QCOMPARE(picker.fit(row14).verdict, FitVerdict::Split);
        QCOMPARE(picker.fit(row14).split->gpuCount(), 2);
        QVERIFY(!picker.fit(row14).split->cpuPart());
        QVERIFY2(picker.fit(row14).reason.startsWith("Split: "), qPrintable(picker.fit(row14).reason));
        QCOMPARE(picker.fit(row14).split->parts[0].device, QStringLiteral("GPU A"));
        // Several GPUs split even a model one of them holds, as the load does.
        QCOMPARE(picker.fit(row7).verdict, FitVerdict::Split);
        QCOMPARE(picker.index(row7).data(ModelPickerModel::MemoryTextRole).toString().left(5), QStringLiteral("GPUs "));

        picker.setSplitShares(QStringLiteral("8,6,6"));
        QCOMPARE(picker.fit(row7).verdict, FitVerdict::DoesNotFit);
        QVERIFY2(picker.fit(row7).reason.startsWith("the split settings do not suit these GPUs: "),
                 qPrintable(picker.fit(row7).reason));
        picker.setSplitShares(QStringLiteral("1,1"));
        QCOMPARE(picker.fit(row7).verdict, FitVerdict::Split);

        // Every cell planned again, as when the context slider moves.
        picker.setSplitShares(QString());
        picker.setExtraGpus({});
        const auto start = std::chrono::steady_clock::now();
        picker.setContextLength(8192);
        qInfo("all cells with splits: %.1f ms",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());

        // The CPU engine chosen: nothing to split.
        picker.setAdapterIndex(2);
        QVERIFY(!picker.fit(row14).split);
    }

    void sharesParseStrictly_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("count");
        QTest::newRow("empty") << "" << true << 0;
        QTest::newRow("four") << "8,6,6,6" << true << 4;
        QTest::newRow("spaces") << " 8 , 6.5 " << true << 2;
        QTest::newRow("negative") << "8,-1" << false << 0;
        QTest::newRow("word") << "8,six" << false << 0;
        QTest::newRow("all zero") << "0,0" << false << 0;
        QTest::newRow("infinite") << "inf,1" << false << 0;
        QTest::newRow("nan") << "nan" << false << 0;
        QTest::newRow("empty item") << "8,,6" << false << 0;
    }

    void sharesParseStrictly()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(int, count);
        const auto shares = parseSplitShares(text);
        QCOMPARE(shares.has_value(), ok);
        if (ok)
            QCOMPARE(int(shares->size()), count);
        else
            QVERIFY(!shares.error().isEmpty());
    }

    void gpuListsReadBack()
    {
        QCOMPARE(parseGpuList(QStringLiteral("1,3,1,-2,x, 2")), (QList<int>{1, 3, 2}));
        QCOMPARE(gpuListText({1, 3}), QStringLiteral("1,3"));
        QVERIFY(parseGpuList(QString()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSplitFit)
#include "tst_split_fit.moc"
