#version 450
// attention_decode: one query token against cache positions 0..len-1, the
// positions split into ranges that workgroups attend in parallel (flash
// decoding); each workgroup writes its query heads' partial results for
// attention_reduce to combine. The ranges come from len on the GPU
// (common/decode_splits.glsl), so a recorded decode step stays right as the
// context grows: workgroups past the ranges in use return at once.
//
// A workgroup serves ROWS query heads of one kv head (grouped-query heads
// share every K and V load) and walks its range in tiles of BLOCK_SIZE
// keys, one pass with an online softmax. Each invocation has two roles:
//  - scores: invocation t takes key t of the tile and computes its dot
//    product with every row's query in full (no cross-invocation sum), then
//    the tile's largest score per row is gathered with subgroupMax and one
//    shared atomicMax per subgroup (every invocation's own atomicMax in the
//    NO_SUBGROUPS variant), and p = exp(score - running max) goes to
//    shared memory (the running max updated with the tile's first);
//  - values: invocation t owns quad (4 dims) t % QUADS of the output for
//    the keys of part t / QUADS of the tile (PARTS parts of PART_KEYS keys,
//    a multiple of 4 so that one shared read gives four probabilities),
//    keeping per row a running sum and an unnormalised weighted sum of
//    values, both relative to the running max, which is the same in every
//    invocation: when a tile raises it, the sums are rescaled once.
// The values of tile i are loaded into registers while tile i's scores are
// computed and used after the next barrier, when its probabilities are
// known, so a tile costs two barriers:
//     [values of tile i-1 | load values i | scores i, tile max]  barrier
//     [probabilities of tile i]                                  barrier
// At the end the parts' sums are added through shared memory, at most
// COMBINE_ROWS rows at a time.
//
// Bindings:  0 scratch f32, written: partial outputs (heads, maxSplits, headDim)
//              unnormalised, then (heads, maxSplits) pairs (max score, sum of
//              exp(score - max)); ranges past those in use are not written
//            1 q (heads, headDim) f32, this token's queries after RoPE
//            2 kCache (headsKv, capacity, headDim) in the cache type (common/kv_cache.glsl),
//              from the slice's first head
//            3 vCache likewise
//            4 positions (1) u32: the token's position; len = min(pos + 1, capacity)
// Push:      AttentionDecodePush (engine/src/kernels/attention_push.h)
// Dispatch:  (maxSplits, ceil(GROUP / ROWS), kv heads in the slice); row r of
//            row block b is query head kvHead * GROUP + b * ROWS + r.
// Shapes:    query head h reads kv head h / GROUP.
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
#if !defined(NO_SUBGROUPS)
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

#define KV_K_BINDING 2
#define KV_V_BINDING 3
#include "decode_splits.glsl"
#include "kv_cache.glsl"

layout(constant_id = 0) const uint BLOCK_SIZE = 256;  // invocations, and keys per tile
layout(constant_id = 1) const uint HEAD_DIM = 128;    // a multiple of 4, at most 4 * BLOCK_SIZE
layout(constant_id = 2) const uint GROUP = 1;         // query heads per kv head
layout(constant_id = 3) const uint ROWS = 1;          // query heads per workgroup, at most 8
layout(constant_id = 4) const uint KEY_CHUNK = 8;     // key quads loaded before use: loads in flight
layout(local_size_x_id = 0) in;

const uint QUADS = HEAD_DIM / 4;
const uint PARTS = BLOCK_SIZE / QUADS;
const uint PART_KEYS = ((BLOCK_SIZE + PARTS - 1) / PARTS + 3) / 4 * 4;  // whole vec4s of probabilities
const uint COMBINE_ROWS = PARTS < 4 ? PARTS : 4;
const uint PROB_QUADS = (ROWS * BLOCK_SIZE + 3) / 4;
const uint WORK_QUADS = PROB_QUADS > COMBINE_ROWS * BLOCK_SIZE ? PROB_QUADS : COMBINE_ROWS * BLOCK_SIZE;

// A finite "minus infinity": exp(NO_SCORE - x) is 0 for any real score x.
const float NO_SCORE = -1e30;

layout(push_constant) uniform AttentionDecodePush {
    uint capacity;     // positions per kv head in the cache
    uint heads;        // query heads
    uint firstKvHead;  // the kv head bound at the start of this dispatch's slice
    uint kOffset;      // from kCache's binding start to head firstKvHead: CacheVecs (Q8_0: bytes)
    uint vOffset;
    uint maxSplits;    // ranges per kv head dispatched, and the scratch's stride
    uint splitKeys;    // kDecodeSplitKeys
    float scale;       // 1 / sqrt(HEAD_DIM)
} p;

layout(binding = 0) writeonly buffer Out { float outData[]; };
layout(binding = 1) readonly buffer Q { vec4 q[]; };
layout(binding = 4) readonly buffer Positions { uint positions[]; };

