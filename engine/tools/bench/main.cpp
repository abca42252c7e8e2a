// ponder-bench: how fast a model runs on a Vulkan device or on the CPU engine, as JSON.
//
//   ponder-bench --model FILE [--prompt-tokens 512] [--gen-tokens 128] [--repeat 3]
//                [--device vulkan[:N]|cpu] [--threads N] [--batch N] [--context N] [--seed N]
//                [--sampler default|greedy] [--split auto|N,M,...] [--gpu-layers N]
//                [--kv-type f16|f32|q8_0] [--weights mapped|huge-pages]
//
// Several devices (--device vulkan,cpu) split the model across them; see
// split_bench.h for what that report adds.
//
// Each repeat evaluates a prompt of random token ids (seeded) from an empty
// cache and then decodes, picking each token with the app's default sampler
// (temperature 0.6, top-p 0.95) or with --sampler greedy by argmax; speeds are the median of the repeats with
// their min and max. Then one prompt batch and one decode step run with GPU
// timestamps for the time per kernel, and a compute shader streaming a large
// device-local buffer measures the read bandwidth that decode's weight reads
// are compared against (a copy's read+write figure is reported beside it). On the
// CPU (cpu_bench.h) a multi-threaded streaming read measures it instead.
// Bad input of any kind exits with status 1 and one line on stderr.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "arguments.h"
#include "json_writer.h"
#include "cpu_bench.h"
#include "split_bench.h"
#include "measure.h"
#include "report.h"
#include "ponder/bandwidth.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/sampler.h"

using namespace ponder;

