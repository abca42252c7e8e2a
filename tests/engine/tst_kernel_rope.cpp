// rope and kv_store (with and without the fused RoPE of the keys) on the GPU
// against the CPU reference, both pair layouts, with and without Llama 3
// frequency factors, partial rotation, at positions up to 100000.
//
// Tolerance: the reference turns by pos * base^(-2i/d) / factor in double.
// The GPU forms the same angle from a host table split into a 12-bit head
// and a tail, so its main products with the position are exact in float32
// and the angle reaching sin/cos is within 4e-7 + pos * 6e-11 rad of the
// reference (shaders/common/rope.glsl). With float32 sin/cos and the
// rotation's two products, each rotated value is within kRopeTolerance of
// the largest magnitude in its head up to the 131072-token context (worst
// measured on lavapipe: 1.2e-7 at position 0, 9e-7 at 100000, 1.3e-6 at
// 131069). A plain float32 angle
// would be off by up to pos * 1.2e-7 rad, 0.012 at position 100000;
// matchesReference logs that comparison.
#include <QtTest>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "gpu_fixture.h"
#include "kernel_test_buffers.h"
#include "ponder/half.h"
#include "ponder/kernels.h"
#include "ponder/reference/ops.h"

using namespace ponder;

namespace {

constexpr float kRopeTolerance = 4e-6f;

// Llama 3's rope_freqs for `pairs` pairs: factor 1 for short wavelengths, 8
// for long ones (old context 8192, low 1, high 4), smooth in between.
std::vector<float> llama3Factors(uint32_t pairs, float base)
{
    std::vector<float> factors(pairs);
    for (uint32_t i = 0; i < pairs; ++i) {
        const double frequency = std::pow(double(base), -2.0 * i / (2.0 * pairs));
        const double wavelength = 2.0 * std::numbers::pi / frequency;
        if (wavelength < 8192.0 / 4.0) {
            factors[i] = 1.f;
        } else if (wavelength > 8192.0) {
            factors[i] = 8.f;
        } else {
            const double smooth = (8192.0 / wavelength - 1.0) / 3.0;
            factors[i] = float(1.0 / ((1.0 - smooth) / 8.0 + smooth));
        }
    }
    return factors;
}

std::vector<uint32_t> consecutive(uint32_t first, uint32_t count)
{
    std::vector<uint32_t> positions(count);
    for (uint32_t t = 0; t < count; ++t)
        positions[t] = first + t;
    return positions;
}

// The largest error of `actual` against `expected`, per head relative to the
// largest input magnitude of that head; heads are `headDim` long.
float worstRelativeError(const std::vector<float>& actual, const std::vector<float>& expected,
                         const std::vector<float>& input, uint32_t headDim)
{
    float worst = 0.f;
    for (size_t head = 0; head < input.size() / headDim; ++head) {
        float scale = 0.f;
        for (uint32_t d = 0; d < headDim; ++d)
            scale = std::max(scale, std::abs(input[head * headDim + d]));
        for (uint32_t d = 0; d < headDim; ++d) {
            const size_t i = head * headDim + d;
            const float error = std::abs(actual[i] - expected[i]) / scale;
            worst = std::isnan(error) ? INFINITY : std::max(worst, error);
        }
    }
    return worst;
}

// The reference rotation of (tokens, heads, headDim) x, token t at positions[t].
std::vector<float> referenceRope(std::vector<float> x, uint32_t heads, uint32_t headDim, const RopeShape& shape,
                                 const std::vector<uint32_t>& positions, float base, const std::vector<float>& factors)
{
    const size_t row = size_t(heads) * headDim;
    for (size_t t = 0; t < positions.size(); ++t)
        reference::rope(std::span(x).subspan(t * row, row), headDim, shape.ropeDims, positions[t], base, shape.layout,
                        factors);
    return x;
}

// The error a plain float32 angle (pos * float frequency, float sin/cos)
// would make on the same data, for the comparison in the log.
float naiveFloatError(const std::vector<float>& x, const std::vector<float>& expected, uint32_t heads,
                      uint32_t headDim, const RopeShape& shape, const std::vector<uint32_t>& positions, float base,
                      const std::vector<float>& factors)
{
    std::vector<float> y = x;
    const uint32_t half = shape.ropeDims / 2;
    for (size_t t = 0; t < positions.size(); ++t)
        for (uint32_t h = 0; h < heads; ++h)
            for (uint32_t i = 0; i < half; ++i) {
                float frequency = std::pow(base, -2.f * float(i) / float(shape.ropeDims));
                if (!factors.empty())
                    frequency /= factors[i];
                const float theta = float(positions[t]) * frequency;
                const size_t head = (t * heads + h) * headDim;
                const size_t a = head + (shape.layout == RopeLayout::Neox ? i : 2 * i);
                const size_t b = head + (shape.layout == RopeLayout::Neox ? i + half : 2 * i + 1);
                y[a] = x[a] * std::cos(theta) - x[b] * std::sin(theta);
                y[b] = x[a] * std::sin(theta) + x[b] * std::cos(theta);
            }
    return worstRelativeError(y, expected, x, headDim);
}

} // namespace

