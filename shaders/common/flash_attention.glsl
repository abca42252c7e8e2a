// The flash-attention core of attention_prefill:
// a workgroup holds ROWS query rows (each a query head of one token, all
// rows reading the same kv head, so grouped-query heads share every K/V
// load) and walks a range of cache positions in tiles of TILE_KEYS keys
// staged in shared memory, keeping an online softmax per row (running max,
// running sum, unnormalised weighted sum of values), so the score matrix is
// never materialised.
//
// Threads: THREADS_PER_ROW consecutive invocations serve one row. For the
// scores, lane l of a row takes keys l, l + THREADS_PER_ROW, ... of the tile
// and computes each full dot product from shared memory (no cross-thread
// sum); row max and row sum are then read back from the row's lanes. For
// the values, lane l owns quads (4 dims) l, l + THREADS_PER_ROW, ... of the
// row's output. Shared rows are padded by one quad, so the lanes reading
// consecutive keys (or consecutive quads) hit distinct banks.
//
// The including shader defines CACHE_F16, CACHE_F32 or CACHE_Q8_0, includes
// this file and writes main(): it fills sQuery (ROWS rows of HEAD_DIM, zeros
// for rows it does not use), then calls attend() and stores acc / rowSum /
// rowMax.
#ifndef PONDER_FLASH_ATTENTION_GLSL
#define PONDER_FLASH_ATTENTION_GLSL

#extension GL_EXT_control_flow_attributes : require

#define KV_K_BINDING 2
#define KV_V_BINDING 3
#include "kv_cache.glsl"

layout(constant_id = 0) const uint BLOCK_SIZE = 128;      // ROWS * THREADS_PER_ROW
layout(constant_id = 1) const uint THREADS_PER_ROW = 8;
layout(constant_id = 2) const uint HEAD_DIM = 128;        // a multiple of 4
layout(constant_id = 3) const uint GROUP = 1;             // query heads per kv head
layout(constant_id = 4) const uint TILE_KEYS = 32;
layout(local_size_x_id = 0) in;

const uint ROWS = BLOCK_SIZE / THREADS_PER_ROW;
const uint QUADS = HEAD_DIM / 4;
const uint STRIDE = QUADS + 1;  // quads per shared row, padded against bank conflicts
const uint KEYS_PER_THREAD = (TILE_KEYS + THREADS_PER_ROW - 1) / THREADS_PER_ROW;
const uint QUADS_PER_THREAD = (QUADS + THREADS_PER_ROW - 1) / THREADS_PER_ROW;

// A finite "minus infinity": exp(NO_SCORE - x) is 0 and
// exp(NO_SCORE - NO_SCORE) is 1, never NaN.
const float NO_SCORE = -1e30;

layout(push_constant) uniform AttentionPush {
    uint tokens;       // query tokens
    uint heads;        // query heads per token
    uint capacity;     // positions per kv head in the cache
    uint firstKvHead;  // the kv head bound at the start of this dispatch's slice
    uint kOffset;      // from kCache's binding start to head firstKvHead: CacheVecs (Q8_0: bytes)
    uint vOffset;
    float scale;       // 1 / sqrt(HEAD_DIM)
} p;

layout(binding = 0) writeonly buffer Out { float outData[]; };
layout(binding = 1) readonly buffer Q { vec4 q[]; };
layout(binding = 4) readonly buffer Positions { uint positions[]; };

shared vec4 sQuery[ROWS * STRIDE];
shared vec4 sTile[TILE_KEYS * STRIDE];     // keys, then values, of one tile
shared float sProb[ROWS * TILE_KEYS];
shared float sLaneMax[BLOCK_SIZE];
shared float sLaneSum[BLOCK_SIZE];

// This thread's share of its row's result: output quads
// lane + i * THREADS_PER_ROW (unnormalised), and the row's softmax state.
vec4 acc[QUADS_PER_THREAD];
float rowMax;
float rowSum;

