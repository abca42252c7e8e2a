#version 450
// rope: rotates the first ropeDims dimensions of every head of x by its
// token's position; the rest of each head is copied.
//   adjacent pairs (llama): pair i is (2i, 2i+1)
//   NEOX (qwen2):           pair i is (i, i + ropeDims/2)
//
// Bindings:  0 y (tokens, heads, headDim) f32, written; may be x's range (in place)
//            1 x (tokens, heads, headDim) f32
//            2 positions (tokens) u32: the absolute position of each token,
//              read on the GPU so a recorded decode step can be replayed
//            3 freq (ropeDims/2) vec2 from ropeFrequencyTable (common/rope.glsl)
// Push:      RopePush (engine/src/kernels/rope_push.h)
// Dispatch:  (ceil(heads * headDim/2 / BLOCK_SIZE), tokens, 1); one
//            invocation per pair, which reads and writes only its own two
//            elements, so working in place is safe.
#extension GL_GOOGLE_include_directive : require

layout(constant_id = 0) const uint BLOCK_SIZE = 64;
layout(local_size_x_id = 0) in;

#include "rope.glsl"

layout(push_constant) uniform RopePush {
    uint heads;
    uint headDim;
    uint ropeDims;
    uint neox;  // 1: NEOX pairs, 0: adjacent pairs
} p;

layout(binding = 0) writeonly buffer Y { float y[]; };
layout(binding = 1) readonly buffer X { float x[]; };
layout(binding = 2) readonly buffer Positions { uint positions[]; };
layout(binding = 3) readonly buffer Freq { vec2 freq[]; };

void main()
{
    const uint halfDim = p.headDim / 2;
    const uint index = gl_GlobalInvocationID.x;
    if (index >= p.heads * halfDim)
        return;
    const uint token = gl_WorkGroupID.y;
    const uint head = index / halfDim;
    const uint pair = index % halfDim;
    const uint base = (token * p.heads + head) * p.headDim;

    const uint rotatedPairs = p.ropeDims / 2;
    if (pair >= rotatedPairs) {
        // Past ropeDims both layouts leave (2i, 2i+1) as they are.
        y[base + 2 * pair] = x[base + 2 * pair];
        y[base + 2 * pair + 1] = x[base + 2 * pair + 1];
        return;
    }
    const uint a = base + (p.neox != 0 ? pair : 2 * pair);
    const uint b = base + (p.neox != 0 ? pair + rotatedPairs : 2 * pair + 1);
    const vec2 cs = ropeCosSin(positions[token], freq[pair]);
    const float xa = x[a];
    const float xb = x[b];
    y[a] = ropeRotate(true, xa, xb, cs);
    y[b] = ropeRotate(false, xb, xa, cs);
}
