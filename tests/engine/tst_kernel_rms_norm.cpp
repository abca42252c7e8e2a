// rms_norm on the GPU against the CPU reference, on random data at sizes
// that are not multiples of the workgroup, with the validation layer on.
// Tolerance: 1e-5 relative to the row's largest output, since the GPU sums
// squares in float32 in a different order from the reference's float64.
#include <QtTest>

#include <random>
#include <vector>

#include "gpu_fixture.h"
#include "kernel_test_buffers.h"
#include "ponder/reference/ops.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/transfer.h"

using namespace ponder;

namespace {

std::span<const std::byte> bytesOf(const std::vector<float>& values)
{
    return std::as_bytes(std::span(values));
}

} // namespace

class TestKernelRmsNorm : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void matchesReference_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("n");
        QTest::addColumn<float>("scale");
        QTest::newRow("one element") << 1 << 1 << 1.f;
        QTest::newRow("smaller than a workgroup") << 3 << 77 << 1.f;
        QTest::newRow("odd width") << 5 << 1001 << 0.5f;
        QTest::newRow("qwen 1.5B width") << 7 << 1536 << 2.f;
        QTest::newRow("llama 8B width, odd rows") << 3 << 4096 << 1.f;
        QTest::newRow("large values") << 2 << 333 << 1000.f;
        QTest::newRow("tiny values") << 2 << 257 << 1e-3f;
    }

    void matchesReference()
    {
        QFETCH(int, rows);
        QFETCH(int, n);
        QFETCH(float, scale);
        const float eps = 1e-6f;
        std::mt19937 rng(uint32_t(rows * 7919 + n));
        const auto x = test::randomFloats(size_t(rows) * n, rng, scale);
        const auto weight = test::randomFloats(size_t(n), rng, 1.f);
        std::vector<float> expected(x.size());
        reference::rmsNorm(expected, x, weight, eps);

        auto& device = m_gpu.device();
        auto& recorder = m_gpu.recorder();
        auto xBuffer = vk::Buffer::create(device, x.size() * 4, vk::MemoryUsage::DeviceLocal);
        auto wBuffer = vk::Buffer::create(device, weight.size() * 4, vk::MemoryUsage::DeviceLocal);
        auto yBuffer = vk::Buffer::create(device, x.size() * 4, vk::MemoryUsage::DeviceLocal);
        QVERIFY(xBuffer && wBuffer && yBuffer);
        QVERIFY(vk::uploadBytes(device, recorder, *xBuffer, bytesOf(x)));
        QVERIFY(vk::uploadBytes(device, recorder, *wBuffer, bytesOf(weight)));

        QVERIFY(recorder.begin());
        const auto dispatched = m_gpu.kernels().rmsNorm(recorder, uint32_t(rows), uint32_t(n), eps, yBuffer->range(),
                                                        xBuffer->range(), wBuffer->range());
        QVERIFY2(dispatched, dispatched ? "" : dispatched.error().message.c_str());
        QVERIFY(recorder.end());
        QVERIFY(recorder.submitAndWait());

        std::vector<float> actual(x.size());
        QVERIFY(vk::downloadBytes(device, recorder, *yBuffer, std::as_writable_bytes(std::span(actual))));
        for (int r = 0; r < rows; ++r) {
            float rowMax = 0.f;
            for (int i = 0; i < n; ++i)
                rowMax = std::max(rowMax, std::abs(expected[size_t(r) * n + i]));
            for (int i = 0; i < n; ++i) {
                const size_t k = size_t(r) * n + i;
                if (std::abs(actual[k] - expected[k]) > 1e-5f * rowMax)
                    QFAIL(qPrintable(QString("row %1 element %2: GPU %3, reference %4").arg(r).arg(i)
                                         .arg(actual[k]).arg(expected[k])));
            }
        }
    }

    void rejectsBuffersTooSmall()
    {
        auto small = vk::Buffer::create(m_gpu.device(), 64, vk::MemoryUsage::DeviceLocal);
        QVERIFY(small);
        auto& recorder = m_gpu.recorder();
        QVERIFY(recorder.begin());
        const auto result = m_gpu.kernels().rmsNorm(recorder, 4, 100, 1e-6f, small->range(), small->range(),
                                                    small->range());
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        QVERIFY(recorder.end());
    }
};

QTEST_GUILESS_MAIN(TestKernelRmsNorm)
#include "tst_kernel_rms_norm.moc"