shared vec4 sQuery[ROWS * QUADS];
// While walking the keys: the tile's probabilities, (ROWS, BLOCK_SIZE)
// floats. At the end: up to COMBINE_ROWS rows of every invocation's sums.
shared vec4 sWork[WORK_QUADS];
shared uint sTileMax[2 * ROWS];  // per tile parity and row: orderedBits of the largest score
shared float sPartSum[ROWS * PARTS];
shared float sRowMax[ROWS];

// Float bits as a uint that orders like the float, for atomicMax; 0 is
// below every float.
uint orderedBits(float x)
{
    const uint u = floatBitsToUint(x);
    return (u & 0x80000000u) != 0 ? ~u : u | 0x80000000u;
}

float fromOrderedBits(uint u)
{
    return uintBitsToFloat((u & 0x80000000u) != 0 ? u & 0x7fffffffu : ~u);
}

void setProb(uint row, uint key, float value)
{
    const uint i = row * BLOCK_SIZE + key;
    sWork[i / 4][i % 4] = value;
}

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint split = gl_WorkGroupID.x;
    const uint localKvHead = gl_WorkGroupID.z;
    const uint kvHead = p.firstKvHead + localKvHead;
    const uint firstMember = gl_WorkGroupID.y * ROWS;  // of the GROUP query heads of kvHead

    const uint len = min(positions[0] + 1, p.capacity);
    const uvec2 ranges = decodeSplits(len, p.maxSplits, p.splitKeys);
    if (split >= ranges.x)
        return;  // the whole workgroup alike: a range this context does not use
    const uint begin = split * ranges.y;
    const uint end = min(begin + ranges.y, len);

    for (uint i = tid; i < ROWS * QUADS; i += BLOCK_SIZE) {
        const uint member = firstMember + i / QUADS;
        sQuery[i] = member < GROUP ? q[(kvHead * GROUP + member) * QUADS + i % QUADS] : vec4(0.0);
    }
    for (uint i = tid; i < 2 * ROWS; i += BLOCK_SIZE)
        sTileMax[i] = 0;

    const uint headSize = p.capacity * QUADS;
    const uint headBase = localKvHead * headSize;  // quads to this kv head's position 0
    const uint quad = tid % QUADS;
    const uint part = tid / QUADS;  // PARTS or more: no value role (HEAD_DIM/4 not dividing BLOCK_SIZE)
    const bool valueRole = part < PARTS;
    const uint partFirst = part * PART_KEYS;

    float runMax[ROWS];      // the largest score so far, alike in every invocation
    float correction[ROWS];  // exp(previous runMax - runMax): rescales the sums below
    float runSum[ROWS];      // this part's sum of exp(score - runMax), up to the previous tile
    vec4 acc[ROWS];          // this part's sum of exp(score - runMax) * value, for `quad`, likewise
    float score[ROWS];       // this invocation's key in the current tile
    [[unroll]] for (uint r = 0; r < ROWS; ++r) {
        runMax[r] = NO_SCORE;
        correction[r] = 1.0;
        runSum[r] = 0.0;
        acc[r] = vec4(0.0);
    }
    CacheVec values[PART_KEYS];

    barrier();  // sQuery and sTileMax are written

    const uint tiles = (end - begin + BLOCK_SIZE - 1) / BLOCK_SIZE;
    for (uint tile = 0; tile <= tiles; ++tile) {
        const uint first = begin + tile * BLOCK_SIZE;
        const uint parity = tile & 1;

        // The previous tile's values, weighted by its probabilities.
        if (tile > 0 && valueRole) {
            const uint previous = first - BLOCK_SIZE;
            const uint count = min(end - previous, BLOCK_SIZE);
            const uint keys = count > partFirst ? min(count - partFirst, PART_KEYS) : 0;
            [[unroll]] for (uint r = 0; r < ROWS; ++r) {
                acc[r] *= correction[r];
                runSum[r] *= correction[r];
            }
            // Four keys' probabilities per shared read.
            [[unroll]] for (uint j = 0; j < PART_KEYS; j += 4) {
                if (j < keys) {
                    vec4 probs[ROWS];
                    [[unroll]] for (uint r = 0; r < ROWS; ++r)
                        probs[r] = sWork[(r * BLOCK_SIZE + partFirst + j) / 4];
                    [[unroll]] for (uint i = 0; i < 4; ++i) {
                        if (j + i < keys) {
                            const vec4 value = fromCache(values[j + i]);
                            [[unroll]] for (uint r = 0; r < ROWS; ++r) {
                                acc[r] += probs[r][i] * value;
                                runSum[r] += probs[r][i];
                            }
                        }
                    }
                }
            }
        }
        if (tile == tiles)
            break;

        // This tile's values, in flight while its scores are computed.
        if (valueRole) {
            [[unroll]] for (uint j = 0; j < PART_KEYS; ++j) {
                const uint key = first + partFirst + j;
                values[j] = partFirst + j < BLOCK_SIZE && key < end ? loadValue(p.vOffset, headBase + key * QUADS + quad)
                                                                    : CacheVec(0);
            }
        }

        // This tile's scores: one key per invocation, every row, the key's
        // quads loaded KEY_CHUNK at a time (all in flight at once) and used
        // after. The loop over chunks stays rolled: lavapipe compiles an
        // unrolled one far more slowly.
        const uint key = first + tid;
        const bool valid = key < end;
        [[unroll]] for (uint r = 0; r < ROWS; ++r)
            score[r] = 0.0;
        if (valid) {
            const uint base = headBase + key * QUADS;
            [[dont_unroll]] for (uint c0 = 0; c0 < QUADS; c0 += KEY_CHUNK) {
                CacheVec k[KEY_CHUNK];
                [[unroll]] for (uint i = 0; i < KEY_CHUNK; ++i)
                    k[i] = c0 + i < QUADS ? loadKey(p.kOffset, base + c0 + i) : CacheVec(0);
                [[unroll]] for (uint i = 0; i < KEY_CHUNK; ++i) {
                    const vec4 kq = fromCache(k[i]);
                    const uint c = min(c0 + i, QUADS - 1);
                    [[unroll]] for (uint r = 0; r < ROWS; ++r)
                        score[r] += dot(sQuery[r * QUADS + c], kq);
                }
            }
        }
        [[unroll]] for (uint r = 0; r < ROWS; ++r) {
            score[r] = valid ? score[r] * p.scale : NO_SCORE;
#if defined(NO_SUBGROUPS)
            atomicMax(sTileMax[parity * ROWS + r], orderedBits(score[r]));
#else
            const float largest = subgroupMax(score[r]);
            if (subgroupElect())
                atomicMax(sTileMax[parity * ROWS + r], orderedBits(largest));
#endif
        }
        barrier();  // the tile's max is complete; the previous probabilities are used up

        // Probabilities against the running max, updated with this tile's.
        [[unroll]] for (uint r = 0; r < ROWS; ++r) {
            const float newMax = max(runMax[r], fromOrderedBits(sTileMax[parity * ROWS + r]));
            correction[r] = exp(runMax[r] - newMax);
            runMax[r] = newMax;
            setProb(r, tid, valid ? exp(score[r] - newMax) : 0.0);
        }
        // The other parity's maxima were read before the barrier above; the
        // next tile gathers into them after the one below.
        for (uint r = tid; r < ROWS; r += BLOCK_SIZE)
            sTileMax[(parity ^ 1) * ROWS + r] = 0;
        barrier();  // the probabilities are written
    }

    // Every part's sums, added up. runMax is alike in every invocation.
    barrier();  // the last probabilities are used up: sWork is free
    if (valueRole && quad == 0) {
        [[unroll]] for (uint r = 0; r < ROWS; ++r)
            sPartSum[r * PARTS + part] = runSum[r];
    }
    if (tid == 0) {
        [[unroll]] for (uint r = 0; r < ROWS; ++r)
            sRowMax[r] = runMax[r];
    }
    [[unroll]] for (uint r0 = 0; r0 < ROWS; r0 += COMBINE_ROWS) {
        if (r0 > 0)
            barrier();  // the previous rows' sums are read
        [[unroll]] for (uint rr = 0; rr < COMBINE_ROWS; ++rr) {
            if (r0 + rr < ROWS)
                sWork[rr * BLOCK_SIZE + tid] = valueRole ? acc[r0 + rr] : vec4(0.0);
        }
        barrier();

        // Invocation t adds up quad t % QUADS of row r0 + t / QUADS.
        const uint row = r0 + tid / QUADS;
        const uint member = firstMember + row;
        if (tid < COMBINE_ROWS * QUADS && row < ROWS && member < GROUP) {
            const uint c = tid % QUADS;
            const uint rr = tid / QUADS;
            vec4 sum = vec4(0.0);
            for (uint k = 0; k < PARTS; ++k)
                sum += sWork[rr * BLOCK_SIZE + k * QUADS + c];
            const uint partial = (kvHead * GROUP + member) * p.maxSplits + split;
            const uint o = partial * HEAD_DIM + c * 4;
            outData[o] = sum.x;
            outData[o + 1] = sum.y;
            outData[o + 2] = sum.z;
            outData[o + 3] = sum.w;
            if (c == 0) {
                float rowSum = 0.0;
                for (uint k = 0; k < PARTS; ++k)
                    rowSum += sPartSum[row * PARTS + k];
                const uint stats = p.heads * p.maxSplits * HEAD_DIM + partial * 2;
                outData[stats] = sRowMax[row];
                outData[stats + 1] = rowSum;
            }
        }
    }
}
