// The architecture configs of the DeepSeek-R1 distills (FORMATS.md), by a
// short shape name. The test-model generator makes models of these real
// shapes for benchmarks; the picker plans memory with them before a file's
// header is known.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ponder/model_info.h"

namespace ponder {

struct KnownModel {
    std::string_view shape;  // "qwen-1.5b"
    std::string_view name;   // "DeepSeek-R1-Distill-Qwen-1.5B"
    ModelConfig config;
};

std::span<const KnownModel> knownModels();
std::optional<ModelConfig> knownModelConfig(std::string_view shape);

// Llama 3's RoPE scaling as per-frequency divisors (the GGUF `rope_freqs`
// tensor): frequencies with wavelengths below original/highFactor keep their
// value, those above original/lowFactor are divided by `factor`, and those
// between are blended. (ropeDims / 2) values.
std::vector<float> llama3RopeFactors(uint32_t ropeDims, float base, float factor = 8.f, float lowFactor = 1.f,
                                     float highFactor = 4.f, float originalContext = 8192.f);

} // namespace ponder
