// RoPE angles, exact enough at any position a context can reach.
//
// The host table (ropeFrequencyTable in engine/src/kernels/rope.cpp) gives,
// for each rotated pair i, its frequency in turns per position,
// f_i = base^(-2i/ropeDims) / factor_i / 2pi, as two floats: `hi` with at
// most 12 significant bits and `lo` = f_i - hi. Splitting the position into
// its multiple of 4096 and its remainder (each at most 12 bits for positions
// below 2^24) makes both products with `hi` exact in float32; only the
// `lo` product rounds, and lo is below 2^-11 of the frequency. Keeping the
// angle in turns lets fract() drop whole turns exactly, so the angle handed
// to sin/cos lies in [-pi, pi] (where Vulkan's precision guarantees hold)
// and is within 4e-7 + pos * 6e-11 rad of exact (at most 8e-6 rad at
// position 131072; about 1e-6 measured at 100000). A plain float32
// `pos * theta` is off by up to pos * 1.2e-7 rad (0.012 rad at 100000),
// and then sin/cos see an argument far outside their accurate range.
#ifndef PONDER_ROPE_GLSL
#define PONDER_ROPE_GLSL

// (cos, sin) of position `pos` times the pair frequency `freq` = (hi, lo).
vec2 ropeCosSin(uint pos, vec2 freq)
{
    // `precise` forbids fusing these into fma, which would change the rounding
    // the exactness argument above relies on.
    precise const float high = float(pos & ~0xfffu) * freq.x;  // exact
    precise const float low = float(pos & 0xfffu) * freq.x;    // exact
    precise const float rest = float(pos) * freq.y;            // |rest| small, rounded once
    precise float turns = fract(high) + fract(low) + fract(rest);
    turns -= round(turns);                                     // [-0.5, 0.5]
    const float angle = turns * 6.28318530717958647;
    return vec2(cos(angle), sin(angle));
}

// The rotated value of an element holding `x` whose pair partner holds
// `partner`, given the pair's (cos, sin) `cs`: the pair's first element a
// becomes a*c - b*s, its second b becomes a*s + b*c.
float ropeRotate(bool first, float x, float partner, vec2 cs)
{
    return first ? x * cs.x - partner * cs.y : partner * cs.y + x * cs.x;
}

#endif