namespace {

constexpr const char* kUsage =
    "usage: ponder-bench --model FILE [--prompt-tokens N] [--gen-tokens N] [--repeat N]\n"
    "                    [--device vulkan[:N]|cpu] [--threads N] [--batch N] [--context N] [--seed N]\n"
    "                    [--sampler default|greedy] [--split auto|N,M,...] [--gpu-layers N]\n"
    "                    [--kv-type f16|f32|q8_0] [--weights mapped|huge-pages]\n"
    "  --prompt-tokens N   prompt length, random token ids (default 512)\n"
    "  --gen-tokens N      tokens decoded after the prompt (default 128)\n"
    "  --sampler S         default: the app's default sampler (temperature 0.6, top-p 0.95, fixed seed);\n"
    "                      greedy: argmax, as the engines are compared (default: default)\n"
    "  --repeat N          timed runs; speeds are their median, min and max (default 3)\n"
    "  --device D          vulkan (the best GPU, or PONDER_DEVICE), vulkan:N (adapter index or part of its name)\n"
    "                      or cpu (the native CPU engine); several, comma-separated, split the model\n"
    "                      across them (vulkan:0,vulkan:1,cpu; greedy sampling)\n"
    "  --split S           with several devices: auto (by free memory) or each GPU's share, e.g. 8,6,6,6\n"
    "  --gpu-layers N      with several devices: layers on the GPUs (the output counts as one)\n"
    "  --threads N         threads of --device cpu (default: one per physical core)\n"
    "  --batch N           tokens per prefill pass of --device cpu (default 512)\n"
    "  --context N         KV cache length (default: prompt + generated + 1)\n"
    "  --kv-type T         KV cache type: f16 (default), f32 or q8_0\n"
    "  --weights W         where --device cpu keeps the weights: mapped (read in place from the file) or\n"
    "                      huge-pages (copied into them; the default where the kernel offers them)\n"
    "  --seed N            seed of the prompt's token ids (default 1)\n";

// Bytes of the bandwidth test's copy (lavapipe allocates it in system memory).
constexpr uint64_t kCopyBytes = 256ull << 20;
constexpr int kCopyRepeats = 5;

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

// The weight bytes a matvec kernel reads in one pass over the model:
// "matvec_q4_k" and "matvec_q4_k_subgroup" read every Q4_K tensor.
uint64_t matvecWeightBytes(const std::string& kernel, const ModelInfo& info)
{
    for (const auto& [type, bytes] : tools::decodeWeightBytesByType(info)) {
        const std::string name = "matvec_" + lower(tensorTypeName(type));
        if (kernel == name || kernel == name + "_subgroup")
            return bytes;
    }
    return 0;
}

void writeProfile(tools::JsonWriter& json, std::string_view name, const tools::BatchProfile& profile,
                  const ModelInfo& info)
{
    const uint64_t total = profile.gpuNanoseconds();
    json.key(name).beginObject();
    json.field("tokens", profile.tokens);
    json.field("first_position", profile.firstPosition);
    json.field("gpu_ms", double(total) * 1e-6);
    json.field("wall_ms", profile.wallSeconds * 1e3);
    json.field("dispatches", profile.counts.dispatches);
    json.field("barrier_phases", profile.counts.barriers);
    json.field("copies", profile.counts.copies);
    json.key("kernels").beginArray();
    for (const auto& k : profile.kernels) {
        json.beginObject();
        json.field("name", k.name);
        json.field("dispatches", k.count);
        json.field("ms", double(k.nanoseconds) * 1e-6);
        json.field("share", total ? double(k.nanoseconds) / double(total) : 0.0);
        if (const uint64_t bytes = matvecWeightBytes(k.name, info); bytes && k.nanoseconds) {
            json.field("weight_bytes", bytes);
            json.field("weight_gb_per_second", double(bytes) / double(k.nanoseconds));
        }
        json.endObject();
    }
    json.endArray();
    json.endObject();
}

std::string_view roleName(BufferRole role)
{
    switch (role) {
    case BufferRole::Weights: return "weights";
    case BufferRole::KvCache: return "kv_cache";
    case BufferRole::Activations: return "activations";
    case BufferRole::Staging: return "staging";
    case BufferRole::Readback: return "readback";
    }
    return "other";
}

Result<void> run(int argc, char** argv)
{
    tools::Arguments args({"model", "prompt-tokens", "gen-tokens", "repeat", "device", "context", "seed", "threads", "batch",
                          "sampler", "split", "gpu-layers", "kv-type", "weights"}, {"help"});
    PONDER_TRY(args.parse(argc, argv));
    if (args.has("help")) {
        std::fputs(kUsage, stdout);
        return {};
    }
    const auto path = args.text("model");
    if (!path)
        return fail(ErrorCode::InvalidArgument, "--model FILE is required (see --help)");
    auto promptArg = args.integer("prompt-tokens", 1, 1 << 20);
    auto genArg = args.integer("gen-tokens", 0, 1 << 20);
    auto repeatArg = args.integer("repeat", 1, 1000);
    auto contextArg = args.integer("context", 1, 1 << 22);
    auto seedArg = args.integer("seed", 0, 1ll << 62);
    for (const auto* parsed : {&promptArg, &genArg, &repeatArg, &contextArg, &seedArg})
        if (!*parsed)
            return std::unexpected(parsed->error());
    const auto promptTokens = uint32_t(promptArg->value_or(512));
    const auto genTokens = uint32_t(genArg->value_or(128));
    const int repeats = int(repeatArg->value_or(3));
    // One more than prompt + generated: the profiled decode step after the prompt.
    const auto context = uint32_t(contextArg->value_or(promptTokens + genTokens + 1));
    if (uint64_t(promptTokens) + genTokens + 1 > context)
        return fail(ErrorCode::InvalidArgument, "--context " + std::to_string(context) + " is smaller than " +
                                                    "prompt + generated + 1 = " +
                                                    std::to_string(uint64_t(promptTokens) + genTokens + 1));
    auto threadsArg = args.integer("threads", 1, 1024);
    if (!threadsArg)
        return std::unexpected(threadsArg.error());
    auto batchArg = args.integer("batch", 1, 1 << 16);
    if (!batchArg)
        return std::unexpected(batchArg.error());
    const std::string device = args.text("device").value_or("vulkan");
    const bool split = tools::namesSeveralDevices(device);
    if (!split && (args.has("split") || args.has("gpu-layers")))
        return fail(ErrorCode::InvalidArgument, "--split and --gpu-layers need several devices in --device");
    auto gpuLayersArg = args.integer("gpu-layers", 0, 1 << 20);
    if (!gpuLayersArg)
        return std::unexpected(gpuLayersArg.error());
    if (!split && device != "cpu" && device != "vulkan" && device.rfind("vulkan:", 0) != 0)
        return fail(ErrorCode::InvalidArgument, "unknown --device '" + device + "' (known: vulkan, vulkan:N, cpu)");

    const std::string kvName = args.text("kv-type").value_or("f16");
    const auto kvType = kvCacheTypeFromName(kvName);
    if (!kvType)
        return fail(ErrorCode::InvalidArgument, "unknown --kv-type '" + kvName + "' (known: f16, f32, q8_0)");
    std::optional<CpuWeightPlacement> placement;
    if (const auto weights = args.text("weights")) {
        if (*weights == "mapped")
            placement = CpuWeightPlacement::Mapped;
        else if (*weights == "huge-pages")
            placement = CpuWeightPlacement::HugePages;
        else
            return fail(ErrorCode::InvalidArgument, "unknown --weights '" + *weights + "' (known: mapped, huge-pages)");
    }

    const std::string samplerName = args.text("sampler").value_or("default");
    if (samplerName != "default" && samplerName != "greedy")
        return fail(ErrorCode::InvalidArgument, "unknown --sampler '" + samplerName + "' (known: default, greedy)");
    std::optional<Sampler> sampler;
    if (samplerName == "default") {
        auto created = Sampler::create(SamplerConfig{.seed = 1});
        if (!created)
            return std::unexpected(created.error());
        sampler.emplace(std::move(*created));
    }
    Sampler* const picker = sampler ? &*sampler : nullptr;

    const auto openStart = std::chrono::steady_clock::now();
    auto file = ModelFile::open(*path);
    if (!file)
        return std::unexpected(file.error());
    const double openSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - openStart).count();
    const ModelInfo& info = (*file)->info();
    if (context > info.config.contextLength)
        return fail(ErrorCode::InvalidArgument, "--context " + std::to_string(context) + " exceeds the model's " +
                                                    std::to_string(info.config.contextLength) + " tokens");

