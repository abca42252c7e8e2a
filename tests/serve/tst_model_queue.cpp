// The model queue on a scripted backend: jobs run in arrival order, one at a
// time; a job whose client leaves stops within a token (the backend sees no
// more decode steps than the one under way) and a waiting one never reaches
// the model; the queue refuses jobs beyond its bound; a conversation that
// extends the last reuses its cached prefix; stop strings end the answer
// without their text, wherever the pieces cut them; a prompt longer than the
// context is refused before anything is generated.
#include <QtTest>

#include <chrono>
#include <mutex>
#include <thread>

#include "model_queue.h"
#include "scripted_backend.h"
#include "stop_matcher.h"

using namespace ponder;
using namespace ponder::serve;
using namespace std::chrono_literals;

namespace {

constexpr auto kWait = 10s;

// What one job heard, filled from the worker thread.
struct Outcome {
    std::mutex mutex;
    std::vector<std::string> events;  // "started", "text", "finished", "refused", in order
    std::string text;
    uint32_t lastTokenCount = 0;
    std::optional<GenerationStats> stats;
    bool stopped = false;
    std::optional<Error> error;
    std::atomic<bool> done{false};
};

std::shared_ptr<Job> makeJob(Outcome& outcome, const std::string& prompt, uint32_t maxTokens = 64,
                             std::vector<std::string> stop = {}, std::vector<std::string>* order = nullptr,
                             std::mutex* orderMutex = nullptr)
{
    auto job = std::make_shared<Job>();
    job->request.messages = {{ChatRole::User, prompt}};
    job->request.sampler.greedy = true;
    job->request.maxTokens = maxTokens;
    job->stop = std::move(stop);
    job->started = [&outcome, order, orderMutex, prompt](uint32_t) {
        std::lock_guard lock(outcome.mutex);
        outcome.events.push_back("started");
        if (order) {
            std::lock_guard orderLock(*orderMutex);
            order->push_back(prompt);
        }
    };
    job->text = [&outcome](const std::string& text, uint32_t tokens) {
        std::lock_guard lock(outcome.mutex);
        outcome.events.push_back("text");
        outcome.text += text;
        outcome.lastTokenCount = tokens;
    };
    job->finished = [&outcome](const GenerationStats& stats, bool stopped) {
        std::lock_guard lock(outcome.mutex);
        outcome.events.push_back("finished");
        outcome.stats = stats;
        outcome.stopped = stopped;
        outcome.done = true;
    };
    job->refused = [&outcome](const Error& error, uint32_t) {
        std::lock_guard lock(outcome.mutex);
        outcome.events.push_back("refused");
        outcome.error = error;
        outcome.done = true;
    };
    return job;
}

template <typename Predicate>
bool waitFor(Predicate predicate)
{
    const auto until = std::chrono::steady_clock::now() + kWait;
    while (!predicate()) {
        if (std::chrono::steady_clock::now() > until)
            return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

const std::string kAnswer = "Two and two.</think>\n\nFour.";

} // namespace

class TestModelQueue : public QObject {
    Q_OBJECT

private slots:
    void answersWithTokenCounts()
    {
        test::ScriptedBackend backend(test::scriptFor(kAnswer));
        ModelQueue queue(backend, test::testTokenizer(), ChatFormat::DeepSeekR1, 4);
        Outcome outcome;
        QVERIFY(queue.submit(makeJob(outcome, "2+2?")));
        QVERIFY(waitFor([&] { return outcome.done.load(); }));
        std::lock_guard lock(outcome.mutex);
        QCOMPARE(outcome.text, kAnswer);
        QCOMPARE(outcome.events.front(), std::string("started"));
        QCOMPARE(outcome.events.back(), std::string("finished"));
        QCOMPARE(outcome.stats->stopReason, StopReason::EndOfTurn);
        const auto tokens = uint32_t(test::scriptFor(kAnswer).size() - 1);
        QCOMPARE(outcome.stats->generatedTokens, tokens);
        QCOMPARE(outcome.lastTokenCount, tokens);
        QCOMPARE(queue.counters().completed, uint64_t(1));
        QCOMPARE(queue.counters().decodedTokens, uint64_t(tokens));
    }

    void runsInArrivalOrder()
    {
        test::ScriptedBackend backend(test::scriptFor("abc"));
        backend.setGated(true);
        ModelQueue queue(backend, test::testTokenizer(), ChatFormat::DeepSeekR1, 8);
        std::vector<std::string> order;
        std::mutex orderMutex;
        std::vector<std::unique_ptr<Outcome>> outcomes;
        for (int i = 0; i < 5; ++i) {
            outcomes.push_back(std::make_unique<Outcome>());
            QVERIFY(queue.submit(makeJob(*outcomes.back(), "question " + std::to_string(i), 64, {}, &order,
                                         &orderMutex)));
        }
        backend.release(1000);
        QVERIFY(waitFor([&] {
            return std::all_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return o->done.load(); });
        }));
        QCOMPARE(order, (std::vector<std::string>{"question 0", "question 1", "question 2", "question 3",
                                                  "question 4"}));
        for (const auto& outcome : outcomes)
            QCOMPARE(outcome->text, std::string("abc"));
    }

