// Architecture facts of a model, derived from GGUF metadata and its tensor
// list: cheap enough for the model picker (a header read over HTTP is
// enough), complete enough for the engine to build the forward pass.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ponder/error.h"
#include "ponder/tensor_type.h"

namespace ponder {

class GgufHeader;
struct GgufTensorInfo;

enum class Architecture { Llama, Qwen2 };

// How RoPE pairs up the dimensions of a head.
enum class RopeLayout {
    AdjacentPairs,  // (2i, 2i+1): llama GGUFs (the converter permuted q and k)
    Neox,           // (i, i + d/2): qwen2
};

struct ModelConfig {
    Architecture architecture = Architecture::Llama;
    uint32_t embeddingLength = 0;    // n_embd, the width of the residual stream
    uint32_t blockCount = 0;         // layers
    uint32_t feedForwardLength = 0;  // n_ff
    uint32_t headCount = 0;          // query heads
    uint32_t headCountKv = 0;        // key/value heads (grouped-query attention)
    uint32_t headDim = 0;            // embeddingLength / headCount
    uint32_t ropeDimensions = 0;     // leading dimensions of a head that RoPE rotates
    uint32_t vocabSize = 0;
    uint32_t contextLength = 0;      // trained context, tokens
    float ropeFreqBase = 10000.f;
    float rmsEpsilon = 1e-5f;
    RopeLayout ropeLayout = RopeLayout::AdjacentPairs;
    bool hasQkvBias = false;         // qwen2: attn_{q,k,v}.bias
    bool tiedOutput = false;         // no `output` tensor: logits reuse token_embd
    bool hasRopeFreqs = false;       // Llama 3: rope_freqs divides each frequency

    uint32_t qDim() const { return headCount * headDim; }
    uint32_t kvDim() const { return headCountKv * headDim; }
};

struct TensorDesc {
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<uint64_t> dims;  // dims[0] is contiguous: a matrix is (in, out)
    uint64_t bytes = 0;
};

struct ModelInfo {
    ModelConfig config;
    std::string name;          // general.name, may be empty
    std::string fileType;      // "Q4_K_M", from general.file_type, or "" when unknown
    std::vector<TensorDesc> tensors;
    uint64_t parameterCount = 0;
    uint64_t tensorBytes = 0;  // all tensor data
    std::map<TensorType, uint64_t> bytesByType;

    const TensorDesc* findTensor(std::string_view tensorName) const;
};

// Reads the config from metadata and checks that every tensor the forward
// pass needs exists with the right shape and a supported type. An unknown
// architecture, a missing key or tensor, or a mis-shaped tensor is an error
// naming it.
Result<ModelInfo> readModelInfo(const GgufHeader& header);
// The same for a model in parts (see GgufParts): the config from `metadata`
// (the first part's header), the tensors from all parts.
Result<ModelInfo> readModelInfo(const GgufHeader& metadata, std::span<const GgufTensorInfo> tensors);

// Checks that every tensor the forward pass needs exists with the shape the
// config implies and a type the engine computes with, and fills the totals
// (parameterCount, tensorBytes, bytesByType). readModelInfo() calls it.
Result<void> validateModelInfo(ModelInfo& info);

std::string_view architectureName(Architecture architecture);
// "Q4_K_M" for general.file_type 15; empty for an id we do not know.
std::string_view fileTypeName(uint32_t fileType);

// Tensor names, shared by everything that binds weights.
std::string layerTensorName(uint32_t layer, std::string_view suffix);  // "blk.3.attn_q.weight"

} // namespace ponder
