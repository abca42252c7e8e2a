// ponder-bench-attention: GPU time of one layer's decode attention
// (attention_decode + attention_reduce) at several context lengths, from
// the recorder's timestamps, for a layer shape given on the command line
// (default: the Qwen-1.5B's 12 query heads over 2 kv heads of 128 dims,
// f16 cache; --kv-type f32 or q8_0 for the others). One recording is replayed with the position rewritten between
// submits, as the decode loop does; each length reports the fastest of
// --repeats runs, and the per-token figure multiplies it by --layers. The
// cache holds random values; --check also compares each length's output
// with a float64 loop (the error relative to the largest |value|), which
// takes a real GPU's word for the kernel where the test suites cannot run.
//
// Before timing, --warmup seconds (default 1) of back-to-back work at the
// longest length bring a GPU's clocks up from idle: a lone decode step of
// tens of microseconds per submission would otherwise run at idle clocks.
//
//   ponder-bench-attention [--contexts 1024,8192,32768] [--heads 12]
//       [--kv-heads 2] [--head-dim 128] [--layers 28] [--repeats 20]
//       [--splits N] [--warmup S] [--kv-type f16|f32|q8_0] [--f32] [--check]
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "arguments.h"
#include "ponder/half.h"
#include "ponder/kernels.h"
#include "ponder/quant.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "ponder/vk/instance.h"
#include "ponder/vk/transfer.h"

using namespace ponder;

namespace {

struct Options {
    std::vector<uint32_t> contexts{1024, 8192, 32768};
    uint32_t heads = 12;
    uint32_t headsKv = 2;
    uint32_t headDim = 128;
    uint32_t layers = 28;
    int repeats = 20;
    double warmup = -1;  // seconds; -1: 1 on a GPU, 0 on a CPU device (where one step is slow enough)
    uint32_t splits = 0;
    KvCacheType type = KvCacheType::F16;
    bool check = false;
};

Result<Options> parseOptions(int argc, char** argv)
{
    tools::Arguments args({"contexts", "heads", "kv-heads", "head-dim", "layers", "repeats", "splits", "warmup",
                           "kv-type"},
                          {"f32", "check"});
    PONDER_TRY(args.parse(argc, argv));
    Options o;
    if (const auto text = args.text("contexts")) {
        o.contexts.clear();
        std::stringstream list(*text);
        std::string item;
        while (std::getline(list, item, ',')) {
            uint32_t length = 0;
            const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), length);
            if (ec != std::errc() || end != item.data() + item.size() || length == 0)
                return fail(ErrorCode::InvalidArgument, "--contexts: positive lengths separated by commas");
            o.contexts.push_back(length);
        }
        if (o.contexts.empty())
            return fail(ErrorCode::InvalidArgument, "--contexts: positive lengths separated by commas");
    }
    const auto read = [&](const char* name, long long min, long long max, auto& into) -> Result<void> {
        auto value = args.integer(name, min, max);
        if (!value)
            return std::unexpected(value.error());
        if (*value)
            into = static_cast<std::remove_reference_t<decltype(into)>>(**value);
        return {};
    };
    PONDER_TRY(read("heads", 1, 256, o.heads));
    PONDER_TRY(read("kv-heads", 1, 256, o.headsKv));
    PONDER_TRY(read("head-dim", 4, 256, o.headDim));
    PONDER_TRY(read("layers", 1, 1000, o.layers));
    PONDER_TRY(read("repeats", 1, 100000, o.repeats));
    PONDER_TRY(read("splits", 1, 4096, o.splits));
    auto warmup = args.number("warmup", 0, 60);
    if (!warmup)
        return std::unexpected(warmup.error());
    if (*warmup)
        o.warmup = **warmup;
    if (args.has("f32"))
        o.type = KvCacheType::F32;  // the older spelling of --kv-type f32
    if (const auto name = args.text("kv-type")) {
        const auto type = kvCacheTypeFromName(*name);
        if (!type)
            return fail(ErrorCode::InvalidArgument, "unknown --kv-type '" + *name + "' (known: f16, f32, q8_0)");
        o.type = *type;
    }
    o.check = args.has("check");
    return o;
}

// Random values of the cache's type, (headsKv, capacity, headDim) as the
// cache lays them out, exactly as the cache stores them: normal, rounded to
// f16 for an f16 cache; for Q8_0, blocks of d * q (q in -127..127, one at
// +-127, d an f16 near 1/127) that the Q8_0 codec encodes as that d and q.
std::vector<float> randomCache(const KvCacheShape& cache, std::mt19937& rng)
{
    std::normal_distribution<float> normal(0.f, 1.f);
    std::vector<float> values(size_t(cache.headsKv) * cache.capacity * cache.headDim);
    if (cache.type == KvCacheType::Q8_0) {
        std::uniform_int_distribution<int> level(-127, 127);
        std::uniform_real_distribution<float> scale(0.5f / 127.f, 2.f / 127.f);
        for (size_t b = 0; b < values.size(); b += 32) {
            const float d = halfToFloat(floatToHalf(scale(rng)));
            for (size_t i = 0; i < 32; ++i)
                values[b + i] = d * float(i == b / 32 % 32 ? 127 : level(rng));
        }
        return values;
    }
    for (float& v : values)
        v = cache.type == KvCacheType::F16 ? halfToFloat(floatToHalf(normal(rng))) : normal(rng);
    return values;
}

