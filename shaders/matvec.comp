#version 450
// matvec: y[v, r] = dot(W[r, :], x[v, :]) (+ bias[r]) (+ residual[v, r])
// for r < rows, v < NVEC: the decode-time matrix-vector product (NVEC = 1),
// or a few vectors at once for batched or speculative decode.
//
// Bindings:  0 y (NVEC, yStride) f32, written at rows rowOffset .. rowOffset+rows-1
//            1 W (rows, cols) in the TYPE_* format, GGUF order: row r is the
//              rowBytes bytes from weightOffset + r*rowBytes; bound as 32-bit words
//            2 x (NVEC, cols) f32
//            3 bias (yStride) f32, read when flags & 1 (else any range)
//            4 residual (NVEC, yStride) f32, read when flags & 2 (else any
//              range); may be the same memory as y (each element is read and
//              then written by one invocation)
//            5 norm (cols) f32, read when NORM (else any range): x is
//              RMS-normalised on the fly, x[v, i] / rms(x[v, :]) * norm[i]
//              with rms = sqrt(mean of squares + normEpsilon), the RMS norm
//              that precedes every projection folded into it so decode
//              needs no separate norm dispatch and no barrier after it
// Push:      MatvecPush (engine/src/kernels/matvec_push.h)
// Spec:      0 WG_SIZE (power of two), 1 ROWS rows per workgroup (or per
//            invocation), 2 NVEC vectors, 3 ROW_PER_INVOCATION: each
//            invocation computes ROWS whole rows, a workgroup WG_SIZE*ROWS;
//            4 NORM: x is RMS-normalised with binding 5 (a constant, not a
//            flag: lavapipe runs the flag's untaken loads anyway)
// Defines:   TYPE_* (types.glsl); SUBGROUP_REDUCE to reduce with subgroup
//            arithmetic, else through shared memory
// Dispatch:  ceil(rows / rows per workgroup) workgroups laid out as (gx, gy):
//            workgroup (x, y) is number y*gx + x; the ones past the end exit.
//
// Why this shape. Decode is bound by the bytes of W streamed from memory, so:
// - Every invocation of the workgroup walks the row in "units" of 32 values
//   (8 for float matrices) with a stride of WG_SIZE units, so neighbouring
//   invocations read neighbouring bytes and loads coalesce.
// - Each invocation dequantizes its unit in registers, never through shared
//   memory. Q4_K and Q5_K blocks are 16-byte multiples, so their units are
//   read with 16-byte loads (uvec4); so are float rows when aligned. Q4_0 and
//   Q8_0 read their whole 18/34-byte block as 5/9 words and shift them into
//   place (their blocks are only 2-byte aligned); Q2_K, Q3_K and Q6_K load
//   each field of the unit once, as words, and decode it as dequant8() does.
// - A workgroup computes ROWS rows, reusing the x values it loaded (x is f32,
//   several times the bytes of a quantized weight) for all of them.
// - Partial sums are reduced with subgroupAdd and one shared-memory step
//   across subgroups where the device has subgroup arithmetic, else with a
//   shared-memory tree; bias and residual are added by the writing invocation.
// - CPU devices get ROW_PER_INVOCATION instead: each invocation computes
//   ROWS whole rows, reusing each x value it loads for all of them, with no
//   reduction and no barrier. Lavapipe runs a workgroup as 8-wide SIMD
//   batches, turns every storage-buffer load into a per-lane scalar loop and
//   suspends each batch at every barrier; this layout costs it ~2-2.5x less
//   CPU time per weight byte (newer Mesa also merges loads whose address is
//   the same across the batch, as every load of x is here). On a GPU it
//   would make neighbouring invocations read bytes a row apart, so it is not
//   used there.
#extension GL_GOOGLE_include_directive : require
#ifdef SUBGROUP_REDUCE
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

layout(constant_id = 0) const uint WG_SIZE = 64;
layout(constant_id = 1) const uint ROWS = 2;
layout(constant_id = 2) const uint NVEC = 1;
layout(constant_id = 3) const bool ROW_PER_INVOCATION = false;
layout(constant_id = 4) const bool NORM = false;
layout(local_size_x_id = 0) in;

layout(push_constant) uniform MatvecPush {
    uint rows;          // rows in this dispatch
    uint cols;          // values per row
    uint rowBytes;      // bytes per stored row
    uint weightOffset;  // bytes from the start of binding 1 to this dispatch's first row
    uint rowOffset;     // index in y, bias and residual of this dispatch's first row
    uint yStride;       // floats from one vector's y to the next (all rows of the matrix)
    uint flags;         // 1: add bias, 2: add residual
    float normEpsilon;  // added to the mean of squares when NORM
} p;