    void refusesBeyondItsBound()
    {
        test::ScriptedBackend backend(test::scriptFor("abc"));
        backend.setGated(true);
        ModelQueue queue(backend, test::testTokenizer(), ChatFormat::DeepSeekR1, 2);
        Outcome running, first, second, third;
        QVERIFY(queue.submit(makeJob(running, "0")));
        QVERIFY(waitFor([&] { return queue.counters().busy; }));  // taken off the queue, held by the gate
        QVERIFY(queue.submit(makeJob(first, "1")));
        QVERIFY(queue.submit(makeJob(second, "2")));
        QVERIFY(!queue.submit(makeJob(third, "3")));
        QCOMPARE(queue.counters().waiting, 2u);
        backend.release(1000);
        QVERIFY(waitFor([&] { return second.done.load(); }));
        QVERIFY(third.events.empty());
        QVERIFY(queue.submit(makeJob(third, "3")));  // room again
        QVERIFY(waitFor([&] { return third.done.load(); }));
    }

    // The client leaves at a known token: the generation ends there, and the
    // backend evaluates no decode step after the one under way.
    void cancelStopsWithinAToken()
    {
        test::ScriptedBackend backend(test::scriptFor(std::string(200, 'x')));
        backend.setGated(true);
        ModelQueue queue(backend, test::testTokenizer(), ChatFormat::DeepSeekR1, 4);
        Outcome outcome;
        auto job = makeJob(outcome, "go on", 400);
        QVERIFY(queue.submit(job));
        backend.release(5);
        QVERIFY(waitFor([&] { return backend.decodeSteps() == 5; }));
        // The worker now waits inside the sixth step.
        job->cancel = true;
        QVERIFY(waitFor([&] { return outcome.done.load(); }));
        backend.release(1000);  // were it still running, it would go on now
        std::this_thread::sleep_for(20ms);
        QCOMPARE(backend.decodeSteps(), uint64_t(5));
        QCOMPARE(backend.cancelledInside(), uint64_t(1));
        std::lock_guard lock(outcome.mutex);
        QCOMPARE(outcome.stats->stopReason, StopReason::Cancelled);
        QVERIFY(!outcome.stopped);
        QVERIFY(outcome.stats->generatedTokens <= 6);
        QCOMPARE(queue.counters().cancelled, uint64_t(1));
        QCOMPARE(queue.counters().completed, uint64_t(0));
    }

    void cancelledWhileWaitingNeverRuns()
    {
        test::ScriptedBackend backend(test::scriptFor("abc"));
        backend.setGated(true);
        ModelQueue queue(backend, test::testTokenizer(), ChatFormat::DeepSeekR1, 4);
        Outcome running, waiting;
        QVERIFY(queue.submit(makeJob(running, "first")));
        QVERIFY(waitFor([&] { return queue.counters().busy; }));
        auto job = makeJob(waiting, "second");
        QVERIFY(queue.submit(job));
        job->cancel = true;
        backend.release(1000);
        QVERIFY(waitFor([&] { return running.done.load() && queue.counters().cancelled == 1; }));
        QVERIFY(waitFor([&] { return !queue.counters().busy; }));
        QCOMPARE(backend.prompts(), uint64_t(1));  // the second never reached the model
        QVERIFY(waiting.events.empty());
    }

