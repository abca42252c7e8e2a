// Push-constant blocks of shaders/rope.comp and shaders/kv_store.comp,
// mirrored field for field by their `layout(push_constant)` blocks.
#pragma once

#include <cstdint>

namespace ponder::kernels {

// shaders/rope.comp
struct RopePush {
    uint32_t heads;     // heads per token
    uint32_t headDim;
    uint32_t ropeDims;  // rotated dimensions at the start of each head
    uint32_t neox;      // 1: pairs (i, i + ropeDims/2); 0: pairs (2i, 2i+1)
};
static_assert(sizeof(RopePush) == 16);

// shaders/kv_store.comp
struct KvStorePush {
    uint32_t headsKv;     // heads per token in k and v
    uint32_t sliceHeads;  // heads this dispatch stores, from firstHead
    uint32_t firstHead;
    uint32_t headDim;
    uint32_t capacity;    // positions per head in the cache
    uint32_t kOffset;     // 4-value cache elements from the key binding's start to head firstHead
    uint32_t vOffset;
    uint32_t ropeDims;    // 0: keys stored as given
    uint32_t neox;
};
static_assert(sizeof(KvStorePush) == 36);

} // namespace ponder::kernels