layout(binding = 0) writeonly buffer Y { float y[]; };
layout(binding = 1) readonly buffer W { uint weightWords[]; };
layout(binding = 1) readonly buffer W4 { uvec4 weightQuads[]; };
layout(binding = 2) readonly buffer X { float x[]; };
layout(binding = 2) readonly buffer X4 { vec4 x4[]; };
layout(binding = 3) readonly buffer Bias { float bias[]; };
layout(binding = 4) readonly buffer Residual { float residual[]; };
layout(binding = 5) readonly buffer Norm { float norm[]; };
layout(binding = 5) readonly buffer Norm4 { vec4 norm4[]; };

// 1 / rms of each vector of x, when NORM.
shared float normScale[NVEC];

uint quantWord(uint index)
{
    return weightWords[index];
}

#include "types.glsl"
#include "dequant.glsl"

#if defined(TYPE_F32) || defined(TYPE_F16) || defined(TYPE_BF16)

// Float rows: units of 8 values; cols need not be a multiple of anything.
const uint XV = 2;  // vec4s per unit

uint unitsPerRow()
{
    return (p.cols + 7u) / 8u;
}

void weightsOfUnit(uint rowByte, uint u, out vec4 wv[XV])
{
    const uint first = 8u * u;
    if (first + 8u <= p.cols) {
        if (((p.weightOffset | p.rowBytes) & 15u) == 0u) {  // every row 16-byte aligned
#if defined(TYPE_F32)
            wv[0] = uintBitsToFloat(weightQuads[(rowByte >> 4) + 2u * u]);
            wv[1] = uintBitsToFloat(weightQuads[(rowByte >> 4) + 2u * u + 1u]);
#elif defined(TYPE_F16)
            const uvec4 w = weightQuads[(rowByte >> 4) + u];
            wv[0] = vec4(unpackHalf2x16(w.x), unpackHalf2x16(w.y));
            wv[1] = vec4(unpackHalf2x16(w.z), unpackHalf2x16(w.w));
#else
            const uvec4 w = weightQuads[(rowByte >> 4) + u];
            wv[0] = vec4(unpackBf16x2(w.x), unpackBf16x2(w.y));
            wv[1] = vec4(unpackBf16x2(w.z), unpackBf16x2(w.w));
#endif
        } else {
            dequant8(rowByte + first * BLOCK_BYTES, 0u, wv[0], wv[1]);
        }
    } else {  // the ragged end of the row: no read past it
        for (uint e = 0u; e < 8u; ++e)
            wv[e / 4u][e % 4u] = first + e < p.cols ? dequantValue(rowByte + (first + e) * BLOCK_BYTES) : 0.0;
    }
}

void loadUnitX(uint v, uint u, out vec4 xv[XV])
{
    const uint first = 8u * u, base = v * p.cols + first;
    if (first + 8u <= p.cols && (p.cols & 3u) == 0u) {
        xv[0] = x4[base >> 2];
        xv[1] = x4[(base >> 2) + 1u];
        if (NORM) {
            xv[0] *= normScale[v] * norm4[first >> 2];
            xv[1] *= normScale[v] * norm4[(first >> 2) + 1u];
        }
    } else {
        for (uint e = 0u; e < 8u; ++e)
            xv[e / 4u][e % 4u] = first + e < p.cols ? x[base + e] * (NORM ? normScale[v] * norm[first + e] : 1.0)
                                                    : 0.0;
    }
}

#else

// Quantized rows: units of 32 values, four runs of 8 (chunks) within one block.
const uint XV = 8;  // vec4s per unit
const uint UNITS_PER_BLOCK = BLOCK_VALUES / 32u;

uint unitsPerRow()
{
    return p.cols / 32u;
}

// The first value (within its block) of chunk i (0..3) of unit k of a block.
uint unitChunk(uint k, uint i)
{
#if defined(TYPE_Q4_0) || defined(TYPE_Q8_0)
    return 8u * i;
#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
    return 64u * (k >> 1) + 16u * (k & 1u) + 8u * (i & 1u) + 32u * (i >> 1);
#else
    return 128u * (k >> 2) + 8u * (k & 3u) + 32u * i;
#endif
}