    // A second turn that extends the first evaluates only what is new.
    void reusesTheConversationPrefix()
    {
        test::ScriptedBackend backend(test::scriptFor(kAnswer));
        ModelQueue queue(backend, test::testTokenizer(), ChatFormat::DeepSeekR1, 4);
        Outcome first, second;
        QVERIFY(queue.submit(makeJob(first, "What is two and two? Think it through.")));
        QVERIFY(waitFor([&] { return first.done.load(); }));
        auto job = makeJob(second, "");
        job->request.messages = {{ChatRole::User, "What is two and two? Think it through."},
                                 {ChatRole::Assistant, kAnswer},
                                 {ChatRole::User, "And three and three?"}};
        QVERIFY(queue.submit(job));
        QVERIFY(waitFor([&] { return second.done.load(); }));
        // Everything up to the first answer is shared (the template renders
        // that answer without its reasoning, so the cache parts from there).
        QVERIFY(second.stats->reusedTokens > 0);
        QVERIFY(second.stats->reusedTokens < first.stats->promptTokens);
        QVERIFY(second.stats->reusedTokens + 3 >= first.stats->promptTokens);
        QCOMPARE(backend.promptTokens(), uint64_t(first.stats->promptTokens + second.stats->promptTokens -
                                                  second.stats->reusedTokens));
    }

    void stopStringsEndTheAnswer()
    {
        test::ScriptedBackend backend(test::scriptFor(kAnswer));
        ModelQueue queue(backend, test::testTokenizer(), ChatFormat::DeepSeekR1, 4);
        Outcome outcome;
        QVERIFY(queue.submit(makeJob(outcome, "2+2?", 64, {"Fou", "nothing like it"})));
        QVERIFY(waitFor([&] { return outcome.done.load(); }));
        QCOMPARE(outcome.text, std::string("Two and two.</think>\n\n"));
        QVERIFY(outcome.stopped);
        QCOMPARE(queue.counters().completed, uint64_t(1));
        // It stopped within a token of the match: the script has more after "Fou".
        QVERIFY(backend.decodeSteps() < test::scriptFor(kAnswer).size() - 1);
    }

    void stopMatcherHoldsBackPartialMatches_data()
    {
        QTest::addColumn<QStringList>("pieces");
        QTest::addColumn<QString>("stop");
        QTest::addColumn<QString>("sent");
        QTest::addColumn<bool>("stopped");
        QTest::newRow("whole") << QStringList{"abc", "STOP", "def"} << "STOP" << "abc" << true;
        QTest::newRow("cut") << QStringList{"abcST", "O", "Pdef"} << "STOP" << "abc" << true;
        QTest::newRow("false start") << QStringList{"abST", "x", "S"} << "STOP" << "abSTxS" << false;
        QTest::newRow("overlap") << QStringList{"SSST", "OP"} << "STOP" << "SS" << true;
        QTest::newRow("multibyte") << QStringList{"é", "t", "é!"} << "été" << "" << true;
    }

    void stopMatcherHoldsBackPartialMatches()
    {
        QFETCH(QStringList, pieces);
        QFETCH(QString, stop);
        QFETCH(QString, sent);
        QFETCH(bool, stopped);
        StopMatcher matcher({stop.toStdString()});
        std::string out;
        for (const QString& piece : pieces) {
            const auto step = matcher.push(piece.toStdString());
            out += step.text;
            // Nothing of the stop string goes out before it is decided.
            QVERIFY(out.find(stop.toStdString()) == std::string::npos);
        }
        out += matcher.flush();
        QCOMPARE(QString::fromStdString(out), sent);
        QCOMPARE(matcher.stopped(), stopped);
    }

    void refusesAPromptLongerThanTheContext()
    {
        test::ScriptedBackend backend(test::scriptFor("abc"), 64);
        ModelQueue queue(backend, test::testTokenizer(), ChatFormat::DeepSeekR1, 4);
        Outcome outcome;
        QVERIFY(queue.submit(makeJob(outcome, std::string(400, 'q') + " and more words here")));
        QVERIFY(waitFor([&] { return outcome.done.load(); }));
        QCOMPARE(outcome.events, std::vector<std::string>{"refused"});
        QCOMPARE(outcome.error->code, ErrorCode::ContextFull);
        QCOMPARE(backend.prompts(), uint64_t(0));
        // And the queue goes on serving.
        Outcome next;
        QVERIFY(queue.submit(makeJob(next, "hi")));
        QVERIFY(waitFor([&] { return next.done.load(); }));
        QCOMPARE(next.text, std::string("abc"));
    }
};

QTEST_GUILESS_MAIN(TestModelQueue)
#include "tst_model_queue.moc"
