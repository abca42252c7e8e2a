#include "cpu_bench.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "json_writer.h"
#include "measure.h"
#include "ponder/cpu_backend.h"
#include "ponder/cpu_info.h"
#include "ponder/model_file.h"
#include "report.h"

namespace ponder::tools {
namespace {

using Clock = std::chrono::steady_clock;

// Bytes of the bandwidth test's buffer: far past any last-level cache.
constexpr uint64_t kReadBytes = 1ull << 30;
constexpr int kReadRepeats = 5;

// Sums 64-bit words with four independent accumulators (the compiler turns
// them into vector loads), so the loop is bound by memory, not by adds.
uint64_t sumWords(const uint64_t* words, size_t count)
{
    uint64_t a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        a += words[i];
        b += words[i + 1];
        c += words[i + 2];
        d += words[i + 3];
    }
    for (; i < count; ++i)
        a += words[i];
    return a + b + c + d;
}

} // namespace

ReadBandwidth measureReadBandwidth(uint64_t bytes, uint32_t threads, int repeats)
{
    const size_t words = bytes / sizeof(uint64_t);
    std::unique_ptr<uint64_t[]> buffer(new uint64_t[words]);
    // Each thread writes its own slice first, so its pages are committed
    // (an untouched page reads as the shared zero page, from cache).
    const auto slice = [&](uint32_t t) {
        const size_t per = words / threads;
        return std::pair<size_t, size_t>(t * per, t + 1 == threads ? words : (t + 1) * per);
    };
    std::atomic<uint64_t> sink{0};
    ReadBandwidth result{.bytes = words * sizeof(uint64_t), .threads = threads};
    for (int pass = -1; pass < repeats; ++pass) {
        std::vector<std::thread> workers;
        std::atomic<uint32_t> ready{0};
        std::atomic<bool> go{false};
        for (uint32_t t = 0; t < threads; ++t)
            workers.emplace_back([&, t] {
                const auto [begin, end] = slice(t);
                if (pass < 0)
                    for (size_t i = begin; i < end; ++i)
                        buffer[i] = i * 0x9e3779b97f4a7c15ull;
                ready.fetch_add(1);
                while (!go.load())
                    std::this_thread::yield();
                sink.fetch_add(sumWords(buffer.get() + begin, end - begin));
            });
        while (ready.load() < threads)
            std::this_thread::yield();
        const auto start = Clock::now();
        go.store(true);
        for (auto& worker : workers)
            worker.join();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (pass >= 0 && (result.seconds == 0 || seconds < result.seconds))
            result.seconds = seconds;
    }
    return result;
}

Result<std::string> runCpuBench(const ModelFile& file, std::span<const int32_t> prompt,
                                const CpuBenchSettings& settings)
{
    const ModelInfo& info = file.info();
    CpuBackendOptions options;
    options.plan.contextLength = settings.context;
    options.plan.kvType = settings.kvType;
    options.threads = settings.threads;
    if (settings.batch)
        options.plan.batchSize = settings.batch;
    const auto loadStart = Clock::now();
    auto loaded = CpuBackend::load(file, options);
    if (!loaded)
        return std::unexpected(loaded.error());
    const double loadSeconds = std::chrono::duration<double>(Clock::now() - loadStart).count();
    CpuBackend& backend = **loaded;

    // Warm-up: pages the weights in from the mapping, untimed.
    auto warm = timedRun(backend, prompt.first(std::min<size_t>(prompt.size(), backend.batchSize())), 2);
    if (!warm)
        return std::unexpected(warm.error());
    std::vector<double> prefill, firstToken, decode, sampling;
    for (int r = 0; r < settings.repeats; ++r) {
        auto times = timedRun(backend, prompt, settings.genTokens, settings.sampler);
        if (!times)
            return std::unexpected(times.error());
        prefill.push_back(double(prompt.size()) / times->prefillSeconds);
        firstToken.push_back(times->firstTokenSeconds);
        if (times->decoded) {
            decode.push_back(times->decoded / times->decodeSeconds);
            sampling.push_back(times->samplingSeconds * 1e3 / times->decoded);
        }
        std::fprintf(stderr, "ponder-bench: run %d/%d: prefill %.2f tokens/s, decode %.2f tokens/s\n", r + 1,
                     settings.repeats, prefill.back(), decode.empty() ? 0.0 : decode.back());
    }
    const ReadBandwidth bandwidth = measureReadBandwidth(kReadBytes, backend.threads(), kReadRepeats);

    const CpuInfo cpu = readCpuInfo();
    JsonWriter json;
    json.beginObject();
    json.key("device").beginObject();
    json.field("name", backend.deviceName()).field("type", "cpu").field("cpu", cpu.modelName);
    json.field("simd", cpu.simdTarget).field("physical_cores", cpu.physicalCores);
    json.field("logical_cores", cpu.logicalCores).field("threads", backend.threads());
    json.field("ram_bytes", cpu.totalBytes);
    json.endObject();
    writeModel(json, settings.path, info);

    json.key("settings").beginObject();
    json.field("prompt_tokens", uint64_t(prompt.size())).field("gen_tokens", settings.genTokens);
    json.field("repeat", settings.repeats).field("context", settings.context).field("seed", settings.seed);
    json.field("kv_type", kvCacheTypeName(settings.kvType));
    json.field("prefill_batch_tokens", std::min<uint64_t>(prompt.size(), backend.batchSize()));
    json.field("threads", backend.threads());
    json.field("sampler", settings.samplerName);
    json.endObject();

    // Loading maps the file and prepares each matrix in place or repacks it.
    json.field("load_seconds", loadSeconds);
    json.key("prefill").beginObject();
    writeSpread(json, "tokens_per_second", spread(prefill));
    json.endObject();
    writeSpread(json, "time_to_first_token_seconds", spread(firstToken));
    json.key("decode").beginObject();
    if (!decode.empty()) {
        writeSpread(json, "tokens_per_second", spread(decode));
        writeSpread(json, "sampling_ms_per_token", spread(sampling));
    }
    json.endObject();

    const CpuMemoryPlan& plan = backend.plan();
    json.key("memory").beginObject();
    json.field("allocated_bytes", backend.allocatedBytes());
    json.field("plan_bytes", plan.allocatedBytes());
    json.field("mapped_weight_bytes", plan.mappedWeightBytes);
    json.key("by_part").beginObject();
    json.field("kv_cache", plan.kvCacheBytes).field("activations", plan.activationBytes);
    json.field("quantized_inputs", plan.quantizedInputBytes).field("attention", plan.attentionBytes);
    json.field("logits", plan.logitsBytes).field("vectors", plan.vectorBytes);
    json.field("repacked_weights", plan.repackedWeightBytes);
    json.endObject();
    json.endObject();

    json.key("bandwidth").beginObject();
    json.field("read_bytes", bandwidth.bytes).field("threads", bandwidth.threads);
    json.field("counts", "read").field("seconds", bandwidth.seconds);
    json.field("gb_per_second", bandwidth.bytesPerSecond() * 1e-9);
    json.endObject();

    const uint64_t weightBytes = backend.decodeWeightBytes();
    json.field("decode_weight_bytes_per_token", weightBytes);
    if (!decode.empty()) {
        const double achieved = double(weightBytes) * spread(decode).median;
        json.field("decode_weight_gb_per_second", achieved * 1e-9);
        json.field("decode_bandwidth_fraction", achieved / bandwidth.bytesPerSecond());
    }
    json.endObject();
    return json.text();
}

} // namespace ponder::tools