    std::mt19937_64 rng(uint64_t(seedArg->value_or(1)));
    std::uniform_int_distribution<int32_t> pick(0, int32_t(info.config.vocabSize) - 1);
    std::vector<int32_t> prompt(promptTokens);
    for (auto& id : prompt)
        id = pick(rng);
    if (split) {
        if (samplerName != "greedy" && args.has("sampler"))
            return fail(ErrorCode::InvalidArgument, "a split model is benchmarked with --sampler greedy");
        tools::SplitBenchSettings settings{.path = *path,
                                           .genTokens = genTokens,
                                           .repeats = repeats,
                                           .seed = int64_t(seedArg->value_or(1)),
                                           .aloneSteps = std::max(genTokens, 1u)};
        settings.request.devices = device;
        settings.request.split = args.text("split").value_or("auto");
        if (*gpuLayersArg)
            settings.request.gpuLayers = uint32_t(**gpuLayersArg);
        // Room for each part's steps alone after the timed run.
        settings.request.plan.contextLength =
            std::min(context + settings.aloneSteps, info.config.contextLength);
        settings.request.plan.kvType = *kvType;
        settings.request.threads = uint32_t(threadsArg->value_or(0));
        if (auto batch = batchArg->value_or(0))
            settings.request.plan.batchSize = uint32_t(batch);
        if (settings.request.plan.contextLength < context + settings.aloneSteps)
            return fail(ErrorCode::InvalidArgument, "the model's context has no room for the parts' steps alone");
        auto report = tools::runSplitBench(**file, prompt, settings);
        if (!report)
            return std::unexpected(report.error());
        std::fputs(report->c_str(), stdout);
        std::fputc('\n', stdout);
        return {};
    }
    if (device == "cpu") {
        const tools::CpuBenchSettings settings{.path = *path,
                                               .context = context,
                                               .genTokens = genTokens,
                                               .repeats = repeats,
                                               .seed = int64_t(seedArg->value_or(1)),
                                               .threads = uint32_t(threadsArg->value_or(0)),
                                               .batch = uint32_t(batchArg->value_or(0)),
                                               .kvType = *kvType,
                                               .weightPlacement = placement,
                                               .sampler = picker,
                                               .samplerName = samplerName,
                                               .mapSeconds = openSeconds};
        auto report = tools::runCpuBench(**file, prompt, settings);
        if (!report)
            return std::unexpected(report.error());
        std::fputs(report->c_str(), stdout);
        std::fputc('\n', stdout);
        return {};
    }

