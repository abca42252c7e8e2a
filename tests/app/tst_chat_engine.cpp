// The engine worker: loads a generated model on each kind of device (the
// CPU reference, the native CPU engine, Vulkan, and the automatic choice),
// streams a reply through its signals, stops when asked, ends the reasoning
// when asked to answer now or past the thinking budget (the pieces and their
// token counts say where "</think>" went in), and reports every failure as a
// message.
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

namespace {

// One answer as the engine's signals told it.
struct Answer {
    QStringList pieces;
    QList<int> tokens;  // per piece: the tokens so far
    QVariantMap stats;

    QString text() const { return pieces.join(QString()); }
    // The index of the piece that ends a reasoning cut short; -1 when none.
    int cutAt() const { return int(pieces.indexOf(QStringLiteral("\n</think>\n\n"))); }
};

Answer answerFrom(const QSignalSpy& text, const QSignalSpy& finished)
{
    Answer answer;
    for (const QList<QVariant>& piece : text) {
        answer.pieces << piece.at(0).toString();
        answer.tokens << piece.at(1).toInt();
    }
    if (!finished.isEmpty())
        answer.stats = finished.last().first().toMap();
    return answer;
}

} // namespace

class TestChatEngine : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;
    QString m_reasoner;  // reasons for more than 24 tokens, greedily (tst_generator_thinking's model)

    GenerationSettings greedy(int maxTokens) const
    {
        GenerationSettings settings;
        settings.sampler.greedy = true;
        settings.maxTokens = maxTokens;
        return settings;
    }

    // A greedy answer from the CPU reference on the thread of the call.
    Answer generate(const GenerationSettings& settings, const std::function<void(ChatEngine&, int)>& onPiece = {})
    {
        ChatEngine engine;
        QSignalSpy loaded(&engine, &ChatEngine::modelLoaded);
        engine.loadModel(m_reasoner, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        if (loaded.count() != 1)
            return {};
        QSignalSpy text(&engine, &ChatEngine::text);
        QSignalSpy finished(&engine, &ChatEngine::finished);
        int pieces = 0;
        if (onPiece)
            connect(&engine, &ChatEngine::text, &engine, [&] { onPiece(engine, ++pieces); }, Qt::DirectConnection);
        engine.generate({{MessageRole::User, QStringLiteral("What is 6 times 7?")}}, settings);
        return answerFrom(text, finished);
    }

private slots:
    void cleanup() { app::test_hooks::engineStep = nullptr; }

    void initTestCase()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.mix = QuantMix::Q8_0;
        m_model = m_dir.filePath("tiny.gguf");
        QVERIFY(testing::writeModel(m_model.toStdString(), spec, 2));

        testing::ModelSpec reasoner;
        reasoner.config = testing::tinyConfig(Architecture::Qwen2);
        reasoner.seed = 7;
        m_reasoner = m_dir.filePath("r1.gguf");
        QVERIFY(testing::writeModel(m_reasoner.toStdString(), reasoner, 2));
        // Without a cut it reasons through 24 tokens: a cut below means something.
        const Answer free = generate(greedy(24));
        QCOMPARE(free.stats.value("generatedTokens").toInt(), 24);
        QVERIFY(!free.text().contains(QStringLiteral("</think>")));
        QVERIFY(!free.stats.contains("reasoningCutShort"));
    }

    // Past the budget the engine ends the reasoning: the reasoning is the
    // free answer's first five tokens, then "\n</think>\n\n" (no token of
    // the model's: the count stays), then the answer's tokens.
    void aThinkingBudgetEndsTheReasoning()
    {
        const Answer free = generate(greedy(24));
        GenerationSettings settings = greedy(24);
        settings.thinkingBudget = 5;
        const Answer cut = generate(settings);
        const int at = cut.cutAt();
        QVERIFY2(at > 0, qPrintable(cut.text()));
        QCOMPARE(cut.tokens[at - 1], 5);
        QCOMPARE(cut.tokens[at], 5);
        QCOMPARE(cut.pieces.mid(0, at), free.pieces.mid(0, at));  // the same reasoning, cut where the budget ends
        QCOMPARE(free.tokens[at - 1], 5);
        QVERIFY(at + 1 < cut.pieces.size());  // an answer follows
        QCOMPARE(cut.tokens[at + 1], 6);
        for (qsizetype i = at + 2; i < cut.tokens.size(); ++i)
            QVERIFY(cut.tokens[i] > cut.tokens[i - 1]);
        QCOMPARE(cut.text().count(QStringLiteral("</think>")), 1);
        QVERIFY(cut.stats.value("reasoningCutShort").toBool());
        QCOMPARE(cut.stats.value("reasoningTokens").toInt(), 5);
        QCOMPARE(cut.stats.value("generatedTokens").toInt(), cut.tokens.last());
    }

    // Answer now from another thread, through the backend interface: the
    // engine's thread is held in the third piece while the test asks, so the
    // reasoning ends after exactly three tokens.
    void answerNowEndsTheReasoning()
    {
        QSemaphore inPiece;
        QSemaphore goOn;
        std::atomic<int> pieces{0};
        app::test_hooks::engineStep = [&](const char* step) {
            if (qstrcmp(step, "text") == 0 && ++pieces == 3) {
                inPiece.release();
                goOn.tryAcquire(1, 10000);
            }
        };
        app::LocalEngine engine(m_reasoner, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QVERIFY(engine.canAnswerNow());
        QSignalSpy opened(&engine, &app::ChatBackend::opened);
        QSignalSpy text(&engine, &app::ChatBackend::text);
        QSignalSpy finished(&engine, &app::ChatBackend::finished);
        engine.open();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
        // Asked before the answer: meant for no answer, it must not cut the next.
        engine.answerNow();
        engine.generate({{MessageRole::User, QStringLiteral("What is 6 times 7?")}}, greedy(24));
        QVERIFY(inPiece.tryAcquire(1, 10000));
        engine.answerNow();
        goOn.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const Answer answer = answerFrom(text, finished);
        const int at = answer.cutAt();
        QVERIFY2(at == 3, qPrintable(answer.text()));
        QCOMPARE(answer.tokens.mid(0, 4), (QList<int>{1, 2, 3, 3}));
        QVERIFY(answer.stats.value("reasoningCutShort").toBool());
        QCOMPARE(answer.stats.value("reasoningTokens").toInt(), 3);
        QVERIFY(answer.stats.value("generatedTokens").toInt() > 3);

        // The next answer starts with the flag cleared: no cut in 24 tokens.
        pieces = 100;
        text.clear();
        engine.generate({{MessageRole::User, QStringLiteral("What is 6 times 7?")}}, greedy(24));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        app::test_hooks::engineStep = nullptr;
        const Answer next = answerFrom(text, finished);
        QCOMPARE(next.cutAt(), -1);
        QVERIFY(!next.stats.contains("reasoningCutShort"));
        QCOMPARE(next.stats.value("generatedTokens").toInt(), 24);
    }

    // Where nothing could be told (a server), the interface's default does nothing.
    void aBackendWithoutAnswerNow()
    {
        struct Silent : app::ChatBackend {
            void open() override {}
            void generate(const QList<app::ChatTurn>&, const GenerationSettings&) override {}
            void stop() override {}
        } backend;
        QVERIFY(!backend.canAnswerNow());
        backend.answerNow();  // compiles and does nothing
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
