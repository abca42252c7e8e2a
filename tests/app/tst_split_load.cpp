// The engine worker with a model the GPU cannot hold (lavapipe, its free
// memory capped by PONDER_TEST_GPU_FREE_BYTES below the whole model's plan):
// it loads split across the GPU and the CPU engine, exactly as the picker
// planned it, says where the layers went and what each device holds, and
// answers; a number of GPU layers splits even a model that fits; too many
// layers for the GPU is an error naming it, cancel stops a split load, and
// the engine goes on loading afterwards.
#include <QtTest>

#include <QSignalSpy>

#include "chat_engine.h"
#include "gpu_free_memory.h"
#include "gpu_selector.h"
#include "model_fit.h"
#include "model_generator.h"
#include "placement_settings.h"
#include "ponder/cpu_info.h"
#include "ponder/gpu_model.h"
#include "ponder/model_file.h"
#include "ponder/vk/instance.h"

using namespace ponder;
using ponder::app::ChatEngine;
using ponder::app::EngineDevice;
using ponder::app::GenerationSettings;
using ponder::app::MessageRole;

namespace {

// lavapipe (or the first Vulkan adapter) as the GPU.
std::optional<vk::AdapterInfo> vulkanAdapter()
{
    auto instance = vk::Instance::create();
    if (!instance)
        return std::nullopt;
    const auto adapters = vk::listAdapters(**instance);
    const auto picked = vk::pickAdapter(adapters, "");
    return picked ? std::optional(adapters[*picked]) : std::nullopt;
}

} // namespace

class TestSplitLoad : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;
    std::unique_ptr<ModelFile> m_file;
    vk::AdapterInfo m_adapter;
    uint64_t m_cap = 0;  // the GPU holds the last 3 of 6 blocks and the output at most

    EngineDevice vulkan() const { return EngineDevice::named(QStringLiteral("vulkan")); }

