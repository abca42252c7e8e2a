// attention_decode + attention_reduce at R1's context lengths: 1, 31, 4096
// and 32768 cached tokens, grouped-query ratios 1, 6 and 7, head dims 128
// and 64, f16 and f32 caches, with and without subgroup operations, against
// a float64 loop here. CTest runs the suite under three lavapipe subgroup
// sizes (LP_NATIVE_VECTOR_WIDTH 128, 256, 512: 4, 8, 16), which change how
// the kernel gathers each tile's largest score.
//
// Tolerance: outputs are softmax-weighted means of values, so the error is
// measured against the largest |value| (kTolerance). The kernel sums in
// float32, per tile, part and range, in a different order from the float64
// reference: exp, 128-term dots and sums over up to 32768 keys. Worst seen
// on lavapipe: 1.5e-6 at 32768 tokens with peaked scores (exp of scores far
// below the running max loses a few ulps), 1e-7 otherwise, the same under
// every subgroup size; on an H200 (ponder-bench-attention --check) 1e-8.
// An f16 cache is compared against the reference on the same f16-rounded
// keys and values (the kernel widens halves exactly), and a Q8_0 cache on
// values that are already Q8_0 blocks (d * q is exact in float32), so every
// cache type isolates the kernel's own error and shares the tolerance
// (tst_kernel_kv_q8_0 covers the Q8_0 store and prefill).
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "gpu_fixture.h"
#include "kernel_test_buffers.h"
#include "ponder/decode_splits.h"
#include "ponder/half.h"
#include "ponder/kernels.h"
#include "ponder/quant.h"

using namespace ponder;

