// The CPU engine's thread pool: every thread runs each task once, and an
// exception thrown by a task on any thread reaches run()'s caller after all
// threads have returned, instead of ending the process from a worker. A
// ChunkQueue hands every item of a range to exactly one thread, in chunks
// aligned to the granularity: each thread its own share front to back, and
// a thread that finishes early the back of another's.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cpu/thread_pool.h"

using namespace ponder::cpu;

class TestThreadPool : public QObject {
    Q_OBJECT

private slots:
    void everyThreadRunsOnce_data()
    {
        QTest::addColumn<unsigned>("threads");
        for (unsigned threads : {1u, 2u, 3u, 8u})
            QTest::addRow("%u threads", threads) << threads;
    }

    void everyThreadRunsOnce()
    {
        QFETCH(unsigned, threads);
        ThreadPool pool(threads);
        QCOMPARE(pool.size(), threads);
        for (int round = 0; round < 100; ++round) {
            std::vector<std::atomic<int>> calls(threads);
            pool.run([&](unsigned thread) { calls[thread].fetch_add(1); });
            for (unsigned t = 0; t < threads; ++t)
                QCOMPARE(calls[t].load(), 1);
        }
    }

    void chunksCoverEveryItemOnce_data()
    {
        QTest::addColumn<unsigned>("threads");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("granularity");
        for (unsigned threads : {1u, 2u, 3u, 5u})
            for (const auto& [count, granularity] : {std::pair{0, 1}, {1, 1}, {7, 4}, {1536, 32}, {8960, 96},
                                                      {151936, 32}, {1000, 256}, {13, 1}})
                QTest::addRow("%u threads, %d items by %d", threads, count, granularity)
                    << threads << count << granularity;
    }

    void chunksCoverEveryItemOnce()
    {
        QFETCH(unsigned, threads);
        QFETCH(int, count);
        QFETCH(int, granularity);
        ThreadPool pool(threads);
        ChunkQueue chunks(threads);
        const size_t units = (size_t(count) + size_t(granularity) - 1) / size_t(granularity);
        for (int round = 0; round < 20; ++round) {
            std::vector<std::atomic<int>> taken(static_cast<size_t>(count));
            std::atomic<bool> misaligned{false};
            std::vector<std::vector<Range>> byThread(threads);
            chunks.reset(size_t(count), size_t(granularity), pool.size());
            pool.run([&](unsigned thread) {
                for (Range r = chunks.next(thread); r.begin < r.end; r = chunks.next(thread)) {
                    misaligned = misaligned || r.begin % size_t(granularity) != 0;
                    byThread[thread].push_back(r);
                    for (size_t i = r.begin; i < r.end; ++i)
                        taken[i].fetch_add(1);
                }
            });
            QVERIFY(!misaligned);
            for (int i = 0; i < count; ++i)
                QCOMPARE(taken[size_t(i)].load(), 1);
            size_t chunkCount = 0;
            for (const std::vector<Range>& mine : byThread)
                chunkCount += mine.size();
            // Alone, a thread takes the range as one stream, front to back.
            if (threads == 1)
                for (size_t c = 0; c < byThread[0].size(); ++c)
                    QCOMPARE(byThread[0][c].begin, c == 0 ? size_t(0) : byThread[0][c - 1].end);
            // A quarter of what is left per chunk: alone, a thread takes its
            // share in about log(share) / log(4/3) chunks (the last few of
            // one unit); with others, steals add to that as the timing falls.
            QVERIFY2(chunkCount <= std::max<size_t>(units, 1), qPrintable(QString::number(chunkCount)));
            if (threads == 1) {
                const double alone = std::log(std::max<double>(double(units), 1.0)) / std::log(4.0 / 3.0);
                QVERIFY2(double(chunkCount) <= alone + 4, qPrintable(QString::number(chunkCount)));
            }
        }
    }

    // One thread late (a core taken away, say): the others finish its share.
    void aLateThreadsShareIsTakenByTheOthers()
    {
        constexpr unsigned kThreads = 4;
        constexpr size_t kCount = 4000;
        ThreadPool pool(kThreads);
        ChunkQueue chunks(kThreads);
        std::vector<std::atomic<int>> taken(kCount);
        std::vector<std::atomic<size_t>> items(kThreads);
        chunks.reset(kCount, 1, kThreads);
        pool.run([&](unsigned thread) {
            for (Range r = chunks.next(thread); r.begin < r.end; r = chunks.next(thread)) {
                if (thread == 2)
                    QThread::msleep(50);  // late with its first chunk, and slow after
                else
                    QThread::usleep(20);
                items[thread].fetch_add(r.end - r.begin);
                for (size_t i = r.begin; i < r.end; ++i)
                    taken[i].fetch_add(1);
            }
        });
        for (size_t i = 0; i < kCount; ++i)
            QCOMPARE(taken[i].load(), 1);
        // Its first chunk is a quarter of its share; the rest went to others.
        QVERIFY2(items[2].load() < kCount / kThreads / 2, qPrintable(QString::number(items[2].load())));
    }

    void aWorkersExceptionReachesTheCaller_data()
    {
        QTest::addColumn<unsigned>("threads");
        QTest::addColumn<unsigned>("thrower");
        QTest::addRow("1 thread, the caller") << 1u << 0u;
        QTest::addRow("4 threads, the caller") << 4u << 0u;
        QTest::addRow("4 threads, a worker") << 4u << 2u;
        QTest::addRow("4 threads, the last worker") << 4u << 3u;
    }

    void aWorkersExceptionReachesTheCaller()
    {
        QFETCH(unsigned, threads);
        QFETCH(unsigned, thrower);
        ThreadPool pool(threads);
        std::atomic<unsigned> finished{0};
        bool caught = false;
        try {
            pool.run([&](unsigned thread) {
                if (thread == thrower)
                    throw std::runtime_error("thread " + std::to_string(thread));
                // The others take a while, so a rethrow that did not wait
                // for them would be seen before they finish.
                QThread::msleep(20);
                finished.fetch_add(1);
            });
        } catch (const std::runtime_error& error) {
            caught = true;
            QCOMPARE(QString::fromStdString(error.what()), QStringLiteral("thread %1").arg(thrower));
            QCOMPARE(finished.load(), threads - 1);
        }
        QVERIFY(caught);

        // The pool is whole afterwards, and the failure is not raised again.
        std::atomic<unsigned> calls{0};
        pool.run([&](unsigned) { calls.fetch_add(1); });
        QCOMPARE(calls.load(), threads);
    }

    void severalExceptionsGiveOne()
    {
        ThreadPool pool(4);
        int caught = 0;
        try {
            pool.run([](unsigned thread) { throw std::bad_alloc(); (void)thread; });
        } catch (const std::bad_alloc&) {
            ++caught;
        }
        QCOMPARE(caught, 1);
        std::atomic<unsigned> calls{0};
        pool.run([&](unsigned) { calls.fetch_add(1); });
        QCOMPARE(calls.load(), 4u);
    }
};

QTEST_GUILESS_MAIN(TestThreadPool)
#include "tst_thread_pool.moc"
