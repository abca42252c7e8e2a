// The engine worker: loads a generated model on each kind of device (the
// CPU reference, the native CPU engine, Vulkan, and the automatic choice),
// streams a reply through its signals, stops when asked, and reports every
// failure as a message.
#include <QtTest>

#include <QSignalSpy>

#include <atomic>
#include <functional>

#include "chat_engine.h"
#include "gpu_selector.h"
#include "local_engine.h"
#include "model_generator.h"
#include "ponder/cpu_info.h"
#include "ponder/vk/instance.h"

namespace ponder::app::test_hooks {
extern std::function<void(const char* step)> engineStep;
}

using namespace ponder;
using ponder::app::ChatEngine;
using ponder::app::EngineDevice;
using ponder::app::GenerationSettings;
using ponder::app::MessageRole;

class TestChatEngine : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;

private slots:
    void cleanup() { app::test_hooks::engineStep = nullptr; }

    void initTestCase()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.mix = QuantMix::Q8_0;
        m_model = m_dir.filePath("tiny.gguf");
        QVERIFY(testing::writeModel(m_model.toStdString(), spec, 2));
    }

    void streamsAReply_data()
    {
        QTest::addColumn<QString>("device");
        QTest::newRow("cpu reference") << QStringLiteral("cpu-reference");
        QTest::newRow("cpu") << QStringLiteral("cpu");
        // The Vulkan engine (lavapipe in CI, where a missing device fails
        // the load and so the test).
        QTest::newRow("vulkan") << QStringLiteral("vulkan");  // the best Vulkan adapter
        // The app's default: a GPU, else the CPU engine.
        QTest::newRow("automatic") << QString();
    }

    void streamsAReply()
    {
        QFETCH(QString, device);
        ChatEngine engine;
        QSignalSpy loaded(&engine, &ChatEngine::modelLoaded);
        QSignalSpy loadFailed(&engine, &ChatEngine::loadFailed);
        QSignalSpy progress(&engine, &ChatEngine::loadProgress);
        QSignalSpy text(&engine, &ChatEngine::text);
        QSignalSpy finished(&engine, &ChatEngine::finished);
        engine.loadModel(m_model, 512, EngineDevice::named(device));
        QVERIFY2(loadFailed.isEmpty(), loadFailed.isEmpty() ? "" : qPrintable(loadFailed.first().first().toString()));
        QCOMPARE(loaded.count(), 1);
        const QVariantMap info = loaded.first().first().toMap();
        QCOMPARE(info["architecture"].toString(), QString("qwen2"));
        if (device == QLatin1String("cpu")) {
            // The CPU engine's RAM (its plan) and threads, also in the status line's summary.
            const CpuInfo cpu = readCpuInfo();
            QCOMPARE(info["device"].toString(), QString::fromStdString(cpu.displayName()));
            QVERIFY(info["allocatedBytes"].toULongLong() > 0);
            QCOMPARE(info["threads"].toUInt(), cpu.physicalCores);
            QVERIFY2(info["summary"].toString().contains(" of RAM, "), qPrintable(info["summary"].toString()));
        }
        if (device == QLatin1String("vulkan")) {
            QVERIFY(info["allocatedBytes"].toULongLong() > 0);
            // Where the driver measures usage, it grew by at least what was allocated.
            if (info.contains("measuredBytes")) {
                qInfo("allocated %llu bytes, the driver measured %lld", info["allocatedBytes"].toULongLong(),
                      info["measuredBytes"].toLongLong());
                QVERIFY(info["measuredBytes"].toLongLong() >= qint64(info["allocatedBytes"].toULongLong()) / 2);
            }
        }
        // Every engine but the reference reports its load, ending at the whole.
        if (device != QLatin1String("cpu-reference")) {
            QVERIFY(!progress.isEmpty());
            QCOMPARE(progress.last().first().toDouble(), 1.0);
        }

        GenerationSettings settings;
        settings.sampler.greedy = true;
        settings.maxTokens = 6;
        engine.generate({{MessageRole::User, QStringLiteral("Hello")}}, settings);
        QCOMPARE(finished.count(), 1);
        const QVariantMap stats = finished.first().first().toMap();
        QVERIFY(stats["promptTokens"].toInt() > 1);
        // The generated model's greedy answer runs to the token limit, and
        // every piece counts the tokens so far.
        QCOMPARE(stats["stopReason"].toString(), QString("token limit"));
        QCOMPARE(stats["generatedTokens"].toInt(), settings.maxTokens);
        QVERIFY(!text.isEmpty());
        for (qsizetype i = 1; i < text.size(); ++i)
            QVERIFY(text[i].at(1).toInt() > text[i - 1].at(1).toInt());
        QVERIFY(text.last().at(1).toInt() <= settings.maxTokens);
    }

    void loadCanBeCancelled_data()
    {
        QTest::addColumn<QString>("device");
        QTest::newRow("vulkan") << QStringLiteral("vulkan");  // while the weights upload
        QTest::newRow("cpu") << QStringLiteral("cpu");        // while they are read into RAM
    }

    // Stop while the weights load cancels the load: no model, a message
    // that says so, and the engine loads the next model as usual.
    void loadCanBeCancelled()
    {
        QFETCH(QString, device);
        ChatEngine engine;
        QSignalSpy loaded(&engine, &ChatEngine::modelLoaded);
        QSignalSpy loadFailed(&engine, &ChatEngine::loadFailed);
        const auto connection = connect(&engine, &ChatEngine::loadProgress, &engine, [&engine] { engine.stop(); },
                                        Qt::DirectConnection);
        engine.loadModel(m_model, 512, EngineDevice::named(device));
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(loadFailed.count(), 1);
        qInfo("%s", qPrintable(loadFailed.first().first().toString()));
        QVERIFY(loadFailed.first().first().toString().contains("cancel", Qt::CaseInsensitive));
        disconnect(connection);
        engine.loadModel(m_model, 512, EngineDevice::named(device));
        QVERIFY2(loadFailed.count() == 1, qPrintable(loadFailed.last().first().toString()));
        QCOMPARE(loaded.count(), 1);
    }

    // Without a GPU (lavapipe at most) the automatic choice is the CPU
    // engine; with one, the GPU.
    void automaticChoosesTheCpuEngineWithoutAGpu()
    {
        bool gpu = false;
        if (auto instance = vk::Instance::create())
            for (const vk::AdapterInfo& adapter : vk::listAdapters(**instance))
                gpu = gpu || app::isGpuAdapter(adapter.type);
        ChatEngine engine;
        QSignalSpy loaded(&engine, &ChatEngine::modelLoaded);
        engine.loadModel(m_model, 512, EngineDevice::named(QString()));
        QCOMPARE(loaded.count(), 1);
        const QString device = loaded.first().first().toMap()["device"].toString();
        qInfo("automatic: %s", qPrintable(device));
        QCOMPARE(device == QString::fromStdString(readCpuInfo().displayName()), !gpu);
    }

    // Names read back as they were written, and the environment wins over
    // a stored choice but not over a CPU engine asked for by name.
    void deviceNames()
    {
        for (const char* name : {"", "cpu", "cpu-reference", "vulkan", "llvmpipe", "1"})
            QCOMPARE(EngineDevice::named(QString::fromLatin1(name)).name(), QString::fromLatin1(name));
        QCOMPARE(int(EngineDevice::named(QStringLiteral("cpu")).kind), int(EngineDevice::Kind::Cpu));
        QCOMPARE(int(EngineDevice::named(QString()).kind), int(EngineDevice::Kind::Automatic));
        QCOMPARE(int(EngineDevice::chosen(QString(), QStringLiteral("cpu")).kind), int(EngineDevice::Kind::Cpu));
        QCOMPARE(EngineDevice::chosen(QStringLiteral("0"), QStringLiteral("llvmpipe")).adapter, QStringLiteral("llvmpipe"));
        QCOMPARE(int(EngineDevice::chosen(QStringLiteral("cpu-reference"), QStringLiteral("cpu")).kind),
                 int(EngineDevice::Kind::CpuReference));
    }

    void stopTakesEffectBeforeTheNextToken_data()
    {
        QTest::addColumn<QString>("device");
        QTest::newRow("cpu reference") << QStringLiteral("cpu-reference");
        // The generator lends the engine its stop flag, polled between layers.
        QTest::newRow("cpu") << QStringLiteral("cpu");
    }

    void stopTakesEffectBeforeTheNextToken()
    {
        QFETCH(QString, device);
        ChatEngine engine;
        engine.loadModel(m_model, 512, EngineDevice::named(device));
        QSignalSpy finished(&engine, &ChatEngine::finished);
        QSignalSpy text(&engine, &ChatEngine::text);
        // Stop from the text signal: the engine must finish right after.
        connect(&engine, &ChatEngine::text, &engine, [&engine] { engine.stop(); }, Qt::DirectConnection);
        GenerationSettings settings;
        settings.sampler.greedy = true;
        settings.maxTokens = 200;
        engine.generate({{MessageRole::User, QStringLiteral("Count to a hundred")}}, settings);
        QCOMPARE(finished.count(), 1);
        const QVariantMap stats = finished.first().first().toMap();
        QCOMPARE(text.count(), 1);  // no piece after the one that asked to stop
        QCOMPARE(stats["stopReason"].toString(), QString("cancelled"));
        // The stop is read between tokens: at most the token in flight follows the piece.
        QVERIFY2(stats["generatedTokens"].toInt() <= text.first().at(1).toInt() + 1,
                 qPrintable(QStringLiteral("%1 tokens after a stop at %2").arg(stats["generatedTokens"].toInt())
                                .arg(text.first().at(1).toInt())));
    }

    // A stop pressed while a generation waits in the engine thread's queue
    // (here behind a load that holds the thread) cancels it: it never runs.
    // The stop does not outlive it: the next generation runs.
    void stopBeforeAQueuedGenerationStarts()
    {
        QSemaphore inLoad;
        QSemaphore goOn;
        app::test_hooks::engineStep = [&](const char* step) {
            if (qstrcmp(step, "load") == 0) {
                inLoad.release();
                goOn.tryAcquire(1, 10000);
            }
        };
        app::LocalEngine engine(m_model, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QSignalSpy opened(&engine, &app::ChatBackend::opened);
        QSignalSpy text(&engine, &app::ChatBackend::text);
        QSignalSpy finished(&engine, &app::ChatBackend::finished);
        QSignalSpy failed(&engine, &app::ChatBackend::failed);
        GenerationSettings settings;
        settings.sampler.greedy = true;
        settings.maxTokens = 8;
        const QList<app::ChatTurn> turns{{MessageRole::User, QStringLiteral("Count to ten")}};
        engine.open();
        QVERIFY(inLoad.tryAcquire(1, 10000));  // the engine's thread is inside the load
        engine.generate(turns, settings);      // queued behind it
        engine.stop();
        goOn.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 30000);
        app::test_hooks::engineStep = nullptr;
        QCOMPARE(opened.count(), 1);  // the load had started; the CPU reference does not stop a load
        QCOMPARE(finished.count(), 1);
        QCOMPARE(text.count(), 0);
        QCOMPARE(finished.first().first().toMap()["stopReason"].toString(), QString("cancelled"));
        QCOMPARE(finished.first().first().toMap()["generatedTokens"].toInt(), 0);

        engine.generate(turns, settings);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 2, 30000);
        QCOMPARE(finished.count(), 2);
        QVERIFY(text.count() > 0);
        QVERIFY(finished.last().first().toMap()["stopReason"].toString() != QLatin1String("cancelled"));
    }

    // A stop while a load waits in the queue cancels the load too.
    void stopBeforeAQueuedLoadStarts()
    {
        QSemaphore inLoad;
        QSemaphore goOn;
        std::atomic<bool> held{false};
        app::test_hooks::engineStep = [&](const char* step) {
            if (qstrcmp(step, "load") == 0 && !held.exchange(true)) {
                inLoad.release();
                goOn.tryAcquire(1, 10000);
            }
        };
        app::LocalEngine engine(m_model, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QSignalSpy opened(&engine, &app::ChatBackend::opened);
        QSignalSpy openFailed(&engine, &app::ChatBackend::openFailed);
        engine.open();
        QVERIFY(inLoad.tryAcquire(1, 10000));
        engine.open();  // a second load, queued
        engine.stop();
        goOn.release();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count() + openFailed.count(), 2, 30000);
        app::test_hooks::engineStep = nullptr;
        QCOMPARE(opened.count(), 1);
        QCOMPARE(openFailed.count(), 1);
        QVERIFY2(openFailed.first().first().toString().contains("cancelled"),
                 qPrintable(openFailed.first().first().toString()));
    }

    void failuresAreMessages()
    {
        ChatEngine engine;
        QSignalSpy loadFailed(&engine, &ChatEngine::loadFailed);
        QSignalSpy failed(&engine, &ChatEngine::failed);
        engine.loadModel(m_dir.filePath("missing.gguf"), 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QCOMPARE(loadFailed.count(), 1);
        QVERIFY(loadFailed.first().first().toString().contains("missing.gguf"));
        engine.generate({{MessageRole::User, QStringLiteral("Hi")}}, GenerationSettings{});
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains("No model"));
    }
};

QTEST_GUILESS_MAIN(TestChatEngine)
#include "tst_chat_engine.moc"
