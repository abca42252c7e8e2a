// Every GPU buffer the engine allocates for a model at a context length and
// batch size, computed before anything is allocated. The model picker's
// memory estimate and the engine's real allocation both come from this one
// function, so the estimate is exact by construction: the engine allocates
// exactly plan.buffers, and a test checks the allocated bytes equal the plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ponder/error.h"
#include "ponder/kv_cache_type.h"  // KvCacheType, kvRowBytes
#include "ponder/model_info.h"
#include "ponder/model_part.h"

namespace ponder {

struct PlanOptions {
    uint32_t contextLength = 4096;  // tokens the KV cache holds
    uint32_t batchSize = 512;       // tokens per prefill chunk
    KvCacheType kvType = KvCacheType::F16;
    // The part of the model the device runs when it is split (placement.h);
    // unset: the whole model.
    std::optional<ModelPart> part;

    ModelPart partOf(const ModelConfig& config) const { return part ? *part : ModelPart::whole(config); }
};

// The limits of the device the plan is for (from vk::AdapterInfo). The
// defaults are those of a typical discrete GPU, for planning offline.
struct DeviceLimits {
    uint64_t maxStorageBufferRange = 0xffffffffull;     // bytes one binding may cover
    uint64_t maxMemoryAllocationSize = 0x100000000ull;  // bytes one allocation may have
    uint64_t storageOffsetAlignment = 256;              // bytes; offsets of bound ranges
    uint32_t computeUnits = 64;                         // SMs/CUs (vk::AdapterInfo): decode attention's splits
};

enum class BufferRole {
    Weights,      // tensors, packed; device-local
    KvCache,      // keys and values, whole layers per buffer; device-local
    Activations,  // the forward pass's scratch; device-local
    Staging,      // upload ring for weights, token ids and a part's incoming hidden rows; host-visible
    Readback,     // logits (a part without the output: its hidden rows) to the CPU; host-visible
};

enum class PlannedMemory { DeviceLocal, HostVisible };

struct PlannedBuffer {
    BufferRole role;
    PlannedMemory memory;
    uint64_t size = 0;  // bytes, a multiple of kBufferGranularity
    std::string label;  // "weights 1/3", "kv cache"...
};

// Where one weight tensor lives.
struct PlannedTensor {
    std::string name;
    uint32_t buffer = 0;  // index into MemoryPlan::buffers
    uint64_t offset = 0;  // bytes, a multiple of storageOffsetAlignment
    uint64_t bytes = 0;
};

// A region of a buffer: an offset and a size in bytes.
struct Region {
    uint32_t buffer = 0;
    uint64_t offset = 0;
    uint64_t size = 0;
};

// The forward pass's scratch for one batch of `batch` tokens, in the
// activations buffer. Shapes in (tokens, width) f32 unless noted.
struct ActivationLayout {
    uint32_t batch = 0;
    Region residual;      // (batch, n_embd)
    Region normed;        // (batch, n_embd)
    Region q;             // (batch, n_head * head_dim)
    Region k;             // (batch, n_head_kv * head_dim)
    Region v;             // (batch, n_head_kv * head_dim)
    Region attention;     // (batch, n_head * head_dim)
    Region gate;          // (batch, n_ff)
    Region up;            // (batch, n_ff)
    Region tokens;        // (batch) u32 ids
    Region positions;     // (batch) u32 positions
    Region partials;      // decode split-KV partial results: (n_head, decodeSplits, head_dim + 2)
    Region ropeTable;     // RoPE frequencies: (rope_dims / 2, 2) f32
    Region logits;        // (logitRows, n_vocab); empty in a part without the output
    uint32_t logitRows = 0;  // positions whose logits one pass can return (a part without the output: the batch)
    uint32_t decodeSplits = 0;  // the most ranges decode attention splits the cache into (maxDecodeSplits)
};

// One layer's keys and values, each (n_head_kv, context, head_dim): head-major,
// so each kv head's positions are one contiguous stream, and a layer larger
// than one binding is bound a whole number of heads at a time.
struct LayerKv {
    Region keys;
    Region values;
};

struct KvLayout {
    KvCacheType type = KvCacheType::F16;
    uint32_t firstLayer = 0;  // of the plan's part: layers[i] is layer firstLayer + i
    uint64_t keyBytes = 0;  // bytes of one layer's keys (and of its values)
    std::vector<LayerKv> layers;
};

struct MemoryPlan {
    PlanOptions options;
    std::vector<PlannedBuffer> buffers;
    std::vector<PlannedTensor> tensors;
    ActivationLayout activations;
    KvLayout kv;

    uint64_t bytes(BufferRole role) const;
    uint64_t deviceLocalBytes() const;
    uint64_t hostVisibleBytes() const;
    uint64_t totalBytes() const { return deviceLocalBytes() + hostVisibleBytes(); }
    const PlannedTensor* findTensor(const std::string& name) const;
};

// Logits of many positions at once are only for evaluation (perplexity,
// divergence; a chat needs the last position's): each engine keeps room for
// as many rows as fit in this, at least one and at most a batch (110 rows of
// Qwen's vocabulary), rather than a whole batch's (311 MB for 512 rows of
// Qwen's, room a split gives to about two more 14B layers on an 8 GB card).
inline constexpr uint64_t kLogitBudgetBytes = 64ull << 20;

// Every buffer size is a multiple of this, so no driver rounds an
// allocation up behind the plan's back (memory alignments divide 64 KiB).
inline constexpr uint64_t kBufferGranularity = 64 * 1024;
// Bytes of one staging buffer of the upload ring (two are planned).
inline constexpr uint64_t kStagingBytes = 32ull * 1024 * 1024;
// Where a batch's inputs sit in the first staging buffer: token ids at 0,
// positions after `batch` ids, and (a part without the embedding) the hidden
// rows of the part before, (batch, n_embd) f32, at this offset.
inline constexpr uint64_t stagedHiddenOffset(uint32_t batch)
{
    return (uint64_t(batch) * 8 + 255) / 256 * 256;
}

// The plan, or an error when the model cannot run on a device with these
// limits (a tensor larger than one allocation, a layer's KV cache larger than
// one binding) or the options are unusable.
Result<MemoryPlan> planMemory(const ModelInfo& info, const PlanOptions& options, const DeviceLimits& limits);

// The KV cache for one token of context, in bytes (all layers, keys and values).
uint64_t kvBytesPerToken(const ModelConfig& config, KvCacheType type);

} // namespace ponder
