// attention_decode (+ attention_reduce) and attention_prefill on the GPU
// against reference::attention, on random data: context lengths that are
// not multiples of the tile or the split chunk, the grouped-query ratios of
// the R1 distills (1, 5, 6, 7), head dims 64 and 128, f32 and f16 caches.
// tst_kernel_attention_decode takes decode to 32768 cached tokens.
//
// Tolerance: every output is a softmax-weighted mean of values, so errors
// are measured against the largest |value| of the cache (kTolerance). The
// GPU sums in float32 in a different order from the reference's float64:
// dot products of 128 terms, exp, and sums over up to 1000 keys give errors
// near 1e-6 (worst measured on lavapipe: 2e-7, and 1e-6 with peaked
// scores, where a few large weights amplify exp's error). The f16 cache is
// compared against the reference run on the same f16-rounded keys and
// values (the kernel widens halves exactly), so both cache types isolate
// the kernel's own error and share the tolerance.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "gpu_fixture.h"
#include "kernel_test_buffers.h"
#include "ponder/half.h"
#include "ponder/kernels.h"
#include "ponder/reference/ops.h"

using namespace ponder;

namespace {

constexpr float kTolerance = 1e-5f;

// Keys and values past the context: large enough to dominate any softmax
// and any mean they leak into.
constexpr float kPoisonKey = 300.f;
constexpr float kPoisonValue = 1000.f;

// A context of `length` positions, (length, headsKv, headDim) position-major
// as the reference reads it, rounded through f16 for an f16 cache.
struct Context {
    std::vector<float> keys;
    std::vector<float> values;
};

Context randomContext(uint32_t length, uint32_t headsKv, uint32_t headDim, KvCacheType type, std::mt19937& rng)
{
    Context c{test::randomFloats(size_t(length) * headsKv * headDim, rng, 1.f),
              test::randomFloats(size_t(length) * headsKv * headDim, rng, 1.f)};
    if (type == KvCacheType::F16)
        for (auto* data : {&c.keys, &c.values})
            for (float& x : *data)
                x = halfToFloat(floatToHalf(x));
    return c;
}

// The GPU cache: (headsKv, capacity, headDim) head-major, `poison` past the
// context, in the cache's type.
Result<vk::Buffer> cacheBuffer(test::GpuFixture& gpu, const std::vector<float>& byPosition, const KvCacheShape& shape,
                               float poison)
{
    const size_t row = size_t(shape.headsKv) * shape.headDim;
    const size_t length = byPosition.size() / row;
    std::vector<float> laid(size_t(shape.headsKv) * shape.capacity * shape.headDim, poison);
    for (size_t pos = 0; pos < length; ++pos)
        for (uint32_t h = 0; h < shape.headsKv; ++h)
            for (uint32_t d = 0; d < shape.headDim; ++d)
                laid[(h * size_t(shape.capacity) + pos) * shape.headDim + d] = byPosition[pos * row + h * shape.headDim + d];
    if (shape.type == KvCacheType::F32)
        return test::uploaded(gpu, laid);
    std::vector<uint16_t> halves(laid.size());
    for (size_t i = 0; i < laid.size(); ++i)
        halves[i] = floatToHalf(laid[i]);
    return test::uploaded(gpu, halves);
}

float largestMagnitude(const std::vector<float>& values)
{
    float largest = 0.f;
    for (float v : values)
        largest = std::max(largest, std::abs(v));
    return largest;
}

// Empty when `actual` is within `tolerance` of `expected`, else the first miss.
QString compare(const std::vector<float>& actual, const std::vector<float>& expected, float tolerance,
                uint32_t headDim)
{
    for (size_t i = 0; i < expected.size(); ++i)
        if (!(std::abs(actual[i] - expected[i]) <= tolerance))
            return QString("row %1 dim %2: GPU %3, reference %4").arg(i / headDim).arg(i % headDim)
                .arg(actual[i]).arg(expected[i]);
    return {};
}

} // namespace

Q_DECLARE_METATYPE(KvCacheType)

