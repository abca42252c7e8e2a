// The element types of the KV cache and the one rule for their sizes: the
// GPU and CPU memory plans, the kernels that bind the cache and the CPU
// forward pass all size a cached row with kvRowBytes(), so the picker's fit
// and the allocation agree by construction.
//
// A cached row is one kv head's key (or value) at one position: head_dim
// values, stored as head_dim f16 or f32 values, or as head_dim/32 Q8_0
// blocks (f16 scale d, then 32 int8 q; x = d*q; 34 bytes, the block GGUF
// weights use, FORMATS.md "Quant blocks"), quantized by the engine's Q8_0
// codec (engine/src/quant/q4_0_q8_0.cpp) on the CPU and its mirror in
// shaders/kv_store.comp on the GPU.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ponder/error.h"

namespace ponder {

enum class KvCacheType {
    F16,   // the default: half the memory and bandwidth of F32
    F32,   // exact: for tests and for comparing against the reference
    Q8_0,  // 34 bytes per 32 values: 53% of F16, with 8-bit keys and values
};

// Q8_0 cache blocks: values per block and bytes per block.
inline constexpr uint32_t kKvQ8_0BlockValues = 32;
inline constexpr uint32_t kKvQ8_0BlockBytes = 34;

// Bytes of one cached row of `values` values. For Q8_0, `values` must be a
// multiple of kKvQ8_0BlockValues (checkKvRow).
constexpr uint64_t kvRowBytes(KvCacheType type, uint32_t values)
{
    switch (type) {
    case KvCacheType::F16:
        return uint64_t(values) * 2;
    case KvCacheType::F32:
        return uint64_t(values) * 4;
    case KvCacheType::Q8_0:
        return uint64_t(values) / kKvQ8_0BlockValues * kKvQ8_0BlockBytes;
    }
    return 0;
}

// Bytes of `rows` cached rows of `values` values each (one layer's keys, or
// its values: n_head_kv * context rows), rounded up to whole 32-bit words:
// the shaders read and write the cache as words, so a binding of a Q8_0
// cache whose rows are not a multiple of 4 bytes (head_dim 32, 96...) still
// ends on a word.
constexpr uint64_t kvCacheBytes(KvCacheType type, uint32_t values, uint64_t rows)
{
    return (kvRowBytes(type, values) * rows + 3) / 4 * 4;
}

// "f16", "f32", "q8_0": the names the command line and the logs use.
constexpr const char* kvCacheTypeName(KvCacheType type)
{
    switch (type) {
    case KvCacheType::F16:
        return "f16";
    case KvCacheType::F32:
        return "f32";
    case KvCacheType::Q8_0:
        return "q8_0";
    }
    return "?";
}

// The type named `name` (as kvCacheTypeName writes it, any case), or nothing.
inline std::optional<KvCacheType> kvCacheTypeFromName(std::string_view name)
{
    std::string lower(name);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    for (const KvCacheType type : {KvCacheType::F16, KvCacheType::F32, KvCacheType::Q8_0})
        if (lower == kvCacheTypeName(type))
            return type;
    return std::nullopt;
}

// Whether a row of `headDim` values can be cached as `type`: Q8_0 needs
// whole blocks of 32 (every llama and qwen2 model has 64 or 128).
inline Result<void> checkKvRow(KvCacheType type, uint32_t headDim)
{
    if (type == KvCacheType::Q8_0 && headDim % kKvQ8_0BlockValues != 0)
        return fail(ErrorCode::Unsupported, "a q8_0 KV cache stores blocks of 32 values, and this model's head "
                                            "dimension " + std::to_string(headDim) +
                                                " is not a multiple of 32; choose an f16 cache");
    return {};
}

} // namespace ponder
