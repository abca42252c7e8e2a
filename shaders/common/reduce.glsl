// Workgroup-wide reductions through shared memory.
// Needs `layout(constant_id = 0) const uint BLOCK_SIZE` (a power of two,
// the workgroup size) declared before this file is included.
#ifndef PONDER_REDUCE_GLSL
#define PONDER_REDUCE_GLSL

shared float reduceScratch[BLOCK_SIZE];

// The sum of `value` over the workgroup, returned to every invocation.
float workgroupSum(float value)
{
    const uint lane = gl_LocalInvocationID.x;
    reduceScratch[lane] = value;
    barrier();
    for (uint stride = BLOCK_SIZE / 2; stride > 0; stride /= 2) {
        if (lane < stride)
            reduceScratch[lane] += reduceScratch[lane + stride];
        barrier();
    }
    const float total = reduceScratch[0];
    barrier();  // the scratch may be reused right after
    return total;
}

#endif
