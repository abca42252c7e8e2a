#version 450
// matmul: Y[t, r] = sum_c W[r, c] * X[t, c] (+ bias[r]) (+ residual[t, r])
// for r < rows, t < tokens: the prefill matrix-matrix product, every token
// of a prompt chunk through one weight matrix.
//
// Bindings:  0 Y (tokens, yStride) f32, written at rows rowOffset .. rowOffset+rows-1
//            1 W (rows, cols) in the TYPE_* format, GGUF order: row r is the
//              rowBytes bytes from weightOffset + r*rowBytes; bound as 32-bit words
//            2 X (tokens, cols) f32
//            3 bias (yStride) f32, read when flags & 1 (else any range)
//            4 residual (tokens, yStride) f32, read when flags & 2 (else any
//              range); may be the same memory as Y (each element is read and
//              then written by one invocation)
// Push:      MatmulPush (engine/src/kernels/matmul_push.h)
// Spec:      0 WG_SIZE = (BM / TM) * (BN / TN), 1 BM rows and 2 BN tokens per
//            workgroup tile, 3 BK columns per step (a multiple of 8), 4 TM
//            rows and 5 TN tokens per invocation, 6 REGISTER_W (see below)
// Defines:   TYPE_* (types.glsl)
// Dispatch:  (ceil(rows / BM), ceil(tokens / BN)) workgroups; workgroup (x, y)
//            computes rows x*BM .. and tokens y*BN ..
//
// Why this shape. Prefill is bound by arithmetic, not by weight bytes: a
// weight dequantized once serves every token of the tile, and a token value
// loaded once serves every row. Per step of BK columns the workgroup stages
// the (BN, BK) slice of X in shared memory and, by default, the (BM, BK)
// slice of W dequantized to f32 with dequant8() (8 consecutive values of any
// format; a chunk never straddles a block since block sizes are multiples of
// 8). Each invocation then accumulates a TM x TN register block from the
// tiles: per column it loads TM + TN values for TM*TN multiply-adds. Its rows
// are lr, lr + BM/TM, ... and its tokens lt, lt + BN/TN, ..., so neighbouring
// invocations read neighbouring shared words (no bank conflicts; the tiles'
// rows are padded by one word so the transposing stores spread over banks
// too) and write neighbouring rows of Y. Shared tiles are f32: dequantized
// values are f32 already, and with 16 KiB of tiles a GPU keeps several
// workgroups resident. The edges (rows, tokens or, for float matrices,
// columns that are not multiples of the tile) load zeros and store nothing.
//
// REGISTER_W (CPU devices: lavapipe, with BN = TN, one invocation owning all
// of the tile's tokens): W skips shared memory. Each invocation dequantizes
// its TM rows' chunks straight into registers and multiplies them with X
// from the shared tile at addresses that are the same in every invocation
// (after unrolling, compile-time constants). Lavapipe runs 8 invocations as
// one SIMD batch and turns a load whose address differs per invocation into
// a scalar loop over the lanes, while an address known to be uniform is one
// load and a broadcast; this layout has only the dequantizing loads per lane.
// On a GPU neighbouring invocations would read W a row apart, so GPUs use
// the shared tiles.
//
// A cooperative-matrix variant (VK_KHR_cooperative_matrix: tensor cores)
// would replace the register block with coopMatMulAdd on f16 tiles; it is not
// written yet (AdapterInfo::cooperativeMatrix says where it would apply).
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(constant_id = 1) const uint BM = 64;
layout(constant_id = 2) const uint BN = 64;
layout(constant_id = 3) const uint BK = 32;
layout(constant_id = 4) const uint TM = 4;
layout(constant_id = 5) const uint TN = 4;
layout(constant_id = 6) const bool REGISTER_W = false;
layout(local_size_x_id = 0) in;

layout(push_constant) uniform MatmulPush {
    uint rows;          // rows in this dispatch
    uint cols;          // values per row
    uint tokens;        // rows of X and of Y
    uint rowBytes;      // bytes per stored row of W
    uint weightOffset;  // bytes from the start of binding 1 to this dispatch's first row
    uint rowOffset;     // index in Y, bias and residual of this dispatch's first row
    uint yStride;       // floats from one token's Y row to the next (all rows of the matrix)
    uint flags;         // 1: add bias, 2: add residual
} p;

layout(binding = 0) writeonly buffer Y { float y[]; };
layout(binding = 1) readonly buffer W { uint weightWords[]; };
layout(binding = 2) readonly buffer X { float x[]; };
layout(binding = 3) readonly buffer Bias { float bias[]; };
layout(binding = 4) readonly buffer Residual { float residual[]; };

uint quantWord(uint index)
{
    return weightWords[index];
}

#include "types.glsl"
#include "dequant.glsl"

const uint RM = BM / TM;  // invocations along the rows of a tile
const uint RN = BN / TN;  // invocations along its tokens
const uint CHUNKS = BK / 8u;
const uint W_STRIDE = BM + 1u;  // the W tile is (BK, BM), k-major, padded
const uint X_STRIDE = BN + 1u;  // the X tile is (BK, BN), k-major, padded

shared float wTile[REGISTER_W ? 1u : BK * W_STRIDE];
shared float xTile[BK * X_STRIDE];

