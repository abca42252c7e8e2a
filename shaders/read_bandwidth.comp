#version 450
// read_bandwidth: streams a buffer once, for ponder-bench's measure of the
// device's read bandwidth (the ceiling decode's weight reads are held to).
// A copy counts reads and writes and, on some drivers, runs on a path
// unlike a compute shader's loads; this reads the way the kernels read.
//
// Bindings:  0 source (count) uvec4, read
//            1 sink (invocations) uint, written only where the sum of what
//              an invocation read equals p.never, so the loads cannot be
//              dropped and nearly nothing is written
// Push:      count (16-byte elements), never (any value)
// Dispatch:  any number of workgroups; invocations stride over the buffer,
//            UNROLL loads in flight each before any is used.

layout(constant_id = 0) const uint BLOCK_SIZE = 256;
layout(constant_id = 1) const uint UNROLL = 4;
layout(local_size_x_id = 0) in;

layout(push_constant) uniform ReadPush {
    uint count;
    uint never;
} p;

layout(binding = 0) readonly buffer Source { uvec4 source[]; };
layout(binding = 1) writeonly buffer Sink { uint sink[]; };

void main()
{
    const uint stride = gl_NumWorkGroups.x * BLOCK_SIZE;
    uint i = gl_GlobalInvocationID.x;
    uvec4 acc = uvec4(0u);
    for (; i + (UNROLL - 1u) * stride < p.count; i += UNROLL * stride) {
        uvec4 v[UNROLL];
        for (uint k = 0u; k < UNROLL; ++k)
            v[k] = source[i + k * stride];
        for (uint k = 0u; k < UNROLL; ++k)
            acc ^= v[k];
    }
    for (; i < p.count; i += stride)
        acc ^= source[i];
    const uint folded = acc.x ^ acc.y ^ acc.z ^ acc.w;
    if (folded == p.never)
        sink[gl_GlobalInvocationID.x] = folded;
}