private slots:
    void initTestCase()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.config.blockCount = 6;
        spec.mix = QuantMix::Q8_0;
        m_model = m_dir.filePath("tiny-six-layers.gguf");
        QVERIFY(testing::writeModel(m_model.toStdString(), spec, 2));
        auto file = ModelFile::open(m_model.toStdString());
        QVERIFY(file);
        m_file = std::move(*file);
        const auto adapter = vulkanAdapter();
        QVERIFY2(adapter, "no Vulkan adapter");
        m_adapter = *adapter;

        // The cap: the plan of the GPU part that holds blocks 3-5 and the
        // output, as the placement would make it; a part with one block
        // more does not fit under it.
        PlanOptions options = app::fitPlanOptions(512);
        options.part = ModelPart{.firstLayer = 3, .endLayer = 6, .embedding = false, .output = true};
        const auto part = planMemory(m_file->info(), options, deviceLimits(m_adapter));
        QVERIFY(part);
        m_cap = deviceBytesNeeded(*part, m_adapter.type);
        qputenv(app::kGpuFreeBytesCapVariable, QByteArray::number(qulonglong(m_cap)));
        QCOMPARE(app::plannedGpuFreeBytes(m_cap + 1), m_cap);
    }

    void cleanupTestCase() { qunsetenv(app::kGpuFreeBytesCapVariable); }

    void loadsSplitAndAnswers()
    {
        ChatEngine engine;
        QSignalSpy loaded(&engine, &ChatEngine::modelLoaded);
        QSignalSpy loadFailed(&engine, &ChatEngine::loadFailed);
        QSignalSpy progress(&engine, &ChatEngine::loadProgress);
        engine.loadModel(m_model, 512, vulkan());
        QVERIFY2(loadFailed.isEmpty(), loadFailed.isEmpty() ? "" : qPrintable(loadFailed.first().first().toString()));
        QCOMPARE(loaded.count(), 1);
        const QVariantMap info = loaded.first().first().toMap();
        QVERIFY(info["split"].toBool());
        QCOMPARE(info["totalLayers"].toUInt(), 7u);
        QCOMPARE(info["gpuLayers"].toUInt(), 4u);
        const QVariantList parts = info["parts"].toList();
        QCOMPARE(parts.size(), 2);
        // The chain: the CPU's blocks first, then the GPU's and the output.
        const QVariantMap cpuPart = parts[0].toMap();
        const QVariantMap gpuPart = parts[1].toMap();
        QVERIFY(cpuPart["cpu"].toBool());
        QCOMPARE(cpuPart["layers"].toUInt(), 3u);
        QCOMPARE(cpuPart["device"].toString(), QString::fromStdString(readCpuInfo().displayName()));
        QCOMPARE(gpuPart["layers"].toUInt(), 4u);
        QCOMPARE(gpuPart["device"].toString(), QString::fromStdString(m_adapter.name));
        QVERIFY(gpuPart["allocatedBytes"].toULongLong() <= m_cap);
        QCOMPARE(info["allocatedBytes"].toULongLong(),
                 cpuPart["allocatedBytes"].toULongLong() + gpuPart["allocatedBytes"].toULongLong());
        const QString summary = info["summary"].toString();
        const QString expected = QStringLiteral("Split: 4 of 7 layers on %1, 3 on the CPU · ").arg(QString::fromStdString(m_adapter.name));
        QVERIFY2(summary.contains(expected) && summary.contains(" + "), qPrintable(summary));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().first().toDouble(), 1.0);

        // The picker's plan for the same devices is the load's.
        const auto devices = app::deviceList(std::vector{m_adapter}, readCpuInfo());
        std::vector<PlacementDevice> planned;  // the GPU, then the CPU engine
        for (const bool cpuEngine : {false, true})
            for (const auto& d : devices)
                if (d.cpuEngine == cpuEngine && (cpuEngine || d.vulkanIndex == int(m_adapter.index)))
                    planned.push_back(app::placementDevice(d, 0));
        QCOMPARE(planned.size(), size_t(2));
        QCOMPARE(planned.front().freeBytes, m_cap);
        const app::FitResult fit = app::evaluateSplitFit(m_file->info(), 512, {}, planned, app::FitResult{});
        QCOMPARE(fit.verdict, app::FitVerdict::Split);
        QCOMPARE(fit.split->gpuLayers, 4u);
        QCOMPARE(fit.split->parts[0].bytes, m_cap);  // the GPU's part: what the cap was made from

        QSignalSpy text(&engine, &ChatEngine::text);
        QSignalSpy finished(&engine, &ChatEngine::finished);
        QSignalSpy failed(&engine, &ChatEngine::failed);
        GenerationSettings settings;
        settings.sampler.greedy = true;
        settings.maxTokens = 6;
        engine.generate({{MessageRole::User, QStringLiteral("Hello")}}, settings);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().toMap()["generatedTokens"].toInt(), settings.maxTokens);
        QVERIFY(!text.isEmpty());

        // The next answer reuses the cache as on one device.
        engine.generate({{MessageRole::User, QStringLiteral("Hello")}}, settings);
        QCOMPARE(finished.count(), 2);
        engine.unloadModel();
    }

    // The q8_0 cache where the engine has it; an error in words where it does not.
    void kvCacheTypeReachesTheEngine()
    {
        ChatEngine engine;
        QSignalSpy loaded(&engine, &ChatEngine::modelLoaded);
        QSignalSpy loadFailed(&engine, &ChatEngine::loadFailed);
        EngineDevice device = vulkan();
        device.placement.kvType = KvCacheType::Q8_0;
        engine.loadModel(m_model, 512, device);
        QCOMPARE(loaded.count() + loadFailed.count(), 1);
        if (!loadFailed.isEmpty())
            qInfo("q8_0 cache: %s", qPrintable(loadFailed.first().first().toString()));
        else
            QVERIFY(loaded.first().first().toMap()["split"].toBool());
    }

    // A number of layers splits a model that fits; all of them, on a GPU too small, names it.
    void gpuLayersFromTheSettings()
    {
        qunsetenv(app::kGpuFreeBytesCapVariable);
        ChatEngine engine;
        QSignalSpy loaded(&engine, &ChatEngine::modelLoaded);
        QSignalSpy loadFailed(&engine, &ChatEngine::loadFailed);
        EngineDevice device = vulkan();
        device.placement.gpuLayers = 2;
        engine.loadModel(m_model, 512, device);
        QVERIFY2(loadFailed.isEmpty(), loadFailed.isEmpty() ? "" : qPrintable(loadFailed.first().first().toString()));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(loaded.first().first().toMap()["gpuLayers"].toUInt(), 2u);

        // Without a number the whole model runs on the GPU, as before.
        engine.loadModel(m_model, 512, vulkan());
        QCOMPARE(loaded.count(), 2);
        QVERIFY(!loaded.last().first().toMap()["split"].toBool());
        QVERIFY(loaded.last().first().toMap()["summary"].toString().contains(" on the GPU"));

        qputenv(app::kGpuFreeBytesCapVariable, QByteArray::number(qulonglong(m_cap)));
        device.placement.gpuLayers = 7;
        engine.loadModel(m_model, 512, device);
        QCOMPARE(loadFailed.count(), 1);
        const QString error = loadFailed.first().first().toString();
        QVERIFY2(error.startsWith("Not enough memory for the model, even split") &&
                     error.contains(QString::fromStdString(m_adapter.name)),
                 qPrintable(error));

        // The engine goes on: automatic layers load split again.
        engine.loadModel(m_model, 512, vulkan());
        QCOMPARE(loaded.count(), 3);
        QVERIFY(loaded.last().first().toMap()["split"].toBool());
    }

    // Stop while the GPU's part uploads: cancelled, and the next load works.
    void splitLoadCanBeCancelled()
    {
        ChatEngine engine;
        QSignalSpy loaded(&engine, &ChatEngine::modelLoaded);
        QSignalSpy loadFailed(&engine, &ChatEngine::loadFailed);
        const auto connection = connect(&engine, &ChatEngine::loadProgress, &engine, [&engine] { engine.stop(); },
                                        Qt::DirectConnection);
        engine.loadModel(m_model, 512, vulkan());
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(loadFailed.count(), 1);
        QVERIFY2(loadFailed.first().first().toString().contains("cancel", Qt::CaseInsensitive),
                 qPrintable(loadFailed.first().first().toString()));
        disconnect(connection);
        engine.loadModel(m_model, 512, vulkan());
        QCOMPARE(loaded.count(), 1);
        QVERIFY(loaded.first().first().toMap()["split"].toBool());
    }

    // A GPU that is not there, named in the settings: an error, not a crash.
    void missingExtraGpu()
    {
        ChatEngine engine;
        QSignalSpy loadFailed(&engine, &ChatEngine::loadFailed);
        EngineDevice device = vulkan();
        device.placement.extraGpus = {97};
        engine.loadModel(m_model, 512, device);
        QCOMPARE(loadFailed.count(), 1);
        QVERIFY2(loadFailed.first().first().toString().startsWith("Cannot open GPU 97"),
                 qPrintable(loadFailed.first().first().toString()));
    }

    void hostileCapIsIgnored()
    {
        const QByteArray before = qgetenv(app::kGpuFreeBytesCapVariable);
        qputenv(app::kGpuFreeBytesCapVariable, "12 GB");
        QVERIFY(!app::gpuFreeBytesCap());
        QCOMPARE(app::plannedGpuFreeBytes(5), 5u);
        qputenv(app::kGpuFreeBytesCapVariable, before);
    }
};

QTEST_GUILESS_MAIN(TestSplitLoad)
#include "tst_split_load.moc"
