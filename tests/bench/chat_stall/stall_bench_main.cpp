// ponder-stall-bench: streams scripted answers into the real chat window
// (offscreen, Qt Quick's software renderer, the app's QML modules) and
// reports, per run, the longest gap between turns of the event loop (how
// long the window could not repaint or take input) and the total time from
// the first piece to the answer shown complete.
//
//   ponder-stall-bench [--repeat N] [--stalls-over MS]
//                      [--case typical-rate|typical-fast|adversarial-fast|reasoning-loop-fast|all]
//
// typical-rate: a ~4000-token R1 answer, 4 characters a piece at 250 pieces
// a second (a fast GPU); typical-fast, adversarial-fast and
// reasoning-loop-fast (a megabyte of looping reasoning, shown open as it
// streams): the pieces posted from another thread as fast as it can (queued
// to the UI thread, as the engine's are). Prints one line per run and the min/median per case,
// with the load average: the machine is often shared. --stalls-over prints
// every stall longer than MS with its CLOCK_MONOTONIC interval, to line up
// with a profile taken by `perf record -k CLOCK_MONOTONIC` (perf script's
// times are then the same clock).
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QPointer>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

#include "app_setup.h"
#include "chat_controller.h"
#include "quick_helpers.h"
#include "scripted_backend.h"
#include "stall_answers.h"

using namespace ponder;

namespace {

struct StreamResult {
    qint64 longestStallMs = 0;
    qint64 totalMs = 0;
};

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll()).section(u' ', 0, 2);
}

double monotonicSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

