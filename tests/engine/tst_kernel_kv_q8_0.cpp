// The Q8_0 KV cache on the GPU: kv_store's blocks against the engine's Q8_0
// codec (quant.h), and attention_decode / attention_prefill reading a Q8_0
// cache against reference::attention, at context lengths that are not
// multiples of the tile or the split chunk, grouped-query ratios 1 to 7,
// head dims 64 and 128, and 32 and 96, whose rows are an odd number of
// 34-byte blocks (so rows and heads start at bytes that are 2 mod 4).
//
// Tolerances:
//  - kv_store: the GPU runs the codec's steps (scale amax/127 refitted by
//    least squares, f16, levels rounded to nearest even). Where the device
//    divides exactly, as lavapipe does, blocks of unrotated values are the
//    CPU's bytes exactly (checked on CPU devices). Elsewhere, and for keys
//    rotated on the GPU (RoPE within 4e-6 of the reference,
//    tst_kernel_rope), a value at a rounding boundary may land on the
//    neighbouring level: each block's scale within one f16 step of the CPU's
//    and each level within one of the CPU's (measured on lavapipe: all 1256
//    blocks identical to the codec's, rotated keys included). Slots not
//    stored keep their bytes exactly, including the half words a block
//    shares with its neighbours.
//  - attention: the kernels widen d * q exactly (an f16 times an int8 is
//    exact in float32), so against the reference run on the same
//    dequantized keys and values only float32 summation order differs, as
//    for the f32 cache: kTolerance of the largest |value| (worst measured on
//    lavapipe: 9.5e-7 with peaked scores, 2e-7 otherwise).
// The reference reads the values the codec's blocks decode to, and the GPU
// gets those very blocks: encoding decoded values again need not give them
// back (see randomContext).
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
#include "ponder/kv_cache_type.h"
#include "ponder/quant.h"
#include "ponder/reference/ops.h"

using namespace ponder;

