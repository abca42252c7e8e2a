// How decode attention divides the cached tokens among workgroups (flash
// decoding): each kv head's positions 0..len-1 are cut into `count` ranges
// of `chunk` positions that workgroups attend in parallel, and a reduce
// combines their partial results.
//
// Two numbers decide it:
//  - the most ranges, fixed for a device, a model and a context capacity
//    (maxDecodeSplits): the memory plan sizes the partial results for it,
//    and a recorded decode step dispatches that many workgroups per kv head;
//  - the ranges one step uses, from the number of cached tokens
//    (decodeSplits): computed again on the GPU from the position each step
//    reads (shaders/common/decode_splits.glsl mirrors decodeSplits), so a
//    step recorded once and replayed follows the context as it grows.
//    Workgroups past `count` return at once.
#pragma once

#include <algorithm>
#include <cstdint>

namespace ponder {

// The fewest positions worth a range of their own: one tile of
// attention_decode (a key per invocation of its 256-wide workgroups).
// Shorter ranges leave most of a tile idle and add partials to reduce.
inline constexpr uint32_t kDecodeSplitKeys = 256;
// The most ranges the kernels accept (attention_reduce's shared weights).
inline constexpr uint32_t kMaxDecodeSplits = 1024;
// Workgroups per compute unit a long context aims for: two, as llama.cpp
// does, so one's loads are in flight while the other computes.
inline constexpr uint32_t kDecodeWorkgroupsPerUnit = 2;

// The most ranges per kv head: enough that the kv heads' ranges give each of
// `computeUnits` units (SMs, CUs, cores; vk::AdapterInfo::computeUnits) two
// workgroups, no more than a cache of `capacity` positions fills with
// kDecodeSplitKeys each, and at least 1. (2 x 132 SMs over 2 kv heads: 132.)
constexpr uint32_t maxDecodeSplits(uint32_t computeUnits, uint32_t headsKv, uint32_t capacity)
{
    const uint64_t workgroups = uint64_t(std::max(computeUnits, 1u)) * kDecodeWorkgroupsPerUnit;
    const uint64_t forUnits = (workgroups + std::max(headsKv, 1u) - 1) / std::max(headsKv, 1u);
    const uint64_t forCapacity = (uint64_t(capacity) + kDecodeSplitKeys - 1) / kDecodeSplitKeys;
    return uint32_t(std::clamp<uint64_t>(std::min(forUnits, forCapacity), 1, kMaxDecodeSplits));
}

// Bytes of decode attention's partial results for `heads` query heads of
// `headDim` and `maxSplits` ranges: per head and range headDim partial
// outputs, then a (max, sum) pair, all f32, rounded up to whole 16-byte
// vec4s (attention_reduce reads vec4s). Kernels::attentionDecodeScratchBytes
// and the memory plan's partials are this.
constexpr uint64_t decodeScratchBytes(uint32_t heads, uint32_t headDim, uint32_t maxSplits)
{
    return (uint64_t(heads) * maxSplits * (uint64_t(headDim) + 2) * 4 + 15) / 16 * 16;
}

struct DecodeSplits {
    uint32_t count = 0;  // ranges used, each non-empty
    uint32_t chunk = 0;  // positions per range; the last may have fewer
};

// The ranges a decode step over `cachedTokens` positions (the current one
// included) uses: one per kDecodeSplitKeys positions, at most `maxSplits`,
// in equal chunks; count is then recomputed from the chunk so that no range
// is empty. cachedTokens 0 gives {0, 0}.
constexpr DecodeSplits decodeSplits(uint32_t cachedTokens, uint32_t maxSplits)
{
    if (cachedTokens == 0)
        return {};
    const uint32_t wanted = std::clamp((cachedTokens + kDecodeSplitKeys - 1) / kDecodeSplitKeys, 1u,
                                       std::max(maxSplits, 1u));
    const uint32_t chunk = (cachedTokens + wanted - 1) / wanted;
    return {(cachedTokens + chunk - 1) / chunk, chunk};
}

} // namespace ponder