void waitMs(int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

// CPU time, in clock ticks, of this process's threads other than the calling one (Linux's /proc).
qint64 otherThreadsCpuTicks()
{
    const QString self = QString::number(qint64(syscall(SYS_gettid)));
    const QDir tasks(QStringLiteral("/proc/self/task"));
    qint64 ticks = 0;
    for (const QString& task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (task == self)
            continue;
        QFile stat(tasks.filePath(task + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // Fields after "pid (comm) ": state is the first, utime the 12th, stime the 13th.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 12)
            ticks += fields[11].toLongLong() + fields[12].toLongLong();
    }
    return ticks;
}

// Waits until the app's other threads are idle: at its first start the app
// measures each device's read and decode rate in the background, and MathJax
// loads on first use. Those are a launch's, once; each run measures the chat
// view. Returns the seconds waited (at most `limitMs`).
double waitForBackgroundWork(int limitMs)
{
    const qint64 ticksPerSecond = sysconf(_SC_CLK_TCK);
    constexpr int windowMs = 500;
    QElapsedTimer clock;
    clock.start();
    qint64 before = otherThreadsCpuTicks();
    while (clock.elapsed() < limitMs) {
        waitMs(windowMs);
        const qint64 after = otherThreadsCpuTicks();
        // Under a tenth of a core over the window: idle but for housekeeping.
        if ((after - before) * 1000 < ticksPerSecond * windowMs / 10)
            break;
        before = after;
    }
    return double(clock.elapsed()) / 1000.0;
}

class Bench {
public:
    explicit Bench(qint64 reportStallsOverMs) : m_reportStallsOverMs(reportStallsOverMs) {}

    bool open()
    {
        app::setUpEngine(m_engine);
        m_engine.load(app::mainQmlUrl());
        if (m_engine.rootObjects().isEmpty())
            return false;
        m_window = qobject_cast<QQuickWindow*>(m_engine.rootObjects().first());
        m_chat = m_window ? m_window->findChild<app::ChatController*>() : nullptr;
        if (!m_chat)
            return false;
        m_window->resize(1100, 800);
        m_window->show();
        // Exposed and drawn, or nothing is laid out: the list would keep a
        // size of 0x0 and its rows would be made without being shown.
        if (!QTest::qWaitForWindowExposed(m_window) || !test::waitForFrame(m_window))
            return false;
        auto backend = std::make_unique<test::ScriptedBackend>(
            QVariantMap{{"name", "DeepSeek-R1-Distill-Qwen-7B"}, {"device", "CPU"}, {"expectReasoning", true}});
        m_script = backend.get();
        m_chat->useBackend(std::move(backend));
        QElapsedTimer clock;
        clock.start();
        while (!m_chat->modelLoaded() && clock.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        if (!m_chat->modelLoaded())
            return false;
        // The welcome gives way to the chat once a model is loaded.
        test::waitForFrame(m_window);
        const auto lists = test::findByObjectName(m_window->contentItem(), QStringLiteral("messageList"));
        if (lists.size() != 1 || lists.first()->width() < 100 || lists.first()->height() < 100) {
            std::fprintf(stderr, "the message list is not on screen\n");
            return false;
        }
        std::printf("message list: %.0f x %.0f\n", lists.first()->width(), lists.first()->height());
        return true;
    }

    // One answer streamed: every `intervalMs` a piece from a UI-thread timer,
    // or (intervalMs < 0) all pieces from another thread at once.
    StreamResult stream(const QStringList& pieces, int intervalMs)
    {
        m_chat->newConversation();
        waitMs(200);
        m_chat->send(QStringLiteral("Explain sorting"));
        waitMs(200);
        qint64 longest = 0;
        QElapsedTimer clock;
        qint64 last = 0;
        QTimer probe;
        QObject::connect(&probe, &QTimer::timeout, [&] {
            const qint64 now = clock.elapsed();
            if (m_reportStallsOverMs > 0 && now - last > m_reportStallsOverMs) {
                const double end = monotonicSeconds();
                std::printf("  stall %lld ms: monotonic %.6f .. %.6f\n", now - last, end - double(now - last) * 1e-3, end);
            }
            longest = std::max(longest, now - last);
            last = now;
        });
        clock.start();
        probe.start(1);
        test::ScriptedBackend* backend = m_script;
        const int count = int(pieces.size());
        if (intervalMs < 0) {
            std::unique_ptr<QThread> feeder(QThread::create([&] {
                for (int i = 0; i < count; ++i)
                    emit backend->text(pieces[i], i + 1);
                emit backend->finished({{"generatedTokens", count}, {"stopReason", "end of turn"}});
            }));
            feeder->start();
            while (m_chat->generating() || !feeder->isFinished())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            feeder->wait();
        } else {
            int next = 0;
            QTimer feed;
            QObject::connect(&feed, &QTimer::timeout, [&] {
                if (next < count) {
                    emit backend->text(pieces[next], next + 1);
                    ++next;
                } else if (next == count) {
                    emit backend->finished({{"generatedTokens", count}, {"stopReason", "end of turn"}});
                    ++next;
                }
            });
            feed.start(intervalMs);
            while (next <= count || m_chat->generating())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        }
        // The last display tick and its layout and paint.
        waitMs(3 * app::ChatController::kDisplayIntervalMs + 100);
        StreamResult result;
        result.totalMs = clock.elapsed() - 3 * app::ChatController::kDisplayIntervalMs - 100;
        result.longestStallMs = longest;
        return result;
    }

private:
    qint64 m_reportStallsOverMs = 0;
    QQmlApplicationEngine m_engine;
    QQuickWindow* m_window = nullptr;
    app::ChatController* m_chat = nullptr;
    QPointer<test::ScriptedBackend> m_script;
};

qint64 median(std::vector<qint64> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    // The app measures the devices' decode rate in the background: over 1 MiB only, as the UI suites do.
    qputenv("PONDER_TEST_DECODE_RATE_BYTES", "1048576");
    QTemporaryDir home;  // settings and conversations of this run only
    for (const char* variable : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"})
        qputenv(variable, home.filePath(QString::fromLatin1(variable).toLower()).toUtf8());
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    QGuiApplication application(argc, argv);
    app::setUpApplication(application);
    QCoreApplication::setApplicationName(QStringLiteral("Ponder-bench"));

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({"repeat", "Runs per case.", "N", "3"});
    parser.addOption({"case", "typical-rate, typical-fast, adversarial-fast, reasoning-loop-fast or all.", "NAME", "all"});
    parser.addOption({"stalls-over", "Print every stall longer than MS with its CLOCK_MONOTONIC interval.", "MS", "0"});
    parser.process(application);
    const int repeat = std::max(1, parser.value("repeat").toInt());
    const QString only = parser.value("case");

    Bench bench(parser.value("stalls-over").toLongLong());
    if (!bench.open()) {
        std::fprintf(stderr, "the chat window did not open\n");
        return 1;
    }
    struct Case {
        QString name;
        QStringList pieces;
        int intervalMs;
    };
    const QString typical = bench::typicalAnswer();
    const QString adversarial = bench::adversarialAnswer();
    const std::vector<Case> cases{
        {"typical-rate", bench::pieces(typical, 4), 4},
        {"typical-fast", bench::pieces(typical, 4), -1},
        {"adversarial-fast", bench::pieces(adversarial, 256), -1},
        {"reasoning-loop-fast", bench::pieces(bench::loopingReasoning(), 256), -1},
    };
    bench.stream(bench::pieces(typical, 64), -1);  // warm-up: the delegates' QML compiled once, MathJax loaded
    std::printf("background work at start settled after %.1f s\n", waitForBackgroundWork(60000));
    std::printf("typical answer: %lld characters; adversarial: %lld characters\n", qint64(typical.size()),
                qint64(adversarial.size()));
    for (const Case& c : cases) {
        if (only != QLatin1String("all") && only != c.name)
            continue;
        std::vector<qint64> stalls, totals;
        for (int run = 0; run < repeat; ++run) {
            const QString before = loadAverage();
            const StreamResult result = bench.stream(c.pieces, c.intervalMs);
            stalls.push_back(result.longestStallMs);
            totals.push_back(result.totalMs);
            std::printf("%s run %d: longest stall %lld ms, total %lld ms (load %s)\n", qPrintable(c.name), run + 1,
                        result.longestStallMs, result.totalMs, qPrintable(before));
            std::fflush(stdout);
        }
        std::printf("%s: longest stall min %lld / median %lld ms; total min %lld / median %lld ms\n",
                    qPrintable(c.name), *std::min_element(stalls.begin(), stalls.end()), median(stalls),
                    *std::min_element(totals.begin(), totals.end()), median(totals));
    }
    return 0;
}