Q_DECLARE_METATYPE(RopeLayout)
Q_DECLARE_METATYPE(KvCacheType)

class TestKernelRope : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

    void addShapeRows(bool forStore);

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void frequencyTableSplitsExactly_data()
    {
        QTest::addColumn<int>("ropeDims");
        QTest::addColumn<float>("base");
        QTest::addColumn<bool>("factors");
        QTest::newRow("qwen 1e4") << 128 << 1e4f << false;
        QTest::newRow("qwen 14B 1e6") << 128 << 1e6f << false;
        QTest::newRow("llama 3 5e5 with factors") << 128 << 5e5f << true;
        QTest::newRow("partial 40 dims") << 40 << 1e4f << false;
    }

    void frequencyTableSplitsExactly()
    {
        QFETCH(int, ropeDims);
        QFETCH(float, base);
        QFETCH(bool, factors);
        const uint32_t pairs = uint32_t(ropeDims) / 2;
        const auto factorValues = factors ? llama3Factors(pairs, base) : std::vector<float>{};
        auto table = ropeFrequencyTable(uint32_t(ropeDims), base, factorValues);
        PONDER_VERIFY_RESULT(table);
        QCOMPARE(table->size(), size_t(ropeDims));
        for (uint32_t i = 0; i < pairs; ++i) {
            double turns = std::pow(double(base), -2.0 * i / ropeDims) / (2.0 * std::numbers::pi);
            if (factors)
                turns /= factorValues[i];
            const double hi = (*table)[2 * i];
            const double lo = (*table)[2 * i + 1];
            int exponent = 0;
            const double mantissa = std::frexp(hi, &exponent) * 4096.0;
            QVERIFY2(mantissa == std::floor(mantissa), "the head has more than 12 significant bits");
            // Only lo's float rounding remains: 2^-24 of lo, itself below 2^-11 of the frequency.
            QVERIFY(std::abs(hi + lo - turns) <= turns * 0x1p-34);
        }
    }

    void frequencyTableRejectsBadInput()
    {
        const std::vector<float> none;
        QVERIFY(!ropeFrequencyTable(0, 1e4f, none));
        QVERIFY(!ropeFrequencyTable(7, 1e4f, none));
        QVERIFY(!ropeFrequencyTable(128, 1.f, none));
        QVERIFY(!ropeFrequencyTable(128, NAN, none));
        QVERIFY(!ropeFrequencyTable(128, 1e4f, std::vector<float>(63, 1.f)));
        std::vector<float> factors(64, 1.f);
        factors[5] = 0.f;
        QVERIFY(!ropeFrequencyTable(128, 1e4f, factors));
        factors[5] = NAN;
        QVERIFY(!ropeFrequencyTable(128, 1e4f, factors));
    }

    void matchesReference_data() { addShapeRows(false); }

    void matchesReference()
    {
        QFETCH(RopeLayout, layout);
        QFETCH(int, headDim);
        QFETCH(int, ropeDims);
        QFETCH(bool, factors);
        QFETCH(int, pos0);
        const uint32_t heads = 5;
        const uint32_t tokens = 3;
        const float base = layout == RopeLayout::Neox ? 1e6f : 5e5f;
        const RopeShape shape{uint32_t(ropeDims), layout};
        const auto factorValues = factors ? llama3Factors(uint32_t(ropeDims) / 2, base) : std::vector<float>{};
        auto table = ropeFrequencyTable(uint32_t(ropeDims), base, factorValues);
        PONDER_VERIFY_RESULT(table);

        std::mt19937 rng(uint32_t(headDim * 131 + ropeDims * 7 + pos0) ^ (factors ? 0x55u : 0u));
        const auto x = test::randomFloats(size_t(tokens) * heads * headDim, rng, 2.f);
        const auto positions = consecutive(uint32_t(pos0), tokens);
        const auto expected = referenceRope(x, heads, uint32_t(headDim), shape, positions, base, factorValues);

        // Out of place, then in place on the same data.
        auto xBuffer = test::uploaded(m_gpu, x);
        auto yBuffer = test::uploaded(m_gpu, std::vector<float>(x.size()));
        auto positionBuffer = test::uploaded(m_gpu, positions);
        auto tableBuffer = test::uploaded(m_gpu, *table);
        PONDER_VERIFY_RESULT(xBuffer);
        PONDER_VERIFY_RESULT(yBuffer);
        PONDER_VERIFY_RESULT(positionBuffer);
        PONDER_VERIFY_RESULT(tableBuffer);
        for (const vk::Buffer* out : {&*yBuffer, &*xBuffer}) {
            PONDER_VERIFY_RESULT(test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) {
                return m_gpu.kernels().rope(recorder, tokens, heads, uint32_t(headDim), shape, out->range(),
                                            xBuffer->range(), positionBuffer->range(), tableBuffer->range());
            }));
            auto actual = test::downloaded<float>(m_gpu, *out, x.size());
            PONDER_VERIFY_RESULT(actual);
            const float error = worstRelativeError(*actual, expected, x, uint32_t(headDim));
            if (!(error <= kRopeTolerance))
                QFAIL(qPrintable(QString("worst error %1 of the head's largest value").arg(error)));
            if (out == &*yBuffer && pos0 == 100000 && headDim == 128 && ropeDims == 128)
                qInfo("position %d: GPU error %.2g; a plain float32 angle would give %.2g", pos0, double(error),
                      double(naiveFloatError(x, expected, heads, uint32_t(headDim), shape, positions, base,
                                             factorValues)));
        }
    }

    void storesCache_data() { addShapeRows(true); }

    void storesCache()
    {
        QFETCH(RopeLayout, layout);
        QFETCH(int, headDim);
        QFETCH(int, ropeDims);
        QFETCH(bool, factors);
        QFETCH(int, pos0);
        QFETCH(KvCacheType, type);
        QFETCH(int, headsKv);
        QFETCH(int, tokens);
        QFETCH(int, capacity);
        QFETCH(int, maxBindingBytes);
        const float base = 1e4f;
        const RopeShape shape{uint32_t(ropeDims), layout};
        const auto factorValues = factors ? llama3Factors(uint32_t(std::max(ropeDims, 2)) / 2, base)
                                          : std::vector<float>{};
        const KvCacheShape cache{uint32_t(headsKv), uint32_t(headDim), uint32_t(capacity), type};

        std::mt19937 rng(uint32_t(headDim * 17 + headsKv * 5 + tokens + pos0) ^ uint32_t(type));
        const size_t row = size_t(headsKv) * headDim;
        const auto k = test::randomFloats(tokens * row, rng, 2.f);
        const auto v = test::randomFloats(tokens * row, rng, 2.f);
        const auto positions = consecutive(uint32_t(pos0), uint32_t(tokens));
        const auto rotated = ropeDims > 0
                                 ? referenceRope(k, uint32_t(headsKv), uint32_t(headDim), shape, positions, base,
                                                 factorValues)
                                 : k;

        // The caches start filled with a marker; stored slots must change,
        // the rest (positions past the tokens, or past the capacity) not.
        constexpr float kMarker = -3.25f;
        const size_t cacheValues = size_t(headsKv) * capacity * headDim;
        const bool f16 = type == KvCacheType::F16;
        // The key cache sits 256 bytes into its buffer, to exercise offsets.
        const uint64_t kLead = 256;
        std::vector<uint16_t> markerHalves(cacheValues + kLead / 2, floatToHalf(kMarker));
        std::vector<float> markerFloats(cacheValues + kLead / 4, kMarker);
        auto kCache = f16 ? test::uploaded(m_gpu, markerHalves) : test::uploaded(m_gpu, markerFloats);
        auto vCache = f16 ? test::uploaded(m_gpu, markerHalves) : test::uploaded(m_gpu, markerFloats);
        auto kBuffer = test::uploaded(m_gpu, k);
        auto vBuffer = test::uploaded(m_gpu, v);
        auto positionBuffer = test::uploaded(m_gpu, positions);
        PONDER_VERIFY_RESULT(kCache);
        PONDER_VERIFY_RESULT(vCache);
        PONDER_VERIFY_RESULT(kBuffer);
        PONDER_VERIFY_RESULT(vBuffer);
        PONDER_VERIFY_RESULT(positionBuffer);
        KvStoreOptions options;
        options.rope = shape;
        options.maxBindingBytes = uint64_t(maxBindingBytes);
        Result<vk::Buffer> tableBuffer = vk::Buffer{};
        if (ropeDims > 0) {
            auto table = ropeFrequencyTable(uint32_t(ropeDims), base, factorValues);
            PONDER_VERIFY_RESULT(table);
            tableBuffer = test::uploaded(m_gpu, *table);
            PONDER_VERIFY_RESULT(tableBuffer);
            options.freqTable = tableBuffer->range();
        }
        PONDER_VERIFY_RESULT(test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) {
            return m_gpu.kernels().kvStore(recorder, cache, uint32_t(tokens), kCache->range(kLead, cache.bytes()),
                                           vCache->range(0, cache.bytes()), kBuffer->range(), vBuffer->range(),
                                           positionBuffer->range(), options);
        }));

        const auto read = [&](const vk::Buffer& buffer, uint64_t offset) -> Result<std::vector<float>> {
            if (!f16)
                return test::downloaded<float>(m_gpu, buffer, cacheValues, offset);
            auto halves = test::downloaded<uint16_t>(m_gpu, buffer, cacheValues, offset);
            if (!halves)
                return std::unexpected(halves.error());
            std::vector<float> values(cacheValues);
            for (size_t i = 0; i < cacheValues; ++i)
                values[i] = halfToFloat((*halves)[i]);
            return values;
        };
        auto keys = read(*kCache, kLead);
        auto values = read(*vCache, 0);
        PONDER_VERIFY_RESULT(keys);
        PONDER_VERIFY_RESULT(values);

        for (int h = 0; h < headsKv; ++h)
            for (int pos = 0; pos < capacity; ++pos) {
                const int t = pos - pos0;
                const bool stored = t >= 0 && t < tokens;
                float keyScale = 0.f;
                if (stored)
                    for (int d = 0; d < headDim; ++d)
                        keyScale = std::max(keyScale, std::abs(k[size_t(t) * row + size_t(h) * headDim + d]));
                for (int d = 0; d < headDim; ++d) {
                    const size_t slot = (size_t(h) * capacity + pos) * headDim + d;
                    const size_t source = size_t(t) * row + size_t(h) * headDim + d;
                    const float wantKey = stored ? rotated[source] : kMarker;
                    const float wantValue = stored ? v[source] : kMarker;
                    // f32 values are copied exactly. Vulkan leaves packHalf2x16's
                    // rounding to the device, so an f16 slot may hold either
                    // neighbour of the value: within one f16 step (2^-10
                    // relative, 2^-24 below the normal range; lavapipe rounds to
                    // nearest even, as floatToHalf does). Rotated keys add the
                    // rope tolerance.
                    const auto storeTolerance = [&](float want) {
                        return f16 ? std::max(0x1p-10f * std::abs(want), 0x1p-24f) : 0.f;
                    };
                    const float keyTolerance =
                        storeTolerance(wantKey) + (stored && ropeDims > 0 ? kRopeTolerance * keyScale : 0.f);
                    const float key = (*keys)[slot];
                    const float value = (*values)[slot];
                    if (!(std::abs(key - wantKey) <= keyTolerance) ||
                        !(std::abs(value - wantValue) <= storeTolerance(wantValue)))
                        QFAIL(qPrintable(QString("head %1 position %2 dim %3: key %4 (want %5), value %6 (want %7)")
                                             .arg(h).arg(pos).arg(d).arg(key).arg(wantKey).arg(value)
                                             .arg(wantValue)));
                }
            }
    }

    void rejectsBadArguments()
    {
        auto buffer = vk::Buffer::create(m_gpu.device(), 1 << 16, vk::MemoryUsage::DeviceLocal);
        QVERIFY(buffer);
        const auto all = buffer->range();
        auto& recorder = m_gpu.recorder();
        const auto& kernels = m_gpu.kernels();
        QVERIFY(recorder.begin());
        const RopeShape good{64, RopeLayout::Neox};
        QVERIFY(kernels.rope(recorder, 2, 4, 64, good, all, all, all, all));
        QVERIFY(!kernels.rope(recorder, 0, 4, 64, good, all, all, all, all));
        QVERIFY(!kernels.rope(recorder, 2, 4, 63, {62, RopeLayout::Neox}, all, all, all, all));
        QVERIFY(!kernels.rope(recorder, 2, 4, 64, {66, RopeLayout::Neox}, all, all, all, all));
        QVERIFY(!kernels.rope(recorder, 2, 4, 64, {31, RopeLayout::Neox}, all, all, all, all));
        QVERIFY(!kernels.rope(recorder, 2, 4, 64, good, all, all, all, buffer->range(0, 128)));  // table too small
        QVERIFY(!kernels.rope(recorder, 300, 64, 64, good, all, all, all, all));                 // x too small

        const KvCacheShape cache{2, 64, 100, KvCacheType::F16};
        QVERIFY(kernels.kvStore(recorder, cache, 3, buffer->range(0, cache.bytes()),
                                buffer->range(cache.bytes(), cache.bytes()), all, all, all));
        // The error code of a store, -1 when it succeeds.
        const auto store = [&](const KvCacheShape& c, uint32_t tokens, const vk::BufferRange& kCache) {
            const auto result = kernels.kvStore(recorder, c, tokens, kCache, all, all, all, all);
            return result ? -1 : int(result.error().code);
        };
        const int invalid = int(ErrorCode::InvalidArgument);
        const int unsupported = int(ErrorCode::Unsupported);
        QCOMPARE(store(cache, 0, all), invalid);
        QCOMPARE(store({2, 66, 100, KvCacheType::F16}, 1, all), unsupported);
        QCOMPARE(store({2, 512, 10, KvCacheType::F16}, 1, all), unsupported);
        QCOMPARE(store({0, 64, 100, KvCacheType::F16}, 1, all), invalid);
        QCOMPARE(store(cache, 1, buffer->range(8, cache.bytes())), invalid);  // misaligned
        QCOMPARE(store({2, 64, 1000, KvCacheType::F32}, 1, all), invalid);    // cache too small
        KvStoreOptions rotate;
        rotate.rope = {64, RopeLayout::AdjacentPairs};  // and no table bound
        QVERIFY(!kernels.kvStore(recorder, cache, 1, all, all, all, all, all, rotate));
        KvStoreOptions tiny;
        tiny.maxBindingBytes = 1000;  // less than one head of the cache
        const auto split = kernels.kvStore(recorder, cache, 1, all, all, all, all, all, tiny);
        QVERIFY(!split);
        QCOMPARE(split.error().code, ErrorCode::Unsupported);
        QVERIFY(recorder.end());
    }
};

