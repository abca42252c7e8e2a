#include "split_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "json_writer.h"
#include "ponder/bandwidth.h"
#include "ponder/decode_rate.h"
#include "ponder/model_file.h"
#include "report.h"

namespace ponder::tools {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

double milliseconds(std::chrono::nanoseconds d)
{
    return double(d.count()) * 1e-6;
}

int32_t argmax(std::span<const float> logits)
{
    return int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

// One repeat from an empty cache: the prompt, then greedy decode, with the
// parts' times of each phase.
struct SplitRun {
    double prefillSeconds = 0;
    double decodeSeconds = 0;
    uint32_t decoded = 0;
    std::vector<std::chrono::nanoseconds> prefillPartTimes;  // per part, the whole prompt
    std::vector<std::chrono::nanoseconds> decodePartTimes;   // per part, all decode steps
};

Result<SplitRun> timedSplitRun(SplitBackend& backend, std::span<const int32_t> prompt, uint32_t genTokens)
{
    SplitRun run;
    PONDER_TRY(backend.truncate(0));
    backend.resetPartTimes();
    auto start = Clock::now();
    auto logits = backend.evaluate(prompt, false);
    if (!logits)
        return std::unexpected(logits.error());
    run.prefillSeconds = seconds(Clock::now() - start);
    run.prefillPartTimes = backend.partTimes();
    backend.resetPartTimes();
    start = Clock::now();
    for (uint32_t i = 0; i < genTokens; ++i) {
        const int32_t token = argmax(*logits);
        logits = backend.evaluate(std::span(&token, 1), false);
        if (!logits)
            return std::unexpected(logits.error());
        ++run.decoded;
    }
    run.decodeSeconds = seconds(Clock::now() - start);
    run.decodePartTimes = backend.partTimes();
    return run;
}

} // namespace

Result<std::string> runSplitBench(const ModelFile& file, std::span<const int32_t> prompt,
                                  const SplitBenchSettings& settings)
{
    const auto loadStart = Clock::now();
    auto opened = openSplit(file, settings.request);
    if (!opened)
        return std::unexpected(opened.error());
    const double loadSeconds = seconds(Clock::now() - loadStart);
    SplitBackend& backend = *opened->backend;
    const Placement& placement = backend.placement();
    std::fprintf(stderr, "ponder-bench: placement: %s\n", describePlacement(placement, opened->devices).c_str());

    // Each device's read bandwidth and decode rate of the model's weight
    // types, as the app measures them for the estimate.
    std::vector<PlacementDevice> devices = opened->devices;
    const std::vector<TensorType> types = decodeReadTypes(file.info());
    for (size_t i = 0; i < devices.size(); ++i) {
        auto measured = devices[i].cpu ? measureCpuReadBandwidth(kBandwidthBufferBytes, devices[i].threads)
                                       : measureGpuReadBandwidth(*opened->gpus[i]->device);
        if (!measured)
            return std::unexpected(measured.error());
        devices[i].readBytesPerSecond = measured->bytesPerSecond();
        auto rates = devices[i].cpu ? measureCpuDecodeRates(types, devices[i].threads)
                                    : measureGpuDecodeRates(*opened->gpus[i]->kernels, types);
        if (!rates)
            return std::unexpected(rates.error());
        devices[i].decodeBytesPerSecond = rates->bytesPerSecond;
    }

    // Warm-up (records the prefill shapes, touches the caches), untimed.
    if (auto warm = timedSplitRun(backend, prompt.first(std::min<size_t>(prompt.size(), 16)), 1); !warm)
        return std::unexpected(warm.error());
    std::vector<double> prefill, decode;
    std::vector<std::vector<double>> partMs(backend.partCount());
    std::vector<std::vector<double>> partPrefillTokensPerSecond(backend.partCount());
    for (int r = 0; r < settings.repeats; ++r) {
        auto run = timedSplitRun(backend, prompt, settings.genTokens);
        if (!run)
            return std::unexpected(run.error());
        prefill.push_back(double(prompt.size()) / run->prefillSeconds);
        for (size_t p = 0; p < partPrefillTokensPerSecond.size(); ++p)
            partPrefillTokensPerSecond[p].push_back(double(prompt.size()) /
                                                    (milliseconds(run->prefillPartTimes[p]) * 1e-3));
        if (run->decoded) {
            decode.push_back(run->decoded / run->decodeSeconds);
            for (size_t p = 0; p < partMs.size(); ++p)
                partMs[p].push_back(milliseconds(run->decodePartTimes[p]) / run->decoded);
        }
        std::fprintf(stderr, "ponder-bench: run %d/%d: prefill %.2f tokens/s, decode %.2f tokens/s\n", r + 1,
                     settings.repeats, prefill.back(), decode.empty() ? 0.0 : decode.back());
    }
    // Each part alone, right after the last run's tokens.
    std::vector<double> aloneMs;
    if (settings.aloneSteps)
        for (size_t p = 0; p < backend.partCount(); ++p) {
            auto alone = backend.timePartAlone(p, settings.aloneSteps);
            if (!alone)
                return std::unexpected(alone.error());
            aloneMs.push_back(milliseconds(*alone));
        }

    JsonWriter json;
    json.beginObject();
    json.field("device", backend.deviceName());
    writeModel(json, settings.path, file.info());
    json.key("settings").beginObject();
    json.field("prompt_tokens", uint64_t(prompt.size())).field("gen_tokens", settings.genTokens);
    json.field("repeat", settings.repeats).field("context", settings.request.plan.contextLength);
    json.field("seed", settings.seed).field("sampler", "greedy").field("split", settings.request.split);
    json.field("gpu_layers", settings.request.gpuLayers ? int64_t(*settings.request.gpuLayers) : int64_t(-1));
    json.field("alone_steps", settings.aloneSteps);
    json.endObject();
    json.field("load_seconds", loadSeconds);
    json.key("prefill").beginObject();
    writeSpread(json, "tokens_per_second", spread(prefill));
    json.endObject();
    json.key("decode").beginObject();
    if (!decode.empty())
        writeSpread(json, "tokens_per_second", spread(decode));
    json.endObject();

    double aloneSum = 0;
    json.key("parts").beginArray();
    for (size_t p = 0; p < placement.parts.size(); ++p) {
        const PlacedPart& part = placement.parts[p];
        const PlacementDevice& device = devices[part.device];
        json.beginObject();
        json.field("device", device.name).field("cpu", device.cpu);
        json.field("layers", describePart(part.part)).field("layer_units", part.layerUnits());
        json.field("allocated_bytes", backend.partAllocatedBytes(p)).field("planned_bytes", part.allocatedBytes);
        json.field("read_bytes_per_token", part.readBytesPerToken);
        json.field("read_gb_per_second_measured", device.readBytesPerSecond * 1e-9);
        json.key("decode_rate_gb_per_second").beginObject();
        for (const auto& [type, rate] : device.decodeBytesPerSecond)
            json.field(tensorTypeName(type), rate * 1e-9);
        json.endObject();
        // Prompt tokens per second through this part's layers alone: where
        // a prompt's time goes (llama.cpp moves the CPU layers' products of
        // a long prompt to the GPU when that GPU is the faster device).
        if (!partPrefillTokensPerSecond[p].empty())
            json.field("prefill_tokens_per_second", spread(partPrefillTokensPerSecond[p]).median);
        if (!partMs[p].empty()) {
            const double ms = spread(partMs[p]).median;
            json.field("decode_ms_per_step", ms);
            json.field("decode_read_gb_per_second", double(part.readBytesPerToken) / ms * 1e-6);
        }
        if (p < aloneMs.size()) {
            json.field("alone_ms_per_step", aloneMs[p]);
            aloneSum += aloneMs[p];
        }
        json.endObject();
    }
    json.endArray();

    if (!decode.empty()) {
        const double stepMs = 1e3 / spread(decode).median;
        json.key("boundary").beginObject();
        json.field("decode_ms_per_step", stepMs);
        if (!aloneMs.empty()) {
            json.field("parts_alone_ms_per_step", aloneSum);
            json.field("overhead_fraction", stepMs / aloneSum - 1);
        }
        json.endObject();
        if (auto estimate = placement.estimatedTokensPerSecond(devices)) {
            // From each device's decode rates (the picker's figure).
            json.key("estimate").beginObject();
            json.field("tokens_per_second", *estimate);
            json.field("measured_tokens_per_second", spread(decode).median);
            json.field("estimate_over_measured", *estimate / spread(decode).median);
            // The same from the raw read bandwidths alone, for comparison.
            std::vector<PlacementDevice> readOnly = devices;
            for (auto& d : readOnly)
                d.decodeBytesPerSecond.clear();
            if (auto fromRead = placement.estimatedTokensPerSecond(readOnly))
                json.field("from_read_bandwidth_tokens_per_second", *fromRead);
            json.endObject();
        }
    }
    json.endObject();
    return json.text();
}

} // namespace ponder::tools
