// silu_mul and add on the GPU against the CPU reference, at odd sizes, in
// place, and split into several dispatches when a binding limit is lowered.
#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

#include "gpu_fixture.h"
#include "kernel_test_buffers.h"
#include "ponder/reference/ops.h"

using namespace ponder;

namespace {

enum class Op { SiluMul, Add };

} // namespace

Q_DECLARE_METATYPE(Op)

class TestKernelElementwise : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void matchesReference_data()
    {
        QTest::addColumn<Op>("op");
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("inPlace");
        QTest::addColumn<int>("maxBindingBytes");  // 0: the device's range
        for (const Op op : {Op::SiluMul, Op::Add}) {
            const char* name = op == Op::SiluMul ? "silu_mul" : "add";
            QTest::addRow("%s one", name) << op << 1 << false << 0;
            QTest::addRow("%s 1000 (odd tail)", name) << op << 1000 << false << 0;
            QTest::addRow("%s qwen 1.5B ffn 8960 + 3", name) << op << 8963 << true << 0;
            QTest::addRow("%s 3 rows of 1536, in place", name) << op << 3 * 1536 << true << 0;
            // Chunks of 64 floats (256 bytes): 16 dispatches, the last partial.
            QTest::addRow("%s split into 256-byte bindings", name) << op << 1001 << false << 256;
            QTest::addRow("%s split, in place", name) << op << 777 << true << 512;
        }
        // More than 65535 workgroups' worth: the grid strides.
        QTest::newRow("add past the workgroup-count cap") << Op::Add << 256 * 65535 + 1000 << false << 0;
    }

    void matchesReference()
    {
        QFETCH(Op, op);
        QFETCH(int, count);
        QFETCH(bool, inPlace);
        QFETCH(int, maxBindingBytes);
        std::mt19937 rng(uint32_t(count) * 31 + uint32_t(op));
        const auto a = test::randomFloats(size_t(count), rng, 3.f);
        const auto b = test::randomFloats(size_t(count), rng, 1.f);
        std::vector<float> expected = a;
        if (op == Op::SiluMul)
            reference::siluMul(expected, b);
        else
            reference::add(expected, b);

        auto aBuffer = test::uploaded(m_gpu, a);
        auto bBuffer = test::uploaded(m_gpu, b);
        auto yBuffer = test::uploaded(m_gpu, std::vector<float>(size_t(count)));
        PONDER_VERIFY_RESULT(aBuffer);
        PONDER_VERIFY_RESULT(bBuffer);
        PONDER_VERIFY_RESULT(yBuffer);
        const vk::Buffer& out = inPlace ? *aBuffer : *yBuffer;
        PONDER_VERIFY_RESULT(test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) {
            const auto& k = m_gpu.kernels();
            return op == Op::SiluMul
                       ? k.siluMul(recorder, uint64_t(count), out.range(), aBuffer->range(), bBuffer->range(),
                                   uint64_t(maxBindingBytes))
                       : k.add(recorder, uint64_t(count), out.range(), aBuffer->range(), bBuffer->range(),
                               uint64_t(maxBindingBytes));
        }));
        auto actual = test::downloaded<float>(m_gpu, out, size_t(count));
        PONDER_VERIFY_RESULT(actual);

        for (int i = 0; i < count; ++i) {
            const float want = expected[size_t(i)];
            const float got = (*actual)[size_t(i)];
            // add: one float addition, correctly rounded on both sides: exact.
            // silu_mul: the GPU's float exp (Vulkan allows 3 + 2|x| ulp; |x|
            // stays below ~15 here) against the reference's double: 8e-6
            // relative covers ~60 ulp.
            const float tolerance = op == Op::Add ? 0.f : 8e-6f * std::abs(want) + 1e-30f;
            if (!(std::abs(got - want) <= tolerance))
                QFAIL(qPrintable(QString("element %1: GPU %2, reference %3").arg(i).arg(got).arg(want)));
        }
    }

    void rejectsBadArguments()
    {
        auto small = vk::Buffer::create(m_gpu.device(), 64, vk::MemoryUsage::DeviceLocal);
        QVERIFY(small);
        auto& recorder = m_gpu.recorder();
        QVERIFY(recorder.begin());
        const auto& k = m_gpu.kernels();
        const auto tooMany = k.add(recorder, 17, small->range(), small->range(), small->range());
        QVERIFY(!tooMany);
        QCOMPARE(tooMany.error().code, ErrorCode::InvalidArgument);
        const auto none = k.siluMul(recorder, 0, small->range(), small->range(), small->range());
        QVERIFY(!none);
        QCOMPARE(none.error().code, ErrorCode::InvalidArgument);
        // A chunk must start on the offset alignment: a binding mid-way cannot be split.
        const auto unaligned = k.add(recorder, 8, small->range(4, 32), small->range(), small->range(), 16);
        QVERIFY(!unaligned);
        QCOMPARE(unaligned.error().code, ErrorCode::InvalidArgument);
        QVERIFY(recorder.end());
    }
};

QTEST_GUILESS_MAIN(TestKernelElementwise)
#include "tst_kernel_elementwise.moc"
