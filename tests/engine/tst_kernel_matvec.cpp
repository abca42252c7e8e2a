// matvec on the GPU against quant.h's dotRow on the same bytes, for every
// tensor type, at sizes that are not multiples of the rows per workgroup or
// the workgroup's units, in every variant (subgroup and shared-memory
// reductions, row per invocation), with fused bias and residual, several
// vectors, the split into several dispatches and a two-dimensional grid,
// and with the RMS norm folded in (x normalised on the fly; the reference
// normalises in float64 first).
//
// Tolerance: |gpu - reference| <= 1e-6 * (sum_i |w_i x_i| + |bias| + |residual|)
// per output. The reference sums in float64; the GPU dequantizes to f32 (the
// same formula as the CPU, perhaps fused into FMAs) and accumulates in f32 in
// another order. Each rounding is at most 2^-24 (6e-8) of a partial sum, and
// partial sums of random-sign products stay far below sum |w x|, so the
// measured error is ~3e-8 of it; 1e-6 leaves a wide margin and still catches
// one weight off by a single level (in a 1536-wide Q8_0 row that moves the
// sum by ~1e-5 of the scale). Cancellation in the sum itself cannot loosen the
// bound, which is why the scale is sum |w x| and not |sum w x|.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gpu_fixture.h"
#include "kernel_test_buffers.h"
#include "matrix_test_problem.h"
#include "ponder/quant.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/transfer.h"

using namespace ponder;

namespace {

constexpr double kTolerance = 1e-6;

struct Case {
    TensorType type = TensorType::F32;
    uint32_t rows = 1;
    uint32_t cols = 1;
    uint32_t vectors = 1;
    bool bias = false;
    bool residual = false;
    bool inPlace = false;  // residual is y itself
    MatVecVariant variant = MatVecVariant::Auto;
    uint64_t maxBindingBytes = 0;
    uint64_t weightOffset = 0;  // bytes of other data before the matrix in its buffer
    bool norm = false;          // x is RMS-normalised with random weights inside the kernel
};

constexpr float kNormEpsilon = 1e-6f;

// x[v] / sqrt(mean(x[v]^2) + eps) * weight, in float64: what the folded norm computes.
std::vector<float> rmsNormalised(const std::vector<float>& x, uint32_t cols, const std::vector<float>& weight)
{
    std::vector<float> out(x.size());
    for (size_t v = 0; v < x.size() / cols; ++v) {
        double squares = 0;
        for (uint32_t i = 0; i < cols; ++i)
            squares += double(x[v * cols + i]) * x[v * cols + i];
        const double scale = 1.0 / std::sqrt(squares / cols + kNormEpsilon);
        for (uint32_t i = 0; i < cols; ++i)
            out[v * cols + i] = float(x[v * cols + i] * scale * weight[i]);
    }
    return out;
}

// Columns: "several blocks" for each type, with an odd block count so that
// 2-byte-aligned blocks start at both halves of a word; odd for float types.
uint32_t shortRow(TensorType type)
{
    switch (traits(type).blockSize) {
    case 1: return 77;
    case 32: return 32 * 5;
    default: return 256 * 3;
    }
}

const TensorType kTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q4_0, TensorType::Q8_0,
                             TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K};

} // namespace

Q_DECLARE_METATYPE(Case)

