// The chat and the app's server on one loaded model (issue 17 item 2):
// ChatEngine runs the chat's answers and the server's jobs (serveJob) on one
// Generator, so the record of the KV cache stays true whoever ran last. A
// greedy answer is the same whatever ran between, prefix reuse still works
// for a conversation that goes on, and it stops where another conversation
// overwrote the cache. Through EngineJobQueue, a server request waits for
// the chat's answer asked before it, and the chat's for the request before
// it (arrival order on the engine's thread). On the CPU reference, generated model.
#include <QtTest>

#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>

#include <atomic>
#include <mutex>

#include "chat_engine.h"
#include "engine_job_queue.h"
#include "job.h"
#include "local_engine.h"
#include "model_generator.h"

namespace ponder::app::test_hooks {
extern std::function<void(const char* step)> engineStep;
}

using namespace ponder;
using namespace ponder::app;

namespace {

const QString kQuestion = QStringLiteral("What is 6 times 7?");
const QString kOther = QStringLiteral("Name a prime number below twenty, please.");

struct ChatAnswer {
    QString text;
    int promptTokens = 0;
    int reusedTokens = 0;
};

struct ServedAnswer {
    std::mutex mutex;
    std::string text;
    std::optional<GenerationStats> stats;
    std::optional<std::string> refused;
    std::atomic<bool> done{false};
};

std::shared_ptr<serve::Job> servedJob(ServedAnswer& answer, const QString& question, uint32_t maxTokens)
{
    auto job = std::make_shared<serve::Job>();
    job->request.messages = {{ChatRole::User, question.toStdString()}};
    job->request.sampler.greedy = true;
    job->request.maxTokens = maxTokens;
    job->started = [](uint32_t) {};
    job->text = [&answer](const std::string& text, uint32_t) {
        std::lock_guard lock(answer.mutex);
        answer.text += text;
    };
    job->finished = [&answer](const GenerationStats& stats, bool) {
        std::lock_guard lock(answer.mutex);
        answer.stats = stats;
        answer.done = true;
    };
    job->refused = [&answer](const Error& error, uint32_t) {
        std::lock_guard lock(answer.mutex);
        answer.refused = error.message;
        answer.done = true;
    };
    return job;
}

GenerationSettings greedy(int maxTokens)
{
    GenerationSettings settings;
    settings.sampler.greedy = true;
    settings.maxTokens = maxTokens;
    return settings;
}

} // namespace

class TestEngineSharing : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;

    // The chat's greedy answer to `turns` on `engine`, on this thread.
    ChatAnswer chat(ChatEngine& engine, const QList<ChatTurn>& turns)
    {
        QSignalSpy text(&engine, &ChatEngine::text);
        QSignalSpy finished(&engine, &ChatEngine::finished);
        engine.generate(turns, greedy(16));
        ChatAnswer answer;
        for (const auto& piece : text)
            answer.text += piece.at(0).toString();
        if (finished.count() == 1) {
            const QVariantMap stats = finished.first().first().toMap();
            answer.promptTokens = stats.value("promptTokens").toInt();
            answer.reusedTokens = stats.value("reusedTokens").toInt();
        }
        return answer;
    }

    // The server's greedy answer to `question` on `engine`, on this thread.
    QString served(ChatEngine& engine, const QString& question)
    {
        ServedAnswer answer;
        auto job = servedJob(answer, question, 16);
        engine.serveJob(*job);
        if (!answer.done || answer.refused)
            return QStringLiteral("(no answer)");
        return QString::fromStdString(answer.text);
    }