namespace {

constexpr float kTolerance = 1e-5f;
constexpr KvCacheType kQ8 = KvCacheType::Q8_0;

// Keys and values past the context: large enough to dominate any softmax
// and any mean they leak into.
constexpr float kPoisonKey = 300.f;
constexpr float kPoisonValue = 1000.f;

// x, a whole number of 32-value blocks, through the engine's Q8_0 codec.
std::vector<std::byte> encodeBlocks(const std::vector<float>& x)
{
    std::vector<std::byte> bytes(x.size() / 32 * 34);
    if (!quantize(TensorType::Q8_0, x, bytes))
        qFatal("quantize failed");
    return bytes;
}

std::vector<float> decodeBlocks(std::span<const std::byte> bytes)
{
    std::vector<float> x(bytes.size() / 34 * 32);
    if (!dequantize(TensorType::Q8_0, bytes, x))
        qFatal("dequantize failed");
    return x;
}

// A context of `length` positions, (length, headsKv, headDim) position-major:
// the blocks of each head's row as the codec makes them, and the values
// they decode to, which the reference reads. (Encoding decoded values again
// need not give the same blocks: the refitted scale may leave a level at
// -128, and the second pass scales that to 127.)
struct Context {
    std::vector<std::byte> keyBlocks;
    std::vector<std::byte> valueBlocks;
    std::vector<float> keys;
    std::vector<float> values;
};

Context randomContext(uint32_t length, uint32_t headsKv, uint32_t headDim, std::mt19937& rng)
{
    Context c;
    c.keyBlocks = encodeBlocks(test::randomFloats(size_t(length) * headsKv * headDim, rng, 1.f));
    c.valueBlocks = encodeBlocks(test::randomFloats(size_t(length) * headsKv * headDim, rng, 1.f));
    c.keys = decodeBlocks(c.keyBlocks);
    c.values = decodeBlocks(c.valueBlocks);
    return c;
}

// The GPU cache: (headsKv, capacity, headDim) head-major Q8_0 blocks, the
// context's blocks then rows of `poison`, padded to cache.bytes().
Result<vk::Buffer> cacheBuffer(test::GpuFixture& gpu, const std::vector<std::byte>& byPosition,
                               const KvCacheShape& shape, float poison)
{
    const size_t rowBytes = kvRowBytes(kQ8, shape.headDim);
    const size_t length = byPosition.size() / rowBytes / shape.headsKv;
    const std::vector<std::byte> poisonRow = encodeBlocks(std::vector<float>(shape.headDim, poison));
    std::vector<std::byte> laid(shape.bytes(), std::byte(0));
    for (size_t pos = 0; pos < shape.capacity; ++pos)
        for (uint32_t h = 0; h < shape.headsKv; ++h) {
            const auto source = pos < length ? byPosition.begin() + ptrdiff_t((pos * shape.headsKv + h) * rowBytes)
                                             : poisonRow.begin();
            std::copy_n(source, rowBytes, laid.begin() + ptrdiff_t((h * size_t(shape.capacity) + pos) * rowBytes));
        }
    return test::uploaded(gpu, laid);
}

float largestMagnitude(const std::vector<float>& values)
{
    float largest = 0.f;
    for (float v : values)
        largest = std::max(largest, std::abs(v));
    return largest;
}

// The largest |actual - expected|; NaN counts as infinite.
float worstError(const std::vector<float>& actual, const std::vector<float>& expected)
{
    float worst = 0.f;
    for (size_t i = 0; i < expected.size(); ++i) {
        const float error = std::abs(actual[i] - expected[i]);
        worst = std::isnan(error) ? INFINITY : std::max(worst, error);
    }
    return worst;
}

std::vector<uint32_t> consecutive(uint32_t first, uint32_t count)
{
    std::vector<uint32_t> positions(count);
    for (uint32_t t = 0; t < count; ++t)
        positions[t] = first + t;
    return positions;
}

uint16_t scaleBits(const std::byte* block)
{
    uint16_t bits;
    std::memcpy(&bits, block, 2);
    return bits;
}

// How a stored block compares with the codec's: identical, within one level
// (and one f16 step of scale), or further off.
enum class BlockMatch { Identical, Near, Wrong };

BlockMatch compareBlock(const std::byte* gpu, const std::byte* cpu)
{
    if (std::memcmp(gpu, cpu, 34) == 0)
        return BlockMatch::Identical;
    if (std::abs(int(scaleBits(gpu)) - int(scaleBits(cpu))) > 1)
        return BlockMatch::Wrong;
    for (int i = 2; i < 34; ++i)
        if (std::abs(int(int8_t(gpu[i])) - int(int8_t(cpu[i]))) > 1)
            return BlockMatch::Wrong;
    return BlockMatch::Near;
}

} // namespace