void weightsOfUnit(uint rowByte, uint u, out vec4 wv[XV])
{
    const uint k = u % UNITS_PER_BLOCK;
    const uint blockByte = rowByte + (u / UNITS_PER_BLOCK) * BLOCK_BYTES;
#if defined(TYPE_Q4_0) || defined(TYPE_Q8_0)
    // The whole block in 5 (Q4_0) or 9 (Q8_0) words; when the block starts
    // at byte 2 of a word, d is that word's high half and qs start word-aligned.
    const uint WORDS = BLOCK_BYTES / 4u + 1u;
    const uint first = blockByte >> 2;
    const bool odd = (blockByte & 2u) != 0u;
    uint a[WORDS];
    for (uint i = 0u; i < WORDS; ++i)
        a[i] = quantWord(first + i);
    const float d = unpackHalf2x16(odd ? a[0] >> 16 : a[0]).x;
    for (uint i = 0u; i + 1u < WORDS; ++i) {
        const uint q = odd ? a[i + 1u] : (a[i] >> 16) | (a[i + 1u] << 16);
#if defined(TYPE_Q4_0)
        wv[i] = d * (nibblesLow(q) - 8.0);
        wv[i + 4u] = d * (nibblesHigh(q) - 8.0);
#else
        wv[i] = d * unpackI8x4(q);
#endif
    }
#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
    // Blocks are 16-byte multiples (the C++ side keeps weightOffset so): the
    // header (d, dmin, scales) is one uvec4 and the unit's 16 qs bytes another.
    const uint quad = blockByte >> 4;
    const uvec4 head = weightQuads[quad];
    const vec2 dm = unpackHalf2x16(head.x);
    const uint c = k >> 1;
    const uvec2 smLow = kScaleMin(head.yzw, 2u * c), smHigh = kScaleMin(head.yzw, 2u * c + 1u);
    const float stepLow = dm.x * float(smLow.x), offsetLow = dm.y * float(smLow.y);
    const float stepHigh = dm.x * float(smHigh.x), offsetHigh = dm.y * float(smHigh.y);
#if defined(TYPE_Q4_K)
    const uvec4 qs = weightQuads[quad + Q4_K_QS / 16u + k];
    const uvec4 low = qs & 0x0f0f0f0fu, high = (qs >> 4) & 0x0f0f0f0fu;
#else
    const uvec4 qs = weightQuads[quad + Q5_K_QS / 16u + k];
    const uvec4 qh = weightQuads[quad + Q5_K_QH / 16u + (k & 1u)] >> (2u * c);
    const uvec4 low = (qs & 0x0f0f0f0fu) | ((qh & 0x01010101u) << 4);
    const uvec4 high = ((qs >> 4) & 0x0f0f0f0fu) | (((qh >> 1) & 0x01010101u) << 4);
#endif
    for (uint i = 0u; i < 4u; ++i) {
        wv[i] = stepLow * unpackU8x4(low[i]) - offsetLow;
        wv[i + 4u] = stepHigh * unpackU8x4(high[i]) - offsetHigh;
    }
#elif defined(TYPE_Q2_K)
    // Rows are 4-byte multiples (and weightOffset is kept one), so words load
    // directly. Chunk i is bits 2i of the unit's 8 qs bytes; its sub-block
    // 8h + 2i + l0/16 has scale and min in byte 2i + l0/16 of scales[8h..].
    const uint h = k >> 2, l0 = 8u * (k & 3u);
    const uint qsWord = (blockByte + Q2_K_QS + 32u * h + l0) >> 2;
    const uvec2 qs = uvec2(quantWord(qsWord), quantWord(qsWord + 1u));
    const uint scalesWord = (blockByte + Q2_K_SCALES + 8u * h) >> 2;
    const uvec2 scales = uvec2(quantWord(scalesWord), quantWord(scalesWord + 1u));
    const vec2 dm = unpackHalf2x16(quantWord((blockByte + Q2_K_DM) >> 2));
    for (uint i = 0u; i < 4u; ++i) {
        const uint sc = (scales[i >> 1] >> (8u * (2u * (i & 1u) + (l0 >> 4)))) & 0xffu;
        const float step = dm.x * float(sc & 15u), offset = dm.y * float(sc >> 4);
        const uvec2 q = (qs >> (2u * i)) & 0x03030303u;
        wv[2u * i] = step * unpackU8x4(q.x) - offset;
        wv[2u * i + 1u] = step * unpackU8x4(q.y) - offset;
    }
#elif defined(TYPE_Q3_K)
    // As dequant8(), with the unit's hmask, qs and scale bytes loaded once.
    const uint h = k >> 2, l0 = 8u * (k & 3u);
    const uvec2 hmask = quantU32x2(blockByte + Q3_K_HMASK + l0);
    const uvec2 qs = quantU32x2(blockByte + Q3_K_QS + 32u * h + l0);
    const uvec3 scales = quantU32x3(blockByte + Q3_K_SCALES);
    const float d = quantHalf(blockByte + Q3_K_D);
    for (uint i = 0u; i < 4u; ++i) {
        const float step = d * q3kScale(scales, 8u * h + 2u * i + (l0 >> 4));
        const uvec2 q = ((qs >> (2u * i)) & 0x03030303u) | (((hmask >> (4u * h + i)) & 0x01010101u) << 2);
        wv[2u * i] = step * (unpackU8x4(q.x) - 4.0);
        wv[2u * i + 1u] = step * (unpackU8x4(q.y) - 4.0);
    }
#elif defined(TYPE_Q6_K)
    // As dequant8(), with the unit's ql, qh and scale bytes loaded once:
    // chunk i takes ql from the first (i even) or second 32 bytes of the
    // half, low nibbles for i < 2, and bits 2i of qh.
    const uint h = k >> 2, l0 = 8u * (k & 3u);
    const uvec2 qlFirst = quantU32x2(blockByte + Q6_K_QL + 64u * h + l0);
    const uvec2 qlSecond = quantU32x2(blockByte + Q6_K_QL + 64u * h + 32u + l0);
    const uvec2 qh = quantU32x2(blockByte + Q6_K_QH + 32u * h + l0);
    const uvec2 scales = quantU32x2(blockByte + Q6_K_SCALES + 8u * h);
    const float d = quantHalf(blockByte + Q6_K_D);
    for (uint i = 0u; i < 4u; ++i) {
        const uint sc = scales[i >> 1] >> (8u * (2u * (i & 1u) + (l0 >> 4)));
        const float step = d * unpackI8x4(sc).x;
        const uvec2 low = ((i & 1u) == 0u ? qlFirst : qlSecond) >> (4u * (i >> 1));
        const uvec2 q = (low & 0x0f0f0f0fu) | (((qh >> (2u * i)) & 0x03030303u) << 4);
        wv[2u * i] = step * (unpackU8x4(q.x) - 32.0);
        wv[2u * i + 1u] = step * (unpackU8x4(q.y) - 32.0);
    }
#endif
}

