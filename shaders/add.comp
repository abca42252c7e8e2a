#version 450
// add: y[i] = a[i] + b[i]; the residual connections (rows of n_embd, flat).
//
// Bindings:  0 y (count) f32, written; may be a's or b's range (in place)
//            1 a (count) f32
//            2 b (count) f32
// Push:      ElementwisePush (engine/src/kernels/elementwise_push.h)
// Dispatch:  (min(ceil(count / BLOCK_SIZE), 65535), 1, 1); invocations
//            stride over the grid, so any count fits the workgroup-count
//            limit. Consecutive invocations touch consecutive floats.

layout(constant_id = 0) const uint BLOCK_SIZE = 256;
layout(local_size_x_id = 0) in;

layout(push_constant) uniform ElementwisePush {
    uint count;
} p;

layout(binding = 0) writeonly buffer Y { float y[]; };
layout(binding = 1) readonly buffer A { float a[]; };
layout(binding = 2) readonly buffer B { float b[]; };

void main()
{
    const uint stride = gl_NumWorkGroups.x * BLOCK_SIZE;
    for (uint i = gl_GlobalInvocationID.x; i < p.count; i += stride)
        y[i] = a[i] + b[i];
}
