// Where the CPU forward pass keeps its f32 scratch for one batch, and how
// the KV cache and the small vectors are laid out: shared by the memory
// plan (which sizes them) and the backend (which carves its allocations by
// them), so the two cannot disagree.
#pragma once

#include <cstddef>
#include <cstdint>

#include "cpu/attend_group.h"
#include "ponder/memory_plan.h"
#include "ponder/model_info.h"

namespace ponder::cpu {

// Rounds `floats` up to whole cache lines.
constexpr size_t alignFloats(size_t floats)
{
    return (floats + 15) / 16 * 16;
}

// Rounds `bytes` up to whole cache lines.
constexpr uint64_t alignBytes(uint64_t bytes)
{
    return (bytes + 63) / 64 * 64;
}

// One thread's attention scores: a row over the context for each query head
// of a pass through the cache (attend_group.h), `groupHeads` query heads
// sharing each kv head.
constexpr size_t attentionScratchFloats(size_t groupHeads, size_t context)
{
    return (groupHeads < kHeadsPerPass ? groupHeads : kHeadsPerPass) * alignFloats(context);
}

// Offsets in floats into one block; each section starts on a cache line.
struct ScratchLayout {
    size_t residual = 0;   // (batch, n_embd)
    size_t normed = 0;     // (batch, n_embd)
    size_t q = 0;          // (batch, n_head * head_dim)
    size_t k = 0;          // (batch, n_head_kv * head_dim)
    size_t v = 0;          // (batch, n_head_kv * head_dim)
    size_t attention = 0;  // (batch, n_head * head_dim)
    size_t projected = 0;  // (batch, n_embd): attn_output and ffn_down before the residual add
    size_t gate = 0;       // (batch, n_ff)
    size_t up = 0;         // (batch, n_ff)
    size_t rope = 0;       // (batch, rope_dims / 2, 2): cos and sin per position and pair
    size_t floats = 0;     // the whole block
};

ScratchLayout scratchLayout(const ModelConfig& c, uint32_t batch);

// Bytes of one layer's keys (and of its values): (n_head_kv, context,
// head_dim) elements of the cache type, rounded to a cache line.
uint64_t kvLayerBytes(const ModelConfig& c, uint32_t context, KvCacheType type);

// Floats of the small f32 vectors: every norm, the qkv biases, the rope
// factors, each rounded to a cache line, in ModelWeights' order: those of
// the part's layers, the output norm when the part has the output.
size_t vectorFloats(const ModelConfig& c, const ModelPart& part);

} // namespace ponder::cpu
