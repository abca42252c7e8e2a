// The ranges of cached positions a decode step's attention uses, computed on
// the GPU from the step's position: the mirror of ponder::decodeSplits()
// (engine/include/ponder/decode_splits.h), which the engine and its tests
// hold to. splitKeys is kDecodeSplitKeys, passed in a push constant.
#ifndef PONDER_DECODE_SPLITS_GLSL
#define PONDER_DECODE_SPLITS_GLSL

// (count, chunk): `count` non-empty ranges of `chunk` positions (the last
// may be shorter) covering 0..len-1; (0, 0) for len 0.
uvec2 decodeSplits(uint len, uint maxSplits, uint splitKeys)
{
    if (len == 0)
        return uvec2(0);
    const uint wanted = clamp((len + splitKeys - 1) / splitKeys, 1u, max(maxSplits, 1u));
    const uint chunk = (len + wanted - 1) / wanted;
    return uvec2((len + chunk - 1) / chunk, chunk);
}

#endif
