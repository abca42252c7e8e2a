#version 450
// rms_norm: y[r, i] = x[r, i] / sqrt(mean_i(x[r, :]^2) + eps) * w[i]
//
// Bindings:  0 y (rows, n) f32, written
//            1 x (rows, n) f32
//            2 w (n) f32
// Push:      RmsNormPush (engine/src/kernels/push_constants.h)
// Dispatch:  (rows, 1, 1); one workgroup of BLOCK_SIZE invocations per row.
#extension GL_GOOGLE_include_directive : require

layout(constant_id = 0) const uint BLOCK_SIZE = 128;
layout(local_size_x_id = 0) in;

#include "reduce.glsl"

layout(push_constant) uniform RmsNormPush {
    uint n;
    float eps;
} p;

layout(binding = 0) writeonly buffer Y { float y[]; };
layout(binding = 1) readonly buffer X { float x[]; };
layout(binding = 2) readonly buffer W { float w[]; };

void main()
{
    const uint row = gl_WorkGroupID.x * p.n;
    const uint lane = gl_LocalInvocationID.x;

    float squares = 0.0;
    for (uint i = lane; i < p.n; i += BLOCK_SIZE) {
        const float v = x[row + i];
        squares += v * v;
    }
    const float scale = inversesqrt(workgroupSum(squares) / float(p.n) + p.eps);

    for (uint i = lane; i < p.n; i += BLOCK_SIZE)
        y[row + i] = x[row + i] * scale * w[i];
}
