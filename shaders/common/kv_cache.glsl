// The KV cache as the shaders see it: one layer's keys (or values) are
// (headsKv, capacity, headDim), head-major, in f16 (default) or f32, chosen
// by defining CACHE_F16 or CACHE_F32. Shaders move four values at a time:
// a CacheVec is 4 values (uvec2 of packed halves for f16: 8 bytes, needing no
// 16-bit storage feature; vec4 for f32: 16 bytes). headDim is a multiple of 4.
#ifndef PONDER_KV_CACHE_GLSL
#define PONDER_KV_CACHE_GLSL

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
#elif defined(CACHE_F32)
#define CacheVec vec4
vec4 fromCache(vec4 v)
{
    return v;
}
vec4 toCache(vec4 v)
{
    return v;
}
#else
#error "define CACHE_F16 or CACHE_F32"
#endif

#endif