Result<void> upload(const vk::Device& device, const vk::Buffer& buffer, const std::vector<float>& values,
                    KvCacheType type)
{
    auto recorder = vk::CommandRecorder::create(device);
    if (!recorder)
        return std::unexpected(recorder.error());
    if (type == KvCacheType::F32)
        return vk::uploadBytes(device, **recorder, buffer, std::as_bytes(std::span(values)));
    if (type == KvCacheType::Q8_0) {
        std::vector<std::byte> blocks(values.size() / 32 * 34);
        PONDER_TRY(quantize(TensorType::Q8_0, values, blocks));
        return vk::uploadBytes(device, **recorder, buffer, blocks);
    }
    std::vector<uint16_t> halves(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        halves[i] = floatToHalf(values[i]);
    return vk::uploadBytes(device, **recorder, buffer, std::as_bytes(std::span(halves)));
}

// The largest |GPU - float64 reference| over every head's output at `len`
// cached tokens, relative to the largest |value|.
double referenceError(const std::vector<float>& gpu, const std::vector<float>& q, const std::vector<float>& keys,
                      const std::vector<float>& values, const AttentionShape& shape, uint32_t len)
{
    const KvCacheShape& c = shape.cache;
    const uint32_t group = shape.heads / c.headsKv;
    const double scale = 1.0 / std::sqrt(double(c.headDim));
    double worst = 0.0, largest = 0.0;
    for (float v : values)
        largest = std::max(largest, double(std::abs(v)));
    std::vector<double> scores(len), out(c.headDim);
    for (uint32_t h = 0; h < shape.heads; ++h) {
        const size_t head = size_t(h / group) * c.capacity * c.headDim;
        double best = -INFINITY, total = 0.0;
        for (uint32_t j = 0; j < len; ++j) {
            double dot = 0.0;
            for (uint32_t d = 0; d < c.headDim; ++d)
                dot += double(q[size_t(h) * c.headDim + d]) * keys[head + size_t(j) * c.headDim + d];
            scores[j] = dot * scale;
            best = std::max(best, scores[j]);
        }
        std::fill(out.begin(), out.end(), 0.0);
        for (uint32_t j = 0; j < len; ++j) {
            const double w = std::exp(scores[j] - best);
            total += w;
            for (uint32_t d = 0; d < c.headDim; ++d)
                out[d] += w * values[head + size_t(j) * c.headDim + d];
        }
        for (uint32_t d = 0; d < c.headDim; ++d) {
            const double error = std::abs(out[d] / total - double(gpu[size_t(h) * c.headDim + d]));
            worst = std::isnan(error) ? INFINITY : std::max(worst, error);
        }
    }
    return worst / largest;
}

Result<void> run(const Options& o)
{
    auto instance = vk::Instance::create();
    if (!instance)
        return std::unexpected(instance.error());
    const auto adapters = vk::listAdapters(**instance);
    auto picked = vk::pickAdapter(adapters, vk::adapterPreferenceFromEnvironment());
    if (!picked)
        return std::unexpected(picked.error());
    auto device = vk::Device::create(*instance, adapters[*picked]);
    if (!device)
        return std::unexpected(device.error());
    auto kernels = Kernels::create(**device);
    if (!kernels)
        return std::unexpected(kernels.error());
    auto recorder = vk::CommandRecorder::create(**device);
    if (!recorder)
        return std::unexpected(recorder.error());
    const vk::AdapterInfo& adapter = (*device)->adapter();

    const uint32_t capacity = *std::max_element(o.contexts.begin(), o.contexts.end());
    AttentionShape shape;
    shape.cache = {o.headsKv, o.headDim, capacity, o.type};
    shape.heads = o.heads;
    shape.splits = o.splits;
    const uint64_t qBytes = uint64_t(o.heads) * o.headDim * 4;
    auto kCache = vk::Buffer::create(**device, shape.cache.bytes(), vk::MemoryUsage::DeviceLocal);
    auto vCache = vk::Buffer::create(**device, shape.cache.bytes(), vk::MemoryUsage::DeviceLocal);
    auto q = vk::Buffer::create(**device, qBytes, vk::MemoryUsage::DeviceLocal);
    auto out = vk::Buffer::create(**device, qBytes, vk::MemoryUsage::DeviceLocal);
    auto scratch = vk::Buffer::create(**device, (*kernels)->attentionDecodeScratchBytes(shape),
                                      vk::MemoryUsage::DeviceLocal);
    auto position = vk::Buffer::create(**device, 4, vk::MemoryUsage::Upload);
    for (const auto* b : {&kCache, &vCache, &q, &out, &scratch, &position})
        if (!*b)
            return std::unexpected(b->error());

    std::mt19937 rng(2024);
    const std::vector<float> keys = randomCache(shape.cache, rng);
    const std::vector<float> values = randomCache(shape.cache, rng);
    std::vector<float> queries(size_t(o.heads) * o.headDim);
    std::normal_distribution<float> normal(0.f, 1.f);
    for (float& x : queries)
        x = normal(rng);
    PONDER_TRY(upload(**device, *kCache, keys, o.type));
    PONDER_TRY(upload(**device, *vCache, values, o.type));
    PONDER_TRY(upload(**device, *q, queries, KvCacheType::F32));

    // The warm-up: 100 decode steps per submission, back to back.
    {
        auto warm = vk::CommandRecorder::create(**device);
        if (!warm)
            return std::unexpected(warm.error());
        const uint32_t pos = capacity - 1;
        std::memcpy(position->mapped(), &pos, 4);
        PONDER_TRY((*warm)->begin());
        for (int i = 0; i < 100; ++i) {
            PONDER_TRY((*kernels)->attentionDecode(**warm, shape, out->range(), q->range(), kCache->range(),
                                                   vCache->range(), position->range(), scratch->range()));
            (*warm)->barrier();
        }
        PONDER_TRY((*warm)->end());
        const double seconds = o.warmup >= 0 ? o.warmup : adapter.type == vk::AdapterType::Cpu ? 0.0 : 1.0;
        const auto start = std::chrono::steady_clock::now();
        while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds)
            PONDER_TRY((*warm)->submitAndWait());
    }

    PONDER_TRY((*recorder)->setProfiling(true));
    PONDER_TRY((*recorder)->begin());
    PONDER_TRY((*kernels)->attentionDecode(**recorder, shape, out->range(), q->range(), kCache->range(),
                                           vCache->range(), position->range(), scratch->range()));
    PONDER_TRY((*recorder)->end());

    std::printf("device: %s (%s), subgroup %u, %u compute units%s; at most %u splits per kv head\n",
                adapter.name.c_str(), adapter.driverInfo.c_str(), adapter.subgroupSize, adapter.computeUnits,
                adapter.computeUnitsReported ? "" : " (estimated)", (*kernels)->decodeSplits(shape));
    std::printf("layer: %u query heads, %u kv heads, head dim %u, %s cache; %u layers per token\n", o.heads, o.headsKv,
                o.headDim, kvCacheTypeName(o.type), o.layers);
    std::printf("%10s %12s %12s %12s %14s %10s\n", "context", "decode_us", "reduce_us", "layer_us", "token_ms",
                "GB/s");
    for (const uint32_t context : o.contexts) {
        const uint32_t pos = context - 1;
        std::memcpy(position->mapped(), &pos, 4);
        double best = 0, bestDecode = 0, bestReduce = 0;
        for (int i = 0; i <= o.repeats; ++i) {
            PONDER_TRY((*recorder)->submitAndWait());
            auto times = (*recorder)->profile();
            if (!times)
                return std::unexpected(times.error());
            double decode = 0, reduce = 0;
            for (const auto& t : *times) {
                if (t.name.starts_with("attention_reduce"))
                    reduce += double(t.nanoseconds);
                else if (t.name.starts_with("attention_decode"))
                    decode += double(t.nanoseconds);
            }
            // The first run warms caches and pages: not counted.
            if (i > 0 && (best == 0 || decode + reduce < best)) {
                best = decode + reduce;
                bestDecode = decode;
                bestReduce = reduce;
            }
        }
        // Bytes the layer must read: keys and values of every visible position.
        const double bytes = 2.0 * context * o.headsKv * double(kvRowBytes(o.type, o.headDim));
        std::printf("%10u %12.1f %12.1f %12.1f %14.3f %10.1f", context, bestDecode * 1e-3, bestReduce * 1e-3,
                    best * 1e-3, best * o.layers * 1e-6, bytes / best);
        if (o.check) {
            std::vector<float> gpu(queries.size());
            auto copier = vk::CommandRecorder::create(**device);
            if (!copier)
                return std::unexpected(copier.error());
            PONDER_TRY(vk::downloadBytes(**device, **copier, *out, std::as_writable_bytes(std::span(gpu))));
            std::printf("   error %.2g", referenceError(gpu, queries, keys, values, shape, context));
        }
        std::printf("\n");
    }
    return {};
}

} // namespace

int main(int argc, char** argv)
{
    auto options = parseOptions(argc, argv);
    if (!options) {
        std::fprintf(stderr, "ponder-bench-attention: %s\n", options.error().message.c_str());
        return 2;
    }
    auto ran = run(*options);
    if (!ran) {
        std::fprintf(stderr, "ponder-bench-attention: %s\n", ran.error().message.c_str());
        return 1;
    }
    return 0;
}