namespace {

constexpr float kTolerance = 1e-5f;
// Past the context: large enough to dominate any softmax and mean they leak into.
constexpr float kPoisonKey = 300.f;
constexpr float kPoisonValue = 1000.f;

// (len, headsKv, headDim) by position, rounded through f16 for an f16 cache.
// For a Q8_0 cache, blocks of 32 values d * q that the codec encodes as
// exactly that d and those q (q in -127..127, one of them at +-127, d an
// f16 near 1/127), so the reference sees what the cache holds.
std::vector<float> randomCacheData(uint32_t len, uint32_t headsKv, uint32_t headDim, KvCacheType type,
                                   std::mt19937& rng)
{
    auto data = test::randomFloats(size_t(len) * headsKv * headDim, rng, 1.f);
    if (type == KvCacheType::F16)
        for (float& x : data)
            x = halfToFloat(floatToHalf(x));
    if (type == KvCacheType::Q8_0) {
        std::uniform_int_distribution<int> level(-127, 127);
        std::uniform_real_distribution<float> scale(0.5f / 127.f, 2.f / 127.f);
        for (size_t b = 0; b < data.size(); b += 32) {
            const float d = halfToFloat(floatToHalf(scale(rng)));
            for (size_t i = 0; i < 32; ++i)
                data[b + i] = d * float(i == b / 32 % 32 ? (b % 64 ? 127 : -127) : level(rng));
        }
    }
    return data;
}

// out[h] = sum_j softmax_j(q_h . k_j / sqrt(headDim)) v_j over positions
// 0..len-1 of kv head h / (heads / headsKv), in float64.
std::vector<double> referenceDecode(const std::vector<float>& q, const std::vector<float>& keys,
                                    const std::vector<float>& values, uint32_t heads, uint32_t headsKv,
                                    uint32_t headDim, uint32_t len)
{
    const uint32_t group = heads / headsKv;
    const size_t row = size_t(headsKv) * headDim;
    const double scale = 1.0 / std::sqrt(double(headDim));
    std::vector<double> out(size_t(heads) * headDim, 0.0);
    std::vector<double> scores(len);
    for (uint32_t h = 0; h < heads; ++h) {
        const float* qh = q.data() + size_t(h) * headDim;
        const size_t kv = size_t(h / group) * headDim;
        double best = -INFINITY;
        for (uint32_t j = 0; j < len; ++j) {
            double dot = 0.0;
            for (uint32_t d = 0; d < headDim; ++d)
                dot += double(qh[d]) * keys[j * row + kv + d];
            scores[j] = dot * scale;
            best = std::max(best, scores[j]);
        }
        double total = 0.0;
        double* oh = out.data() + size_t(h) * headDim;
        for (uint32_t j = 0; j < len; ++j) {
            const double w = std::exp(scores[j] - best);
            total += w;
            for (uint32_t d = 0; d < headDim; ++d)
                oh[d] += w * values[j * row + kv + d];
        }
        for (uint32_t d = 0; d < headDim; ++d)
            oh[d] /= total;
    }
    return out;
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
            std::memcpy(&laid[(h * size_t(shape.capacity) + pos) * shape.headDim],
                        &byPosition[pos * row + h * shape.headDim], shape.headDim * sizeof(float));
    if (shape.type == KvCacheType::F32)
        return test::uploaded(gpu, laid);
    if (shape.type == KvCacheType::Q8_0) {
        std::vector<std::byte> blocks(shape.bytes());
        PONDER_TRY(quantize(TensorType::Q8_0, laid, std::span(blocks).first(laid.size() / 32 * 34)));
        std::vector<float> decoded(laid.size());
        PONDER_TRY(dequantize(TensorType::Q8_0, std::span(blocks).first(laid.size() / 32 * 34), decoded));
        for (uint32_t h = 0; h < shape.headsKv; ++h)
            for (size_t i = 0; i < length * shape.headDim; ++i) {
                const size_t at = h * size_t(shape.capacity) * shape.headDim + i;
                if (decoded[at] != laid[at])
                    return fail(ErrorCode::InvalidArgument, "the test's Q8_0 data does not survive the codec");
            }
        return test::uploaded(gpu, blocks);
    }
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

// The largest |actual - expected| over all outputs.
double largestError(const std::vector<float>& actual, const std::vector<double>& expected)
{
    double worst = 0.0;
    for (size_t i = 0; i < expected.size(); ++i) {
        const double error = std::abs(double(actual[i]) - expected[i]);
        worst = std::isnan(error) ? INFINITY : std::max(worst, error);
    }
    return worst;
}

// A decode problem on the GPU: the cache holds `len` random positions of
// `capacity`, one query; positions are rewritten between replays.
struct Problem {
    std::vector<float> keys;
    std::vector<float> values;
    std::vector<float> q;
    vk::Buffer kCache;
    vk::Buffer vCache;
    vk::Buffer qBuffer;
    vk::Buffer out;
    vk::Buffer scratch;
    vk::Buffer position;
};

Result<Problem> makeProblem(test::GpuFixture& gpu, const AttentionShape& shape, uint32_t len, float qScale)
{
    const KvCacheShape& cache = shape.cache;
    std::mt19937 rng(len * 7919u + shape.heads * 31u + cache.headDim + uint32_t(cache.type) + shape.splits);
    Problem p;
    p.keys = randomCacheData(len, cache.headsKv, cache.headDim, cache.type, rng);
    p.values = randomCacheData(len, cache.headsKv, cache.headDim, cache.type, rng);
    p.q = test::randomFloats(size_t(shape.heads) * cache.headDim, rng, qScale);
    auto kCache = cacheBuffer(gpu, p.keys, cache, kPoisonKey);
    auto vCache = cacheBuffer(gpu, p.values, cache, kPoisonValue);
    auto q = test::uploaded(gpu, p.q);
    auto out = test::uploaded(gpu, std::vector<float>(p.q.size()));
    // NaN everywhere: a partial the reduce reads but decode never wrote shows.
    const uint64_t scratchBytes = gpu.kernels().attentionDecodeScratchBytes(shape);
    auto scratch = test::uploaded(gpu, std::vector<uint32_t>(scratchBytes / 4, 0x7fc00000u));
    auto position = vk::Buffer::create(gpu.device(), 4, vk::MemoryUsage::Upload);
    for (auto* b : {&kCache, &vCache, &q, &out, &scratch, &position})
        if (!*b)
            return std::unexpected(b->error());
    p.kCache = std::move(*kCache);
    p.vCache = std::move(*vCache);
    p.qBuffer = std::move(*q);
    p.out = std::move(*out);
    p.scratch = std::move(*scratch);
    p.position = std::move(*position);
    return p;
}

Result<void> record(test::GpuFixture& gpu, vk::CommandRecorder& recorder, const AttentionShape& shape, Problem& p)
{
    PONDER_TRY(recorder.begin());
    PONDER_TRY(gpu.kernels().attentionDecode(recorder, shape, p.out.range(), p.qBuffer.range(), p.kCache.range(),
                                             p.vCache.range(), p.position.range(), p.scratch.range()));
    return recorder.end();
}

} // namespace

Q_DECLARE_METATYPE(KvCacheType)

class TestKernelAttentionDecode : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

