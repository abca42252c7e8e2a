// A model stored as one GGUF file or as several parts. llama.cpp's
// gguf-split publishes large quants as `<stem>-00001-of-00003.gguf` …
// `<stem>-00003-of-00003.gguf`: each part is a complete GGUF file whose header
// lists only the tensors stored in it, and carries split.no (u16, 0-based),
// split.count (u16) and split.tensors.count (i32, the tensors of all parts);
// the first part also carries all of the model's other metadata. GgufParts
// opens every part and presents the union of their tensors, each read from
// the part that holds it. A file that is not split is a model of one part.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ponder/error.h"
#include "ponder/gguf.h"

namespace ponder {

inline constexpr std::string_view kSplitNoKey = "split.no";                       // u16, 0-based
inline constexpr std::string_view kSplitCountKey = "split.count";                 // u16
inline constexpr std::string_view kSplitTensorsCountKey = "split.tensors.count";  // i32, all parts

// The file name gguf-split gives part `index` (0-based) of `count`: prefix
// "dir/model" and index 1 of 3 give "dir/model-00002-of-00003.gguf".
std::filesystem::path ggufSplitPath(const std::filesystem::path& prefix, uint32_t index, uint32_t count);

class GgufParts {
public:
    // Maps `path`. When its split.count is over 1 it is one part of a split
    // model, and every part is opened from the same directory by the names
    // ggufSplitPath() gives, so the path of any part will do. The parts must
    // agree: each says the same split.count and split.tensors.count, each
    // split.no matches its name, no tensor is in two parts, and the parts
    // hold split.tensors.count tensors in all. A missing part is NotFound
    // naming it; a disagreement is Malformed naming the parts.
    static Result<GgufParts> open(const std::filesystem::path& path);

    // One for a file that is not split.
    size_t count() const { return m_parts.size(); }
    bool isSplit() const { return m_parts.size() > 1; }
    // In order: part(0) is the first part.
    std::span<const GgufFile> parts() const { return m_parts; }
    // The first part: it holds the model's metadata (architecture,
    // tokenizer, chat template); it may hold no tensors at all.
    const GgufFile& metadata() const { return m_parts.front(); }

    // Every tensor of every part, part by part in file order (for a model
    // gguf-split made, the order of the file it split).
    std::span<const GgufTensorInfo> tensors() const { return m_tensors; }
    const GgufTensorInfo* findTensor(std::string_view name) const;  // nullptr when no part has it
    // The tensor's bytes in the mapping of the part that holds it; empty when
    // no part has it.
    std::span<const std::byte> tensorData(std::string_view name) const;
    // The part that holds the tensor; nullptr when none does.
    const GgufFile* partOf(std::string_view name) const;

    // Drops the pages of every tensor of every part from this process (see
    // GgufFile::release): for after the weights were copied to the GPU.
    void releaseTensorPages() const;

    // For messages: the file name, or "stem-00001-of-00003.gguf (3 parts)".
    std::string displayName() const;

private:
    GgufParts() = default;
    Result<void> collectTensors();

    std::vector<GgufFile> m_parts;
    std::vector<GgufTensorInfo> m_tensors;  // views into the parts' headers
    std::vector<uint32_t> m_partIndex;      // index-aligned with m_tensors: the part holding it
    std::unordered_map<std::string_view, size_t> m_byName;  // name -> index in m_tensors
};

} // namespace ponder