void loadUnitX(uint v, uint u, out vec4 xv[XV])
{
    const uint column = (u / UNITS_PER_BLOCK) * BLOCK_VALUES;  // a multiple of 32
    const uint base = v * p.cols + column;
    const uint k = u % UNITS_PER_BLOCK;
    for (uint i = 0u; i < 4u; ++i) {
        const uint at = (base + unitChunk(k, i)) >> 2;
        xv[2u * i] = x4[at];
        xv[2u * i + 1u] = x4[at + 1u];
    }
    if (NORM) {
        for (uint i = 0u; i < 4u; ++i) {
            const uint at = (column + unitChunk(k, i)) >> 2;
            xv[2u * i] *= normScale[v] * norm4[at];
            xv[2u * i + 1u] *= normScale[v] * norm4[at + 1u];
        }
    }
}

#endif

const uint OUTPUTS = ROWS * NVEC;  // sums per workgroup, row-major (row, vector)

// Leaves the workgroup's sum of acc[o] in partials[o * reducedStride()].
#ifdef SUBGROUP_REDUCE
shared float partials[OUTPUTS * WG_SIZE];  // [output][subgroup]; WG_SIZE bounds the subgroup count

uint reducedStride()
{
    return gl_NumSubgroups;
}

void reduceOutputs(float acc[OUTPUTS])
{
    for (uint o = 0u; o < OUTPUTS; ++o) {
        const float sum = subgroupAdd(acc[o]);
        if (subgroupElect())
            partials[o * gl_NumSubgroups + gl_SubgroupID] = sum;
    }
    barrier();
    const uint lane = gl_LocalInvocationID.x;
    if (lane < OUTPUTS) {
        float total = partials[lane * gl_NumSubgroups];
        for (uint s = 1u; s < gl_NumSubgroups; ++s)
            total += partials[lane * gl_NumSubgroups + s];
        partials[lane * gl_NumSubgroups] = total;  // only this invocation touches output `lane`
    }
}
#else
shared float partials[OUTPUTS * WG_SIZE];  // [output][invocation]

uint reducedStride()
{
    return WG_SIZE;
}