    vk::InstanceOptions instance;
    instance.onValidationMessage = [](std::string_view message) {
        std::fprintf(stderr, "vulkan validation: %.*s\n", int(message.size()), message.data());
    };
    auto gpu = GpuContext::open(device == "vulkan" ? vk::adapterPreferenceFromEnvironment() : device.substr(7),
                                instance, vk::defaultPipelineCacheFolder());
    if (!gpu)
        return std::unexpected(gpu.error());
    PlanOptions plan;
    plan.contextLength = context;
    plan.kvType = *kvType;
    const auto loadStart = std::chrono::steady_clock::now();
    auto backend = GpuBackend::load(*(*gpu)->kernels, **file, plan);
    if (!backend)
        return std::unexpected(backend.error());
    const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
    GpuSession& session = (*backend)->session();

    // Warm-up: records the prefill shapes and touches the cache, untimed.
    auto warm = tools::timedRun(session, std::span(prompt).first(std::min(promptTokens, session.batchSize())), 1);
    if (!warm)
        return std::unexpected(warm.error());
    std::vector<double> prefill, firstToken, decode, sampling;
    for (int r = 0; r < repeats; ++r) {
        auto times = tools::timedRun(session, prompt, genTokens, picker);
        if (!times)
            return std::unexpected(times.error());
        prefill.push_back(promptTokens / times->prefillSeconds);
        firstToken.push_back(times->firstTokenSeconds);
        if (times->decoded) {
            decode.push_back(times->decoded / times->decodeSeconds);
            sampling.push_back(times->samplingSeconds * 1e3 / times->decoded);
        }
        std::fprintf(stderr, "ponder-bench: run %d/%d: prefill %.2f tokens/s, decode %.2f tokens/s\n", r + 1, repeats,
                     prefill.back(), decode.empty() ? 0.0 : decode.back());
    }
    auto profiles = tools::profileBatches(session, prompt);
    if (!profiles)
        return std::unexpected(profiles.error());
    const vk::Device& vkDevice = *(*gpu)->device;
    const uint64_t maxAllocation = vkDevice.adapter().maxMemoryAllocationSize;
    const uint64_t copyBytes = maxAllocation ? std::min(kCopyBytes, maxAllocation) : kCopyBytes;
    auto bandwidth = tools::measureCopyBandwidth(vkDevice, copyBytes, kCopyRepeats);
    if (!bandwidth)
        return std::unexpected(bandwidth.error());
    // One binding covers the whole read: at most the device's storage-buffer range.
    const uint64_t readBytes = std::min(copyBytes, uint64_t(vkDevice.adapter().maxStorageBufferRange) / 16 * 16);
    auto readBandwidth = measureGpuReadBandwidth(vkDevice, readBytes, kCopyRepeats);
    if (!readBandwidth)
        return std::unexpected(readBandwidth.error());