// Values col .. col+7 of row `row` of this dispatch's W; zeros past the end
// of the row (only float rows end mid-chunk: block rows are whole blocks).
void weightChunk(uint row, uint col, out vec4 lo, out vec4 hi)
{
    lo = vec4(0.0);
    hi = vec4(0.0);
    if (row >= p.rows || col >= p.cols)
        return;
    const uint rowByte = p.weightOffset + row * p.rowBytes;
#if defined(TYPE_F32) || defined(TYPE_F16) || defined(TYPE_BF16)
    if (col + 8u <= p.cols) {
        dequant8(rowByte + col * BLOCK_BYTES, 0u, lo, hi);
    } else {
        for (uint e = 0u; col + e < p.cols; ++e) {
            const float value = dequantValue(rowByte + (col + e) * BLOCK_BYTES);
            if (e < 4u)
                lo[e] = value;
            else
                hi[e - 4u] = value;
        }
    }
#else
    dequant8(rowByte + (col / BLOCK_VALUES) * BLOCK_BYTES, col % BLOCK_VALUES, lo, hi);
#endif
}

// X[tok0 .. tok0+BN-1, k0 .. k0+BK-1] into xTile[k][n], zeros past the edges.
// Neighbouring invocations read neighbouring columns of one token.
void loadXTile(uint k0, uint tok0)
{
    for (uint e = gl_LocalInvocationID.x; e < BN * BK; e += WG_SIZE) {
        const uint k = e % BK, n = e / BK;
        const uint t = tok0 + n, col = k0 + k;
        xTile[k * X_STRIDE + n] = t < p.tokens && col < p.cols ? x[t * p.cols + col] : 0.0;
    }
}

// W[row0 .. row0+BM-1, k0 .. k0+BK-1] dequantized into wTile[k][m]. The
// CHUNKS chunks of a row go to neighbouring invocations (neighbouring bytes).
void loadWTile(uint k0, uint row0)
{
    for (uint c = gl_LocalInvocationID.x; c < BM * CHUNKS; c += WG_SIZE) {
        const uint m = c / CHUNKS, chunk = c % CHUNKS;
        vec4 lo, hi;
        weightChunk(row0 + m, k0 + 8u * chunk, lo, hi);
        const uint at = 8u * chunk * W_STRIDE + m;
        [[unroll]] for (uint e = 0u; e < 4u; ++e) {
            wTile[at + e * W_STRIDE] = lo[e];
            wTile[at + (e + 4u) * W_STRIDE] = hi[e];
        }
    }
}

void main()
{
    const uint lane = gl_LocalInvocationID.x;
    const uint row0 = gl_WorkGroupID.x * BM;
    const uint tok0 = gl_WorkGroupID.y * BN;
    const uint lr = lane % RM;
    const uint lt = RN == 1u ? 0u : lane / RM;  // 0 for REGISTER_W, folded after specialization

    float acc[TM * TN];
    [[unroll]] for (uint o = 0u; o < TM * TN; ++o)
        acc[o] = 0.0;

    for (uint k0 = 0u; k0 < p.cols; k0 += BK) {
        loadXTile(k0, tok0);
        if (!REGISTER_W)
            loadWTile(k0, row0);
        barrier();
        if (REGISTER_W) {
            [[unroll]] for (uint i = 0u; i < TM; ++i) {
                [[unroll]] for (uint chunk = 0u; chunk < CHUNKS; ++chunk) {
                    vec4 w[2];
                    weightChunk(row0 + lr + i * RM, k0 + 8u * chunk, w[0], w[1]);
                    [[unroll]] for (uint e = 0u; e < 8u; ++e) {
                        const uint k = 8u * chunk + e;
                        [[unroll]] for (uint j = 0u; j < TN; ++j)
                            acc[i * TN + j] += w[e / 4u][e % 4u] * xTile[k * X_STRIDE + j];
                    }
                }
            }
        } else {
            [[unroll]] for (uint k = 0u; k < BK; ++k) {
                float a[TM], b[TN];
                [[unroll]] for (uint i = 0u; i < TM; ++i)
                    a[i] = wTile[k * W_STRIDE + lr + i * RM];
                [[unroll]] for (uint j = 0u; j < TN; ++j)
                    b[j] = xTile[k * X_STRIDE + lt + j * RN];
                [[unroll]] for (uint i = 0u; i < TM; ++i)
                    [[unroll]] for (uint j = 0u; j < TN; ++j)
                        acc[i * TN + j] += a[i] * b[j];
            }
        }
        barrier();  // the tiles are overwritten by the next step
    }

    [[unroll]] for (uint i = 0u; i < TM; ++i) {
        const uint row = row0 + lr + i * RM;
        if (row >= p.rows)
            continue;
        const float rowBias = (p.flags & 1u) != 0u ? bias[p.rowOffset + row] : 0.0;
        [[unroll]] for (uint j = 0u; j < TN; ++j) {
            const uint t = tok0 + lt + j * RN;
            if (t >= p.tokens)
                continue;
            const uint index = t * p.yStride + p.rowOffset + row;
            float sum = acc[i * TN + j] + rowBias;
            if ((p.flags & 2u) != 0u)
                sum += residual[index];
            y[index] = sum;
        }
    }
}
