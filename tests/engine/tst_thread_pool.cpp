// The CPU engine's thread pool: every thread runs each task once, and an
// exception thrown by a task on any thread reaches run()'s caller after all
// threads have returned, instead of ending the process from a worker. A
// ChunkQueue hands every item of a range to exactly one thread, in chunks
// aligned to the granularity, whichever thread comes first.
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
        ChunkQueue chunks;
        for (int round = 0; round < 20; ++round) {
            std::vector<std::atomic<int>> taken(static_cast<size_t>(count));
            std::atomic<bool> misaligned{false};
            std::atomic<int> chunkCount{0};
            std::atomic<size_t> lastBegin{0}, lastSize{0};
            chunks.reset(size_t(count), size_t(granularity), pool.size());
            pool.run([&](unsigned) {
                for (Range r = chunks.next(); r.begin < r.end; r = chunks.next()) {
                    misaligned = misaligned || r.begin % size_t(granularity) != 0;
                    chunkCount.fetch_add(1);
                    if (r.end == size_t(count)) {
                        lastBegin = r.begin;
                        lastSize = r.end - r.begin;
                    }
                    for (size_t i = r.begin; i < r.end; ++i)
                        taken[i].fetch_add(1);
                }
            });
            QVERIFY(!misaligned);
            for (int i = 0; i < count; ++i)
                QCOMPARE(taken[size_t(i)].load(), 1);
            // Enough chunks to even out a late thread, never many more: they
            // shrink by a 1/(2 threads) share of what is left, down to the
            // smallest, 1/32 of a thread's part; whole units round each share
            // down, so up to twice the ideal geometric count.
            const int units = (count + granularity - 1) / granularity;
            const int smallest = std::max(units / int(threads * ChunkQueue::kSmallestPerThread), 1);
            const double shrink = std::log(1.0 - 1.0 / (2.0 * threads));
            const int guided = int(std::ceil(std::log(2.0 * threads * smallest / std::max(units, 1)) / shrink));
            QVERIFY2(chunkCount <= std::max(units, 1) && chunkCount <= 2 * std::max(guided, 0) + int(2 * threads) + 1,
                     qPrintable(QString("%1 chunks, %2 guided").arg(chunkCount.load()).arg(guided)));
            QVERIFY2(chunkCount >= std::min(units, int(2 * threads)), qPrintable(QString::number(chunkCount)));
            // The end is fine-grained: the last chunk is one of the smallest.
            if (count > 0)
                QVERIFY2(lastSize <= size_t(smallest * granularity),
                         qPrintable(QString("last chunk %1 at %2, smallest %3 units")
                                        .arg(lastSize.load()).arg(lastBegin.load()).arg(smallest)));
        }
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
