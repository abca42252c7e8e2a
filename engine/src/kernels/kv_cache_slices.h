// Internal to the kernels that read or write the KV cache (kv_store,
// attention): checks a cache's shape and bindings, and splits its kv heads
// into slices whose bytes fit one storage-buffer binding. One layer of an 8-kv-
// head model at 131072 positions is 256 MiB of f16 keys, twice lavapipe's
// 128 MiB maxStorageBufferRange, while one head is 32 MiB. Bindings start at
// multiples of the device's offset alignment (at least 16 here), so a slice
// binds from the aligned byte at or before its first head and tells the
// shader where in the binding that head starts, in cacheOffsetUnit()s.
// Head sizes come from kvRowBytes (ponder/kv_cache_type.h), the memory
// plan's rule.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "ponder/error.h"
#include "ponder/kernels.h"
#include "ponder/vk/adapter.h"
#include "ponder/vk/buffer.h"

namespace ponder::kernels {

// The unit in which a slice's kOffset/vOffset count (see
// shaders/common/kv_cache.glsl): a 4-value CacheVec of f16 (8 bytes) or f32
// (16 bytes), or a byte for Q8_0, whose 34-byte blocks start at any even byte.
inline uint64_t cacheOffsetUnit(KvCacheType type)
{
    switch (type) {
    case KvCacheType::F16:
        return 8;
    case KvCacheType::F32:
        return 16;
    case KvCacheType::Q8_0:
        return 1;
    }
    return 1;
}

inline Result<void> checkCacheShape(const KvCacheShape& cache, const char* kernel)
{
    if (cache.headsKv == 0 || cache.capacity == 0)
        return fail(ErrorCode::InvalidArgument, std::string(kernel) + ": KV cache with no heads or no positions");
    if (cache.headDim == 0 || cache.headDim % 4 != 0 || cache.headDim > 256)
        return fail(ErrorCode::Unsupported, std::string(kernel) + ": head dimension " +
                                                std::to_string(cache.headDim) +
                                                " is not a multiple of 4 in 4..256");
    if (auto row = checkKvRow(cache.type, cache.headDim); !row)
        return fail(row.error().code, std::string(kernel) + ": " + row.error().message);
    return {};
}

struct CacheSlice {
    uint32_t firstHead = 0;
    uint32_t heads = 0;
    vk::BufferRange k;     // the bytes bound for the slice's keys
    vk::BufferRange v;
    uint32_t kOffset = 0;  // 4-value cache elements from k.offset to head firstHead
    uint32_t vOffset = 0;
};

// Slices of at most maxBinding bytes each (0: the device's range) covering
// all kv heads of the caches bound by kCache and vCache.
inline Result<std::vector<CacheSlice>> sliceCache(const KvCacheShape& cache, const vk::BufferRange& kCache,
                                                  const vk::BufferRange& vCache, uint64_t maxBinding,
                                                  const vk::AdapterInfo& adapter, const char* kernel)
{
    PONDER_TRY(checkCacheShape(cache, kernel));
    const std::string name(kernel);
    PONDER_TRY(checkBinding(kCache, cache.bytes(), 1, (name + " key cache").c_str()));
    PONDER_TRY(checkBinding(vCache, cache.bytes(), 1, (name + " value cache").c_str()));
    if (kCache.offset % 16 != 0 || vCache.offset % 16 != 0)
        return fail(ErrorCode::InvalidArgument, name + ": a KV cache binding does not start at a multiple of 16 bytes");

    if (maxBinding == 0 || maxBinding > adapter.maxStorageBufferRange)
        maxBinding = adapter.maxStorageBufferRange;
    const uint64_t alignment = std::max<uint64_t>(adapter.minStorageBufferOffsetAlignment, 16);
    const uint64_t headBytes = uint64_t(cache.capacity) * kvRowBytes(cache.type, cache.headDim);
    // A slice's binding may start up to alignment - 16 bytes before its first
    // head, and ends on a whole word: 2 bytes past its last head when a Q8_0
    // head is not a multiple of 4 bytes (that word's other half belongs to
    // the next head, or to the padding kvCacheBytes adds after the last).
    const uint64_t wordSlack = headBytes % 4;
    const uint64_t lead = alignment - 16 + wordSlack;
    const uint64_t room = maxBinding > lead ? maxBinding - lead : 0;
    const uint64_t fit = std::min<uint64_t>(room / headBytes, cache.headsKv);
    if (fit == 0)
        return fail(ErrorCode::Unsupported, name + ": one kv head of the cache is " + std::to_string(headBytes) +
                                                " bytes, more than the device binds at once (" +
                                                std::to_string(maxBinding) + ")");

    const uint64_t unit = cacheOffsetUnit(cache.type);
    std::vector<CacheSlice> slices;
    for (uint32_t first = 0; first < cache.headsKv;) {
        const auto count = uint32_t(std::min<uint64_t>(fit, cache.headsKv - first));
        CacheSlice slice{first, count, {}, {}, 0, 0};
        const auto bind = [&](const vk::BufferRange& whole, vk::BufferRange& bound, uint32_t& offset) {
            const uint64_t start = whole.offset + first * headBytes;
            const uint64_t boundStart = start / alignment * alignment;
            bound = {whole.buffer, boundStart, (start - boundStart + count * headBytes + 3) / 4 * 4};
            offset = uint32_t((start - boundStart) / unit);
        };
        bind(kCache, slice.k, slice.kOffset);
        bind(vCache, slice.v, slice.vOffset);
        slices.push_back(slice);
        first += count;
    }
    return slices;
}

} // namespace ponder::kernels
