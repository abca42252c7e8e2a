#version 450
// kv_store: writes the keys and values of `tokens` new tokens into one
// layer's KV cache at their positions, converting to the cache type, and
// optionally applying RoPE to the keys on the way (one pass over k instead
// of a rope pass and a store pass).
//
// Bindings:  0 kCache (headsKv, capacity, headDim) CacheVec, written
//            1 vCache (headsKv, capacity, headDim) CacheVec, written
//              (both bound from the slice's first head; see k/vOffset)
//            2 k (tokens, headsKv, headDim) f32, not yet rotated when ropeDims > 0
//            3 v (tokens, headsKv, headDim) f32
//            4 positions (tokens) u32; a position >= capacity is not stored
//            5 freq (ropeDims/2) vec2 from ropeFrequencyTable; unread when ropeDims = 0
// Push:      KvStorePush (engine/src/kernels/rope_push.h)
// Dispatch:  (ceil(sliceHeads * headDim/4 / BLOCK_SIZE), tokens, 1); one
//            invocation per four consecutive values of a head (one CacheVec).
//            Each reads its own values and their RoPE partners from k, which
//            nobody writes, so any pairing layout works.
#extension GL_GOOGLE_include_directive : require

layout(constant_id = 0) const uint BLOCK_SIZE = 64;
layout(local_size_x_id = 0) in;

#include "kv_cache.glsl"
#include "rope.glsl"

layout(push_constant) uniform KvStorePush {
    uint headsKv;     // heads per token in k and v
    uint sliceHeads;  // heads this dispatch stores, starting at firstHead
    uint firstHead;
    uint headDim;
    uint capacity;    // positions per head in the cache
    uint kOffset;     // CacheVecs from kCache's binding start to head firstHead
    uint vOffset;
    uint ropeDims;    // 0: keys stored as given
    uint neox;        // 1: NEOX pairs, 0: adjacent pairs
} p;

layout(binding = 0) writeonly buffer KCache { CacheVec kCache[]; };
layout(binding = 1) writeonly buffer VCache { CacheVec vCache[]; };
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
    kCache[p.kOffset + slot] = toCache(key);
    vCache[p.vOffset + slot] = toCache(value);
}
