// Push-constant blocks of the attention shaders, mirrored field for field
// by their `layout(push_constant)` blocks.
#pragma once

#include <cstdint>

namespace ponder::kernels {

// shaders/common/flash_attention.glsl (attention_decode, attention_prefill)
struct AttentionPush {
    uint32_t tokens;       // query tokens
    uint32_t heads;        // query heads per token
    uint32_t capacity;     // positions per kv head in the cache
    uint32_t firstKvHead;  // the kv head at the start of this dispatch's cache slice
    uint32_t kOffset;      // 4-value cache elements from the key binding's start to head firstKvHead
    uint32_t vOffset;
    uint32_t splits;       // decode: key ranges per kv head
    float scale;           // 1 / sqrt(headDim)
};
static_assert(sizeof(AttentionPush) == 32);

// shaders/attention_reduce.comp
struct AttentionReducePush {
    uint32_t heads;
    uint32_t splits;
    uint32_t headDim;
};
static_assert(sizeof(AttentionReducePush) == 12);

} // namespace ponder::kernels
