// The part of a model one device runs when the model is split across
// devices (placement.h): a contiguous range of layers, and whether the part
// also looks up the token embeddings (the first part) and computes the
// logits (the last). Between parts only the hidden state crosses: n_embd
// floats per token. The whole model is the one part that has everything.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "ponder/error.h"
#include "ponder/model_info.h"

namespace ponder {

struct ModelPart {
    uint32_t firstLayer = 0;
    uint32_t endLayer = 0;  // one past the last layer
    bool embedding = true;  // reads token ids; else the hidden rows of the part before
    bool output = true;     // writes logits; else its hidden rows, for the part after

    static ModelPart whole(const ModelConfig& config) { return {0, config.blockCount, true, true}; }
    uint32_t layerCount() const { return endLayer - firstLayer; }
    bool isWhole(const ModelConfig& config) const
    {
        return firstLayer == 0 && endLayer == config.blockCount && embedding && output;
    }
    bool holdsLayer(uint32_t layer) const { return layer >= firstLayer && layer < endLayer; }
    // Whether the tensor named `name` belongs to this part: a layer's own
    // tensors, token_embd for the embedding (and for the logits of a model
    // whose output reuses it), output and output_norm for the logits, and
    // rope_freqs wherever layers run. The whole model holds every tensor
    // (a file's extra ones too); a part of it only those.
    bool holdsTensor(const ModelConfig& config, std::string_view name) const;

    bool operator==(const ModelPart&) const = default;
};

// One batch's input to a part: the token ids (a part with the embedding;
// always, for their count) and, for a part without it, the hidden rows the
// part before returned, (tokens, n_embd) f32.
struct PartInput {
    std::span<const int32_t> tokens;
    std::span<const float> hidden;
};

// InvalidArgument unless the layers lie within the model and the part does
// something (it has layers or the logits).
Result<void> checkPart(const ModelPart& part, const ModelConfig& config);

// "layers 0-29 + output", "layers 30-47", "output only": for messages and the status line.
std::string describePart(const ModelPart& part);

} // namespace ponder