class TestKernelMatvec : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

    Result<vk::Buffer> upload(std::span<const std::byte> bytes, uint64_t size)
    {
        return test::uploadedWithFiller(m_gpu, bytes, size);
    }

    Result<vk::Buffer> uploadFloats(const std::vector<float>& values)
    {
        return upload(std::as_bytes(std::span(values)), std::max<uint64_t>(values.size() * 4, 4));
    }

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void matchesReference_data()
    {
        QTest::addColumn<Case>("c");
        const bool subgroups = m_gpu.device().adapter().subgroupArithmetic;
        const auto subgroup = subgroups ? MatVecVariant::Subgroup : MatVecVariant::SharedMemory;
        const auto shared = MatVecVariant::SharedMemory;
        const auto perRow = MatVecVariant::RowPerInvocation;
        for (TensorType t : kTypes) {
            const uint32_t cols = shortRow(t);
            const uint32_t wide = 1536;  // a whole number of blocks of every type; 16-byte aligned float rows
            const uint64_t rowBytes = tensorBytes(t, cols);
            const QByteArray name(tensorTypeName(t).data(), qsizetype(tensorTypeName(t).size()));
            auto row = [&](const char* what, Case c) { QTest::newRow((name + " " + what).constData()) << c; };
            // Each distinct (variant, workgroup shape) costs a pipeline
            // compile on lavapipe, so the rows share a few of them.
            // Each distinct (variant, workgroup shape) costs a pipeline
            // compile on lavapipe, so the rows share a few of them.
            row("1 row, shared memory", {t, 1, cols, 1, false, false, false, shared});
            row("bias and residual, shared memory", {t, 33, cols, 1, true, true, false, shared});
            row("7 rows, subgroup", {t, 7, cols, 1, false, false, false, subgroup});
            row("bias and residual, subgroup", {t, 33, cols, 1, true, true, false, subgroup});
            row("residual in place, subgroup", {t, 7, cols, 1, false, true, true, subgroup});
            row("333 rows, wide, subgroup", {t, 333, wide, 1, false, false, false, subgroup});
            row("33 rows, row per invocation", {t, 33, cols, 1, false, false, false, perRow});
            row("bias and residual in place, row per invocation", {t, 7, cols, 1, true, true, true, perRow});
            row("333 rows, wide, row per invocation", {t, 333, wide, 1, false, false, false, perRow});
            row("3 vectors, bias, shared memory", {t, 7, cols, 3, true, false, false, shared});
            row("8 vectors, residual, subgroup", {t, 5, cols, 8, false, true, false, subgroup});
            row("3 vectors, bias and residual, row per invocation", {t, 35, cols, 3, true, true, false, perRow});
            // About 5 (3) rows per dispatch, the matrix 48 (16) bytes into its buffer.
            row("split into slices, subgroup", {t, 33, cols, 1, true, true, false, subgroup, rowBytes * 5 + 32, 48});
            row("split, 3 vectors in place, shared memory",
                {t, 13, cols, 3, false, true, true, shared, rowBytes * 3 + 32, 16});
            row("split, row per invocation", {t, 70, cols, 1, true, false, false, perRow, rowBytes * 40 + 32, 32});
            row("norm folded, subgroup", {t, 33, cols, 1, true, false, false, subgroup, 0, 0, true});
            row("norm folded, wide, shared memory", {t, 35, wide, 1, false, true, false, shared, 0, 0, true});
            row("norm folded, row per invocation", {t, 33, wide, 1, false, false, false, perRow, 0, 0, true});
            row("norm folded, 3 vectors, subgroup", {t, 7, cols, 3, false, false, false, subgroup, 0, 0, true});
            row("norm folded, 3 vectors, row per invocation", {t, 35, cols, 3, true, false, false, perRow, 0, 0, true});
        }
        // More than 65535 workgroups of 2 rows (a vocabulary-sized output):
        // the grid wraps into a second dimension.
        QTest::newRow("Q8_0 140001 rows, two-dimensional grid")
            << Case{TensorType::Q8_0, 140001, 32, 1, true, false, false, subgroup};
    }

    void matchesReference()
    {
        QFETCH(Case, c);
        std::mt19937 rng(c.rows * 7919u + c.cols * 31u + c.vectors + uint32_t(c.type) * 1009u);
        auto problem = test::makeMatrixProblem(c.type, c.rows, c.cols, c.vectors, rng);
        QVERIFY(problem);
        std::vector<float> normWeight(c.cols);
        std::uniform_real_distribution<float> around1(0.5f, 1.5f);
        for (auto& w : normWeight)
            w = around1(rng);
        auto normBuffer = uploadFloats(normWeight);
        QVERIFY(normBuffer);

        // The matrix at weightOffset, its range padded to a whole word.
        auto wBuffer = upload(problem->storedAfter(c.weightOffset), c.weightOffset + test::roundUp4(problem->stored.size()));
        auto xBuffer = uploadFloats(problem->x);
        auto biasBuffer = uploadFloats(problem->bias);
        auto residualBuffer = uploadFloats(problem->residual);
        std::vector<float> initialY(size_t(c.vectors) * c.rows, 1e30f);  // must all be overwritten
        if (c.inPlace)
            initialY = problem->residual;
        auto yBuffer = uploadFloats(initialY);
        QVERIFY(wBuffer && xBuffer && biasBuffer && residualBuffer && yBuffer);

        MatVecOptions options;
        if (c.bias)
            options.bias = biasBuffer->range();
        if (c.residual)
            options.residual = c.inPlace ? yBuffer->range() : residualBuffer->range();
        options.variant = c.variant;
        options.maxBindingBytes = c.maxBindingBytes;
        if (c.norm) {
            options.normWeight = normBuffer->range();
            options.normEpsilon = kNormEpsilon;
        }

        auto& recorder = m_gpu.recorder();
        QVERIFY(recorder.begin());
        const auto w = wBuffer->range(c.weightOffset, wBuffer->size() - c.weightOffset);
        const auto dispatched = c.vectors == 1
            ? m_gpu.kernels().matVec(recorder, c.type, c.rows, c.cols, yBuffer->range(), w, xBuffer->range(), options)
            : m_gpu.kernels().matVecBatch(recorder, c.type, c.rows, c.cols, c.vectors, yBuffer->range(), w,
                                          xBuffer->range(), options);
        QVERIFY2(dispatched, dispatched ? "" : dispatched.error().message.c_str());
        QVERIFY(recorder.end());
        QVERIFY(recorder.submitAndWait());
        std::vector<float> actual(initialY.size());
        QVERIFY(vk::downloadBytes(m_gpu.device(), recorder, *yBuffer, std::as_writable_bytes(std::span(actual))));

        if (c.norm)  // the reference product reads the normalised x
            problem->x = rmsNormalised(problem->x, c.cols, normWeight);
        double worst = 0;
        const QString difference =
            test::differenceFromReference(*problem, actual, c.bias, c.residual, kTolerance, "vector", worst);
        if (!difference.isEmpty())
            QFAIL(qPrintable(difference));
        qDebug("worst error / scale: %.3g", worst);
    }

    void rejectsBadArguments_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("vectors");
        QTest::addColumn<int>("weightBytes");
        QTest::addColumn<int>("weightOffset");
        QTest::addColumn<int>("code");
        const int invalid = int(ErrorCode::InvalidArgument), unsupported = int(ErrorCode::Unsupported);
        // Q4_0, 7 rows of 160: 630 bytes, 632 once padded to a word.
        QTest::newRow("fits") << int(TensorType::Q4_0) << 7 << 160 << 1 << 632 << 0 << -1;
        QTest::newRow("weights not padded to a word") << int(TensorType::Q4_0) << 7 << 160 << 1 << 630 << 0 << invalid;
        QTest::newRow("weights too small") << int(TensorType::Q4_0) << 8 << 160 << 1 << 632 << 0 << invalid;
        QTest::newRow("cols not whole blocks") << int(TensorType::Q4_K) << 2 << 300 << 1 << 4096 << 0 << invalid;
        QTest::newRow("no rows") << int(TensorType::F32) << 0 << 16 << 1 << 4096 << 0 << invalid;
        QTest::newRow("no columns") << int(TensorType::F32) << 4 << 0 << 1 << 4096 << 0 << invalid;
        QTest::newRow("no vectors") << int(TensorType::F32) << 4 << 16 << 0 << 4096 << 0 << invalid;
        QTest::newRow("nine vectors") << int(TensorType::F32) << 4 << 16 << 9 << 4096 << 0 << invalid;
        QTest::newRow("input too small") << int(TensorType::F32) << 4 << 600 << 1 << 16384 << 0 << invalid;
        QTest::newRow("misaligned weights") << int(TensorType::F32) << 4 << 16 << 1 << 1024 << 6 << invalid;
        QTest::newRow("Q4_1 has no kernel") << int(TensorType::Q4_1) << 4 << 32 << 1 << 4096 << 0 << unsupported;
        QTest::newRow("unknown type id") << 99 << 4 << 32 << 1 << 4096 << 0 << unsupported;
    }

    void rejectsBadArguments()
    {
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, vectors);
        QFETCH(int, weightBytes);
        QFETCH(int, weightOffset);
        QFETCH(int, code);
        auto buffer = vk::Buffer::create(m_gpu.device(), 16384 + 64, vk::MemoryUsage::DeviceLocal);
        auto small = vk::Buffer::create(m_gpu.device(), 2048, vk::MemoryUsage::DeviceLocal);
        QVERIFY(buffer && small);
        auto& recorder = m_gpu.recorder();
        QVERIFY(recorder.begin());
        const auto result = m_gpu.kernels().matVecBatch(recorder, TensorType(type), uint32_t(rows), uint32_t(cols),
                                                        uint32_t(vectors), buffer->range(0, 64 * 4),
                                                        buffer->range(uint64_t(weightOffset), uint64_t(weightBytes)),
                                                        small->range(), {});
        QVERIFY(recorder.end());
        if (code < 0) {
            QVERIFY2(result, result ? "" : result.error().message.c_str());
            return;
        }
        QVERIFY(!result);
        QCOMPARE(int(result.error().code), code);
        QVERIFY(!result.error().message.empty());
    }

    void rejectsSmallOptionalRanges()
    {
        auto buffer = vk::Buffer::create(m_gpu.device(), 4096, vk::MemoryUsage::DeviceLocal);
        QVERIFY(buffer);
        auto& recorder = m_gpu.recorder();
        QVERIFY(recorder.begin());
        MatVecOptions withBias;
        withBias.bias = buffer->range(0, 16);  // 4 rows of bias for 8 rows
        MatVecOptions withResidual;
        withResidual.residual = buffer->range(0, 16);
        for (const auto& options : {withBias, withResidual}) {
            const auto result = m_gpu.kernels().matVec(recorder, TensorType::F32, 8, 32, buffer->range(0, 64),
                                                       buffer->range(1024, 1024), buffer->range(2048, 128), options);
            QVERIFY(!result);
            QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        }
        QVERIFY(recorder.end());
    }
};

QTEST_GUILESS_MAIN(TestKernelMatvec)
#include "tst_kernel_matvec.moc"
