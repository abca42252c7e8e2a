#version 450
// attention_decode: one query token against cache positions 0..len-1, the
// key range split across workgroups (flash decoding): each workgroup
// attends its kv head's group of query heads over one chunk and writes
// partial results that attention_reduce combines. The chunking is computed
// on the GPU from len, so a recorded decode step stays valid as the
// context grows: `splits` chunks of at least TILE_KEYS keys; splits past
// the end write empty partials.
//
// Bindings:  0 scratch f32, written: partial outputs (heads, splits, headDim)
//              unnormalised, then (heads, splits) pairs (max score, sum of
//              exp(score - max)); sum 0 marks an empty split
//            1 q (heads, headDim) f32, this token's queries after RoPE
//            2 kCache (headsKv, capacity, headDim) CacheVec, from the slice's first head
//            3 vCache likewise
//            4 positions (1) u32: the token's position; len = min(pos + 1, capacity)
// Push:      AttentionPush (engine/src/kernels/attention_push.h)
// Dispatch:  (splits, ceil(GROUP / ROWS), kv heads in the slice); row r of
//            row block b is query head kvHead * GROUP + b * ROWS + r.
// Shapes:    query head h reads kv head h / GROUP.
#extension GL_GOOGLE_include_directive : require

#include "flash_attention.glsl"

void main()
{
    const uint split = gl_WorkGroupID.x;
    const uint localKvHead = gl_WorkGroupID.z;
    const uint kvHead = p.firstKvHead + localKvHead;
    const uint firstMember = gl_WorkGroupID.y * ROWS;  // of the GROUP query heads of kvHead

    const uint len = min(positions[0] + 1, p.capacity);
    const uint perSplit = (len + p.splits - 1) / p.splits;
    const uint chunk = (max(perSplit, TILE_KEYS) + TILE_KEYS - 1) / TILE_KEYS * TILE_KEYS;
    const uint begin = min(split * chunk, len);
    const uint end = min(begin + chunk, len);

    const uint row = gl_LocalInvocationID.x / THREADS_PER_ROW;
    const uint lane = gl_LocalInvocationID.x % THREADS_PER_ROW;
    const uint member = firstMember + row;
    const uint stats = p.heads * p.splits * HEAD_DIM + ((kvHead * GROUP + member) * p.splits + split) * 2;
    if (begin == end) {
        // Past the context (the whole workgroup alike): an empty partial,
        // whose outputs attention_reduce never reads.
        if (member < GROUP && lane == 0) {
            outData[stats] = NO_SCORE;
            outData[stats + 1] = 0.0;
        }
        return;
    }

    for (uint i = gl_LocalInvocationID.x; i < ROWS * QUADS; i += BLOCK_SIZE) {
        const uint r = i / QUADS;
        const uint c = i % QUADS;
        const uint rowMember = firstMember + r;
        sQuery[r * STRIDE + c] = rowMember < GROUP ? q[(kvHead * GROUP + rowMember) * QUADS + c] : vec4(0.0);
    }

    const uint headSize = p.capacity * QUADS;
    attend(p.kOffset + localKvHead * headSize, p.vOffset + localKvHead * headSize, begin, end, end);

    if (member >= GROUP)
        return;
    const uint partial = (kvHead * GROUP + member) * p.splits + split;
    for (uint i = 0; i < QUADS_PER_THREAD; ++i) {
        const uint c = lane + i * THREADS_PER_ROW;
        if (c < QUADS) {
            const uint o = partial * HEAD_DIM + c * 4;
            outData[o] = acc[i].x;
            outData[o + 1] = acc[i].y;
            outData[o + 2] = acc[i].z;
            outData[o + 3] = acc[i].w;
        }
    }
    if (lane == 0) {
        outData[stats] = rowMax;
        outData[stats + 1] = rowSum;
    }
}