    // Runs one recording at each of `lengths` cached tokens (positions
    // rewritten between replays) and compares each with the reference.
    void check(const AttentionShape& shape, const std::vector<uint32_t>& lengths, float qScale);

private slots:
    void initTestCase()
    {
        PONDER_REQUIRE_GPU(m_gpu);
        const auto& adapter = m_gpu.device().adapter();
        qInfo("subgroup size %u (arithmetic %s), %u compute units%s", adapter.subgroupSize,
              adapter.subgroupArithmetic ? "yes" : "no", adapter.computeUnits,
              adapter.computeUnitsReported ? "" : " (estimated)");
    }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void matchesReference_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("headsKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("len");
        QTest::addColumn<KvCacheType>("type");
        QTest::addColumn<int>("splits");  // 0: the device's rule
        QTest::addColumn<bool>("noSubgroups");
        QTest::addColumn<int>("block");  // 0: the device's (64 on lavapipe); 256: a GPU's
        QTest::addColumn<float>("qScale");
        QTest::addColumn<int>("maxBindingHeads");  // 0: no limit; else kv heads per binding
        const auto f16 = KvCacheType::F16;
        const auto f32 = KvCacheType::F32;
        // GQA 1 (4 heads), 6 (Qwen-1.5B's 12/2) and 7 (Qwen-7B's 28/4, here 14/2),
        // in the device's workgroup, a GPU's, and a GPU's without subgroups.
        struct Ratio {
            int heads, headsKv;
        };
        struct Variant {
            const char* name;
            bool noSubgroups;
            int block;
        };
        for (const Variant v : {Variant{"device", false, 0}, Variant{"gpu", false, 256},
                                Variant{"gpu, no subgroups", true, 256}})
            for (const int len : {1, 31, 4096})
                for (const Ratio r : {Ratio{4, 4}, Ratio{12, 2}, Ratio{14, 2}})
                    QTest::addRow("%s: len %d, %d/%d heads", v.name, len, r.heads, r.headsKv)
                        << r.heads << r.headsKv << 128 << len << f16 << 0 << v.noSubgroups << v.block << 1.f << 0;
        QTest::newRow("d64 len 31, gqa 7") << 7 << 1 << 64 << 31 << f16 << 0 << false << 0 << 1.f << 0;
        QTest::newRow("d64 len 4096, gqa 7, f32, gpu") << 14 << 2 << 64 << 4096 << f32 << 0 << false << 256 << 1.f << 0;
        QTest::newRow("d64 len 4096, gqa 1, 132 splits") << 3 << 3 << 64 << 4096 << f16 << 132 << false << 0 << 1.f
                                                         << 0;
        QTest::newRow("len 4096, f32") << 12 << 2 << 128 << 4096 << f32 << 0 << false << 0 << 1.f << 0;
        QTest::newRow("len 4096, 132 splits (H200's), gpu") << 12 << 2 << 128 << 4096 << f16 << 132 << false << 256
                                                            << 1.f << 0;
        QTest::newRow("len 31, 1000 splits") << 14 << 2 << 128 << 31 << f16 << 1000 << false << 0 << 1.f << 0;
        QTest::newRow("len 4096, one split") << 12 << 2 << 128 << 4096 << f16 << 1 << false << 0 << 1.f << 0;
        QTest::newRow("len 4096, peaked scores") << 12 << 2 << 128 << 4096 << f16 << 0 << false << 0 << 6.f << 0;
        QTest::newRow("len 4096, peaked scores, gpu") << 12 << 2 << 128 << 4096 << f16 << 0 << false << 256 << 6.f << 0;
        QTest::newRow("len 1000, 40/8, 3 kv heads bound at a time") << 40 << 8 << 128 << 1000 << f16 << 0 << false << 0
                                                                    << 1.f << 3;
        QTest::newRow("len 300, gqa 12 in two row blocks, gpu") << 24 << 2 << 128 << 300 << f16 << 0 << false << 256
                                                                << 1.f << 0;
        QTest::newRow("d80 len 300, workgroup of 32") << 6 << 2 << 80 << 300 << f16 << 0 << false << 32 << 1.f << 0;
        // The long contexts, on few heads to keep the suite quick.
        QTest::newRow("len 32768, gqa 7") << 7 << 1 << 128 << 32768 << f16 << 0 << false << 0 << 1.f << 0;
        QTest::newRow("len 32768, gqa 6, 132 splits, gpu") << 12 << 2 << 128 << 32768 << f16 << 132 << false << 256
                                                           << 1.f << 0;
        QTest::newRow("len 32768, gqa 1, peaked") << 1 << 1 << 128 << 32768 << f16 << 0 << false << 0 << 6.f << 0;
        QTest::newRow("len 32768, gqa 7, gpu, no subgroups") << 7 << 1 << 128 << 32768 << f16 << 0 << true << 256
                                                             << 1.f << 0;
        // The Q8_0 cache at the same lengths and layouts.
        const auto q8 = KvCacheType::Q8_0;
        for (const Variant v : {Variant{"device", false, 0}, Variant{"gpu", false, 256},
                                Variant{"gpu, no subgroups", true, 256}})
            QTest::addRow("q8_0 %s: len 4096, 14/2 heads", v.name)
                << 14 << 2 << 128 << 4096 << q8 << 0 << v.noSubgroups << v.block << 1.f << 0;
        QTest::newRow("q8_0 d64 len 4096, gqa 1, 132 splits") << 3 << 3 << 64 << 4096 << q8 << 132 << false << 0 << 1.f
                                                              << 0;
        QTest::newRow("q8_0 len 1000, 40/8, 3 kv heads bound at a time") << 40 << 8 << 128 << 1000 << q8 << 0 << false
                                                                         << 0 << 1.f << 3;
        QTest::newRow("q8_0 d96 len 300, workgroup of 32") << 6 << 2 << 96 << 300 << q8 << 0 << false << 32 << 1.f << 0;
        QTest::newRow("q8_0 len 32768, gqa 7") << 7 << 1 << 128 << 32768 << q8 << 0 << false << 0 << 1.f << 0;
        QTest::newRow("q8_0 len 32768, gqa 1, peaked, gpu") << 1 << 1 << 128 << 32768 << q8 << 0 << false << 256 << 6.f
                                                            << 0;
    }

