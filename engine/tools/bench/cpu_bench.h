// ponder-bench --device cpu: load time (the weights' read into memory
// apart), prefill and decode speed, time to first token and memory of the
// CPU engine, and the weight bytes one decode step reads
// as a fraction of the machine's read bandwidth, measured here by every
// thread streaming its part of a buffer far larger than the caches.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "ponder/error.h"
#include "ponder/cpu_memory_plan.h"
#include "ponder/kv_cache_type.h"

namespace ponder {
class ModelFile;
class Sampler;
}

namespace ponder::tools {

struct CpuBenchSettings {
    std::string path;      // the model file, for the report
    uint32_t context = 0;  // KV cache tokens
    uint32_t genTokens = 0;
    int repeats = 1;
    int64_t seed = 1;      // of the prompt, for the report
    uint32_t threads = 0;  // 0: one per physical core
    uint32_t batch = 0;    // tokens per prefill pass; 0: the plan's default
    KvCacheType kvType = KvCacheType::F16;
    std::optional<CpuWeightPlacement> weightPlacement;  // unset: the machine's default
    Sampler* sampler = nullptr;  // picks decode's tokens; null: argmax
    std::string samplerName = "greedy";
    double mapSeconds = 0;  // ModelFile::open before the bench: mapping the file, reading its header
};

// The whole report as JSON text.
Result<std::string> runCpuBench(const ModelFile& file, std::span<const int32_t> prompt,
                                const CpuBenchSettings& settings);

} // namespace ponder::tools