private slots:
    void cleanup() { test_hooks::engineStep = nullptr; }

    void initTestCase()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.seed = 7;
        m_model = m_dir.filePath("r1.gguf");
        QVERIFY(testing::writeModel(m_model.toStdString(), spec, 2));
    }

    void cacheStaysTrueBetweenChatAndServer()
    {
        // What each conversation gets from a model no one else used.
        ChatEngine fresh;
        QSignalSpy loaded(&fresh, &ChatEngine::modelLoaded);
        fresh.loadModel(m_model, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QCOMPARE(loaded.count(), 1);
        const QString servedAlone = served(fresh, kOther);
        QVERIFY(!servedAlone.isEmpty());

        ChatEngine engine;
        QSignalSpy loadedShared(&engine, &ChatEngine::modelLoaded);
        engine.loadModel(m_model, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QCOMPARE(loadedShared.count(), 1);
        const QList<ChatTurn> question{{MessageRole::User, kQuestion}};
        const ChatAnswer first = chat(engine, question);
        QVERIFY(!first.text.isEmpty());
        QVERIFY(first.promptTokens > 0);

        // The server's request overwrites the cache past the template's
        // start: its answer is the one it gets alone, and the chat's next
        // turn reuses only what the cache really still holds.
        QCOMPARE(served(engine, kOther), servedAlone);
        const ChatAnswer again = chat(engine, question);
        QCOMPARE(again.text, first.text);
        QCOMPARE(again.promptTokens, first.promptTokens);
        QVERIFY2(again.reusedTokens < first.promptTokens / 2,
                 qPrintable(QStringLiteral("reused %1 of %2 tokens another conversation overwrote")
                                .arg(again.reusedTokens)
                                .arg(first.promptTokens)));

        // With nothing between, the conversation going on reuses what it
        // would on a model of its own: as much, and the same answer.
        const QList<ChatTurn> goingOn{{MessageRole::User, kQuestion},
                                      {MessageRole::Assistant, again.text},
                                      {MessageRole::User, QStringLiteral("And 7 times 8?")}};
        QCOMPARE(chat(fresh, question).text, first.text);
        const ChatAnswer alone = chat(fresh, goingOn);
        const ChatAnswer next = chat(engine, goingOn);
        QVERIFY2(alone.reusedTokens > again.reusedTokens, "the test's conversation reuses nothing on its own");
        QCOMPARE(next.reusedTokens, alone.reusedTokens);
        QCOMPARE(next.text, alone.text);
        // And the server after it still answers as alone.
        QCOMPARE(served(engine, kOther), servedAlone);
    }

    // Arrival order through the queue, both ways, on LocalEngine's thread.
    void turnsInArrivalOrder()
    {
        LocalEngine local(m_model, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QSignalSpy opened(&local, &ChatBackend::opened);
        QSignalSpy turns(&local, &LocalEngine::serverTurn);
        QSignalSpy finished(&local, &ChatBackend::finished);
        local.open();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);

        EngineJobQueue queue(local.engine(), 512, 4);
        QCOMPARE(queue.contextLength(), 512u);

        // The chat's answer holds the engine: the request waits behind it.
        QSemaphore chatHeld, releaseChat;
        std::atomic<bool> holdOnce{true};
        test_hooks::engineStep = [&](const char* step) {
            if (std::string_view(step) == "text" && holdOnce.exchange(false)) {
                chatHeld.release();
                releaseChat.acquire();
            }
        };
        local.generate({{MessageRole::User, kQuestion}}, greedy(8));
        QVERIFY(chatHeld.tryAcquire(1, 20000));
        ServedAnswer first;
        QVERIFY(queue.submit(servedJob(first, kOther, 8)));
        QCOMPARE(queue.counters().waiting, 1u);
        QVERIFY(!queue.counters().busy);
        QVERIFY(!first.done);
        releaseChat.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(first.done.load(), 20000);
        QVERIFY(!first.refused);
        QCOMPARE(queue.counters().completed, 1u);
        QCOMPARE(queue.counters().waiting, 0u);

        // The first request's turn has ended here too (its signals are
        // queued from the engine's thread): none of it is counted below.
        QTRY_VERIFY(!turns.isEmpty() && !turns.last().first().toBool());

        // A request holds the engine: the chat's answer waits behind it.
        QSemaphore serveHeld, releaseServe;
        // A failed check returns early: let the engine's thread go, or
        // closing the engine waits for it forever.
        const auto letGo = qScopeGuard([&] {
            test_hooks::engineStep = nullptr;
            releaseServe.release(16);
        });
        test_hooks::engineStep = [&](const char* step) {
            if (std::string_view(step) == "serve") {
                serveHeld.release();
                releaseServe.acquire();
            }
        };
        turns.clear();
        ServedAnswer second;
        QVERIFY(queue.submit(servedJob(second, kOther, 8)));
        QVERIFY(serveHeld.tryAcquire(1, 20000));
        QVERIFY(queue.counters().busy);
        QTRY_VERIFY(!turns.isEmpty());
        QCOMPARE(turns.first().first().toBool(), true);
        local.generate({{MessageRole::User, kQuestion}}, greedy(8));
        QTest::qWait(50);
        QCOMPARE(finished.count(), 1);  // the chat's second answer has not run
        releaseServe.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
        QVERIFY(second.done);
        QCOMPARE(turns.last().first().toBool(), false);
        test_hooks::engineStep = nullptr;

        // A request whose client left while it waited never reaches the model.
        QSemaphore held2, release2;
        std::atomic<bool> hold2{true};
        test_hooks::engineStep = [&](const char* step) {
            if (std::string_view(step) == "text" && hold2.exchange(false)) {
                held2.release();
                release2.acquire();
            }
        };
        local.generate({{MessageRole::User, kQuestion}}, greedy(4));
        QVERIFY(held2.tryAcquire(1, 20000));
        ServedAnswer left;
        auto job = servedJob(left, kOther, 8);
        QVERIFY(queue.submit(job));
        job->cancel = true;
        release2.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 20000);
        QTRY_COMPARE(queue.counters().cancelled, 1u);
        QVERIFY(!left.done);
    }

    // The queue's end cancels its running request, so the model can close.
    void closingCancelsTheRunningRequest()
    {
        LocalEngine local(m_model, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QSignalSpy opened(&local, &ChatBackend::opened);
        local.open();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        auto queue = std::make_unique<EngineJobQueue>(local.engine(), 512, 4);
        QSemaphore held, release;
        test_hooks::engineStep = [&](const char* step) {
            if (std::string_view(step) == "serve") {
                held.release();
                release.acquire();
            }
        };
        ServedAnswer answer;
        auto job = servedJob(answer, kOther, 400);
        QVERIFY(queue->submit(job));
        QVERIFY(held.tryAcquire(1, 20000));
        queue.reset();
        QVERIFY(job->cancel);
        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(answer.done.load(), 20000);
        QVERIFY(answer.stats);
        QCOMPARE(int(answer.stats->stopReason), int(StopReason::Cancelled));
    }
};

QTEST_MAIN(TestEngineSharing)
#include "tst_engine_sharing.moc"
