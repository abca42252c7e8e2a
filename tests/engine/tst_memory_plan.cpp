// The memory plan on the real R1 distill shapes: the KV cache per token, file
// sizes against the published ones, every invariant of the layout, and clear
// errors where a device cannot hold a model.
#include <QtTest>

#include "ponder/cpu_memory_plan.h"
#include "ponder/known_models.h"
#include "ponder/memory_plan.h"
#include "ponder/model_layout.h"

using namespace ponder;

namespace {

ModelInfo known(const char* shape, QuantMix mix)
{
    return modelInfoFromConfig(*knownModelConfig(shape), mix, shape);
}

// lavapipe's limits: 128 MiB per binding, 2 GiB per allocation.
DeviceLimits lavapipeLimits()
{
    DeviceLimits limits;
    limits.maxStorageBufferRange = 128ull << 20;
    limits.maxMemoryAllocationSize = 2ull << 30;
    limits.storageOffsetAlignment = 16;
    return limits;
}

} // namespace

class TestMemoryPlan : public QObject {
    Q_OBJECT

private slots:
    void kvCachePerToken_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<qulonglong>("kib");
        // FORMATS.md: 2 x layers x kv heads x head dim x 2 bytes; f32 twice
        // that; q8_0 34 bytes per 32 values, 17/32 of f16.
        QTest::newRow("qwen-1.5b") << "qwen-1.5b" << 28ull;
        QTest::newRow("qwen-7b") << "qwen-7b" << 56ull;
        QTest::newRow("llama-8b") << "llama-8b" << 128ull;
        QTest::newRow("qwen-14b") << "qwen-14b" << 192ull;
        QTest::newRow("qwen-32b") << "qwen-32b" << 256ull;
        QTest::newRow("llama-70b") << "llama-70b" << 320ull;
    }

    void kvCachePerToken()
    {
        QFETCH(QString, shape);
        QFETCH(qulonglong, kib);
        const auto config = knownModelConfig(shape.toStdString());
        QVERIFY(config);
        QCOMPARE(kvBytesPerToken(*config, KvCacheType::F16), kib * 1024);
        QCOMPARE(kvBytesPerToken(*config, KvCacheType::F32), kib * 2048);
        QCOMPARE(kvBytesPerToken(*config, KvCacheType::Q8_0), kib * 1024 / 2 / 32 * 34);
    }

    // The standard layouts must reproduce real files' sizes: a wrong quant mix
    // rule or a missing tensor shows up here. Published sizes (FORMATS.md) are
    // rounded and include the GGUF header and tokenizer (a few MB).
    void fileSizesMatchPublished_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("mix");
        QTest::addColumn<double>("gigabytes");
        QTest::newRow("qwen-1.5b Q4_K_M") << "qwen-1.5b" << "Q4_K_M" << 1.11;
        QTest::newRow("qwen-1.5b Q8_0") << "qwen-1.5b" << "Q8_0" << 1.89;
        QTest::newRow("qwen-1.5b F16") << "qwen-1.5b" << "F16" << 3.55;
        QTest::newRow("qwen-7b Q4_K_M") << "qwen-7b" << "Q4_K_M" << 4.68;
        QTest::newRow("qwen-7b Q5_K_M") << "qwen-7b" << "Q5_K_M" << 5.44;
        QTest::newRow("qwen-7b Q6_K") << "qwen-7b" << "Q6_K" << 6.25;
        QTest::newRow("llama-8b Q4_K_M") << "llama-8b" << "Q4_K_M" << 4.91;
        QTest::newRow("llama-8b Q8_0") << "llama-8b" << "Q8_0" << 8.53;
        QTest::newRow("qwen-14b Q4_K_M") << "qwen-14b" << "Q4_K_M" << 8.99;
        QTest::newRow("qwen-32b Q4_K_M") << "qwen-32b" << "Q4_K_M" << 19.85;
        QTest::newRow("qwen-32b F16") << "qwen-32b" << "F16" << 65.53;
    }

    void fileSizesMatchPublished()
    {
        QFETCH(QString, shape);
        QFETCH(QString, mix);
        QFETCH(double, gigabytes);
        const auto quant = quantMixFromName(mix.toStdString());
        QVERIFY(quant);
        const ModelInfo info = known(shape.toLatin1().constData(), *quant);
        const double actual = double(info.tensorBytes) / 1e9;
        qInfo("%s %s: %.3f GB of tensors, published %.2f GB", qPrintable(shape), qPrintable(mix), actual, gigabytes);
        QVERIFY2(std::abs(actual - gigabytes) / gigabytes < 0.01, qPrintable(QString::number(actual)));
    }

    void layoutInvariants_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("mix");
        QTest::addColumn<uint>("context");
        QTest::addColumn<int>("kv");
        const int f16 = int(KvCacheType::F16), q8 = int(KvCacheType::Q8_0);
        QTest::newRow("qwen-1.5b Q4_K_M 4k") << "qwen-1.5b" << "Q4_K_M" << 4096u << f16;
        QTest::newRow("llama-8b Q8_0 8k") << "llama-8b" << "Q8_0" << 8192u << f16;
        QTest::newRow("qwen-7b F16 32k") << "qwen-7b" << "F16" << 32768u << f16;
        QTest::newRow("qwen-1.5b Q2_K 1 token") << "qwen-1.5b" << "Q2_K" << 1u << f16;
        QTest::newRow("qwen-1.5b Q4_K_M 4k, q8_0 kv") << "qwen-1.5b" << "Q4_K_M" << 4096u << q8;
        QTest::newRow("qwen-14b Q4_K_M 32k, q8_0 kv") << "qwen-14b" << "Q4_K_M" << 32768u << q8;
        // An odd context: q8_0 keys of a layer are not a multiple of the alignment.
        QTest::newRow("llama-8b Q4_K_M 1001, q8_0 kv") << "llama-8b" << "Q4_K_M" << 1001u << q8;
    }

    void layoutInvariants()
    {
        QFETCH(QString, shape);
        QFETCH(QString, mix);
        QFETCH(uint, context);
        QFETCH(int, kv);
        const ModelInfo info = known(shape.toLatin1().constData(), *quantMixFromName(mix.toStdString()));
        const DeviceLimits limits = lavapipeLimits();
        PlanOptions options;
        options.contextLength = context;
        options.kvType = KvCacheType(kv);
        const auto plan = planMemory(info, options, limits);
        QVERIFY2(plan, plan ? "" : plan.error().message.c_str());
        QCOMPARE(plan->options.batchSize, std::min(512u, context));

        // Every buffer fits one allocation and is a whole number of granules.
        for (const auto& b : plan->buffers) {
            QVERIFY(b.size > 0 && b.size % kBufferGranularity == 0);
            QVERIFY(b.size <= limits.maxMemoryAllocationSize);
        }
        // Every tensor is placed once, aligned, inside a weights buffer, and
        // tensors of one buffer do not overlap.
        QCOMPARE(plan->tensors.size(), info.tensors.size());
        for (size_t i = 0; i < plan->tensors.size(); ++i) {
            const auto& t = plan->tensors[i];
            QCOMPARE(t.bytes, info.tensors[i].bytes);
            QCOMPARE(t.offset % limits.storageOffsetAlignment, 0ull);
            QCOMPARE(plan->buffers[t.buffer].role, BufferRole::Weights);
            QVERIFY(t.offset + t.bytes <= plan->buffers[t.buffer].size);
            if (i > 0 && plan->tensors[i - 1].buffer == t.buffer)
                QVERIFY(plan->tensors[i - 1].offset + plan->tensors[i - 1].bytes <= t.offset);
        }
        // The KV cache holds the whole context, each kv head's keys bindable at once.
        QVERIFY(plan->kv.keyBytes / info.config.headCountKv <= limits.maxStorageBufferRange);
        QCOMPARE(plan->kv.type, options.kvType);
        QCOMPARE(plan->kv.keyBytes, (uint64_t(context) * info.config.headCountKv *
                                         kvRowBytes(options.kvType, info.config.headDim) + 3) / 4 * 4);
        QCOMPARE(plan->kv.layers.size(), size_t(info.config.blockCount));
        for (const auto& layer : plan->kv.layers) {
            for (const Region* r : {&layer.keys, &layer.values}) {
                QCOMPARE(plan->buffers[r->buffer].role, BufferRole::KvCache);
                QCOMPARE(r->size, plan->kv.keyBytes);
                QCOMPARE(r->offset % limits.storageOffsetAlignment, 0ull);
                QVERIFY(r->offset + r->size <= plan->buffers[r->buffer].size);
            }
            QVERIFY(layer.keys.buffer != layer.values.buffer || layer.keys.offset + layer.keys.size <= layer.values.offset);
        }
        QVERIFY(plan->bytes(BufferRole::KvCache) >= uint64_t(context) * kvBytesPerToken(info.config, options.kvType));
        QVERIFY(plan->bytes(BufferRole::KvCache) <
                uint64_t(context) * kvBytesPerToken(info.config, options.kvType) +
                    kBufferGranularity * (plan->buffers.size()) + info.config.blockCount * 2 * limits.storageOffsetAlignment);
        // Activations: every region inside its buffer, in order, aligned, bindable.
        const auto& a = plan->activations;
        uint64_t end = 0;
        for (const Region* r : {&a.residual, &a.normed, &a.q, &a.k, &a.v, &a.attention, &a.gate, &a.up, &a.tokens,
                                &a.positions, &a.partials, &a.ropeTable, &a.logits}) {
            QCOMPARE(plan->buffers[r->buffer].role, BufferRole::Activations);
            QVERIFY(r->offset >= end);
            QCOMPARE(r->offset % limits.storageOffsetAlignment, 0ull);
            QVERIFY(r->size <= limits.maxStorageBufferRange);
            end = r->offset + r->size;
        }
        QVERIFY(end <= plan->bytes(BufferRole::Activations));
        QVERIFY(a.logitRows >= 1 && a.logitRows <= a.batch);
        // Totals add up.
        QCOMPARE(plan->deviceLocalBytes(), plan->bytes(BufferRole::Weights) + plan->bytes(BufferRole::KvCache) +
                                               plan->bytes(BufferRole::Activations));
        QCOMPARE(plan->hostVisibleBytes(), plan->bytes(BufferRole::Staging) + plan->bytes(BufferRole::Readback));
        QVERIFY(plan->bytes(BufferRole::Weights) >= info.tensorBytes);
    }

    void tooLongContextIsAClearError()
    {
        // Qwen-32B's keys for 131072 tokens are 256 MiB per layer, more than
        // lavapipe binds at once, but 32 MiB per kv head: the kernels bind a
        // head at a time, so that plans, in several KV buffers.
        const ModelInfo info = known("qwen-32b", QuantMix::Q4_K_M);
        PlanOptions options;
        options.contextLength = 131072;
        const auto onLavapipe = planMemory(info, options, lavapipeLimits());
        QVERIFY2(onLavapipe, onLavapipe ? "" : onLavapipe.error().message.c_str());
        QCOMPARE(onLavapipe->bytes(BufferRole::KvCache), 131072ull * 256 * 1024);
        QVERIFY(onLavapipe->kv.keyBytes > lavapipeLimits().maxStorageBufferRange);
        // 600k tokens: one head's keys (153 MB) exceed a binding.
        options.contextLength = 600000;
        const auto plan = planMemory(info, options, lavapipeLimits());
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, ErrorCode::Unsupported);
        QVERIFY(plan.error().message.find("shorter context") != std::string::npos);
    }

    // A q8_0 cache halves (17/32) what the context costs, and a head of a
    // long context still binds: Qwen-32B at 131072 tokens.
    void q8_0CacheAtLongContext()
    {
        const ModelInfo info = known("qwen-32b", QuantMix::Q4_K_M);
        PlanOptions options;
        options.contextLength = 131072;
        options.kvType = KvCacheType::Q8_0;
        const auto plan = planMemory(info, options, lavapipeLimits());
        QVERIFY2(plan, plan ? "" : plan.error().message.c_str());
        QCOMPARE(plan->kv.keyBytes, 131072ull * 8 * 136);  // 8 kv heads, 128 values: 4 blocks
        QVERIFY(plan->bytes(BufferRole::KvCache) >= 131072ull * 256 * 1024 / 32 * 17);
        QVERIFY(plan->bytes(BufferRole::KvCache) < 131072ull * 256 * 1024 / 32 * 17 + 64 * kBufferGranularity);
        // The CPU plan counts the same rows.
        const auto cpu = planCpuMemory(info, options, 4, CpuWeightPlacement::Mapped);
        QVERIFY(cpu);
        QCOMPARE(cpu->kvCacheBytes, 2ull * 64 * 131072 * 8 * 136);
    }

    // A q8_0 cache needs whole blocks of 32 per head: both planners refuse
    // a head dimension of 48 with the reason, and plan it with f16.
    void q8_0CacheNeedsWholeBlocks()
    {
        ModelConfig config = *knownModelConfig("qwen-1.5b");
        config.headDim = 48;
        config.ropeDimensions = 48;
        const ModelInfo info = modelInfoFromConfig(config, QuantMix::Q8_0, "head dim 48");
        PlanOptions options;
        options.contextLength = 1024;
        options.kvType = KvCacheType::Q8_0;
        const auto gpu = planMemory(info, options, lavapipeLimits());
        QVERIFY(!gpu);
        QCOMPARE(gpu.error().code, ErrorCode::Unsupported);
        QVERIFY2(gpu.error().message.find("multiple of 32") != std::string::npos, gpu.error().message.c_str());
        const auto cpu = planCpuMemory(info, options, 2, CpuWeightPlacement::Mapped);
        QVERIFY(!cpu);
        QCOMPARE(cpu.error().code, ErrorCode::Unsupported);
        options.kvType = KvCacheType::F16;
        QVERIFY(planMemory(info, options, lavapipeLimits()));
        QVERIFY(planCpuMemory(info, options, 2, CpuWeightPlacement::Mapped));
    }

    void kvCacheTypeNames()
    {
        for (const KvCacheType type : {KvCacheType::F16, KvCacheType::F32, KvCacheType::Q8_0})
            QCOMPARE(kvCacheTypeFromName(kvCacheTypeName(type)), std::optional(type));
        QCOMPARE(kvCacheTypeFromName("Q8_0"), std::optional(KvCacheType::Q8_0));
        QVERIFY(!kvCacheTypeFromName("q4_0"));
        QVERIFY(!kvCacheTypeFromName(""));
    }

    void tensorLargerThanAnAllocationIsAClearError()
    {
        // Qwen-7B's F32 embedding table is 2.18 GB; lavapipe allocates at most 2 GiB.
        const ModelInfo info = known("qwen-7b", QuantMix::F32);
        const auto plan = planMemory(info, PlanOptions{}, lavapipeLimits());
        QVERIFY(!plan);
        QVERIFY(plan.error().message.find("token_embd.weight") != std::string::npos);
    }

    void badOptionsAreRejected()
    {
        const ModelInfo info = known("qwen-1.5b", QuantMix::Q8_0);
        PlanOptions options;
        options.contextLength = 0;
        QVERIFY(!planMemory(info, options, DeviceLimits{}));
        DeviceLimits limits;
        limits.storageOffsetAlignment = 48;
        QVERIFY(!planMemory(info, PlanOptions{}, limits));
    }

    void mixRules()
    {
        const LayoutShape qwen15{28, 6, false};  // 12 query heads over 2 KV heads
        // Q4_K_M: output Q6_K; attn_v/ffn_down Q6_K in "more bits" layers only.
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "output.weight", 0, qwen15, 1536), TensorType::Q6_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "token_embd.weight", 0, qwen15, 1536), TensorType::Q4_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.0.attn_v.weight", 0, qwen15, 1536), TensorType::Q6_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.4.attn_v.weight", 4, qwen15, 1536), TensorType::Q4_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.5.ffn_down.weight", 5, qwen15, 8960), TensorType::Q6_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.4.attn_q.weight", 4, qwen15, 1536), TensorType::Q4_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.4.attn_norm.weight", 4, qwen15, 1536), TensorType::F32);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.4.attn_q.bias", 4, qwen15, 1536), TensorType::F32);
        // A tied embedding is the output matrix too, and gets its type.
        const LayoutShape tied{28, 6, true};
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "token_embd.weight", 0, tied, 1536), TensorType::Q6_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q8_0, "token_embd.weight", 0, tied, 1536), TensorType::Q8_0);
        // Q3_K_M: attn_v Q5_K in the first two layers, ffn_down Q5_K in the
        // first sixteenth, attn_output Q4_K.
        QCOMPARE(tensorTypeFor(QuantMix::Q3_K_M, "blk.1.attn_v.weight", 1, qwen15, 1536), TensorType::Q5_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q3_K_M, "blk.2.attn_v.weight", 2, qwen15, 1536), TensorType::Q4_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q3_K_M, "blk.0.ffn_down.weight", 0, qwen15, 8960), TensorType::Q5_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q3_K_M, "blk.2.ffn_down.weight", 2, qwen15, 8960), TensorType::Q4_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q3_K_M, "blk.27.ffn_down.weight", 27, qwen15, 8960), TensorType::Q4_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q3_K_M, "blk.9.attn_output.weight", 9, qwen15, 1536), TensorType::Q4_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q3_K_M, "blk.9.ffn_up.weight", 9, qwen15, 1536), TensorType::Q3_K);
        // Q2_K: attn_v Q4_K with 4+ query heads per KV head, else Q3_K;
        // ffn_down and attn_output Q3_K.
        QCOMPARE(tensorTypeFor(QuantMix::Q2_K, "blk.9.attn_v.weight", 9, qwen15, 1536), TensorType::Q4_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q2_K, "blk.9.attn_v.weight", 9, LayoutShape{28, 2, false}, 1536),
                 TensorType::Q3_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q2_K, "blk.9.ffn_down.weight", 9, qwen15, 8960), TensorType::Q3_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q2_K, "blk.9.attn_output.weight", 9, qwen15, 1536), TensorType::Q3_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q2_K, "blk.9.attn_q.weight", 9, qwen15, 1536), TensorType::Q2_K);
        // 80 layers (llama.cpp's 70B class): attn_v never below Q5_K.
        const LayoutShape llama70{80, 8, false};
        QCOMPARE(tensorTypeFor(QuantMix::Q2_K, "blk.40.attn_v.weight", 40, llama70, 8192), TensorType::Q5_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q3_K_M, "blk.40.attn_v.weight", 40, llama70, 8192), TensorType::Q5_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.40.attn_v.weight", 40, llama70, 8192), TensorType::Q5_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.0.attn_v.weight", 0, llama70, 8192), TensorType::Q6_K);
        QCOMPARE(tensorTypeFor(QuantMix::Q6_K, "blk.40.attn_v.weight", 40, llama70, 8192), TensorType::Q6_K);
        // Rows that are not whole K blocks fall back to Q8_0, then F16.
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.4.attn_q.weight", 4, qwen15, 96), TensorType::Q8_0);
        QCOMPARE(tensorTypeFor(QuantMix::Q4_K_M, "blk.4.attn_q.weight", 4, qwen15, 40), TensorType::F16);
        QCOMPARE(tensorTypeFor(QuantMix::F16, "blk.4.attn_q.weight", 4, qwen15, 40), TensorType::F16);
        QCOMPARE(quantMixFromName("q4_k_m"), std::optional(QuantMix::Q4_K_M));
        QCOMPARE(quantMixFileType(QuantMix::Q4_K_M), 15u);
    }

    void llama3RopeFactorsFollowTheSchedule()
    {
        const auto factors = llama3RopeFactors(128, 500000.f);
        QCOMPARE(factors.size(), size_t(64));
        QCOMPARE(factors.front(), 1.f);  // highest frequency: unscaled
        QCOMPARE(factors.back(), 8.f);   // lowest frequency: fully scaled
        for (size_t i = 1; i < factors.size(); ++i)
            QVERIFY(factors[i] >= factors[i - 1]);
    }
};

QTEST_GUILESS_MAIN(TestMemoryPlan)
#include "tst_memory_plan.moc"
