#include "cpu_bench.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "json_writer.h"
#include "measure.h"
#include "ponder/bandwidth.h"
#include "ponder/cpu_backend.h"
#include "ponder/cpu_info.h"
#include "ponder/load_progress.h"
#include "ponder/model_file.h"
#include "report.h"

namespace ponder::tools {
namespace {

using Clock = std::chrono::steady_clock;

// Bytes of the bandwidth test's buffer: far past any last-level cache.
constexpr uint64_t kReadBytes = 1ull << 30;
constexpr int kReadRepeats = 5;

} // namespace

Result<std::string> runCpuBench(const ModelFile& file, std::span<const int32_t> prompt,
                                const CpuBenchSettings& settings)
{
    const ModelInfo& info = file.info();
    CpuBackendOptions options;
    options.plan.contextLength = settings.context;
    options.plan.kvType = settings.kvType;
    options.threads = settings.threads;
    options.weightPlacement = settings.weightPlacement;
    if (settings.batch)
        options.plan.batchSize = settings.batch;
    // The load's first report ({0, total}) comes as the read-in starts.
    const auto loadStart = Clock::now();
    Clock::time_point readStart = loadStart;
    Clock::time_point readEnd = loadStart;
    uint64_t readBytes = 0;
    auto loaded = CpuBackend::load(file, options, [&](const LoadProgress& p) {
        if (p.bytesDone == 0)
            readStart = Clock::now();
        readEnd = Clock::now();
        readBytes = p.bytesTotal;
        return true;
    });
    if (!loaded)
        return std::unexpected(loaded.error());
    const double loadSeconds = std::chrono::duration<double>(Clock::now() - loadStart).count();
    const double readSeconds = std::chrono::duration<double>(readEnd - readStart).count();
    CpuBackend& backend = **loaded;

    // Warm-up, untimed: the caches and the pool's threads.
    auto warm = timedRun(backend, prompt.first(std::min<size_t>(prompt.size(), backend.batchSize())), 2);
    if (!warm)
        return std::unexpected(warm.error());
    // The read bandwidth is measured right after each repeat: on a shared
    // or virtual machine it moves by a third from one minute to the next,
    // and a decode is compared with what the memory gave at the time.
    std::vector<double> prefill, firstToken, decode, sampling, reads;
    MeasuredBandwidth bandwidth;  // the fastest of all
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
        auto measured = measureCpuReadBandwidth(kReadBytes, backend.threads(), kReadRepeats);
        if (!measured)
            return std::unexpected(measured.error());
        reads.push_back(measured->bytesPerSecond());
        if (measured->bytesPerSecond() > bandwidth.bytesPerSecond())
            bandwidth = *measured;
        std::fprintf(stderr, "ponder-bench: run %d/%d: prefill %.2f tokens/s, decode %.2f tokens/s, read %.1f GB/s\n",
                     r + 1, settings.repeats, prefill.back(), decode.empty() ? 0.0 : decode.back(),
                     reads.back() * 1e-9);
    }

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

    // Opening the file maps it and reads its header (map_seconds); loading
    // plans the memory, prepares each matrix, reads the weights into memory
    // (read_seconds, from disk or the page cache, whichever holds them; with
    // memory.weight_placement "huge pages" this is also their copy) and
    // allocates the plan (load_seconds, the read included).
    json.field("map_seconds", settings.mapSeconds);
    json.field("load_seconds", loadSeconds);
    json.field("read_seconds", readSeconds);
    json.field("read_bytes", readBytes);
    json.field("read_gb_per_second", readSeconds > 0 ? double(readBytes) / readSeconds / 1e9 : 0.0);
    json.key("prefill").beginObject();
    writeSpread(json, "tokens_per_second", spread(prefill));
    json.endObject();
    writeSpread(json, "time_to_first_token_seconds", spread(firstToken));
    json.key("decode").beginObject();
    if (!decode.empty()) {
        writeSpread(json, "tokens_per_second", spread(decode));
        json.key("each_repeat_tokens_per_second").beginArray();
        for (const double rate : decode)
            json.value(rate);
        json.endArray();
        writeSpread(json, "sampling_ms_per_token", spread(sampling));
    }
    json.endObject();

    const CpuMemoryPlan& plan = backend.plan();
    json.key("memory").beginObject();
    json.field("allocated_bytes", backend.allocatedBytes());
    json.field("plan_bytes", plan.allocatedBytes());
    json.field("weight_bytes", plan.weightBytes);
    json.field("weight_placement", weightPlacementName(plan.weightPlacement));
    json.field("huge_page_bytes", backend.residentHugePageBytes());
    json.key("by_part").beginObject();
    json.field("kv_cache", plan.kvCacheBytes).field("activations", plan.activationBytes);
    json.field("quantized_inputs", plan.quantizedInputBytes).field("attention", plan.attentionBytes);
    json.field("logits", plan.logitsBytes).field("vectors", plan.vectorBytes);
    json.field("resident_weights", plan.residentWeightBytes);
    json.endObject();
    json.endObject();

    // gb_per_second: the fastest read of the run; after_each_repeat: the
    // read measured right after each repeat's decode.
    json.key("bandwidth").beginObject();
    json.field("read_bytes", bandwidth.bytes).field("threads", bandwidth.threads);
    json.field("counts", "read").field("seconds", bandwidth.seconds);
    json.field("gb_per_second", bandwidth.bytesPerSecond() * 1e-9);
    json.key("after_each_repeat_gb_per_second").beginArray();
    for (const double read : reads)
        json.value(read * 1e-9);
    json.endArray();
    json.endObject();

    // decode_bandwidth_fraction: the median over repeats of the decode's
    // weight bytes per second over the read measured right after it;
    // ..._of_fastest: the median decode over the run's fastest read.
    const uint64_t weightBytes = backend.decodeWeightBytes();
    json.field("decode_weight_bytes_per_token", weightBytes);
    if (!decode.empty()) {
        const double achieved = double(weightBytes) * spread(decode).median;
        std::vector<double> fractions;
        for (size_t r = 0; r < decode.size(); ++r)
            fractions.push_back(double(weightBytes) * decode[r] / reads[r]);
        json.field("decode_weight_gb_per_second", achieved * 1e-9);
        json.field("decode_bandwidth_fraction", spread(fractions).median);
        json.field("decode_bandwidth_fraction_of_fastest", achieved / bandwidth.bytesPerSecond());
    }
    json.endObject();
    return json.text();
}

} // namespace ponder::tools