// Both suites' shapes. For the store: cache type, kv heads, tokens,
// capacity and binding limit vary too; ropeDims 0 stores keys unrotated.
void TestKernelRope::addShapeRows(bool forStore)
{
    QTest::addColumn<RopeLayout>("layout");
    QTest::addColumn<int>("headDim");
    QTest::addColumn<int>("ropeDims");
    QTest::addColumn<bool>("factors");
    QTest::addColumn<int>("pos0");
    if (!forStore) {
        for (const RopeLayout layout : {RopeLayout::AdjacentPairs, RopeLayout::Neox})
            for (const auto& [headDim, ropeDims] : {std::pair{128, 128}, {64, 64}, {128, 64}, {64, 40}})
                for (const bool factors : {false, true})
                    for (const int pos0 : {0, 1, 4095, 100000, 131069})
                        QTest::addRow("%s d%d r%d%s pos %d", layout == RopeLayout::Neox ? "neox" : "adjacent",
                                      headDim, ropeDims, factors ? " factors" : "", pos0)
                            << layout << headDim << ropeDims << factors << pos0;
        return;
    }
    QTest::addColumn<KvCacheType>("type");
    QTest::addColumn<int>("headsKv");
    QTest::addColumn<int>("tokens");
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("maxBindingBytes");
    const auto neox = RopeLayout::Neox;
    const auto adjacent = RopeLayout::AdjacentPairs;
    for (const KvCacheType type : {KvCacheType::F32, KvCacheType::F16}) {
        const char* t = type == KvCacheType::F16 ? "f16" : "f32";
        QTest::addRow("%s plain, qwen 1.5B heads", t) << neox << 128 << 0 << false << 0 << type << 2 << 5 << 9 << 0;
        QTest::addRow("%s neox rope, prefix at 17", t) << neox << 128 << 128 << false << 17 << type << 2 << 7 << 30 << 0;
        QTest::addRow("%s adjacent rope, factors, d64", t)
            << adjacent << 64 << 64 << true << 3 << type << 8 << 4 << 11 << 0;
        QTest::addRow("%s partial rope 40 of 64", t) << neox << 64 << 40 << false << 0 << type << 3 << 3 << 3 << 0;
        QTest::addRow("%s decode at 4095", t) << adjacent << 128 << 128 << true << 4095 << type << 4 << 1 << 4099 << 0;
        // The last two tokens fall past the capacity and are not stored.
        QTest::addRow("%s past the capacity", t) << neox << 64 << 64 << false << 6 << type << 2 << 5 << 9 << 0;
        // One dispatch per 3 heads: 8 heads in slices of 3, 3, 2.
        const int headBytes = 20 * 64 * (type == KvCacheType::F16 ? 2 : 4);
        QTest::addRow("%s split by heads", t)
            << neox << 64 << 64 << false << 2 << type << 8 << 6 << 20 << 3 * headBytes + 8;
    }
}

QTEST_GUILESS_MAIN(TestKernelRope)
#include "tst_kernel_rope.moc"
