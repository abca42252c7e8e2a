// Facts of the GGUF layout shared by the reader and the writer
// (FORMATS.md, "GGUF").
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "ponder/gguf.h"

namespace ponder::gguf {

inline constexpr std::string_view kMagic = "GGUF";
inline constexpr uint32_t kWriteVersion = 3;
inline constexpr uint64_t kDefaultAlignment = 32;
inline constexpr uint64_t kMaxAlignment = uint64_t{1} << 31;  // general.alignment is a u32
inline constexpr std::string_view kAlignmentKey = "general.alignment";

// Limits from the specification: keys are at most 65535 bytes, tensor names
// at most 63 (ggml's GGML_MAX_NAME of 64 with the terminator), 1 to 4 dims.
inline constexpr uint64_t kMaxKeyBytes = 65535;
inline constexpr uint64_t kMaxTensorNameBytes = 63;
inline constexpr uint32_t kMaxDims = 4;
// Arrays of arrays are read (and skipped by the typed getters) to this depth.
inline constexpr int kMaxArrayDepth = 4;
// ggml's type ids stay below this; an unknown id under it is a real type
// Ponder does not know (Unsupported), above it the file is garbage (Malformed).
inline constexpr uint32_t kMaxPlausibleGgmlType = 63;

// Fixed sizes of the parts of a header, used to bound what a prefix needs.
inline constexpr uint64_t kFileHeaderBytes = 4 + 4 + 8 + 8;  // magic, version, tensor count, kv count
inline constexpr uint64_t kMinKeyValueBytes = 8 + 4 + 1;     // key length, type, smallest value
inline constexpr uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;  // name length, n_dims, one dim, type, offset

inline bool isValidTypeId(uint32_t id) { return id <= static_cast<uint32_t>(GgufType::Float64); }

// Bytes of a fixed-size value; 0 for string and array.
uint64_t fixedSize(GgufType type);
// The fewest bytes one value of `type` takes as an array element.
uint64_t minElementSize(GgufType type);

inline uint64_t alignUp(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

// A name from the file made safe for a one-line message: printable ASCII
// kept, other bytes as \xNN, cut after 80 characters.
std::string quoted(std::string_view text);

// "'/path/to/file'" for the start of a message. (Built by appending: GCC 12
// warns falsely, -Wrestrict, on "'" + path.string().)
std::string quotedPath(const std::filesystem::path& path);

} // namespace ponder::gguf