// Stages cache positions first .. first+count-1 of one kv head (keys or
// values) in sTile as float32, zeros past count. `base` is the quad index
// (common/kv_cache.glsl) of that head's position 0.
void loadTile(bool keys, uint base, uint first, uint count)
{
    for (uint i = gl_LocalInvocationID.x; i < TILE_KEYS * QUADS; i += BLOCK_SIZE) {
        const uint j = i / QUADS;
        const uint c = i % QUADS;
        vec4 value = vec4(0.0);
        if (j < count) {
            const uint slot = base + (first + j) * QUADS + c;
            value = fromCache(keys ? loadKey(p.kOffset, slot) : loadValue(p.vOffset, slot));
        }
        sTile[j * STRIDE + c] = value;
    }
}

// Attends this thread's row over cache positions keyBegin .. keyEnd-1 (the
// same for the whole workgroup), of which the row sees those below
// visibleEnd. base: quad index of the kv head's position 0, in the keys
// and the values alike.
void attend(uint base, uint keyBegin, uint keyEnd, uint visibleEnd)
{
    const uint tid = gl_LocalInvocationID.x;
    const uint row = tid / THREADS_PER_ROW;
    const uint lane = tid % THREADS_PER_ROW;
    rowMax = NO_SCORE;
    rowSum = 0.0;
    for (uint i = 0; i < QUADS_PER_THREAD; ++i)
        acc[i] = vec4(0.0);

    for (uint first = keyBegin; first < keyEnd; first += TILE_KEYS) {
        const uint count = min(TILE_KEYS, keyEnd - first);
        barrier();  // sQuery is written; the previous tile's values and probabilities are used up
        loadTile(true, base, first, count);
        barrier();

        // Each query quad is read once for all of the lane's keys. The loop
        // stays rolled: unrolling it (HEAD_DIM/4 trips of KEYS_PER_THREAD
        // dots) buys little on a GPU and makes lavapipe's compile ten times
        // slower. Lanes past the tile (when it was shrunk to fit shared
        // memory) read its last key and drop the result.
        float scores[KEYS_PER_THREAD];
        for (uint i = 0; i < KEYS_PER_THREAD; ++i)
            scores[i] = 0.0;
        [[dont_unroll]] for (uint c = 0; c < QUADS; ++c) {
            const vec4 query = sQuery[row * STRIDE + c];
            for (uint i = 0; i < KEYS_PER_THREAD; ++i)
                scores[i] += dot(query, sTile[min(lane + i * THREADS_PER_ROW, TILE_KEYS - 1) * STRIDE + c]);
        }
        float laneMax = NO_SCORE;
        for (uint i = 0; i < KEYS_PER_THREAD; ++i) {
            const uint j = lane + i * THREADS_PER_ROW;
            scores[i] = j < count && first + j < visibleEnd ? scores[i] * p.scale : NO_SCORE;
            laneMax = max(laneMax, scores[i]);
        }
        sLaneMax[tid] = laneMax;
        barrier();  // after this no one reads the keys in sTile

        float tileMax = NO_SCORE;
        for (uint l = 0; l < THREADS_PER_ROW; ++l)
            tileMax = max(tileMax, sLaneMax[row * THREADS_PER_ROW + l]);
        const float newMax = max(rowMax, tileMax);
        const float correction = exp(rowMax - newMax);
        rowMax = newMax;
        float laneSum = 0.0;
        for (uint i = 0; i < KEYS_PER_THREAD; ++i) {
            const uint j = lane + i * THREADS_PER_ROW;
            if (j < TILE_KEYS) {
                const float prob = scores[i] > NO_SCORE ? exp(scores[i] - newMax) : 0.0;
                sProb[row * TILE_KEYS + j] = prob;
                laneSum += prob;
            }
        }
        sLaneSum[tid] = laneSum;
        loadTile(false, base, first, count);
        barrier();

        float tileSum = 0.0;
        for (uint l = 0; l < THREADS_PER_ROW; ++l)
            tileSum += sLaneSum[row * THREADS_PER_ROW + l];
        rowSum = rowSum * correction + tileSum;
        for (uint i = 0; i < QUADS_PER_THREAD; ++i)
            acc[i] *= correction;
        for (uint j = 0; j < count; ++j) {
            const float prob = sProb[row * TILE_KEYS + j];
            for (uint i = 0; i < QUADS_PER_THREAD; ++i) {
                const uint c = lane + i * THREADS_PER_ROW;
                if (c < QUADS)
                    acc[i] += prob * sTile[j * STRIDE + c];
            }
        }
    }
}

#endif
