// Measured read bandwidth (bandwidth.h): the CPU's over all threads and a
// GPU's through the read shader give a positive figure for the bytes they
// say they read, within the device's limits (lavapipe binds at most 128
// MiB), with no validation message; bad arguments are errors, not crashes.
// No speed is asserted (the benchmark measures speed).
#include <QtTest>

#include "gpu_fixture.h"
#include "ponder/bandwidth.h"

using namespace ponder;

class TestBandwidth : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void cpu()
    {
        const auto measured = measureCpuReadBandwidth(64ull << 20, 2, 2);
        QVERIFY2(measured, measured ? "" : measured.error().message.c_str());
        QCOMPARE(measured->bytes, 64ull << 20);
        QCOMPARE(measured->threads, 2u);
        QVERIFY(measured->seconds > 0);
        QVERIFY(measured->bytesPerSecond() > 0);
        qInfo("CPU: %.1f GB/s over %u threads", measured->bytesPerSecond() / 1e9, measured->threads);

        // One per physical core by default; a tiny buffer reads with fewer threads.
        const auto small = measureCpuReadBandwidth(64 << 10, 64, 1);
        QVERIFY(small);
        QVERIFY(small->threads >= 1 && small->threads <= 2);
        QVERIFY(!measureCpuReadBandwidth(4, 1, 1));
        QVERIFY(!measureCpuReadBandwidth(1 << 20, 1, 0));
    }

    void gpu()
    {
        const auto measured = measureGpuReadBandwidth(m_gpu.device());
        QVERIFY2(measured, measured ? "" : measured.error().message.c_str());
        const vk::AdapterInfo& adapter = m_gpu.device().adapter();
        QVERIFY(measured->bytes > 0 && measured->bytes % 16 == 0);
        QVERIFY(measured->bytes <= kBandwidthBufferBytes);
        QVERIFY(measured->bytes <= adapter.maxStorageBufferRange);
        QVERIFY(measured->bytesPerSecond() > 0);
        QCOMPARE(measured->gpuTimestamps, adapter.timestampPeriodNs > 0);
        qInfo("%s: %.1f GB/s over %llu MiB (%s)", adapter.name.c_str(), measured->bytesPerSecond() / 1e9,
              static_cast<unsigned long long>(measured->bytes >> 20),
              measured->gpuTimestamps ? "GPU timestamps" : "wall clock");

        const auto small = measureGpuReadBandwidth(m_gpu.device(), 1 << 20, 1);
        QVERIFY2(small, small ? "" : small.error().message.c_str());
        QCOMPARE(small->bytes, uint64_t(1 << 20));
        QVERIFY(!measureGpuReadBandwidth(m_gpu.device(), 1 << 20, 0));
        QVERIFY(!measureGpuReadBandwidth(m_gpu.device(), 8, 1));
    }
};

QTEST_GUILESS_MAIN(TestBandwidth)
#include "tst_bandwidth.moc"
