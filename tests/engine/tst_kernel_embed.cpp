// embed on the GPU against quant.h's dequantizeRow, for every tensor type:
// ids including 0, vocab-1 and duplicates, out-of-range ids (clamped to
// vocab-1 on the GPU, rejected by checkTokenIds on the CPU), and a table
// split into several bindings.
//
// Tolerance: 1e-6 of the row's largest magnitude. Float types must match
// exactly; the quantized ones compute the same step*level - offset as the CPU
// in f32, but the GPU may fuse it into one FMA (one rounding instead of two),
// which moves a value by at most an ulp of the larger term (~1.2e-7 relative).
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gpu_fixture.h"
#include "kernel_test_buffers.h"
#include "ponder/quant.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/transfer.h"

using namespace ponder;

namespace {

struct Case {
    TensorType type = TensorType::F32;
    uint32_t nEmbd = 1;
    uint32_t vocab = 1;
    std::vector<int32_t> ids;
    uint64_t maxBindingBytes = 0;
    uint64_t tableOffset = 0;  // bytes of other data before the table in its buffer
};

// Row widths of a few blocks, an odd count so 2-byte-aligned blocks start at
// both halves of a word; odd for float types.
uint32_t rowWidth(TensorType type)
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

class TestKernelEmbed : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

    Result<vk::Buffer> upload(std::span<const std::byte> bytes, uint64_t size)
    {
        return test::uploadedWithFiller(m_gpu, bytes, size);
    }

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void matchesReference_data()
    {
        QTest::addColumn<Case>("c");
        for (TensorType t : kTypes) {
            const uint32_t width = rowWidth(t);
            const uint64_t rowBytes = tensorBytes(t, width);
            const QByteArray name(tensorTypeName(t).data(), qsizetype(tensorTypeName(t).size()));
            auto row = [&](const char* what, Case c) { QTest::newRow((name + " " + what).constData()) << c; };
            row("first, last and repeated ids", {t, width, 37, {0, 36, 5, 5, 17, 0, 36, 1, 2, 3, 30}});
            row("one token", {t, width, 37, {19}});
            row("wide rows", {t, 1536, 11, {10, 0, 3, 3}});
            row("out-of-range ids read the last row", {t, width, 37, {37, -1, 1000000, 4}});
            // About 4 rows per binding, the table 48 bytes into its buffer.
            row("split table", {t, width, 37, {0, 36, 8, 9, 35, 4, 4, 20, 37}, rowBytes * 4 + 32, 48});
        }
    }

    void matchesReference()
    {
        QFETCH(Case, c);
        std::mt19937 rng(c.nEmbd * 131u + c.vocab * 7u + uint32_t(c.type));
        const uint64_t rowBytes = tensorBytes(c.type, c.nEmbd);
        const auto values = test::randomFloats(size_t(c.vocab) * c.nEmbd, rng, 1.f);
        std::vector<std::byte> stored(rowBytes * c.vocab);
        QVERIFY(quantize(c.type, values, stored));

        std::vector<std::byte> tableBytes(c.tableOffset, std::byte(0x77));
        tableBytes.insert(tableBytes.end(), stored.begin(), stored.end());
        auto table = upload(tableBytes, c.tableOffset + (stored.size() + 3) / 4 * 4);
        auto ids = upload(std::as_bytes(std::span(c.ids)), c.ids.size() * 4);
        const size_t outCount = c.ids.size() * c.nEmbd;
        std::vector<float> initial(outCount, 1e30f);  // must all be overwritten
        auto out = upload(std::as_bytes(std::span(initial)), outCount * 4);
        QVERIFY(table && ids && out);

        auto& recorder = m_gpu.recorder();
        QVERIFY(recorder.begin());
        const auto dispatched = m_gpu.kernels().embed(recorder, c.type, c.nEmbd, c.vocab, uint32_t(c.ids.size()),
                                                      out->range(),
                                                      table->range(c.tableOffset, table->size() - c.tableOffset),
                                                      ids->range(), c.maxBindingBytes);
        QVERIFY2(dispatched, dispatched ? "" : dispatched.error().message.c_str());
        QVERIFY(recorder.end());
        QVERIFY(recorder.submitAndWait());
        std::vector<float> actual(outCount);
        QVERIFY(vk::downloadBytes(m_gpu.device(), recorder, *out, std::as_writable_bytes(std::span(actual))));

        std::vector<float> expected(c.nEmbd);
        for (size_t t = 0; t < c.ids.size(); ++t) {
            const bool inRange = c.ids[t] >= 0 && uint32_t(c.ids[t]) < c.vocab;
            const uint32_t id = inRange ? uint32_t(c.ids[t]) : c.vocab - 1;
            QVERIFY(dequantizeRow(c.type, stored, c.nEmbd, id, expected));
            float rowMax = 0.f;
            for (float v : expected)
                rowMax = std::max(rowMax, std::abs(v));
            for (uint32_t i = 0; i < c.nEmbd; ++i) {
                const float got = actual[t * c.nEmbd + i];
                if (!(std::abs(got - expected[i]) <= 1e-6f * rowMax))
                    QFAIL(qPrintable(QString("token %1 (id %2) value %3: GPU %4, reference %5")
                                         .arg(t).arg(c.ids[t]).arg(i).arg(got, 0, 'g', 9).arg(expected[i], 0, 'g', 9)));
            }
        }
    }