class TestKernelKvQ8_0 : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

    bool cpuDevice() { return m_gpu.device().adapter().type == vk::AdapterType::Cpu; }
    void checkDecode(const AttentionShape& shape, uint32_t len, float qScale);

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void sizes()
    {
        QCOMPARE(kvRowBytes(kQ8, 128), 136u);
        QCOMPARE(kvRowBytes(kQ8, 96), 102u);
        QCOMPARE((KvCacheShape{2, 128, 100, kQ8}.bytes()), 2u * 100 * 136);
        QCOMPARE((KvCacheShape{3, 32, 7, kQ8}.bytes()), 716u);  // 3 * 7 * 34 = 714, to whole words
        QCOMPARE((KvCacheShape{2, 128, 100, KvCacheType::F16}.bytes()), 2u * 100 * 256);
    }

    void storesCodecBlocks_data()
    {
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("headsKv");
        QTest::addColumn<int>("ropeDims");  // 0: keys stored as given
        QTest::addColumn<bool>("neox");
        QTest::addColumn<int>("pos0");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("maxBindingHeads");  // 0: no limit
        QTest::newRow("plain, qwen 1.5B heads") << 128 << 2 << 0 << true << 0 << 5 << 9 << 0;
        QTest::newRow("neox rope, prefix at 17") << 128 << 2 << 128 << true << 17 << 7 << 30 << 0;
        QTest::newRow("adjacent rope, d64, 8 heads") << 64 << 8 << 64 << false << 3 << 4 << 11 << 0;
        QTest::newRow("d32 rows of one block, odd capacity") << 32 << 3 << 32 << true << 0 << 6 << 7 << 0;
        QTest::newRow("d96 rows of three blocks, partial rope") << 96 << 3 << 64 << true << 1 << 3 << 5 << 0;
        QTest::newRow("d96 unrotated") << 96 << 2 << 0 << false << 0 << 9 << 9 << 0;
        QTest::newRow("decode at 4095") << 128 << 4 << 128 << false << 4095 << 1 << 4099 << 0;
        // The last two tokens fall past the capacity and are not stored.
        QTest::newRow("past the capacity") << 64 << 2 << 64 << true << 6 << 5 << 9 << 0;
        // 8 heads in slices of 3, 3, 2; d96 heads of 21 positions are 2142
        // bytes, so slices start 2 bytes into a word.
        QTest::newRow("split by heads, d96") << 96 << 8 << 96 << true << 2 << 6 << 21 << 3;
        QTest::newRow("split by heads, d128") << 128 << 8 << 0 << true << 0 << 6 << 20 << 3;
    }

    void storesCodecBlocks()
    {
        QFETCH(int, headDim);
        QFETCH(int, headsKv);
        QFETCH(int, ropeDims);
        QFETCH(bool, neox);
        QFETCH(int, pos0);
        QFETCH(int, tokens);
        QFETCH(int, capacity);
        QFETCH(int, maxBindingHeads);
        const float base = 1e4f;
        const RopeShape rope{uint32_t(ropeDims), neox ? RopeLayout::Neox : RopeLayout::AdjacentPairs};
        const KvCacheShape cache{uint32_t(headsKv), uint32_t(headDim), uint32_t(capacity), kQ8};
        const uint64_t rowBytes = kvRowBytes(kQ8, uint32_t(headDim));

        std::mt19937 rng(uint32_t(headDim * 17 + headsKv * 5 + tokens + pos0 + ropeDims));
        const size_t row = size_t(headsKv) * headDim;
        const auto k = test::randomFloats(size_t(tokens) * row, rng, 2.f);
        const auto v = test::randomFloats(size_t(tokens) * row, rng, 2.f);
        const auto positions = consecutive(uint32_t(pos0), uint32_t(tokens));
        std::vector<float> rotated = k;
        if (ropeDims > 0)
            for (int t = 0; t < tokens; ++t)
                reference::rope(std::span(rotated).subspan(size_t(t) * row, row), uint32_t(headDim),
                                uint32_t(ropeDims), positions[size_t(t)], base, rope.layout, {});

        // Both caches sit in buffers filled with a byte pattern, the key
        // cache 256 bytes in; every byte not stored must keep its value.
        const uint64_t lead = 256;
        const uint64_t bufferBytes = lead + cache.bytes() + 64;
        std::vector<std::byte> marker(bufferBytes);
        for (size_t i = 0; i < marker.size(); ++i)
            marker[i] = std::byte((i * 7 + 3) & 0xff);
        auto kCache = test::uploaded(m_gpu, marker);
        auto vCache = test::uploaded(m_gpu, marker);
        auto kBuffer = test::uploaded(m_gpu, k);
        auto vBuffer = test::uploaded(m_gpu, v);
        auto positionBuffer = test::uploaded(m_gpu, positions);
        auto table = ropeFrequencyTable(uint32_t(std::max(ropeDims, 2)), base, {});
        PONDER_VERIFY_RESULT(table);
        auto tableBuffer = test::uploaded(m_gpu, *table);
        for (const auto* b : {&kCache, &vCache, &kBuffer, &vBuffer, &positionBuffer, &tableBuffer})
            PONDER_VERIFY_RESULT(*b);
        KvStoreOptions options;
        options.rope = rope;
        if (ropeDims > 0)
            options.freqTable = tableBuffer->range();
        if (maxBindingHeads > 0)
            options.maxBindingBytes = uint64_t(capacity) * rowBytes * uint64_t(maxBindingHeads) + 8;
        PONDER_VERIFY_RESULT(test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) {
            return m_gpu.kernels().kvStore(recorder, cache, uint32_t(tokens), kCache->range(lead, cache.bytes()),
                                           vCache->range(0, cache.bytes()), kBuffer->range(), vBuffer->range(),
                                           positionBuffer->range(), options);
        }));
        auto keys = test::downloaded<std::byte>(m_gpu, *kCache, bufferBytes);
        auto values = test::downloaded<std::byte>(m_gpu, *vCache, bufferBytes);
        PONDER_VERIFY_RESULT(keys);
        PONDER_VERIFY_RESULT(values);

        // What the CPU codec makes of each stored row, and where it goes.
        std::vector<std::byte> wantKeys = marker;
        std::vector<std::byte> wantValues = marker;
        std::vector<bool> storedKey(bufferBytes, false);
        std::vector<bool> storedValue(bufferBytes, false);
        for (int t = 0; t < tokens; ++t) {
            if (positions[size_t(t)] >= uint32_t(capacity))
                continue;
            for (int h = 0; h < headsKv; ++h) {
                const size_t source = size_t(t) * row + size_t(h) * headDim;
                const uint64_t slot = (uint64_t(h) * capacity + positions[size_t(t)]) * rowBytes;
                const auto keyRow = encodeBlocks(std::vector<float>(rotated.begin() + ptrdiff_t(source),
                                                              rotated.begin() + ptrdiff_t(source + headDim)));
                const auto valueRow = encodeBlocks(std::vector<float>(v.begin() + ptrdiff_t(source),
                                                                v.begin() + ptrdiff_t(source + headDim)));
                std::copy(keyRow.begin(), keyRow.end(), wantKeys.begin() + ptrdiff_t(lead + slot));
                std::copy(valueRow.begin(), valueRow.end(), wantValues.begin() + ptrdiff_t(slot));
                std::fill_n(storedKey.begin() + ptrdiff_t(lead + slot), rowBytes, true);
                std::fill_n(storedValue.begin() + ptrdiff_t(slot), rowBytes, true);
            }
        }

        int identical = 0, near = 0, blocks = 0;
        const auto check = [&](const std::vector<std::byte>& got, const std::vector<std::byte>& want,
                               const std::vector<bool>& stored, const char* what, bool exact) {
            for (size_t i = 0; i < bufferBytes;) {
                if (!stored[i]) {
                    if (got[i] != want[i])
                        return QString("%1: byte %2 not stored but changed").arg(what).arg(i);
                    ++i;
                    continue;
                }
                ++blocks;
                const BlockMatch match = compareBlock(&got[i], &want[i]);
                identical += match == BlockMatch::Identical;
                near += match == BlockMatch::Near;
                if (match == BlockMatch::Wrong || (exact && match != BlockMatch::Identical))
                    return QString("%1: the block at byte %2 has scale %3 (codec: %4)").arg(what).arg(i)
                        .arg(halfToFloat(scaleBits(&got[i]))).arg(halfToFloat(scaleBits(&want[i])));
                i += 34;
            }
            return QString();
        };
        // A CPU device divides exactly: unrotated blocks are the codec's bytes.
        QString miss = check(*keys, wantKeys, storedKey, "keys", cpuDevice() && ropeDims == 0);
        QVERIFY2(miss.isEmpty(), qPrintable(miss));
        miss = check(*values, wantValues, storedValue, "values", cpuDevice());
        QVERIFY2(miss.isEmpty(), qPrintable(miss));
        qInfo("%d blocks: %d identical to the codec's, %d within one level", blocks, identical, near);
    }

    void decodeMatchesReference_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("headsKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("len");
        QTest::addColumn<int>("splits");           // 0: the default
        QTest::addColumn<int>("maxBindingHeads");  // 0: no limit; else heads per binding
        QTest::addColumn<float>("qScale");
        QTest::addColumn<bool>("noSubgroups");
        QTest::newRow("len 1, qwen 1.5B 12/2") << 12 << 2 << 128 << 1 << 0 << 0 << 1.f << false;
        QTest::newRow("len 37, qwen 7B 28/4") << 28 << 4 << 128 << 37 << 0 << 0 << 1.f << false;
        QTest::newRow("len 300, qwen 14B 40/8") << 40 << 8 << 128 << 300 << 0 << 0 << 1.f << false;
        QTest::newRow("len 1000, qwen 1.5B") << 12 << 2 << 128 << 1000 << 0 << 0 << 1.f << false;
        QTest::newRow("len 1000, 7B, d64") << 28 << 4 << 64 << 1000 << 0 << 0 << 1.f << false;
        QTest::newRow("len 37, no grouping, d64") << 4 << 4 << 64 << 37 << 0 << 0 << 1.f << false;
        QTest::newRow("len 300, d32, 12/2") << 12 << 2 << 32 << 300 << 0 << 0 << 1.f << false;
        QTest::newRow("len 77, d96, 6/3") << 6 << 3 << 96 << 77 << 0 << 0 << 1.f << false;
        QTest::newRow("len 300, one split") << 12 << 2 << 128 << 300 << 1 << 0 << 1.f << false;
        QTest::newRow("len 1000, at most 5 splits") << 28 << 4 << 128 << 1000 << 5 << 0 << 1.f << false;
        QTest::newRow("len 300, peaked scores") << 12 << 2 << 128 << 300 << 0 << 0 << 6.f << false;
        QTest::newRow("len 300, bound 3 heads at a time") << 40 << 8 << 128 << 300 << 0 << 3 << 1.f << false;
        QTest::newRow("len 45, d96, bound 3 heads at a time") << 16 << 8 << 96 << 45 << 0 << 3 << 1.f << false;
        QTest::newRow("len 300, no subgroups, 7B") << 28 << 4 << 128 << 300 << 0 << 0 << 1.f << true;
        QTest::newRow("len 45, no subgroups, d96") << 6 << 3 << 96 << 45 << 0 << 0 << 1.f << true;
    }

    void decodeMatchesReference()
    {
        QFETCH(int, heads);
        QFETCH(int, headsKv);
        QFETCH(int, headDim);
        QFETCH(int, len);
        QFETCH(int, splits);
        QFETCH(int, maxBindingHeads);
        QFETCH(float, qScale);
        QFETCH(bool, noSubgroups);
        // Room past the context, holding poison the kernel must not read.
        const KvCacheShape cache{uint32_t(headsKv), uint32_t(headDim), uint32_t(len + 45), kQ8};
        AttentionShape shape{cache, uint32_t(heads), uint32_t(splits), 0};
        shape.noSubgroups = noSubgroups;
        if (maxBindingHeads > 0)
            shape.maxBindingBytes = uint64_t(cache.capacity) * kvRowBytes(kQ8, cache.headDim) * maxBindingHeads + 16;
        checkDecode(shape, uint32_t(len), qScale);
    }

    void prefillMatchesReference_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("headsKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("pos0");
        QTest::addColumn<int>("maxBindingHeads");
        QTest::addColumn<float>("qScale");
        struct Model {
            const char* name;
            int heads, headsKv, headDim;
        };
        const Model models[] = {{"1.5B", 12, 2, 128}, {"7B", 28, 4, 128},  {"14B", 40, 8, 128},
                                {"d64 mha", 3, 3, 64}, {"d32 6/2", 6, 2, 32}, {"d96 6/3", 6, 3, 96}};
        int m = 0;
        for (const int pos0 : {0, 17})
            for (const int tokens : {1, 5, 33, 100}) {
                const Model& model = models[m++ % 6];
                QTest::addRow("n %d from %d, %s", tokens, pos0, model.name)
                    << model.heads << model.headsKv << model.headDim << tokens << pos0 << 0 << 1.f;
            }
        QTest::newRow("peaked scores") << 12 << 2 << 128 << 33 << 17 << 0 << 6.f;
        QTest::newRow("bound 3 heads at a time, d64") << 40 << 8 << 64 << 20 << 5 << 3 << 1.f;
        QTest::newRow("bound 3 heads at a time, d96") << 16 << 8 << 96 << 20 << 5 << 3 << 1.f;
    }

    void prefillMatchesReference()
    {
        QFETCH(int, heads);
        QFETCH(int, headsKv);
        QFETCH(int, headDim);
        QFETCH(int, tokens);
        QFETCH(int, pos0);
        QFETCH(int, maxBindingHeads);
        QFETCH(float, qScale);
        const uint32_t length = uint32_t(pos0 + tokens);
        const KvCacheShape cache{uint32_t(headsKv), uint32_t(headDim), length + 9, kQ8};
        AttentionShape shape{cache, uint32_t(heads), 0, 0};
        if (maxBindingHeads > 0)
            shape.maxBindingBytes = uint64_t(cache.capacity) * kvRowBytes(kQ8, cache.headDim) * maxBindingHeads;

        std::mt19937 rng(uint32_t(heads * 1000 + tokens * 10 + pos0 + headDim));
        const Context context = randomContext(length, cache.headsKv, cache.headDim, rng);
        const auto q = test::randomFloats(size_t(tokens) * heads * headDim, rng, qScale);
        std::vector<float> expected(q.size());
        PONDER_VERIFY_RESULT(reference::attention(expected, q, context.keys, context.values, uint32_t(heads),
                                                  cache.headsKv, cache.headDim, uint32_t(pos0)));

        auto kCache = cacheBuffer(m_gpu, context.keyBlocks, cache, kPoisonKey);
        auto vCache = cacheBuffer(m_gpu, context.valueBlocks, cache, kPoisonValue);
        auto qBuffer = test::uploaded(m_gpu, q);
        auto outBuffer = test::uploaded(m_gpu, std::vector<float>(q.size()));
        auto positionBuffer = test::uploaded(m_gpu, consecutive(uint32_t(pos0), uint32_t(tokens)));
        for (const auto* b : {&kCache, &vCache, &qBuffer, &outBuffer, &positionBuffer})
            PONDER_VERIFY_RESULT(*b);
        PONDER_VERIFY_RESULT(test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) {
            return m_gpu.kernels().attentionPrefill(recorder, shape, uint32_t(tokens), outBuffer->range(),
                                                    qBuffer->range(), kCache->range(), vCache->range(),
                                                    positionBuffer->range());
        }));
        auto actual = test::downloaded<float>(m_gpu, *outBuffer, q.size());
        PONDER_VERIFY_RESULT(actual);
        const float error = worstError(*actual, expected) / largestMagnitude(context.values);
        qInfo("worst error %.2g of the largest value", double(error));
        QVERIFY2(error <= kTolerance, qPrintable(QString::number(error)));
    }

    // The layer's attention as the forward pass records it: kv_store with
    // RoPE into a Q8_0 cache, a 9-token prefill from position 0, then one
    // decode step at 9. The reference attends over the cache the GPU wrote
    // (storesCodecBlocks checks those bytes against the codec), with the
    // queries rotated by the reference's RoPE (within 4e-6 of the GPU's).
    void layerPipelineMatchesReference_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("headsKv");
        QTest::addColumn<int>("headDim");
        QTest::newRow("qwen 1.5B 12/2 d128") << 12 << 2 << 128;
        QTest::newRow("6/3 d96") << 6 << 3 << 96;
    }

    void layerPipelineMatchesReference()
    {
        QFETCH(int, heads);
        QFETCH(int, headsKv);
        QFETCH(int, headDim);
        const uint32_t prefill = 9, capacity = 16, dim = uint32_t(headDim);
        const KvCacheShape cache{uint32_t(headsKv), dim, capacity, kQ8};
        const AttentionShape shape{cache, uint32_t(heads), 0, 0};
        const RopeShape rope{dim, RopeLayout::Neox};
        const float base = 1e6f;
        auto table = ropeFrequencyTable(dim, base, {});
        PONDER_VERIFY_RESULT(table);

        std::mt19937 rng(99 + uint32_t(headDim));
        const size_t qRow = size_t(heads) * dim;
        const size_t kvRow = size_t(headsKv) * dim;
        const auto q = test::randomFloats((prefill + 1) * qRow, rng, 1.f);
        const auto k = test::randomFloats((prefill + 1) * kvRow, rng, 1.f);
        const auto v = test::randomFloats((prefill + 1) * kvRow, rng, 1.f);
        std::vector<float> rotatedQ = q;
        for (uint32_t t = 0; t <= prefill; ++t)
            reference::rope(std::span(rotatedQ).subspan(t * qRow, qRow), dim, dim, t, base, rope.layout, {});

        auto qBuffer = test::uploaded(m_gpu, q);
        auto kBuffer = test::uploaded(m_gpu, k);
        auto vBuffer = test::uploaded(m_gpu, v);
        auto outBuffer = test::uploaded(m_gpu, std::vector<float>(q.size()));
        auto positionBuffer = test::uploaded(m_gpu, consecutive(0, prefill));
        auto tableBuffer = test::uploaded(m_gpu, *table);
        auto kCache = test::uploaded(m_gpu, std::vector<std::byte>(cache.bytes()));
        auto vCache = test::uploaded(m_gpu, std::vector<std::byte>(cache.bytes()));
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
                PONDER_TRY(kernels.rope(recorder, tokens, uint32_t(heads), dim, rope, qRange, qRange,
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
        auto keyBytes = test::downloaded<std::byte>(m_gpu, *kCache, cache.bytes());
        auto valueBytes = test::downloaded<std::byte>(m_gpu, *vCache, cache.bytes());
        PONDER_VERIFY_RESULT(actual);
        PONDER_VERIFY_RESULT(keyBytes);
        PONDER_VERIFY_RESULT(valueBytes);

        // The cache as the reference reads it: (positions, headsKv, headDim).
        const uint64_t headBytes = uint64_t(capacity) * kvRowBytes(kQ8, dim);
        std::vector<float> keys((prefill + 1) * kvRow), values((prefill + 1) * kvRow);
        for (uint32_t h = 0; h < uint32_t(headsKv); ++h) {
            const auto headKeys = decodeBlocks(std::span(*keyBytes).subspan(h * headBytes, headBytes));
            const auto headValues = decodeBlocks(std::span(*valueBytes).subspan(h * headBytes, headBytes));
            for (uint32_t pos = 0; pos <= prefill; ++pos)
                for (uint32_t d = 0; d < dim; ++d) {
                    keys[pos * kvRow + h * dim + d] = headKeys[pos * dim + d];
                    values[pos * kvRow + h * dim + d] = headValues[pos * dim + d];
                }
        }
        std::vector<float> expected(q.size());
        PONDER_VERIFY_RESULT(reference::attention(std::span(expected).first(prefill * qRow),
                                                  std::span(rotatedQ).first(prefill * qRow),
                                                  std::span(keys).first(prefill * kvRow),
                                                  std::span(values).first(prefill * kvRow), uint32_t(heads),
                                                  uint32_t(headsKv), dim, 0));
        PONDER_VERIFY_RESULT(reference::attention(std::span(expected).subspan(prefill * qRow),
                                                  std::span(rotatedQ).subspan(prefill * qRow), keys, values,
                                                  uint32_t(heads), uint32_t(headsKv), dim, prefill));
        const float error = worstError(*actual, expected) / largestMagnitude(values);
        qInfo("worst error %.2g of the largest value", double(error));
        QVERIFY2(error <= kTolerance, qPrintable(QString::number(error)));
    }

    void rejectsBadArguments()
    {
        auto buffer = vk::Buffer::create(m_gpu.device(), 1 << 20, vk::MemoryUsage::DeviceLocal);
        QVERIFY(buffer);
        const auto all = buffer->range();
        auto& recorder = m_gpu.recorder();
        const auto& kernels = m_gpu.kernels();
        const KvCacheShape good{2, 64, 100, kQ8};
        const KvCacheShape odd{2, 48, 100, kQ8};  // not whole blocks of 32
        const auto kRange = buffer->range(0, good.bytes());
        const auto vRange = buffer->range(good.bytes(), good.bytes());
        const auto code = [](const Result<void>& r) { return r ? -1 : int(r.error().code); };
        const int unsupported = int(ErrorCode::Unsupported);
        QVERIFY(recorder.begin());
        QCOMPARE(code(kernels.kvStore(recorder, good, 3, kRange, vRange, all, all, all)), -1);
        QCOMPARE(code(kernels.attentionDecode(recorder, {good, 4, 0, 0}, all, all, kRange, vRange, all, all)), -1);
        QCOMPARE(code(kernels.attentionPrefill(recorder, {good, 4, 0, 0}, 3, all, all, kRange, vRange, all)), -1);
        QCOMPARE(code(kernels.kvStore(recorder, odd, 3, kRange, vRange, all, all, all)), unsupported);
        QCOMPARE(code(kernels.attentionDecode(recorder, {odd, 4, 0, 0}, all, all, kRange, vRange, all, all)),
                 unsupported);
        QCOMPARE(code(kernels.attentionPrefill(recorder, {odd, 4, 0, 0}, 3, all, all, kRange, vRange, all)),
                 unsupported);
        // A binding one word short of the padded cache.
        const KvCacheShape padded{3, 32, 7, kQ8};
        QCOMPARE(code(kernels.kvStore(recorder, padded, 1, buffer->range(0, padded.bytes() - 4), vRange, all, all,
                                      all)),
                 int(ErrorCode::InvalidArgument));
        QVERIFY(recorder.end());
    }
};

void TestKernelKvQ8_0::checkDecode(const AttentionShape& shape, uint32_t len, float qScale)
{
    const KvCacheShape& cache = shape.cache;
    std::mt19937 rng(shape.heads * 7919 + cache.capacity * 31 + cache.headDim + shape.splits);
    const Context context = randomContext(len, cache.headsKv, cache.headDim, rng);
    const size_t qValues = size_t(shape.heads) * cache.headDim;
    const auto q = test::randomFloats(qValues, rng, qScale);
    const uint32_t pos = len - 1;

    auto kCache = cacheBuffer(m_gpu, context.keyBlocks, cache, kPoisonKey);
    auto vCache = cacheBuffer(m_gpu, context.valueBlocks, cache, kPoisonValue);
    auto qBuffer = test::uploaded(m_gpu, q);
    auto outBuffer = test::uploaded(m_gpu, std::vector<float>(qValues));
    auto scratch = test::uploaded(m_gpu, std::vector<float>{}, m_gpu.kernels().attentionDecodeScratchBytes(shape));
    auto positionBuffer = test::uploaded(m_gpu, std::vector<uint32_t>{pos});
    for (const auto* b : {&kCache, &vCache, &qBuffer, &outBuffer, &scratch, &positionBuffer})
        PONDER_VERIFY_RESULT(*b);
    PONDER_VERIFY_RESULT(test::runOnce(m_gpu, [&](vk::CommandRecorder& recorder) {
        return m_gpu.kernels().attentionDecode(recorder, shape, outBuffer->range(), qBuffer->range(), kCache->range(),
                                               vCache->range(), positionBuffer->range(), scratch->range());
    }));
    auto actual = test::downloaded<float>(m_gpu, *outBuffer, qValues);
    PONDER_VERIFY_RESULT(actual);

    std::vector<float> expected(qValues);
    PONDER_VERIFY_RESULT(reference::attention(expected, q, context.keys, context.values, shape.heads, cache.headsKv,
                                              cache.headDim, pos));
    const float error = worstError(*actual, expected) / largestMagnitude(context.values);
    qInfo("worst error %.2g of the largest value", double(error));
    QVERIFY2(error <= kTolerance, qPrintable(QString::number(error)));
}

QTEST_GUILESS_MAIN(TestKernelKvQ8_0)
#include "tst_kernel_kv_q8_0.moc"