    void matchesReference()
    {
        QFETCH(int, heads);
        QFETCH(int, headsKv);
        QFETCH(int, headDim);
        QFETCH(int, len);
        QFETCH(KvCacheType, type);
        QFETCH(int, splits);
        QFETCH(bool, noSubgroups);
        QFETCH(int, block);
        QFETCH(float, qScale);
        QFETCH(int, maxBindingHeads);
        // Room past the context, holding poison the kernel must not read.
        AttentionShape shape;
        shape.cache = {uint32_t(headsKv), uint32_t(headDim), uint32_t(len + 45), type};
        shape.heads = uint32_t(heads);
        shape.splits = uint32_t(splits);
        shape.noSubgroups = noSubgroups;
        shape.decodeBlock = uint32_t(block);
        if (maxBindingHeads > 0)
            shape.maxBindingBytes = shape.cache.bytes() / uint32_t(headsKv) * uint32_t(maxBindingHeads) + 16;
        check(shape, {uint32_t(len)}, qScale);
    }

    // One recording replayed as the context grows across split counts
    // (1 range up to 256 tokens, then one per 256 up to the most): the
    // decode loop's pattern.
    void replaysAcrossSplitCounts_data()
    {
        QTest::addColumn<int>("splits");
        QTest::addColumn<bool>("noSubgroups");
        QTest::addColumn<int>("block");
        QTest::addColumn<KvCacheType>("type");
        QTest::newRow("device's rule") << 0 << false << 0 << KvCacheType::F16;
        QTest::newRow("24 splits") << 24 << false << 0 << KvCacheType::F16;
        QTest::newRow("24 splits, gpu") << 24 << false << 256 << KvCacheType::F16;
        QTest::newRow("24 splits, gpu, no subgroups") << 24 << true << 256 << KvCacheType::F16;
        QTest::newRow("q8_0, 24 splits, gpu") << 24 << false << 256 << KvCacheType::Q8_0;
    }

    void replaysAcrossSplitCounts()
    {
        QFETCH(int, splits);
        QFETCH(bool, noSubgroups);
        QFETCH(int, block);
        QFETCH(KvCacheType, type);
        AttentionShape shape;
        shape.cache = {2, 128, 7000, type};
        shape.heads = 12;
        shape.splits = uint32_t(splits);
        shape.noSubgroups = noSubgroups;
        shape.decodeBlock = uint32_t(block);
        check(shape, {1, 2, 255, 256, 257, 511, 513, 1000, 4096, 6143, 6144, 6145, 7000}, 1.f);
    }

    void rejectsBadArguments()
    {
        AttentionShape shape;
        shape.cache = {2, 128, 100, KvCacheType::F16};
        shape.heads = 12;
        auto problem = makeProblem(m_gpu, shape, 10, 1.f);
        PONDER_VERIFY_RESULT(problem);
        auto recorder = vk::CommandRecorder::create(m_gpu.device());
        PONDER_VERIFY_RESULT(recorder);
        const auto code = [&](const AttentionShape& s) {
            const auto recorded = record(m_gpu, **recorder, s, *problem);
            return recorded ? -1 : int(recorded.error().code);
        };
        QCOMPARE(code(shape), -1);
        AttentionShape bad = shape;
        bad.decodeBlock = 100;  // not a power of two
        QCOMPARE(code(bad), int(ErrorCode::InvalidArgument));
        bad = shape;
        bad.splits = kMaxDecodeSplits + 1;
        QCOMPARE(code(bad), int(ErrorCode::InvalidArgument));
        bad = shape;
        bad.splits = 1000;  // more partials than the scratch holds
        QCOMPARE(code(bad), int(ErrorCode::InvalidArgument));
    }

