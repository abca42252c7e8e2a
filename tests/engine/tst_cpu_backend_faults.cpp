// The CPU engine's faults and promises: bad input gives the same errors as
// the other backends, a KV cache larger than the free RAM is refused before
// anything is allocated, cancel stops a long prompt within a layer and
// leaves the backend usable, the allocation equals the memory plan, and a
// decode step allocates nothing (operator new is counted in this binary).
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <thread>

#include "tst_cpu_backend_models.h"
#include "ponder/cpu_info.h"
#include "ponder/generator.h"
#include "ponder/reference/reference_backend.h"

namespace {
std::atomic<uint64_t> g_allocations{0};
}

// Every allocation of the process goes through these (the engine is linked in statically).
void* operator new(std::size_t size)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t alignment)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    const size_t a = size_t(alignment);
    if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a))
        return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size)
{
    return operator new(size);
}
void* operator new[](std::size_t size, std::align_val_t alignment)
{
    return operator new(size, alignment);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept
{
    return operator new(size, tag);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    const size_t a = size_t(alignment);
    return std::aligned_alloc(a, (size + a - 1) / a * a);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t& tag) noexcept
{
    return operator new(size, alignment, tag);
}
// Every delete frees what the news above took from malloc (ASan checks the pairing).
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

using namespace ponder;

class TestCpuBackendFaults : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    std::unique_ptr<ModelFile> tinyModel()
    {
        return test::makeModel(m_dir, "tiny.gguf", test::tinySpec(Architecture::Qwen2, TensorType::Q8_0));
    }

    // Loading with `options` is refused for want of RAM, the error naming
    // `what`, before anything but the error's words and the plan is allocated.
    static void verifyRefusedForRam(const ModelFile& file, const CpuBackendOptions& options, const std::string& what)
    {
        const uint64_t before = g_allocations.load();
        auto cpu = CpuBackend::load(file, options);
        QVERIFY(!cpu);
        QCOMPARE(cpu.error().code, ErrorCode::OutOfMemory);
        QVERIFY2(cpu.error().message.find(what) != std::string::npos, cpu.error().message.c_str());
        QVERIFY(g_allocations.load() - before < 64);
    }

private slots:
    // The same codes and words as the GPU session and the reference.
    void badInputIsAnError()
    {
        auto file = tinyModel();
        auto cpu = test::loadCpu(*file, {.context = 16});
        QVERIFY(cpu->evaluate(test::someTokens(16), false));
        const int32_t one = 1;
        auto full = cpu->evaluate(std::span<const int32_t>(&one, 1), false);
        QVERIFY(!full);
        QCOMPARE(full.error().code, ErrorCode::ContextFull);
        QCOMPARE(full.error().message, std::string("the context holds 16 tokens; 16 are used and 1 more do not fit"));
        QCOMPARE(cpu->length(), 16u);

        QVERIFY(cpu->truncate(0));
        const std::vector<int32_t> bad{5, 320};
        auto outOfRange = cpu->evaluate(bad, false);
        QVERIFY(!outOfRange);
        QCOMPARE(outOfRange.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(outOfRange.error().message,
                 std::string("token id 320 at position 1 is outside the vocabulary of 320 tokens"));
        const std::vector<int32_t> negative{-1};
        QCOMPARE(cpu->evaluate(negative, true).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(cpu->evaluate({}, false).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(cpu->length(), 0u);
        QCOMPARE(cpu->truncate(1).error().code, ErrorCode::InvalidArgument);
    }

    // A matrix type the kernels do not compute with (Q4_1, readable by no
    // backend) is refused at load, naming the tensor.
    void unsupportedTypeIsAnError()
    {
        auto file = tinyModel();
        ModelInfo info = file->info();
        for (TensorDesc& t : info.tensors)
            if (t.name == "blk.1.ffn_up.weight")
                t.type = *tensorTypeFromId(3);  // Q4_1
        auto weights = bindWeights(info, [&](const TensorDesc& t) { return file->files().tensorData(t.name); });
        QVERIFY(weights);
        CpuBackendOptions options;
        options.plan.contextLength = 32;
        auto cpu = CpuBackend::load(info, *weights, options);
        QVERIFY(!cpu);
        QCOMPARE(cpu.error().code, ErrorCode::Unsupported);
        QVERIFY2(cpu.error().message.find("blk.1.ffn_up.weight") != std::string::npos, cpu.error().message.c_str());
    }

    void kvCacheLargerThanRamIsRefused()
    {
        auto file = tinyModel();
        CpuBackendOptions options;
        options.plan.contextLength = 1 << 20;  // 1 M tokens: 4 GiB of f16 cache
        options.availableBytes = 1ull << 30;
        // No cache or scratch allocated.
        verifyRefusedForRam(*file, options, "KV cache");
        if (QTest::currentTestFailed())
            return;
        // And the real RAM check (MemAvailable): a cache of twice this
        // machine's RAM, at 1 KiB per token (2 layers, keys and values of 256 f16).
        options.availableBytes.reset();
        options.plan.contextLength = uint32_t(std::min<uint64_t>(readCpuInfo().totalBytes / 512, 1u << 31));
        options.plan.batchSize = 1;
        QCOMPARE(CpuBackend::load(*file, options).error().code, ErrorCode::OutOfMemory);
    }

    void allocationEqualsPlan_data()
    {
        QTest::addColumn<QString>("mix");
        QTest::addColumn<int>("kv");
        QTest::addColumn<uint32_t>("threads");
        QTest::newRow("Q4_K_M f16 1") << "Q4_K_M" << int(KvCacheType::F16) << 1u;
        QTest::newRow("Q8_0 f32 3") << "Q8_0" << int(KvCacheType::F32) << 3u;
        QTest::newRow("F16 f16 2") << "F16" << int(KvCacheType::F16) << 2u;
        QTest::newRow("Q4_K_M q8_0 2") << "Q4_K_M" << int(KvCacheType::Q8_0) << 2u;
    }

    // The picker's plan (before loading) is what the backend allocates.
    void allocationEqualsPlan()
    {
        QFETCH(QString, mix);
        QFETCH(int, kv);
        QFETCH(uint32_t, threads);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Llama, 320);
        spec.mix = *quantMixFromName(mix.toStdString());
        auto file = test::makeModel(m_dir, "plan-" + mix + ".gguf", spec);
        PlanOptions options;
        options.contextLength = 200;
        options.batchSize = 24;
        options.kvType = KvCacheType(kv);
        for (const CpuWeightPlacement placement : {CpuWeightPlacement::Mapped, CpuWeightPlacement::HugePages}) {
            auto planned = planCpuMemory(file->info(), options, threads, placement);
            QVERIFY(planned);
            auto cpu = test::loadCpu(
                *file, {.kv = KvCacheType(kv), .context = 200, .batch = 24, .threads = threads, .placement = placement});
            QCOMPARE(cpu->plan().weightPlacement, placement);
            QCOMPARE(cpu->allocatedBytes(), cpu->plan().allocatedBytes());
            QCOMPARE(cpu->plan().allocatedBytes(), planned->allocatedBytes());
            // 2 layers of keys and values, 200 positions of 2 heads of 64:
            // 128 or 256 bytes a row in f16 or f32, 2 blocks of 34 in q8_0.
            const uint64_t rowBytes = kv == int(KvCacheType::F16) ? 128 : kv == int(KvCacheType::F32) ? 256 : 68;
            QCOMPARE(planned->kvCacheBytes, 2ull * 2 * 200 * 2 * rowBytes);
            // The matrices: the file's bytes of every tensor of two or more
            // dimensions; copied, each on a cache line, in whole huge pages.
            uint64_t matrices = 0, copied = 0;
            for (const TensorDesc& t : file->info().tensors)
                if (t.dims.size() > 1) {
                    matrices += t.bytes;
                    copied += (t.bytes + 63) / 64 * 64;
                }
            QCOMPARE(planned->weightBytes, matrices);
            if (placement == CpuWeightPlacement::Mapped)
                QCOMPARE(planned->residentWeightBytes, uint64_t(0));
            else
                QCOMPARE(planned->residentWeightBytes, (copied + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes);
        }
    }

    // Copied into huge pages, the weights are part of the plan, so RAM too
    // small for them is refused before anything is allocated, naming them.
    void weightsLargerThanRamAreRefused()
    {
        auto file = tinyModel();
        CpuBackendOptions options;
        options.plan.contextLength = 64;
        options.weightPlacement = CpuWeightPlacement::HugePages;
        auto plan = planCpuMemory(file->info(), options.plan, 2, CpuWeightPlacement::HugePages);
        QVERIFY(plan);
        options.threads = 2;
        options.availableBytes = plan->allocatedBytes() - plan->residentWeightBytes;
        verifyRefusedForRam(*file, options, "the weights'");
        if (QTest::currentTestFailed())
            return;
        // Read in place, the same RAM is enough: the weights are not allocated.
        options.weightPlacement = CpuWeightPlacement::Mapped;
        QVERIFY(CpuBackend::load(*file, options));
    }

    // Only the logits' copy into the returned vector allocates; step() does not.
    void decodeStepDoesNotAllocate()
    {
        auto file = tinyModel();
        auto cpu = test::loadCpu(*file, {.kv = KvCacheType::F16, .threads = 3});
        QVERIFY(cpu->step(test::someTokens(20), false));
        for (int32_t token : {4, 8, 15, 16, 23, 42}) {
            const uint64_t before = g_allocations.load();
            auto logits = cpu->step(std::span<const int32_t>(&token, 1), false);
            const uint64_t allocated = g_allocations.load() - before;
            QVERIFY(logits);
            QCOMPARE(logits->size(), size_t(320));
            QCOMPARE(allocated, uint64_t(0));
        }
        const auto batch = test::someTokens(16);
        const uint64_t before = g_allocations.load();
        QVERIFY(cpu->step(batch, true));  // a prompt batch, all positions
        QCOMPARE(g_allocations.load() - before, uint64_t(0));
    }

    // A flag already set stops before the first layer; one set during a
    // long prompt stops it within a layer. Either way the cache keeps what it
    // held before the call and the next call computes what a fresh backend does.
    void cancelStopsPromptly()
    {
        testing::ModelSpec spec = test::tinySpec(Architecture::Llama, TensorType::Q4_K, 5);
        spec.config.blockCount = 4;
        auto file = test::makeModel(m_dir, "cancel.gguf", spec);
        auto cpu = test::loadCpu(*file, {.kv = KvCacheType::F16, .context = 2048, .batch = 64});
        std::atomic<bool> cancel{true};
        cpu->setCancelFlag(&cancel);
        QVERIFY(cpu->evaluate(test::someTokens(3), false).error().code == ErrorCode::Cancelled);
        QCOMPARE(cpu->length(), 0u);

        cancel = false;
        QVERIFY(cpu->evaluate(test::someTokens(5), false));
        std::chrono::steady_clock::time_point cancelledAt;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            cancelledAt = std::chrono::steady_clock::now();
            cancel = true;
        });
        const auto prompt = test::someTokens(2000);
        auto stopped = cpu->evaluate(prompt, false);
        const auto returnedAt = std::chrono::steady_clock::now();
        canceller.join();
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        // One layer of one 64-token batch, with room for a loaded machine.
        const double late = std::chrono::duration<double>(returnedAt - cancelledAt).count();
        qInfo("returned %.1f ms after the cancel", late * 1e3);
        QVERIFY2(late < 2.0, qPrintable(QString::number(late)));
        QCOMPARE(cpu->length(), 5u);

        cpu->setCancelFlag(nullptr);
        const std::vector<int32_t> more{9, 10, 11};
        auto after = cpu->evaluate(more, false);
        auto fresh = test::loadCpu(*file, {.kv = KvCacheType::F16, .context = 2048, .batch = 64});
        std::vector<int32_t> all = test::someTokens(5);
        all.insert(all.end(), more.begin(), more.end());
        auto expected = fresh->evaluate(all, false);
        QVERIFY(after && expected);
        QCOMPARE(*after, *expected);
    }

    // The app stops a step from its UI thread and then unloads the model:
    // the backend goes away right after the cancelled call returns, and a
    // backend unloaded before it ever ran (its workers maybe not yet
    // waiting) shuts its pool down too. Meant for the ASan/UBSan build.
    void unloadAfterCancelIsSafe()
    {
        testing::ModelSpec spec = test::tinySpec(Architecture::Qwen2, TensorType::Q4_0, 6);
        auto file = test::makeModel(m_dir, "unload.gguf", spec);
        const auto prompt = test::someTokens(600);
        for (int round = 0; round < 4; ++round) {
            auto cpu = test::loadCpu(*file, {.kv = KvCacheType::F16, .context = 1024, .batch = 32, .threads = 3});
            std::atomic<bool> cancel{false};
            cpu->setCancelFlag(&cancel);
            Result<std::vector<float>> result = fail(ErrorCode::InvalidArgument, "not run");
            std::thread worker([&] { result = cpu->evaluate(prompt, false); });
            std::this_thread::sleep_for(std::chrono::milliseconds(round * 3));
            cancel = true;
            worker.join();
            QVERIFY(result || result.error().code == ErrorCode::Cancelled);
            cpu.reset();
        }
        for (int round = 0; round < 8; ++round)
            QVERIFY(test::loadCpu(*file, {.context = 64, .threads = 4}));
    }

    // The generator lends its cancel flag to the backend: a cancel during
    // the prompt ends generate() with Cancelled, not an error.
    void generatorCancelsThePrompt()
    {
        auto file = tinyModel();
        auto cpu = test::loadCpu(*file, {.context = 512});
        Generator generator(*cpu, file->tokenizer(), file->chatFormat());
        GenerationRequest request;
        request.messages = {{ChatRole::User, "Count to three."}};
        request.maxTokens = 4;
        std::atomic<bool> cancel{true};
        auto stats = generator.generate(request, [](std::string_view) {}, &cancel);
        QVERIFY2(stats, stats ? "" : stats.error().message.c_str());
        QCOMPARE(stats->stopReason, StopReason::Cancelled);
        QCOMPARE(stats->generatedTokens, 0u);
        QCOMPARE(cpu->length(), 0u);
        cancel = false;
        stats = generator.generate(request, [](std::string_view) {}, &cancel);
        QVERIFY(stats);
        QVERIFY(stats->stopReason != StopReason::Cancelled);
        QVERIFY(cpu->length() > stats->promptTokens);
    }

    void cpuInfoDescribesTheMachine()
    {
        const CpuInfo info = readCpuInfo();
        QVERIFY(info.physicalCores >= 1 && info.physicalCores <= info.logicalCores);
        QVERIFY(!info.simdTarget.empty());
        QVERIFY(info.totalBytes > 0 && info.availableBytes > 0 && info.availableBytes <= info.totalBytes);
        QCOMPARE(info.displayName(), "CPU (" + std::to_string(info.physicalCores) +
                                         (info.physicalCores == 1 ? " core, " : " cores, ") + info.simdTarget + ")");
        auto file = tinyModel();
        QCOMPARE(test::loadCpu(*file, {.threads = 0})->threads(), info.physicalCores);
    }
};

QTEST_GUILESS_MAIN(TestCpuBackendFaults)
#include "tst_cpu_backend_faults.moc"
