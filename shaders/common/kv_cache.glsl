// The KV cache as the shaders see it: one layer's keys (or values) are
// (headsKv, capacity, headDim), head-major, in f16 (default), f32 or Q8_0,
// chosen by defining CACHE_F16, CACHE_F32 or CACHE_Q8_0. headDim is a
// multiple of 4 (of 32 for Q8_0).
//
// Shaders address the cache in quads (4 consecutive values of a row):
// quad i of a slice is values 4i..4i+3 counting from the slice's first head,
// and `offset` (the push constants' kOffset / vOffset) says where that head
// starts in the binding, in the type's unit (cacheOffsetUnit in
// engine/src/kernels/kv_cache_slices.h):
//  - f16: a CacheVec is a uvec2 of packed halves (8 bytes; no 16-bit storage
//    feature needed); the offset counts CacheVecs.
//  - f32: a CacheVec is a vec4 (16 bytes); the offset counts CacheVecs.
//  - Q8_0: rows are 34-byte blocks of 32 values (f16 d, then 32 int8 q;
//    x = d*q, FORMATS.md), bound as 32-bit words like the quantized weights
//    (common/types.glsl), since a block starts at any even byte; the offset
//    counts bytes. Quad i is bytes 2 + 4*(i % 8) of block i / 8. A loaded
//    CacheVec is the raw uvec2 (four int8 levels, the block's f16 scale
//    bits); fromCache widens it.
//
// The including shader defines KV_K_BINDING and KV_V_BINDING (the binding
// numbers of the key and value caches) and, when it writes the cache,
// KV_STORE; then this file declares the buffers kCache and vCache and:
//   CacheVec loadKey(uint offset, uint quad), loadValue(...)   (readers)
//   vec4 fromCache(CacheVec)
//   void storeKey(uint offset, uint quad, vec4), storeValue   (f16, f32 stores)
//   void storeKeyBlock(uint byte, float x[32]), storeValueBlock (Q8_0 stores:
//     block starting at binding byte `byte`, quantized as the engine's codec)
#ifndef PONDER_KV_CACHE_GLSL
#define PONDER_KV_CACHE_GLSL

#if !defined(KV_K_BINDING) || !defined(KV_V_BINDING)
#error "define KV_K_BINDING and KV_V_BINDING before including kv_cache.glsl"
#endif

#if defined(CACHE_F16) || defined(CACHE_F32)

#if defined(CACHE_F16)
#define CacheVec uvec2
vec4 fromCache(uvec2 w)
{
    return vec4(unpackHalf2x16(w.x), unpackHalf2x16(w.y));
}
uvec2 toCache(vec4 v)
{
    return uvec2(packHalf2x16(v.xy), packHalf2x16(v.zw));
}
#else
#define CacheVec vec4
vec4 fromCache(vec4 v)
{
    return v;
}
vec4 toCache(vec4 v)
{
    return v;
}
#endif

#if defined(KV_STORE)
layout(binding = KV_K_BINDING) writeonly buffer KCache { CacheVec kCache[]; };
layout(binding = KV_V_BINDING) writeonly buffer VCache { CacheVec vCache[]; };
void storeKey(uint offset, uint quad, vec4 x)
{
    kCache[offset + quad] = toCache(x);
}
void storeValue(uint offset, uint quad, vec4 x)
{
    vCache[offset + quad] = toCache(x);
}
#else
layout(binding = KV_K_BINDING) readonly buffer KCache { CacheVec kCache[]; };
layout(binding = KV_V_BINDING) readonly buffer VCache { CacheVec vCache[]; };
CacheVec loadKey(uint offset, uint quad)
{
    return kCache[offset + quad];
}
CacheVec loadValue(uint offset, uint quad)
{
    return vCache[offset + quad];
}
#endif

#elif defined(CACHE_Q8_0)

const uint Q8_0_BLOCK_BYTES = 34;

#define CacheVec uvec2  // x: four int8 levels, little-endian; y: the block's f16 scale bits

vec4 fromCache(uvec2 c)
{
    const vec4 levels = vec4((ivec4(c.x) << ivec4(24, 16, 8, 0)) >> 24);
    return unpackHalf2x16(c.y).x * levels;
}