    const vk::AdapterInfo& adapter = vkDevice.adapter();
    const uint64_t weightBytes = tools::decodeWeightBytes(info);
    tools::JsonWriter json;
    json.beginObject();
    json.key("device").beginObject();
    json.field("name", adapter.name).field("type", adapterTypeName(adapter.type));
    json.field("driver", adapter.driverName).field("driver_info", adapter.driverInfo);
    json.field("api_version", vk::versionString(adapter.apiVersion));
    json.field("subgroup_size", adapter.subgroupSize);
    json.endObject();

    tools::writeModel(json, *path, info);

    json.key("settings").beginObject();
    json.field("prompt_tokens", promptTokens).field("gen_tokens", genTokens).field("repeat", repeats);
    json.field("context", context).field("kv_type", kvCacheTypeName(*kvType)).field("seed", int64_t(seedArg->value_or(1)));
    // Tokens per prefill pass: the plan's batch, or the whole prompt when shorter.
    json.field("prefill_batch_tokens", std::min(promptTokens, session.batchSize()));
    json.field("sampler", samplerName);
    json.endObject();

    json.field("load_seconds", loadSeconds);
    json.key("prefill").beginObject();
    tools::writeSpread(json, "tokens_per_second", tools::spread(prefill));
    json.endObject();
    tools::writeSpread(json, "time_to_first_token_seconds", tools::spread(firstToken));
    json.key("decode").beginObject();
    if (!decode.empty()) {
        tools::writeSpread(json, "tokens_per_second", tools::spread(decode));
        tools::writeSpread(json, "sampling_ms_per_token", tools::spread(sampling));
    }
    json.endObject();

    const GpuModel& model = (*backend)->model();
    json.key("memory").beginObject();
    json.field("allocated_bytes", model.allocatedBytes());
    json.field("plan_bytes", model.plan().totalBytes());
    json.key("by_role").beginObject();
    for (BufferRole role : {BufferRole::Weights, BufferRole::KvCache, BufferRole::Activations, BufferRole::Staging,
                            BufferRole::Readback})
        json.field(roleName(role), model.plan().bytes(role));
    json.endObject();
    json.endObject();

    json.key("bandwidth").beginObject();
    json.field("copy_bytes", bandwidth->copyBytes);
    json.field("counted_bytes", bandwidth->countedBytes);
    json.field("counts", "read+write");
    json.field("seconds", bandwidth->seconds);
    json.field("gb_per_second", bandwidth->bytesPerSecond() * 1e-9);
    json.key("read").beginObject();
    json.field("bytes", readBandwidth->bytes).field("counts", "read").field("seconds", readBandwidth->seconds);
    json.field("gb_per_second", readBandwidth->bytesPerSecond() * 1e-9);
    json.endObject();
    json.endObject();

    // Decode reads its weights: on a GPU it is held to the compute read's
    // ceiling, not the copy's (a copy path that can be far below it: 0.85
    // against ~4 TB/s on an H200). Lavapipe runs shaders one lane at a time,
    // so there its copy (a memcpy) is the memory's ceiling.
    const bool cpuDevice = adapter.type == vk::AdapterType::Cpu;
    const double ceiling = cpuDevice ? bandwidth->bytesPerSecond() : readBandwidth->bytesPerSecond();
    json.field("decode_weight_bytes_per_token", weightBytes);
    json.field("decode_bandwidth_reference", cpuDevice ? "copy" : "read");
    if (!decode.empty()) {
        const double achieved = double(weightBytes) * tools::spread(decode).median;
        json.field("decode_weight_gb_per_second", achieved * 1e-9);
        json.field("decode_bandwidth_fraction", achieved / ceiling);
    }

    json.key("profile").beginObject();
    writeProfile(json, "decode_step", profiles->decode, info);
    writeProfile(json, "prefill_batch", profiles->prefill, info);
    json.endObject();
    json.endObject();
    std::fputs(json.text().c_str(), stdout);
    std::fputc('\n', stdout);
    return {};
}

} // namespace

int main(int argc, char** argv)
{
    if (auto result = run(argc, argv); !result) {
        std::fprintf(stderr, "ponder-bench: %s\n", result.error().message.c_str());
        return 1;
    }
    return 0;
}