class TestKernelAttention : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

    // Runs decode at each of `positions` (rewriting the position buffer
    // between replays of one recording when `replay`) and compares.
    void checkDecode(const AttentionShape& shape, const std::vector<uint32_t>& positions, float qScale, bool replay);

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    // The reference itself, on cases with a known answer.
    void referenceKnownAnswers()
    {
        // One visible position: the output is its value, whatever the scores.
        const std::vector<float> q{1.f, 2.f, -1.f, 0.5f};     // (1 token, 2 heads, 2 dims)
        const std::vector<float> keys{3.f, -4.f, 9.f, 9.f};   // (2 positions, 1 kv head, 2 dims)
        const std::vector<float> values{5.f, 6.f, 7.f, 8.f};
        std::vector<float> out(4);
        QVERIFY(reference::attention(out, q, keys, values, 2, 1, 2, 0));
        QCOMPARE(out, (std::vector<float>{5.f, 6.f, 5.f, 6.f}));
        // Equal keys: the mean of the visible values (pos0 1 sees both).
        const std::vector<float> same{1.f, 1.f, 1.f, 1.f};
        QVERIFY(reference::attention(out, q, same, values, 2, 1, 2, 1));
        QCOMPARE(out, (std::vector<float>{6.f, 7.f, 6.f, 7.f}));
        // The cache must reach the last query's position.
        QVERIFY(!reference::attention(out, q, keys, values, 2, 1, 2, 2));
        QVERIFY(!reference::attention(out, q, keys, values, 3, 2, 2, 0));
    }

    void decodeMatchesReference_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("headsKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("len");
        QTest::addColumn<KvCacheType>("type");
        QTest::addColumn<int>("splits");  // 0: the default
        QTest::addColumn<int>("maxBindingHeads");  // 0: no limit; else heads per binding
        QTest::addColumn<float>("qScale");
        for (const KvCacheType type : {KvCacheType::F32, KvCacheType::F16}) {
            const char* t = type == KvCacheType::F16 ? "f16" : "f32";
            QTest::addRow("%s len 1, qwen 1.5B 12/2", t) << 12 << 2 << 128 << 1 << type << 0 << 0 << 1.f;
            QTest::addRow("%s len 2, qwen 1.5B", t) << 12 << 2 << 128 << 2 << type << 0 << 0 << 1.f;
            QTest::addRow("%s len 37, qwen 7B 28/4", t) << 28 << 4 << 128 << 37 << type << 0 << 0 << 1.f;
            QTest::addRow("%s len 300, qwen 14B 40/8", t) << 40 << 8 << 128 << 300 << type << 0 << 0 << 1.f;
            QTest::addRow("%s len 1000, qwen 1.5B", t) << 12 << 2 << 128 << 1000 << type << 0 << 0 << 1.f;
            QTest::addRow("%s len 1000, 7B, d64", t) << 28 << 4 << 64 << 1000 << type << 0 << 0 << 1.f;
            QTest::addRow("%s len 37, no grouping, d64", t) << 4 << 4 << 64 << 37 << type << 0 << 0 << 1.f;
            QTest::addRow("%s len 300, one split", t) << 12 << 2 << 128 << 300 << type << 1 << 0 << 1.f;
            QTest::addRow("%s len 1000, at most 5 splits (4 used)", t) << 28 << 4 << 128 << 1000 << type << 5 << 0 << 1.f;
            QTest::addRow("%s len 37, 64 splits, one used", t) << 12 << 2 << 128 << 37 << type << 64 << 0 << 1.f;
            QTest::addRow("%s len 300, peaked scores", t) << 12 << 2 << 128 << 300 << type << 0 << 0 << 6.f;
            QTest::addRow("%s len 300, bound 3 heads at a time", t) << 40 << 8 << 128 << 300 << type << 0 << 3 << 1.f;
        }
    }

    void decodeMatchesReference()
    {
        QFETCH(int, heads);
        QFETCH(int, headsKv);
        QFETCH(int, headDim);
        QFETCH(int, len);
        QFETCH(KvCacheType, type);
        QFETCH(int, splits);
        QFETCH(int, maxBindingHeads);
        QFETCH(float, qScale);
        // Room past the context, holding poison the kernel must not read.
        const KvCacheShape cache{uint32_t(headsKv), uint32_t(headDim), uint32_t(len + 45), type};
        AttentionShape shape{cache, uint32_t(heads), uint32_t(splits), 0};
        if (maxBindingHeads > 0)
            shape.maxBindingBytes = cache.bytes() / uint32_t(headsKv) * uint32_t(maxBindingHeads) + 16;
        checkDecode(shape, {uint32_t(len - 1)}, qScale, false);
    }

    // One recording replayed at growing positions, the position rewritten
    // in a host-visible buffer between submits: the decode loop's pattern.
    void decodeReplaysAtNewPositions()
    {
        const KvCacheShape cache{2, 128, 500, KvCacheType::F16};
        checkDecode({cache, 12, 0, 0}, {0, 40, 41, 433, 499}, 1.f, true);
    }

    void prefillMatchesReference_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("headsKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("pos0");
        QTest::addColumn<KvCacheType>("type");
        QTest::addColumn<int>("maxBindingHeads");
        QTest::addColumn<float>("qScale");
        struct Model {
            const char* name;
            int heads, headsKv, headDim;
        };
        const Model models[] = {{"1.5B", 12, 2, 128}, {"7B", 28, 4, 128}, {"14B", 40, 8, 128}, {"d64 mha", 3, 3, 64}};
        int m = 0;
        for (const KvCacheType type : {KvCacheType::F32, KvCacheType::F16})
            for (const int pos0 : {0, 17})
                for (const int tokens : {1, 5, 33, 100}) {
                    const Model& model = models[m++ % 4];
                    QTest::addRow("%s n %d from %d, %s", type == KvCacheType::F16 ? "f16" : "f32", tokens, pos0,
                                  model.name)
                        << model.heads << model.headsKv << model.headDim << tokens << pos0 << type << 0 << 1.f;
                }
        QTest::newRow("f16 peaked scores") << 12 << 2 << 128 << 33 << 17 << KvCacheType::F16 << 0 << 6.f;
        QTest::newRow("f32 bound 3 heads at a time") << 40 << 8 << 64 << 20 << 5 << KvCacheType::F32 << 3 << 1.f;
    }

    void prefillMatchesReference()
    {
        QFETCH(int, heads);
        QFETCH(int, headsKv);
        QFETCH(int, headDim);
        QFETCH(int, tokens);
        QFETCH(int, pos0);
        QFETCH(KvCacheType, type);
        QFETCH(int, maxBindingHeads);
        QFETCH(float, qScale);
        const uint32_t length = uint32_t(pos0 + tokens);
        const KvCacheShape cache{uint32_t(headsKv), uint32_t(headDim), length + 9, type};
        AttentionShape shape{cache, uint32_t(heads), 0, 0};
        if (maxBindingHeads > 0)
            shape.maxBindingBytes = cache.bytes() / uint32_t(headsKv) * uint32_t(maxBindingHeads);

        std::mt19937 rng(uint32_t(heads * 1000 + tokens * 10 + pos0) ^ uint32_t(type));
        const Context context = randomContext(length, cache.headsKv, cache.headDim, type, rng);
        const auto q = test::randomFloats(size_t(tokens) * heads * headDim, rng, qScale);
        std::vector<float> expected(q.size());
        PONDER_VERIFY_RESULT(reference::attention(expected, q, context.keys, context.values, uint32_t(heads),
                                                  cache.headsKv, cache.headDim, uint32_t(pos0)));

        std::vector<uint32_t> positions(static_cast<size_t>(tokens));
        for (int t = 0; t < tokens; ++t)
            positions[size_t(t)] = uint32_t(pos0 + t);
        auto kCache = cacheBuffer(m_gpu, context.keys, cache, kPoisonKey);
        auto vCache = cacheBuffer(m_gpu, context.values, cache, kPoisonValue);
        auto qBuffer = test::uploaded(m_gpu, q);
        auto outBuffer = test::uploaded(m_gpu, std::vector<float>(q.size()));
        auto positionBuffer = test::uploaded(m_gpu, positions);
        PONDER_VERIFY_RESULT(kCache);
        PONDER_VERIFY_RESULT(vCache);
        PONDER_VERIFY_RESULT(qBuffer);
        PONDER_VERIFY_RESULT(outBuffer);
        PONDER_VERIFY_RESULT(positionBuffer);
        PONDER_VERIFY_RESULT(test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) {
            return m_gpu.kernels().attentionPrefill(recorder, shape, uint32_t(tokens), outBuffer->range(),
                                                    qBuffer->range(), kCache->range(), vCache->range(),
                                                    positionBuffer->range());
        }));
        auto actual = test::downloaded<float>(m_gpu, *outBuffer, q.size());
        PONDER_VERIFY_RESULT(actual);
        const QString miss = compare(*actual, expected, kTolerance * largestMagnitude(context.values), cache.headDim);
        QVERIFY2(miss.isEmpty(), qPrintable(miss));
    }

    // The layer's attention as the forward pass records it, RoPE and the
    // store included: a 9-token prefill from position 0, then one decode
    // step at 9 reading its position from the buffer. At these positions
    // RoPE's error is ~1e-7 (tst_kernel_rope), so the attention tolerance
    // holds end to end (worst measured: under 1e-6).
    void layerPipelineMatchesReference()
    {
        const uint32_t heads = 12, headsKv = 2, headDim = 128, prefill = 9;
        const KvCacheShape cache{headsKv, headDim, 16, KvCacheType::F32};
        const AttentionShape shape{cache, heads, 0, 0};
        const RopeShape rope{headDim, RopeLayout::Neox};
        const float base = 1e6f;
        auto table = ropeFrequencyTable(headDim, base, {});
        PONDER_VERIFY_RESULT(table);

        std::mt19937 rng(99);
        const size_t qRow = size_t(heads) * headDim;
        const size_t kvRow = size_t(headsKv) * headDim;
        const auto q = test::randomFloats((prefill + 1) * qRow, rng, 1.f);
        const auto k = test::randomFloats((prefill + 1) * kvRow, rng, 1.f);
        const auto v = test::randomFloats((prefill + 1) * kvRow, rng, 1.f);
        // The reference: rotate every token's q and k at its position, then attend.
        std::vector<float> rotatedQ = q;
        std::vector<float> rotatedK = k;
        for (uint32_t t = 0; t <= prefill; ++t) {
            reference::rope(std::span(rotatedQ).subspan(t * qRow, qRow), headDim, headDim, t, base, rope.layout, {});
            reference::rope(std::span(rotatedK).subspan(t * kvRow, kvRow), headDim, headDim, t, base, rope.layout, {});
        }
        std::vector<float> expected(rotatedQ.size());
        PONDER_VERIFY_RESULT(reference::attention(std::span(expected).first(prefill * qRow),
                                                  std::span(rotatedQ).first(prefill * qRow),
                                                  std::span(rotatedK).first(prefill * kvRow),
                                                  std::span(v).first(prefill * kvRow), heads, headsKv, headDim, 0));
        PONDER_VERIFY_RESULT(reference::attention(std::span(expected).subspan(prefill * qRow),
                                                  std::span(rotatedQ).subspan(prefill * qRow), rotatedK, v, heads,
                                                  headsKv, headDim, prefill));

        std::vector<uint32_t> positions(prefill);
        for (uint32_t t = 0; t < prefill; ++t)
            positions[t] = t;
        auto qBuffer = test::uploaded(m_gpu, q);
        auto kBuffer = test::uploaded(m_gpu, k);
        auto vBuffer = test::uploaded(m_gpu, v);
        auto outBuffer = test::uploaded(m_gpu, std::vector<float>(q.size()));
        auto positionBuffer = test::uploaded(m_gpu, positions);
        auto tableBuffer = test::uploaded(m_gpu, *table);
        auto kCache = test::uploaded(m_gpu, std::vector<float>{}, cache.bytes());
        auto vCache = test::uploaded(m_gpu, std::vector<float>{}, cache.bytes());
        auto scratch = test::uploaded(m_gpu, std::vector<float>{}, m_gpu.kernels().attentionDecodeScratchBytes(shape));
        for (const auto* b : {&qBuffer, &kBuffer, &vBuffer, &outBuffer, &positionBuffer, &tableBuffer, &kCache, &vCache,
                              &scratch})
            PONDER_VERIFY_RESULT(*b);

        const auto& kernels = m_gpu.kernels();
        const auto step = [&](uint32_t first, uint32_t tokens) {
            return test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) -> Result<void> {
                const auto qRange = qBuffer->range(first * qRow * 4, tokens * qRow * 4);
                const auto outRange = outBuffer->range(first * qRow * 4, tokens * qRow * 4);
                KvStoreOptions store;
                store.rope = rope;
                store.freqTable = tableBuffer->range();
                PONDER_TRY(kernels.rope(recorder, tokens, heads, headDim, rope, qRange, qRange,
                                        positionBuffer->range(), tableBuffer->range()));
                PONDER_TRY(kernels.kvStore(recorder, cache, tokens, kCache->range(), vCache->range(),
                                           kBuffer->range(first * kvRow * 4, tokens * kvRow * 4),
                                           vBuffer->range(first * kvRow * 4, tokens * kvRow * 4),
                                           positionBuffer->range(), store));
                recorder.barrier();
                if (tokens == 1)
                    return kernels.attentionDecode(recorder, shape, outRange, qRange, kCache->range(),
                                                   vCache->range(), positionBuffer->range(), scratch->range());
                return kernels.attentionPrefill(recorder, shape, tokens, outRange, qRange, kCache->range(),
                                                vCache->range(), positionBuffer->range());
            });
        };
        PONDER_VERIFY_RESULT(step(0, prefill));
        PONDER_VERIFY_RESULT(vk::uploadBytes(m_gpu.device(), m_gpu.recorder(), *positionBuffer,
                                             std::as_bytes(std::span(&prefill, 1))));
        PONDER_VERIFY_RESULT(step(prefill, 1));
        auto actual = test::downloaded<float>(m_gpu, *outBuffer, q.size());
        PONDER_VERIFY_RESULT(actual);
        const QString miss = compare(*actual, expected, kTolerance * largestMagnitude(v), headDim);
        QVERIFY2(miss.isEmpty(), qPrintable(miss));
    }

    void rejectsBadArguments()
    {
        auto buffer = vk::Buffer::create(m_gpu.device(), 1 << 20, vk::MemoryUsage::DeviceLocal);
        QVERIFY(buffer);
        const auto all = buffer->range();
        auto& recorder = m_gpu.recorder();
        const auto& kernels = m_gpu.kernels();
        const KvCacheShape cache{2, 128, 100, KvCacheType::F16};
        const AttentionShape good{cache, 12, 0, 0};
        const auto kRange = buffer->range(0, cache.bytes());
        const auto vRange = buffer->range(cache.bytes(), cache.bytes());
        // The error code of a decode or prefill, -1 when it records.
        const auto decode = [&](const AttentionShape& s, const vk::BufferRange& scratch) {
            const auto result = kernels.attentionDecode(recorder, s, all, all, kRange, vRange, all, scratch);
            return result ? -1 : int(result.error().code);
        };
        const auto prefill = [&](const AttentionShape& s, uint32_t tokens) {
            const auto result = kernels.attentionPrefill(recorder, s, tokens, all, all, kRange, vRange, all);
            return result ? -1 : int(result.error().code);
        };
        const int invalid = int(ErrorCode::InvalidArgument);
        QVERIFY(recorder.begin());
        QCOMPARE(decode(good, all), -1);
        QCOMPARE(prefill(good, 7), -1);
        QCOMPARE(decode({cache, 13, 0, 0}, all), invalid);                   // 13 heads over 2 kv heads
        QCOMPARE(decode(good, buffer->range(0, 1024)), invalid);             // scratch too small
        QCOMPARE(decode({cache, 12, 5000, 0}, all), invalid);                // too many splits
        QCOMPARE(decode({{2, 130, 100, KvCacheType::F16}, 12, 0, 0}, all), int(ErrorCode::Unsupported));
        QCOMPARE(prefill(good, 0), invalid);
        QCOMPARE(prefill(good, 1000), invalid);                              // q and out too small
        QCOMPARE(prefill({{2, 128, 5000, KvCacheType::F16}, 12, 0, 0}, 1), invalid);  // cache past its buffer
        QVERIFY(recorder.end());
    }
};

