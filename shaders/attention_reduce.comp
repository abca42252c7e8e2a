#version 450
// attention_reduce: combines attention_decode's partials into each query
// head's output. With the ranges in use s (from len, as attention_decode
// computes them), M the largest range max and w_s = exp(m_s - M):
// out = sum_s w_s * o_s / sum_s w_s * l_s.
//
// Bindings:  0 out (heads, headDim) f32, written
//            1 scratch: attention_decode's partials (see there), read as vec4s
//            2 positions (1) u32: the token's position
// Push:      AttentionReducePush (engine/src/kernels/attention_push.h)
// Dispatch:  (heads, 1, 1); one workgroup per query head. Its invocations
//            first share out the ranges' weights, then invocation t adds
//            quad t % (headDim/4) of the ranges t / (headDim/4), t / (headDim/4)
//            + GROUPS, ..., and the GROUPS sums are added through shared
//            memory: a few loads in flight per invocation, not one chain
//            of a load per range.
#extension GL_GOOGLE_include_directive : require

#include "decode_splits.glsl"

layout(constant_id = 0) const uint BLOCK_SIZE = 256;
layout(constant_id = 1) const uint HEAD_DIM = 128;  // a multiple of 4, at most 4 * BLOCK_SIZE
layout(local_size_x_id = 0) in;

const uint QUADS = HEAD_DIM / 4;
const uint GROUPS = BLOCK_SIZE / QUADS;
const uint MAX_SPLITS = 1024;  // kMaxDecodeSplits
const float NO_SCORE = -1e30;

layout(push_constant) uniform AttentionReducePush {
    uint heads;
    uint maxSplits;  // the scratch's stride
    uint headDim;    // HEAD_DIM
    uint splitKeys;  // kDecodeSplitKeys
    uint capacity;
} p;

layout(binding = 0) writeonly buffer Out { vec4 outData[]; };
layout(binding = 1) readonly buffer Scratch { vec4 scratch[]; };
layout(binding = 2) readonly buffer Positions { uint positions[]; };

shared float sWeight[MAX_SPLITS];
shared float sShare[BLOCK_SIZE];
shared vec4 sSum[BLOCK_SIZE];

// Float i of the scratch.
float scratchFloat(uint i)
{
    return scratch[i / 4][i % 4];
}

void main()
{
    const uint head = gl_WorkGroupID.x;
    const uint tid = gl_LocalInvocationID.x;
    const uint len = min(positions[0] + 1, p.capacity);
    const uint splits = decodeSplits(len, p.maxSplits, p.splitKeys).x;
    const uint stats = p.heads * p.maxSplits * HEAD_DIM + head * p.maxSplits * 2;
    const uint shares = min(splits, BLOCK_SIZE);

    float best = NO_SCORE;
    for (uint s = tid; s < splits; s += BLOCK_SIZE)
        best = max(best, scratchFloat(stats + 2 * s));
    sShare[tid] = best;
    barrier();
    best = NO_SCORE;
    for (uint i = 0; i < shares; ++i)
        best = max(best, sShare[i]);
    barrier();  // sShare is read

    float total = 0.0;
    for (uint s = tid; s < splits; s += BLOCK_SIZE) {
        const float w = exp(scratchFloat(stats + 2 * s) - best);
        sWeight[s] = w;
        total += w * scratchFloat(stats + 2 * s + 1);
    }
    sShare[tid] = total;
    barrier();  // sWeight and sShare are written
    total = 0.0;
    for (uint i = 0; i < shares; ++i)
        total += sShare[i];

    const uint quad = tid % QUADS;
    const uint group = tid / QUADS;
    vec4 sum = vec4(0.0);
    if (group < GROUPS) {
        for (uint s = group; s < splits; s += GROUPS)
            sum += sWeight[s] * scratch[(head * p.maxSplits + s) * QUADS + quad];
    }
    sSum[tid] = sum;
    barrier();
    if (tid < QUADS) {
        vec4 all = vec4(0.0);
        for (uint g = 0; g < GROUPS; ++g)
            all += sSum[g * QUADS + tid];
        // Zero, not NaN, for a head that saw nothing (len 0 from a bad position).
        outData[head * QUADS + tid] = total > 0.0 ? all / total : vec4(0.0);
    }
}
