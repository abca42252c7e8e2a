// matmul on the GPU against quant.h's dotRow on the same bytes, per (token,
// row), for every tensor type, at row and token counts that are not
// multiples of any tile (1, 7, 65, 333 rows; 1, 3, 17, 100 tokens), float
// rows whose length is not a multiple of the depth or of a chunk, in the
// device's default tiles, the GPU's shared tiles and a small odd tile, with
// fused bias and residual (also in place), the split into several
// dispatches by binding size and by grid size.
//
// Tolerance: |gpu - reference| <= 1e-6 * (sum_c |w_c x_c| + |bias| + |residual|)
// per output. The reference sums in float64; the GPU dequantizes the same
// bytes to f32 with the same formulas and accumulates in f32 in another
// order (per tile step, perhaps fused into FMAs). Each rounding is at most
// 2^-24 (6e-8) of a partial sum, and partial sums of random-sign products
// stay well below sum |w x|, so the error is a few 1e-8 of it; 1e-6 leaves a
// margin and still catches one weight off by a single quantization level or
// one product dropped. The scale is sum |w x|, not |sum w x|, because
// cancellation in the sum cannot loosen the error of the terms.
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
    uint32_t tokens = 1;
    bool bias = false;
    bool residual = false;
    bool inPlace = false;  // residual is y itself
    MatMulTiles tiles;     // all zero: the device's defaults
    uint64_t maxBindingBytes = 0;
    uint64_t weightOffset = 0;  // bytes of other data before the matrix in its buffer
};

// Columns: several blocks of each type, an odd count so 2-byte-aligned
// blocks start at both halves of a word; for float types not a multiple of
// 8 or of any depth (the ragged last chunk).
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

// The real-GPU default, forced on whatever device runs the suite.
constexpr MatMulTiles kSharedTiles{64, 64, 32, 4, 4, MatMulLayout::SharedTiles};
// Small and lopsided: many tiles and steps, 2x1 blocks of 32 invocations.
constexpr MatMulTiles kOddTiles{16, 4, 16, 2, 1, MatMulLayout::SharedTiles};
// Registers, 8 tokens of 2 rows each.
constexpr MatMulTiles kSmallRegisterTiles{8, 8, 8, 2, 8, MatMulLayout::RegisterWeights};

} // namespace

Q_DECLARE_METATYPE(Case)
Q_DECLARE_METATYPE(MatMulTiles)

