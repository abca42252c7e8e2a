#version 450
// embed: out[t, :] = dequantize(row ids[t] of the embedding table), for
// t < tokens, the rows (n_embd values each) of a (n_embd, n_vocab) GGUF
// tensor in the TYPE_* format.
//
// Bindings:  0 out (tokens, nEmbd) f32, written
//            1 table rows rowFirst .. rowFirst+rowCount-1, row i at byte
//              tableOffset + (i - rowFirst)*rowBytes; bound as 32-bit words
//            2 ids (tokens) u32 or i32
// Push:      EmbedPush (engine/src/kernels/embed_push.h)
// Spec:      0 WG_SIZE
// Defines:   TYPE_* (types.glsl)
// Dispatch:  (ceil(ceil(nEmbd / 8) / WG_SIZE), tokens); each invocation
//            writes 8 consecutive values of one token's row.
//
// A table larger than one binding may cover (Qwen-7B's F16 token_embd is
// 1 GB) is embedded by one dispatch per slice of rows, each binding only its
// slice; an invocation whose token's row lies in another slice does nothing.
// The ids live on the GPU, so the kernel cannot reject a bad one: an id at or
// past vocab (or negative, as i32) reads row vocab-1 instead, and never
// anything outside the table. Callers validate ids before uploading them.
#extension GL_GOOGLE_include_directive : require

layout(constant_id = 0) const uint WG_SIZE = 64;
layout(local_size_x_id = 0) in;

layout(push_constant) uniform EmbedPush {
    uint nEmbd;        // values per row
    uint vocab;        // rows of the whole table
    uint rowFirst;     // first row of the bound slice
    uint rowCount;     // rows in the bound slice
    uint rowBytes;     // bytes per stored row
    uint tableOffset;  // bytes from the start of binding 1 to row rowFirst
} p;

layout(binding = 0) writeonly buffer Out { float outValues[]; };
layout(binding = 1) readonly buffer Table { uint tableWords[]; };
layout(binding = 2) readonly buffer Ids { uint ids[]; };

uint quantWord(uint index)
{
    return tableWords[index];
}

#include "types.glsl"
#include "dequant.glsl"

void main()
{
    const uint token = gl_WorkGroupID.y;
    const uint first = 8u * gl_GlobalInvocationID.x;
    if (first >= p.nEmbd)
        return;
    const uint id = min(ids[token], p.vocab - 1u);  // an i32 below 0 is a huge u32
    if (id < p.rowFirst || id - p.rowFirst >= p.rowCount)
        return;  // another slice's row

    const uint rowByte = p.tableOffset + (id - p.rowFirst) * p.rowBytes;
    const uint out0 = token * p.nEmbd + first;
    if (first + 8u <= p.nEmbd) {
        vec4 lo, hi;
        dequant8(rowByte + (first / BLOCK_VALUES) * BLOCK_BYTES, first % BLOCK_VALUES, lo, hi);
        for (uint e = 0u; e < 4u; ++e) {
            outValues[out0 + e] = lo[e];
            outValues[out0 + 4u + e] = hi[e];
        }
    } else {
#if defined(TYPE_F32) || defined(TYPE_F16) || defined(TYPE_BF16)
        // The ragged end of a float row (quantized rows are whole blocks of 32+).
        for (uint e = 0u; first + e < p.nEmbd; ++e)
            outValues[out0 + e] = dequantValue(rowByte + (first + e) * BLOCK_BYTES);
#endif
    }
}
