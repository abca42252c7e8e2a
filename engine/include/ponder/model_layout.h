// The tensor list of a llama or qwen2 GGUF for a given config and quant
// mix: names, shapes, and the type each tensor gets in a "Q4_K_M"-style file.
// The test-model generator writes files with it, and the model picker uses it
// to plan memory for a model it only knows from the catalog.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "ponder/model_info.h"

namespace ponder {

// A file's quantization as users name it.
enum class QuantMix { F32, F16, BF16, Q8_0, Q6_K, Q5_K_M, Q4_K_M, Q4_0, Q3_K_M, Q2_K };

std::string_view quantMixName(QuantMix mix);
std::optional<QuantMix> quantMixFromName(std::string_view name);  // "q4_k_m" or "Q4_K_M"
uint32_t quantMixFileType(QuantMix mix);                          // general.file_type

// What of a model's shape the per-tensor type choice depends on.
struct LayoutShape {
    uint32_t layerCount = 0;
    uint32_t queryHeadsPerKvHead = 1;
    bool tiedOutput = false;
};
LayoutShape layoutShape(const ModelConfig& config);

// The type of one tensor in a file of this mix, chosen by the rules
// llama-quantize applies to llama and qwen2 models, so that an estimate made
// before a download matches the file that arrives: norms, biases and
// rope_freqs stay F32; the output matrix (or a tied embedding) gets Q6_K in
// K-quant mixes; attn_v, attn_output and ffn_down get more bits by mix and
// layer (see model_layout.cpp); a matrix whose rows are not a whole number
// of blocks falls back to Q8_0, then F16.
TensorType tensorTypeFor(QuantMix mix, std::string_view tensorName, uint32_t layer, const LayoutShape& shape,
                         uint64_t rowLength);

// Every tensor of a model with this config, in the order GGUF writers use,
// with its type in `mix` and its byte size.
std::vector<TensorDesc> standardTensors(const ModelConfig& config, QuantMix mix);

// A ModelInfo for a model known only by config and mix (no file yet).
ModelInfo modelInfoFromConfig(const ModelConfig& config, QuantMix mix, std::string name = {});

} // namespace ponder