class TestKernelMatmul : public QObject {
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
        for (TensorType t : kTypes) {
            const uint32_t cols = shortRow(t);
            const uint64_t rowBytes = tensorBytes(t, cols);
            const QByteArray name(tensorTypeName(t).data(), qsizetype(tensorTypeName(t).size()));
            auto row = [&](const char* what, Case c) { QTest::newRow((name + " " + what).constData()) << c; };
            // Each distinct tile shape costs a pipeline compile on lavapipe,
            // so the rows share three of them per type.
            row("1 row, 1 token", {t, 1, cols, 1});
            row("7 rows, 3 tokens, bias", {t, 7, cols, 3, true});
            row("65 rows, 17 tokens, residual in place", {t, 65, cols, 17, false, true, true});
            row("333 rows, 100 tokens, bias and residual", {t, 333, cols, 100, true, true});
            row("shared tiles, 65 rows, 17 tokens, bias", {t, 65, cols, 17, true, false, false, kSharedTiles});
            row("shared tiles, 333 rows, 100 tokens, residual in place",
                {t, 333, cols, 100, false, true, true, kSharedTiles});
            row("odd tiles, 65 rows, 17 tokens, bias and residual", {t, 65, cols, 17, true, true, false, kOddTiles});
            // About 5 (3) rows per dispatch, the matrix 48 (16) bytes into its buffer.
            row("split into slices, 33 rows, 17 tokens, bias and residual",
                {t, 33, cols, 17, true, true, false, {}, rowBytes * 5 + 32, 48});
            row("split, shared tiles, 13 rows, 3 tokens in place",
                {t, 13, cols, 3, false, true, true, kSharedTiles, rowBytes * 3 + 32, 16});
        }
        QTest::newRow("F32 register tiles of 8 rows, 7 rows, 17 tokens")
            << Case{TensorType::F32, 7, 77, 17, true, true, false, kSmallRegisterTiles};
        QTest::newRow("Q6_K register tiles of 8 rows, 65 rows, 3 tokens")
            << Case{TensorType::Q6_K, 65, 512, 3, false, true, true, kSmallRegisterTiles};
        // More than 65535 one-row tiles: the slice is dispatched in two parts.
        QTest::newRow("Q8_0 70001 rows in one-row tiles, two parts")
            << Case{TensorType::Q8_0, 70001, 32, 2, true, false, false, {1, 8, 8, 1, 8, MatMulLayout::RegisterWeights}};
    }

    void matchesReference()
    {
        QFETCH(Case, c);
        std::mt19937 rng(c.rows * 7919u + c.cols * 31u + c.tokens + uint32_t(c.type) * 1009u);
        const auto problem = test::makeMatrixProblem(c.type, c.rows, c.cols, c.tokens, rng);
        QVERIFY(problem);

        // The matrix at weightOffset, its range padded to a whole word.
        auto wBuffer = upload(problem->storedAfter(c.weightOffset), c.weightOffset + test::roundUp4(problem->stored.size()));
        auto xBuffer = uploadFloats(problem->x);
        auto biasBuffer = uploadFloats(problem->bias);
        auto residualBuffer = uploadFloats(problem->residual);
        std::vector<float> initialY(size_t(c.tokens) * c.rows, 1e30f);  // must all be overwritten
        if (c.inPlace)
            initialY = problem->residual;
        auto yBuffer = uploadFloats(initialY);
        QVERIFY(wBuffer && xBuffer && biasBuffer && residualBuffer && yBuffer);

        MatMulOptions options;
        if (c.bias)
            options.bias = biasBuffer->range();
        if (c.residual)
            options.residual = c.inPlace ? yBuffer->range() : residualBuffer->range();
        options.tiles = c.tiles;
        options.maxBindingBytes = c.maxBindingBytes;

        const auto w = wBuffer->range(c.weightOffset, wBuffer->size() - c.weightOffset);
        PONDER_VERIFY_RESULT(test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) {
            return m_gpu.kernels().matMul(recorder, c.type, c.rows, c.cols, c.tokens, yBuffer->range(), w,
                                          xBuffer->range(), options);
        }));
        auto actual = test::downloaded<float>(m_gpu, *yBuffer, initialY.size());
        QVERIFY(actual);

        double worst = 0;
        const QString difference =
            test::differenceFromReference(*problem, *actual, c.bias, c.residual, kTolerance, "token", worst);
        if (!difference.isEmpty())
            QFAIL(qPrintable(difference));
        qDebug("worst error / scale: %.3g", worst);
    }

    void rejectsBadArguments_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("weightBytes");
        QTest::addColumn<MatMulTiles>("tiles");
        QTest::addColumn<int>("code");
        const int invalid = int(ErrorCode::InvalidArgument), unsupported = int(ErrorCode::Unsupported);
        const MatMulTiles none;
        const auto q40 = int(TensorType::Q4_0), f32 = int(TensorType::F32);
        // Q4_0, 7 rows of 160: 630 bytes, 632 once padded to a word; x holds 2048 bytes.
        QTest::newRow("fits") << q40 << 7 << 160 << 3 << 632 << none << -1;
        QTest::newRow("weights not padded to a word") << q40 << 7 << 160 << 3 << 630 << none << invalid;
        QTest::newRow("cols not whole blocks") << int(TensorType::Q4_K) << 2 << 300 << 1 << 4096 << none << invalid;
        QTest::newRow("no rows") << f32 << 0 << 16 << 1 << 4096 << none << invalid;
        QTest::newRow("no columns") << f32 << 4 << 0 << 1 << 4096 << none << invalid;
        QTest::newRow("no tokens") << f32 << 4 << 16 << 0 << 4096 << none << invalid;
        QTest::newRow("65536 tokens") << f32 << 1 << 1 << 65536 << 4096 << none << invalid;
        QTest::newRow("input too small") << f32 << 4 << 160 << 4 << 4096 << none << invalid;
        QTest::newRow("output too small") << f32 << 64 << 8 << 2 << 4096 << none << invalid;
        QTest::newRow("depth not a multiple of 8")
            << f32 << 4 << 16 << 1 << 4096 << MatMulTiles{16, 16, 12, 4, 4} << invalid;
        QTest::newRow("tile not whole blocks")
            << f32 << 4 << 16 << 1 << 4096 << MatMulTiles{18, 16, 16, 4, 4} << invalid;
        QTest::newRow("register layout sharing tokens")
            << f32 << 4 << 16 << 1 << 4096 << MatMulTiles{16, 16, 16, 4, 4, MatMulLayout::RegisterWeights}
            << invalid;
        QTest::newRow("too many invocations")
            << f32 << 4 << 16 << 1 << 4096 << MatMulTiles{128, 128, 8, 1, 1} << invalid;
        QTest::newRow("too much shared memory")
            << f32 << 4 << 16 << 1 << 4096 << MatMulTiles{256, 256, 256, 16, 16} << invalid;
        QTest::newRow("Q4_1 has no kernel") << int(TensorType::Q4_1) << 4 << 32 << 1 << 4096 << none << unsupported;
        QTest::newRow("unknown type id") << 99 << 4 << 32 << 1 << 4096 << none << unsupported;
    }

    void rejectsBadArguments()
    {
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, tokens);
        QFETCH(int, weightBytes);
        QFETCH(MatMulTiles, tiles);
        QFETCH(int, code);
        auto buffer = vk::Buffer::create(m_gpu.device(), 16384, vk::MemoryUsage::DeviceLocal);
        auto small = vk::Buffer::create(m_gpu.device(), 2048, vk::MemoryUsage::DeviceLocal);
        QVERIFY(buffer && small);
        auto& recorder = m_gpu.recorder();
        QVERIFY(recorder.begin());
        MatMulOptions options;
        options.tiles = tiles;
        const auto result = m_gpu.kernels().matMul(recorder, TensorType(type), uint32_t(rows), uint32_t(cols),
                                                   uint32_t(tokens), buffer->range(0, 64 * 4),
                                                   buffer->range(4096, uint64_t(weightBytes)), small->range(),
                                                   options);
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
        MatMulOptions withBias;
        withBias.bias = buffer->range(0, 16);  // 4 rows of bias for 8 rows
        MatMulOptions withResidual;
        withResidual.residual = buffer->range(0, 48);  // 12 of the 16 outputs of 2 tokens
        for (const auto& options : {withBias, withResidual}) {
            const auto result = m_gpu.kernels().matMul(recorder, TensorType::F32, 8, 32, 2, buffer->range(0, 64),
                                                       buffer->range(1024, 1024), buffer->range(2048, 256), options);
            QVERIFY(!result);
            QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        }
        QVERIFY(recorder.end());
    }

    // The defaults are valid tiles for this device (the session relies on
    // them): a CPU device's unless its kernels were told to take a GPU's
    // (PONDER_GPU_LAYOUTS).
    void defaultTilesAreValid()
    {
        const MatMulTiles tiles = m_gpu.kernels().matMulTiles();
        QVERIFY(tiles.rowsEach > 0 && tiles.tokensEach > 0);
        QCOMPARE(tiles.rows % tiles.rowsEach, 0u);
        QCOMPARE(tiles.tokens % tiles.tokensEach, 0u);
        QCOMPARE(tiles.depth % 8, 0u);
        const bool cpu = m_gpu.device().adapter().type == vk::AdapterType::Cpu &&
                         m_gpu.kernels().options().layouts == KernelLayouts::Device;
        QCOMPARE(tiles.layout == MatMulLayout::RegisterWeights, cpu);
    }
};

QTEST_GUILESS_MAIN(TestKernelMatmul)
#include "tst_kernel_matmul.moc"
