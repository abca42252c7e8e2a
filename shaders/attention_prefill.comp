#version 450
// attention_prefill: causal grouped-query attention of `tokens` query tokens
// over the KV cache, which already holds their keys and values (kv_store)
// and those of any earlier context (prefix reuse: the first token's position
// may be > 0). Query token t at position pos_t sees cache positions
// 0..pos_t. Flash-style: online softmax over key tiles, never the
// (tokens, len) score matrix.
//
// Bindings:  0 out (tokens, heads, headDim) f32, written
//            1 q (tokens, heads, headDim) f32, after RoPE
//            2 kCache (headsKv, capacity, headDim) in the cache type (common/kv_cache.glsl),
//              from the slice's first head
//            3 vCache likewise
//            4 positions (tokens) u32, normally ascending (any order works);
//              positions past the cache are clamped to its last position
// Push:      AttentionPush (engine/src/kernels/attention_push.h)
// Dispatch:  (ceil(tokens * GROUP / ROWS), 1, kv heads in the slice). The
//            rows of a kv head are (token, member) pairs in token-major
//            order, query head kvHead * GROUP + member; a workgroup takes
//            ROWS consecutive ones, so the grouped heads of a token share
//            its K/V tiles, and walks keys up to its last token's position.
#extension GL_GOOGLE_include_directive : require

#include "flash_attention.glsl"

// Positions 0 .. visibleEnd(t)-1 are visible to token t.
uint visibleEnd(uint token)
{
    return min(positions[token], p.capacity - 1) + 1;
}

void main()
{
    const uint localKvHead = gl_WorkGroupID.z;
    const uint kvHead = p.firstKvHead + localKvHead;
    const uint totalRows = p.tokens * GROUP;
    const uint firstRow = gl_WorkGroupID.x * ROWS;
    const uint lastRow = min(firstRow + ROWS, totalRows) - 1;

    uint keyEnd = 0;
    for (uint t = firstRow / GROUP; t <= lastRow / GROUP; ++t)
        keyEnd = max(keyEnd, visibleEnd(t));

    for (uint i = gl_LocalInvocationID.x; i < ROWS * QUADS; i += BLOCK_SIZE) {
        const uint r = i / QUADS;
        const uint c = i % QUADS;
        const uint rowIndex = firstRow + r;
        vec4 value = vec4(0.0);
        if (rowIndex < totalRows) {
            const uint token = rowIndex / GROUP;
            const uint head = kvHead * GROUP + rowIndex % GROUP;
            value = q[(token * p.heads + head) * QUADS + c];
        }
        sQuery[r * STRIDE + c] = value;
    }

    const uint row = gl_LocalInvocationID.x / THREADS_PER_ROW;
    const uint lane = gl_LocalInvocationID.x % THREADS_PER_ROW;
    const uint rowIndex = firstRow + row;
    const bool valid = rowIndex < totalRows;
    const uint token = rowIndex / GROUP;
    const uint headSize = p.capacity * QUADS;
    attend(localKvHead * headSize, 0, keyEnd, valid ? visibleEnd(token) : 0);

    if (!valid)
        return;
    const uint head = kvHead * GROUP + rowIndex % GROUP;
    for (uint i = 0; i < QUADS_PER_THREAD; ++i) {
        const uint c = lane + i * THREADS_PER_ROW;
        if (c < QUADS) {
            const uint o = (token * p.heads + head) * HEAD_DIM + c * 4;
            const vec4 value = rowSum > 0.0 ? acc[i] / rowSum : vec4(0.0);
            outData[o] = value.x;
            outData[o + 1] = value.y;
            outData[o + 2] = value.z;
            outData[o + 3] = value.w;
        }
    }
}