    // The ranges the GPU uses are decodeSplits()'s: every range below its
    // count writes a partial (a positive sum), none past it does (the
    // scratch's NaN stays), at lengths where the count changes.
    void gpuUsesDecodeSplits()
    {
        AttentionShape shape;
        shape.cache = {1, 64, 40000, KvCacheType::F16};
        shape.heads = 1;
        shape.splits = 100;
        auto problem = makeProblem(m_gpu, shape, 200, 1.f);  // positions past 200 hold poison: fine for sums
        PONDER_VERIFY_RESULT(problem);
        auto recorder = vk::CommandRecorder::create(m_gpu.device());
        PONDER_VERIFY_RESULT(recorder);
        PONDER_VERIFY_RESULT(record(m_gpu, **recorder, shape, *problem));
        const uint64_t statsOffset = uint64_t(shape.heads) * shape.splits * shape.cache.headDim * 4;
        for (const uint32_t len : {1u, 256u, 257u, 600u, 25599u, 25600u, 25601u, 40000u}) {
            const std::vector<uint32_t> nan(size_t(shape.splits) * 2, 0x7fc00000u);
            PONDER_VERIFY_RESULT(vk::uploadBytes(m_gpu.device(), m_gpu.recorder(), problem->scratch,
                                                 std::as_bytes(std::span(nan)), statsOffset));
            const uint32_t pos = len - 1;
            std::memcpy(problem->position.mapped(), &pos, 4);
            PONDER_VERIFY_RESULT((*recorder)->submitAndWait());
            auto stats = test::downloaded<float>(m_gpu, problem->scratch, nan.size(), statsOffset);
            PONDER_VERIFY_RESULT(stats);
            const DecodeSplits expected = decodeSplits(len, shape.splits);
            for (uint32_t s = 0; s < shape.splits; ++s) {
                const float sum = (*stats)[2 * s + 1];
                if (s < expected.count)
                    QVERIFY2(sum >= 1.f, qPrintable(QString("len %1: range %2 of %3 has sum %4")
                                                        .arg(len).arg(s).arg(expected.count).arg(sum)));
                else
                    QVERIFY2(std::isnan(sum), qPrintable(QString("len %1: range %2 written, past %3 in use")
                                                             .arg(len).arg(s).arg(expected.count)));
            }
        }
    }
};

void TestKernelAttentionDecode::check(const AttentionShape& shape, const std::vector<uint32_t>& lengths, float qScale)
{
    const uint32_t longest = *std::max_element(lengths.begin(), lengths.end());
    auto problem = makeProblem(m_gpu, shape, longest, qScale);
    PONDER_VERIFY_RESULT(problem);
    // Its own recorder: the fixture's carries the downloads between replays.
    auto recorder = vk::CommandRecorder::create(m_gpu.device());
    PONDER_VERIFY_RESULT(recorder);
    PONDER_VERIFY_RESULT(record(m_gpu, **recorder, shape, *problem));

    const KvCacheShape& cache = shape.cache;
    const float tolerance = kTolerance * largestMagnitude(problem->values);
    for (const uint32_t len : lengths) {
        const uint32_t pos = len - 1;
        std::memcpy(problem->position.mapped(), &pos, 4);
        PONDER_VERIFY_RESULT((*recorder)->submitAndWait());
        auto actual = test::downloaded<float>(m_gpu, problem->out, problem->q.size());
        PONDER_VERIFY_RESULT(actual);
        const auto expected = referenceDecode(problem->q, problem->keys, problem->values, shape.heads, cache.headsKv,
                                              cache.headDim, len);
        const double error = largestError(*actual, expected);
        qInfo("len %u: largest error %.2g of the largest |value|", len, error / largestMagnitude(problem->values));
        QVERIFY2(error <= tolerance, qPrintable(QString("len %1: error %2 over tolerance %3")
                                                    .arg(len).arg(error).arg(tolerance)));
    }
}

QTEST_GUILESS_MAIN(TestKernelAttentionDecode)
#include "tst_kernel_attention_decode.moc"