void TestKernelAttention::checkDecode(const AttentionShape& shape, const std::vector<uint32_t>& positions, float qScale,
                                      bool replay)
{
    const KvCacheShape& cache = shape.cache;
    std::mt19937 rng(shape.heads * 7919 + cache.capacity * 31 + cache.headDim + uint32_t(cache.type) + shape.splits);
    const uint32_t last = *std::max_element(positions.begin(), positions.end());
    const Context context = randomContext(last + 1, cache.headsKv, cache.headDim, cache.type, rng);
    const size_t qValues = size_t(shape.heads) * cache.headDim;
    const auto q = test::randomFloats(qValues, rng, qScale);

    auto kCache = cacheBuffer(m_gpu, context.keys, cache, kPoisonKey);
    auto vCache = cacheBuffer(m_gpu, context.values, cache, kPoisonValue);
    auto qBuffer = test::uploaded(m_gpu, q);
    auto outBuffer = test::uploaded(m_gpu, std::vector<float>(qValues));
    auto scratch = test::uploaded(m_gpu, std::vector<float>{}, m_gpu.kernels().attentionDecodeScratchBytes(shape));
    auto positionBuffer = vk::Buffer::create(m_gpu.device(), 4, vk::MemoryUsage::Upload);
    PONDER_VERIFY_RESULT(kCache);
    PONDER_VERIFY_RESULT(vCache);
    PONDER_VERIFY_RESULT(qBuffer);
    PONDER_VERIFY_RESULT(outBuffer);
    PONDER_VERIFY_RESULT(scratch);
    PONDER_VERIFY_RESULT(positionBuffer);

    // Its own recorder: the fixture's one carries the uploads and downloads
    // between replays, which would drop the recording.
    auto decodeRecorder = vk::CommandRecorder::create(m_gpu.device());
    PONDER_VERIFY_RESULT(decodeRecorder);
    auto& recorder = **decodeRecorder;
    for (size_t i = 0; i < positions.size(); ++i) {
        const uint32_t pos = positions[i];
        std::memcpy(positionBuffer->mapped(), &pos, 4);
        if (!replay || i == 0) {
            QVERIFY(recorder.begin());
            const auto recorded = m_gpu.kernels().attentionDecode(recorder, shape, outBuffer->range(),
                                                                  qBuffer->range(), kCache->range(), vCache->range(),
                                                                  positionBuffer->range(), scratch->range());
            PONDER_VERIFY_RESULT(recorded);
            QVERIFY(recorder.end());
        }
        PONDER_VERIFY_RESULT(recorder.submitAndWait());
        auto actual = test::downloaded<float>(m_gpu, *outBuffer, qValues);
        PONDER_VERIFY_RESULT(actual);

        const size_t visible = size_t(pos + 1) * cache.headsKv * cache.headDim;
        const std::span<const float> keys(context.keys.data(), visible);
        const std::span<const float> values(context.values.data(), visible);
        std::vector<float> expected(qValues);
        PONDER_VERIFY_RESULT(reference::attention(expected, q, keys, values, shape.heads, cache.headsKv,
                                                  cache.headDim, pos));
        const QString miss = compare(*actual, expected, kTolerance * largestMagnitude(context.values), cache.headDim);
        QVERIFY2(miss.isEmpty(), qPrintable(QString("at position %1: %2").arg(pos).arg(miss)));
    }
}

QTEST_GUILESS_MAIN(TestKernelAttention)
#include "tst_kernel_attention.moc"
