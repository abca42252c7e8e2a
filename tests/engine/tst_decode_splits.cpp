// The rule that divides decode attention's cached tokens among workgroups
// (ponder/decode_splits.h), the compute-unit estimate it falls back on, and
// the memory plan's partials sized by it. No GPU: tst_kernel_attention_decode
// checks that the shaders use the same ranges.
#include <QtTest>

#include "ponder/decode_splits.h"
#include "ponder/known_models.h"
#include "ponder/memory_plan.h"
#include "ponder/model_layout.h"
#include "ponder/vk/adapter.h"

using namespace ponder;

class TestDecodeSplits : public QObject {
    Q_OBJECT

private slots:
    void mostSplitsFollowUnitsHeadsAndCapacity_data()
    {
        QTest::addColumn<uint>("units");
        QTest::addColumn<uint>("headsKv");
        QTest::addColumn<uint>("capacity");
        QTest::addColumn<uint>("expected");
        // Two workgroups per unit over the kv heads...
        QTest::newRow("H200, 1.5B (2 kv heads), 128k") << 132u << 2u << 131072u << 132u;
        QTest::newRow("H200, 7B (4 kv heads), 128k") << 132u << 4u << 131072u << 66u;
        QTest::newRow("H200, 14B (8 kv heads), 128k") << 132u << 8u << 131072u << 33u;
        QTest::newRow("RX 7900 (96 CUs), 7B, 32k") << 96u << 4u << 32768u << 48u;
        QTest::newRow("lavapipe on 2 threads, 1.5B") << 2u << 2u << 32768u << 2u;
        // ...no more than the capacity fills with 256 positions each...
        QTest::newRow("H200, 1.5B, 32k") << 132u << 2u << 32768u << 128u;
        QTest::newRow("H200, 1.5B, 4k") << 132u << 2u << 4096u << 16u;
        QTest::newRow("capacity 1") << 132u << 2u << 1u << 1u;
        QTest::newRow("capacity 257") << 132u << 2u << 257u << 2u;
        // ...at least 1 and at most kMaxDecodeSplits.
        QTest::newRow("more kv heads than units") << 2u << 64u << 131072u << 1u;
        QTest::newRow("no units reported") << 0u << 2u << 131072u << 1u;
        QTest::newRow("a huge device") << 100000u << 1u << 1000000u << kMaxDecodeSplits;
    }

    void mostSplitsFollowUnitsHeadsAndCapacity()
    {
        QFETCH(uint, units);
        QFETCH(uint, headsKv);
        QFETCH(uint, capacity);
        QFETCH(uint, expected);
        QCOMPARE(maxDecodeSplits(units, headsKv, capacity), expected);
    }

    void splitsFollowTheCachedTokens_data()
    {
        QTest::addColumn<uint>("tokens");
        QTest::addColumn<uint>("maxSplits");
        QTest::addColumn<uint>("count");
        QTest::addColumn<uint>("chunk");
        QTest::newRow("no tokens") << 0u << 132u << 0u << 0u;
        QTest::newRow("1 token") << 1u << 132u << 1u << 1u;
        QTest::newRow("256: one range") << 256u << 132u << 1u << 256u;
        QTest::newRow("257: two") << 257u << 132u << 2u << 129u;
        QTest::newRow("1k") << 1024u << 132u << 4u << 256u;
        QTest::newRow("8k") << 8192u << 132u << 32u << 256u;
        QTest::newRow("32k, H200's 1.5B") << 32768u << 132u << 128u << 256u;
        QTest::newRow("32k + 1") << 32769u << 132u << 129u << 255u;
        QTest::newRow("128k") << 131072u << 132u << 132u << 993u;
        QTest::newRow("one range allowed") << 131072u << 1u << 1u << 131072u;
        QTest::newRow("lavapipe, 32k") << 32768u << 2u << 2u << 16384u;
        // 1000 chunks of 257 would leave the last 3 ranges empty: the count
        // is recomputed from the chunk.
        QTest::newRow("no empty range") << 256001u << 1000u << 997u << 257u;
    }

    void splitsFollowTheCachedTokens()
    {
        QFETCH(uint, tokens);
        QFETCH(uint, maxSplits);
        QFETCH(uint, count);
        QFETCH(uint, chunk);
        const DecodeSplits splits = decodeSplits(tokens, maxSplits);
        QCOMPARE(splits.count, count);
        QCOMPARE(splits.chunk, chunk);
    }

    // For every length and most: at least one range, at most the most, one
    // per kDecodeSplitKeys tokens where the most allows, and the ranges
    // cover every token with none empty.
    void splitsCoverTheTokensWithoutEmptyRanges()
    {
        for (uint32_t maxSplits : {1u, 2u, 3u, 33u, 132u, 1000u})
            for (uint32_t tokens = 1; tokens <= 300000; tokens += tokens < 2000 ? 1 : 997) {
                const DecodeSplits s = decodeSplits(tokens, maxSplits);
                const uint32_t wanted = std::min((tokens + kDecodeSplitKeys - 1) / kDecodeSplitKeys, maxSplits);
                QVERIFY(s.count >= 1 && s.count <= wanted);
                QVERIFY(uint64_t(s.count) * s.chunk >= tokens);         // covered
                QVERIFY(uint64_t(s.count - 1) * s.chunk < tokens);      // the last range holds a token
                QVERIFY(s.chunk <= (tokens + wanted - 1) / wanted);     // as even as the wanted count
            }
    }

    void computeUnitEstimates()
    {
        QCOMPARE(vk::estimateComputeUnits(vk::AdapterType::Discrete, 8), 64u);
        QCOMPARE(vk::estimateComputeUnits(vk::AdapterType::Integrated, 8), 16u);
        QCOMPARE(vk::estimateComputeUnits(vk::AdapterType::Cpu, 8), 8u);
        QCOMPARE(vk::estimateComputeUnits(vk::AdapterType::Cpu, 0), 1u);
        QCOMPARE(vk::estimateComputeUnits(vk::AdapterType::Other, 8), 16u);
    }

    // The plan sizes decode's partials for the device's most splits, exactly.
    void planSizesThePartials_data()
    {
        QTest::addColumn<uint>("units");
        QTest::addColumn<uint>("context");
        QTest::newRow("H200, 128k") << 132u << 131072u;
        QTest::newRow("H200, 4k") << 132u << 4096u;
        QTest::newRow("lavapipe, 32k") << 2u << 32768u;
        QTest::newRow("1 token") << 64u << 1u;
    }

    void planSizesThePartials()
    {
        QFETCH(uint, units);
        QFETCH(uint, context);
        const ModelConfig config = *knownModelConfig("qwen-1.5b");
        const ModelInfo info = modelInfoFromConfig(config, *quantMixFromName("Q4_K_M"), "qwen-1.5b");
        DeviceLimits limits;
        limits.computeUnits = units;
        PlanOptions options;
        options.contextLength = context;
        const auto plan = planMemory(info, options, limits);
        QVERIFY2(plan, plan ? "" : plan.error().message.c_str());
        const ActivationLayout& a = plan->activations;
        QCOMPARE(a.decodeSplits, maxDecodeSplits(units, config.headCountKv, context));
        QCOMPARE(a.partials.size, decodeScratchBytes(config.headCount, config.headDim, a.decodeSplits));
        QVERIFY(a.partials.size >= uint64_t(config.headCount) * a.decodeSplits * (config.headDim + 2) * 4);
        QCOMPARE(a.partials.size % 16, 0ull);
    }
};

QTEST_GUILESS_MAIN(TestDecodeSplits)
#include "tst_decode_splits.moc"
