#version 450
// kv_store: writes the keys and values of `tokens` new tokens into one
// layer's KV cache at their positions, converting to the cache type, and
// optionally applying RoPE to the keys on the way (one pass over k instead
// of a rope pass and a store pass).
//
// Bindings:  0 kCache (headsKv, capacity, headDim) in the cache type, written
//            1 vCache likewise (common/kv_cache.glsl)
//              (both bound from the slice's first head; see k/vOffset)
//            2 k (tokens, headsKv, headDim) f32, not yet rotated when ropeDims > 0
//            3 v (tokens, headsKv, headDim) f32
//            4 positions (tokens) u32; a position >= capacity is not stored
//            5 freq (ropeDims/2) vec2 from ropeFrequencyTable; unread when ropeDims = 0
// Push:      KvStorePush (engine/src/kernels/rope_push.h)
// Dispatch:  (ceil(sliceHeads * headDim/4 / BLOCK_SIZE), tokens, 1); one
//            invocation per four consecutive values of a head (one CacheVec).
//            CACHE_Q8_0: (ceil(sliceHeads * headDim/32 / BLOCK_SIZE), tokens,
//            1), one invocation per block of 32 values, which it quantizes.
//            Each reads its own values and their RoPE partners from k, which
//            nobody writes, so any pairing layout works.
#extension GL_GOOGLE_include_directive : require

layout(constant_id = 0) const uint BLOCK_SIZE = 64;
layout(local_size_x_id = 0) in;

#define KV_K_BINDING 0
#define KV_V_BINDING 1
#define KV_STORE
#include "kv_cache.glsl"
#include "rope.glsl"

layout(push_constant) uniform KvStorePush {
    uint headsKv;     // heads per token in k and v
    uint sliceHeads;  // heads this dispatch stores, starting at firstHead
    uint firstHead;
    uint headDim;
    uint capacity;    // positions per head in the cache
    uint kOffset;     // from kCache's binding start to head firstHead: CacheVecs (Q8_0: bytes)
    uint vOffset;
    uint ropeDims;    // 0: keys stored as given
    uint neox;        // 1: NEOX pairs, 0: adjacent pairs
} p;

layout(binding = 2) readonly buffer K { float k[]; };
layout(binding = 3) readonly buffer V { float v[]; };
layout(binding = 4) readonly buffer Positions { uint positions[]; };
layout(binding = 5) readonly buffer Freq { vec2 freq[]; };

// Element e of the key row starting at `row`, rotated for position `pos`.
float rotatedKey(uint row, uint e, uint pos)
{
    const float x = k[row + e];
    if (e >= p.ropeDims)
        return x;
    const uint halfDims = p.ropeDims / 2;
    bool first;
    uint pair;
    uint partner;
    if (p.neox != 0) {
        first = e < halfDims;
        pair = first ? e : e - halfDims;
        partner = first ? e + halfDims : e - halfDims;
    } else {
        first = (e & 1u) == 0;
        pair = e / 2;
        partner = e ^ 1u;
    }
    return ropeRotate(first, x, k[row + partner], ropeCosSin(pos, freq[pair]));
}

#if defined(CACHE_Q8_0)

void main()
{
    const uint blocks = p.headDim / 32;  // per row
    const uint index = gl_GlobalInvocationID.x;
    if (index >= p.sliceHeads * blocks)
        return;
    const uint token = gl_WorkGroupID.y;
    const uint pos = positions[token];
    if (pos >= p.capacity)
        return;
    const uint localHead = index / blocks;
    const uint block = index % blocks;
    const uint row = (token * p.headsKv + p.firstHead + localHead) * p.headDim;
    const uint e = block * 32;
    const uint at = ((localHead * p.capacity + pos) * blocks + block) * Q8_0_BLOCK_BYTES;

    float x[32];
    for (uint i = 0; i < 32; ++i)
        x[i] = p.ropeDims > 0 ? rotatedKey(row, e + i, pos) : k[row + e + i];
    storeKeyBlock(p.kOffset + at, x);
    for (uint i = 0; i < 32; ++i)
        x[i] = v[row + e + i];
    storeValueBlock(p.vOffset + at, x);
}

#else

void main()
{
    const uint quads = p.headDim / 4;
    const uint index = gl_GlobalInvocationID.x;
    if (index >= p.sliceHeads * quads)
        return;
    const uint token = gl_WorkGroupID.y;
    const uint pos = positions[token];
    if (pos >= p.capacity)
        return;
    const uint localHead = index / quads;
    const uint quad = index % quads;
    const uint row = (token * p.headsKv + p.firstHead + localHead) * p.headDim;
    const uint e = quad * 4;

    vec4 key = vec4(k[row + e], k[row + e + 1], k[row + e + 2], k[row + e + 3]);
    if (p.ropeDims > 0)
        key = vec4(rotatedKey(row, e, pos), rotatedKey(row, e + 1, pos), rotatedKey(row, e + 2, pos),
                   rotatedKey(row, e + 3, pos));
    const vec4 value = vec4(v[row + e], v[row + e + 1], v[row + e + 2], v[row + e + 3]);

    const uint slot = (localHead * p.capacity + pos) * quads + quad;
    storeKey(p.kOffset, slot, key);
    storeValue(p.vOffset, slot, value);
}

#endif