void reduceOutputs(float acc[OUTPUTS])
{
    const uint lane = gl_LocalInvocationID.x;
    for (uint o = 0u; o < OUTPUTS; ++o)
        partials[o * WG_SIZE + lane] = acc[o];
    barrier();
    for (uint stride = WG_SIZE / 2u; stride > 0u; stride /= 2u) {
        if (lane < stride)
            for (uint o = 0u; o < OUTPUTS; ++o)
                partials[o * WG_SIZE + lane] += partials[o * WG_SIZE + lane + stride];
        barrier();
    }
}
#endif

// y[v, row] = sum (+ bias) (+ residual) for a row of this dispatch.
void store(uint v, uint row, float sum)
{
    const uint index = v * p.yStride + p.rowOffset + row;
    if ((p.flags & 1u) != 0u)
        sum += bias[p.rowOffset + row];
    if ((p.flags & 2u) != 0u)
        sum += residual[index];
    y[index] = sum;
}

// Adds this invocation's share of rows rowBase .. rowBase+ROWS-1 (those
// below p.rows) to acc[row * NVEC + vector]: units unitFirst, unitFirst +
// unitStep, ... of each row.
void accumulate(uint rowBase, uint unitFirst, uint unitStep, inout float acc[OUTPUTS])
{
    const uint units = unitsPerRow();
    for (uint u = unitFirst; u < units; u += unitStep) {
        vec4 xv[XV];
        if (NVEC == 1u)
            loadUnitX(0u, u, xv);  // once for all ROWS rows
        for (uint r = 0u; r < ROWS; ++r) {
            // Rows past the end re-read the last row (their sums are never
            // stored): no branch, so the loop unrolls and every row's loads
            // are issued before the first is used.
            const uint row = min(rowBase + r, p.rows - 1u);
            vec4 wv[XV];
            weightsOfUnit(p.weightOffset + row * p.rowBytes, u, wv);
            for (uint v = 0u; v < NVEC; ++v) {
                if (NVEC > 1u)
                    loadUnitX(v, u, xv);
                float sum = 0.0;
                for (uint i = 0u; i < XV; ++i)
                    sum += dot(wv[i], xv[i]);
                acc[r * NVEC + v] += sum;
            }
        }
    }
}

// Fills normScale[] when NORM: every invocation of the workgroup sums
// the squares of a stride of each vector (x is a few KB, read from cache by
// every workgroup; far cheaper than a dispatch and a barrier of its own).
// Must be reached by the whole workgroup (it has barriers).
const uint BLOCK_SIZE = WG_SIZE;
#include "reduce.glsl"

void computeNormScales()
{
    if (!NORM)
        return;
    for (uint v = 0u; v < NVEC; ++v) {
        float squares = 0.0;
        for (uint i = gl_LocalInvocationID.x; i < p.cols; i += WG_SIZE) {
            const float value = x[v * p.cols + i];
            squares += value * value;
        }
        const float total = workgroupSum(squares);
        if (gl_LocalInvocationID.x == 0u)
            normScale[v] = inversesqrt(total / float(p.cols) + p.normEpsilon);
    }
    barrier();
}

void main()
{
    const uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    const uint lane = gl_LocalInvocationID.x;
    float acc[OUTPUTS];
    for (uint o = 0u; o < OUTPUTS; ++o)
        acc[o] = 0.0;

    if (ROW_PER_INVOCATION) {
        // CPU devices: each invocation owns ROWS whole rows.
        if (group * WG_SIZE * ROWS >= p.rows)
            return;  // the whole workgroup: the 2D grid overshoots the row count
        computeNormScales();
        const uint rowBase = (group * WG_SIZE + lane) * ROWS;
        accumulate(rowBase, 0u, 1u, acc);
        for (uint o = 0u; o < OUTPUTS; ++o)
            if (rowBase + o / NVEC < p.rows)
                store(o % NVEC, rowBase + o / NVEC, acc[o]);
        return;
    }

    // GPUs: the workgroup shares ROWS rows, each invocation a stride of units.
    const uint row0 = group * ROWS;
    if (row0 >= p.rows)
        return;  // the whole workgroup: the 2D grid overshoots the row count
    computeNormScales();
    accumulate(row0, lane, WG_SIZE, acc);
    reduceOutputs(acc);
    if (lane < OUTPUTS && row0 + lane / NVEC < p.rows)
        store(lane % NVEC, row0 + lane / NVEC, partials[lane * reducedStride()]);
}
