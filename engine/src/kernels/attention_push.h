// Push-constant blocks of the attention shaders, mirrored field for field
// by their `layout(push_constant)` blocks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ponder::kernels {

// shaders/common/flash_attention.glsl (attention_prefill)
struct AttentionPush {
    uint32_t tokens;       // query tokens
    uint32_t heads;        // query heads per token
    uint32_t capacity;     // positions per kv head in the cache
    uint32_t firstKvHead;  // the kv head at the start of this dispatch's cache slice
    uint32_t kOffset;      // 4-value cache elements from the key binding's start to head firstKvHead
    uint32_t vOffset;
    float scale;           // 1 / sqrt(headDim)
};
static_assert(sizeof(AttentionPush) == 28);
static_assert(offsetof(AttentionPush, vOffset) == 20 && offsetof(AttentionPush, scale) == 24);

// shaders/attention_decode.comp
struct AttentionDecodePush {
    uint32_t capacity;     // positions per kv head in the cache
    uint32_t heads;        // query heads
    uint32_t firstKvHead;  // the kv head at the start of this dispatch's cache slice
    uint32_t kOffset;      // 4-value cache elements from the key binding's start to head firstKvHead
    uint32_t vOffset;
    uint32_t maxSplits;    // ranges per kv head dispatched; the scratch's stride
    uint32_t splitKeys;    // kDecodeSplitKeys
    float scale;           // 1 / sqrt(headDim)
};
static_assert(sizeof(AttentionDecodePush) == 32);
static_assert(offsetof(AttentionDecodePush, maxSplits) == 20 && offsetof(AttentionDecodePush, splitKeys) == 24 &&
              offsetof(AttentionDecodePush, scale) == 28);

// shaders/attention_reduce.comp
struct AttentionReducePush {
    uint32_t heads;
    uint32_t maxSplits;  // the scratch's stride
    uint32_t headDim;
    uint32_t splitKeys;  // kDecodeSplitKeys
    uint32_t capacity;
};
static_assert(sizeof(AttentionReducePush) == 20);
static_assert(offsetof(AttentionReducePush, splitKeys) == 12 && offsetof(AttentionReducePush, capacity) == 16);

} // namespace ponder::kernels