#if defined(KV_STORE)
// Not writeonly: the words a block shares with its neighbours are merged
// with atomics.
layout(binding = KV_K_BINDING) buffer KCache { uint kCache[]; };
layout(binding = KV_V_BINDING) buffer VCache { uint vCache[]; };
#else
layout(binding = KV_K_BINDING) readonly buffer KCache { uint kCache[]; };
layout(binding = KV_V_BINDING) readonly buffer VCache { uint vCache[]; };
#endif

// One body for the key and the value cache: CACHE names the array.
#define PONDER_Q8_0_LOAD(CACHE)                                                   \
    const uint block = offset + (quad >> 3) * Q8_0_BLOCK_BYTES;                   \
    const uint at = block + 2u + (quad & 7u) * 4u;                                \
    uint levels = CACHE[at >> 2];                                                 \
    if ((at & 2u) != 0u)                                                          \
        levels = (levels >> 16) | (CACHE[(at >> 2) + 1u] << 16);                  \
    return uvec2(levels, (CACHE[block >> 2] >> ((block & 2u) * 8u)) & 0xffffu);

#if !defined(KV_STORE)
CacheVec loadKey(uint offset, uint quad)
{
    PONDER_Q8_0_LOAD(kCache)
}
CacheVec loadValue(uint offset, uint quad)
{
    PONDER_Q8_0_LOAD(vCache)
}
#endif

#if defined(KV_STORE)
// engine/src/quant/q4_0_q8_0.cpp quantizeQ8_0, step for step, so that the
// GPU's cache holds the CPU's bytes wherever the device divides exactly
// (lavapipe does): the scale amax/127, refitted by least squares to the
// levels it rounds to, stored as f16; the levels rounded to nearest even
// against the stored scale. `precise` keeps the sums unfused, as on the CPU.
void quantizeQ8_0(float x[32], out uint scaleBits, out uint levels[8])
{
    float peak = 0.0;
    for (uint l = 0; l < 32; ++l)
        peak = max(peak, abs(x[l]));
    precise float d = peak / 127.0;
    if (d > 0.0) {
        precise float sumXL = 0.0;
        precise float sumLL = 0.0;
        for (uint l = 0; l < 32; ++l) {
            precise float q = roundEven(clamp(x[l] / d, -127.0, 127.0));
            sumXL += x[l] * q;
            sumLL += q * q;
        }
        d = sumXL / sumLL;
    }
    scaleBits = packHalf2x16(vec2(d, 0.0)) & 0xffffu;
    const float stored = unpackHalf2x16(scaleBits).x;
    const float inverse = stored != 0.0 ? 1.0 / stored : 0.0;
    for (uint w = 0; w < 8; ++w) {
        uint word = 0;
        for (uint b = 0; b < 4; ++b) {
            const int q = int(roundEven(clamp(x[4 * w + b] * inverse, -128.0, 127.0)));
            word |= (uint(q) & 0xffu) << (8u * b);
        }
        levels[w] = word;
    }
}

// Writes the 34 bytes of a block at an even byte `at`: the 16 words wholly
// inside it with plain stores; the two half-words it shares with the
// blocks before and after (its start or its end is not word-aligned) with
// an atomic clear and set, so neighbours written at the same time, by this
// dispatch or by the next slice's, both land.
#define PONDER_Q8_0_STORE(CACHE)                                                  \
    uint scaleBits;                                                               \
    uint levels[8];                                                               \
    quantizeQ8_0(x, scaleBits, levels);                                           \
    const uint i = at >> 2;                                                       \
    if ((at & 2u) == 0u) {                                                        \
        CACHE[i] = scaleBits | (levels[0] << 16);                                 \
        for (uint j = 1; j < 8; ++j)                                              \
            CACHE[i + j] = (levels[j - 1] >> 16) | (levels[j] << 16);             \
        atomicAnd(CACHE[i + 8u], 0xffff0000u);                                    \
        atomicOr(CACHE[i + 8u], levels[7] >> 16);                                 \
    } else {                                                                      \
        atomicAnd(CACHE[i], 0x0000ffffu);                                         \
        atomicOr(CACHE[i], scaleBits << 16);                                      \
        for (uint j = 0; j < 8; ++j)                                              \
            CACHE[i + 1u + j] = levels[j];                                        \
    }

void storeKeyBlock(uint at, float x[32])
{
    PONDER_Q8_0_STORE(kCache)
}
void storeValueBlock(uint at, float x[32])
{
    PONDER_Q8_0_STORE(vCache)
}
#endif

#else
#error "define CACHE_F16, CACHE_F32 or CACHE_Q8_0"
#endif

#endif