    void checkTokenIdsRejectsOutOfRange_data()
    {
        QTest::addColumn<QList<int>>("ids");
        QTest::addColumn<bool>("valid");
        QTest::newRow("none") << QList<int>{} << true;
        QTest::newRow("first and last") << QList<int>{0, 99} << true;
        QTest::newRow("vocab") << QList<int>{3, 100} << false;
        QTest::newRow("negative") << QList<int>{-1, 3} << false;
        QTest::newRow("huge") << QList<int>{2147483647} << false;
    }

    void checkTokenIdsRejectsOutOfRange()
    {
        QFETCH(QList<int>, ids);
        QFETCH(bool, valid);
        const std::vector<int32_t> values(ids.begin(), ids.end());
        const auto result = checkTokenIds(values, 100);
        QCOMPARE(bool(result), valid);
        if (!valid) {
            QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
            QVERIFY(!result.error().message.empty());
        }
    }

    void rejectsBadArguments_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("nEmbd");
        QTest::addColumn<int>("vocab");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("tableBytes");
        QTest::addColumn<int>("code");
        const int invalid = int(ErrorCode::InvalidArgument), unsupported = int(ErrorCode::Unsupported);
        // Q8_0, 3 rows of 32: 102 bytes, 104 once padded to a word.
        QTest::newRow("fits") << int(TensorType::Q8_0) << 32 << 3 << 4 << 104 << -1;
        QTest::newRow("table not padded to a word") << int(TensorType::Q8_0) << 32 << 3 << 4 << 102 << invalid;
        QTest::newRow("row not whole blocks") << int(TensorType::Q6_K) << 100 << 3 << 4 << 4096 << invalid;
        QTest::newRow("no tokens") << int(TensorType::F32) << 8 << 3 << 0 << 4096 << invalid;
        QTest::newRow("empty table") << int(TensorType::F32) << 8 << 0 << 4 << 4096 << invalid;
        QTest::newRow("more tokens than ids") << int(TensorType::F32) << 8 << 3 << 9 << 4096 << invalid;
        QTest::newRow("output too small") << int(TensorType::F32) << 200 << 3 << 4 << 4096 << invalid;
        QTest::newRow("Q5_1 has no kernel") << int(TensorType::Q5_1) << 32 << 3 << 4 << 4096 << unsupported;
    }

    void rejectsBadArguments()
    {
        QFETCH(int, type);
        QFETCH(int, nEmbd);
        QFETCH(int, vocab);
        QFETCH(int, tokens);
        QFETCH(int, tableBytes);
        QFETCH(int, code);
        auto buffer = vk::Buffer::create(m_gpu.device(), 8192, vk::MemoryUsage::DeviceLocal);
        QVERIFY(buffer);
        auto& recorder = m_gpu.recorder();
        QVERIFY(recorder.begin());
        // ids: 8 of them; out: 640 floats.
        const auto result = m_gpu.kernels().embed(recorder, TensorType(type), uint32_t(nEmbd), uint32_t(vocab),
                                                  uint32_t(tokens), buffer->range(0, 2560),
                                                  buffer->range(4096, uint64_t(tableBytes)), buffer->range(3072, 32));
        QVERIFY(recorder.end());
        if (code < 0) {
            QVERIFY2(result, result ? "" : result.error().message.c_str());
            return;
        }
        QVERIFY(!result);
        QCOMPARE(int(result.error().code), code);
        QVERIFY(!result.error().message.empty());
    }
};

QTEST_GUILESS_MAIN(TestKernelEmbed)
#include "tst_kernel_embed.moc"
