#version 450
// silu_mul: out[i] = silu(gate[i]) * up[i], silu(v) = v / (1 + e^-v); the
// SwiGLU of the feed-forward block.
//
// Bindings:  0 out (count) f32, written; may be gate's range (in place)
//            1 gate (count) f32
//            2 up (count) f32
// Push:      ElementwisePush (engine/src/kernels/elementwise_push.h)
// Dispatch:  (min(ceil(count / BLOCK_SIZE), 65535), 1, 1); invocations
//            stride over the grid, so any count fits the workgroup-count
//            limit. Consecutive invocations touch consecutive floats.

layout(constant_id = 0) const uint BLOCK_SIZE = 256;
layout(local_size_x_id = 0) in;

layout(push_constant) uniform ElementwisePush {
    uint count;
} p;

layout(binding = 0) writeonly buffer Out { float outData[]; };
layout(binding = 1) readonly buffer Gate { float gate[]; };
layout(binding = 2) readonly buffer Up { float up[]; };

void main()
{
    const uint stride = gl_NumWorkGroups.x * BLOCK_SIZE;
    for (uint i = gl_GlobalInvocationID.x; i < p.count; i += stride) {
        const float g = gate[i];
        // For g below about -88, exp(-g) is +inf and g / inf is -0: the right limit.
        outData[i] = g / (1.0 + exp(-g)) * up[i];
    }
}
