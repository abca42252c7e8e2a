// Writes GGUF models with random weights for tests and benchmarks: either
// architecture, any dimensions (tiny ones for tests, the real R1 distill
// shapes for benchmarks), every tensor type or a real quant mix, with a
// synthetic or a real vocabulary. Deterministic for a seed; streams the file
// so multi-gigabyte models never sit in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "ponder/error.h"
#include "ponder/model_info.h"
#include "ponder/model_layout.h"
#include "ponder/tokenizer.h"

namespace ponder::testing {

struct ModelSpec {
    ModelConfig config;
    QuantMix mix = QuantMix::F32;
    // When set, every matrix is stored as this type (norms, biases and
    // rope_freqs stay F32): tests use it to cover each type alone.
    std::optional<TensorType> matrixType;
    uint64_t seed = 1;
    // Empty: a synthetic vocabulary of config.vocabSize tokens. Otherwise its
    // size must not exceed config.vocabSize (padded with unused tokens).
    std::optional<TokenizerVocab> vocab;
    std::string chatTemplate;  // empty: the DeepSeek-R1 distill template
    std::string name = "ponder-test-model";
    // Files to write the model as, the way llama.cpp's gguf-split does: more
    // than one writes splitPartPath(path, i, parts) for each part i instead
    // of `path`; the tensors go to the parts in order, about the same bytes
    // each; the first part also holds all the metadata, and every part has
    // split.no, split.count and split.tensors.count.
    uint32_t parts = 1;
    // With parts > 1: the first part holds the metadata and no tensors
    // (gguf-split --no-tensor-first-split).
    bool metadataOnlyFirstPart = false;
};

// A tiny config of either architecture, for tests: K-quant friendly widths
// (multiples of 256), grouped-query attention, biases for qwen2, rope_freqs
// for llama.
ModelConfig tinyConfig(Architecture architecture, uint32_t vocabSize = 512);

// Writes the model; `threads` = 0 uses every core.
Result<void> writeModel(const std::filesystem::path& path, const ModelSpec& spec, unsigned threads = 0);

// The path of part `index` (0-based) of a model written to `path` in
// `parts` parts: "dir/m.gguf" gives "dir/m-00002-of-00003.gguf" for 1 of 3.
std::filesystem::path splitPartPath(const std::filesystem::path& path, uint32_t index, uint32_t parts);

// The R1 distill chat template (Jinja), as stored in tokenizer.chat_template.
const std::string& r1ChatTemplate();

} // namespace ponder::testing
