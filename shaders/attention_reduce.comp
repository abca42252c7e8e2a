#version 450
// attention_reduce: combines attention_decode's per-split partials into each
// query head's output: with M the largest split max and w_s = exp(m_s - M),
// out = sum_s w_s * o_s / sum_s w_s * l_s. Empty splits (l_s = 0) drop out.
//
// Bindings:  0 out (heads, headDim) f32, written
//            1 scratch f32: attention_decode's partials (see there)
// Push:      AttentionReducePush (engine/src/kernels/attention_push.h)
// Dispatch:  (heads, 1, 1); one workgroup per query head, its invocations
//            striding over headDim.

layout(constant_id = 0) const uint BLOCK_SIZE = 64;
layout(local_size_x_id = 0) in;

layout(push_constant) uniform AttentionReducePush {
    uint heads;
    uint splits;
    uint headDim;
} p;

layout(binding = 0) writeonly buffer Out { float outData[]; };
layout(binding = 1) readonly buffer Scratch { float scratch[]; };

const float NO_SCORE = -1e30;

void main()
{
    const uint head = gl_WorkGroupID.x;
    const uint stats = p.heads * p.splits * p.headDim + head * p.splits * 2;

    float best = NO_SCORE;
    for (uint s = 0; s < p.splits; ++s)
        if (scratch[stats + 2 * s + 1] > 0.0)
            best = max(best, scratch[stats + 2 * s]);
    float total = 0.0;
    for (uint s = 0; s < p.splits; ++s) {
        const float sum = scratch[stats + 2 * s + 1];
        if (sum > 0.0)
            total += sum * exp(scratch[stats + 2 * s] - best);
    }

    for (uint d = gl_LocalInvocationID.x; d < p.headDim; d += BLOCK_SIZE) {
        float sum = 0.0;
        for (uint s = 0; s < p.splits; ++s) {
            if (scratch[stats + 2 * s + 1] > 0.0)
                sum += exp(scratch[stats + 2 * s] - best) * scratch[(head * p.splits + s) * p.headDim + d];
        }
        // Zero, not NaN, for a head that saw nothing (len 0 from a bad position).
        outData[head * p.headDim + d] = total > 0.0 ? sum / total : 0.0;
    }
}
