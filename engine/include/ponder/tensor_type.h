// The tensor element types of GGUF files (ggml's type ids) and their block
// geometry. Quantized types store weights in blocks of `blockSize` values
// taking `blockBytes` bytes each.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ponder {

// Values are ggml's ids as stored in GGUF tensor infos.
enum class TensorType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    BF16 = 30,
};

struct TensorTypeTraits {
    std::string_view name;  // "Q4_K"
    uint32_t blockSize;     // values per block (1 for plain floats)
    uint32_t blockBytes;    // bytes per block
    bool supported;         // the engine can compute with it
};

// nullopt for an id that is not a known ggml type.
std::optional<TensorType> tensorTypeFromId(uint32_t id);
const TensorTypeTraits& traits(TensorType type);
inline std::string_view tensorTypeName(TensorType type) { return traits(type).name; }

// Bytes for `count` values; count must be a multiple of the block size.
inline uint64_t tensorBytes(TensorType type, uint64_t count)
{
    const auto& t = traits(type);
    return count / t.blockSize * t.blockBytes;
}

} // namespace ponder
