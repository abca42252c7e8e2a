// Reading GGUF files: the header (metadata and tensor infos) parsed from bytes
// in memory, possibly only a prefix of a remote file, and whole files mapped
// read-only with every offset and count validated before use.
//
// Views (string_view, span) handed out by GgufHeader point into a private
// copy of the header bytes that all copies of that header share: they stay
// valid as long as any copy of the header lives. Views from GgufFile point
// into its mapping and live as long as the GgufFile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ponder/error.h"
#include "ponder/tensor_type.h"

namespace ponder {

class HeaderParser;

// Metadata value types, with their ids as stored in the file.
enum class GgufType : uint32_t {
    Uint8 = 0,
    Int8 = 1,
    Uint16 = 2,
    Int16 = 3,
    Uint32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    Uint64 = 10,
    Int64 = 11,
    Float64 = 12,
};

std::string_view ggufTypeName(GgufType type);  // "u32", "string", "array"
bool isGgufInteger(GgufType type);             // the eight integer types, not bool

// One metadata value. The conversions return nullopt when the value has
// another type or does not fit: toUint() accepts every integer type (writers
// differ on widths) but not a negative value; toFloat() accepts every number.
class GgufValue {
public:
    GgufType type() const { return m_type; }
    // Arrays only: the type of each element (Array for arrays of arrays).
    GgufType elementType() const { return m_elementType; }
    bool isArray() const { return m_type == GgufType::Array; }
    // Elements of an array; 1 for a scalar or a string.
    uint64_t size() const { return m_count; }
    // The encoded payload: a scalar's bytes, a string's characters (without
    // the length), an array's elements (after element type and count).
    std::span<const std::byte> payload() const { return m_payload; }

    std::optional<uint64_t> toUint() const;
    std::optional<int64_t> toInt() const;
    std::optional<double> toFloat() const;
    std::optional<bool> toBool() const;
    std::optional<std::string_view> toString() const;

    // Array conversions. String elements are views (no copies), so a
    // 150k-token vocabulary costs one vector of views.
    std::optional<std::vector<std::string_view>> toStringArray() const;
    std::optional<std::vector<int64_t>> toIntArray() const;  // any integer element type
    std::optional<std::vector<double>> toFloatArray() const;  // any number element type

private:
    friend class HeaderParser;
    GgufValue(GgufType type, GgufType elementType, uint64_t count, std::span<const std::byte> payload)
        : m_type(type), m_elementType(elementType), m_count(count), m_payload(payload) {}

    GgufType m_type = GgufType::Uint8;
    GgufType m_elementType = GgufType::Uint8;
    uint64_t m_count = 0;
    std::span<const std::byte> m_payload;
};

struct GgufKeyValue {
    std::string_view key;
    GgufValue value;
};

struct GgufTensorInfo {
    std::string_view name;          // "blk.3.attn_q.weight"
    TensorType type = TensorType::F32;
    std::vector<uint64_t> dims;     // 1 to 4; dims[0] is contiguous: a matrix is (columns, rows)
    uint64_t offset = 0;            // bytes from the start of the data section, aligned
    uint64_t bytes = 0;             // size of the data, from type and dims

    uint64_t elementCount() const;  // product of dims (validated not to overflow)
};

// A parsed and validated header. Parsing checks every count and length
// against the file size, each tensor's type, dims, alignment and extent, and
// that no two tensors overlap; a GgufHeader that exists is consistent.
class GgufHeader {
public:
    GgufHeader() = default;

    uint32_t version() const { return m_version; }  // 2 or 3
    uint64_t alignment() const { return m_alignment; }  // general.alignment, or 32
    uint64_t headerSize() const { return m_headerSize; }  // bytes up to the end of the tensor infos
    uint64_t dataOffset() const { return m_dataOffset; }  // file offset of the data section
    uint64_t fileSize() const { return m_fileSize; }

    std::span<const GgufKeyValue> metadata() const { return m_metadata; }
    const GgufValue* find(std::string_view key) const;  // nullptr when absent

    // Typed lookups: nullopt when the key is absent or its value has another
    // type (see GgufValue's conversions).
    std::optional<uint64_t> getUint(std::string_view key) const;
    std::optional<int64_t> getInt(std::string_view key) const;
    std::optional<double> getFloat(std::string_view key) const;
    std::optional<bool> getBool(std::string_view key) const;
    std::optional<std::string_view> getString(std::string_view key) const;
    std::optional<std::vector<std::string_view>> getStringArray(std::string_view key) const;
    std::optional<std::vector<int64_t>> getIntArray(std::string_view key) const;
    std::optional<std::vector<double>> getFloatArray(std::string_view key) const;

    std::span<const GgufTensorInfo> tensors() const { return m_tensors; }
    const GgufTensorInfo* findTensor(std::string_view name) const;  // nullptr when absent
    uint64_t tensorFileOffset(const GgufTensorInfo& tensor) const { return m_dataOffset + tensor.offset; }

private:
    friend class HeaderParser;

    std::shared_ptr<const std::vector<std::byte>> m_bytes;  // the header, [0, headerSize)
    uint32_t m_version = 0;
    uint64_t m_alignment = 32;
    uint64_t m_headerSize = 0;
    uint64_t m_dataOffset = 0;
    uint64_t m_fileSize = 0;
    std::vector<GgufKeyValue> m_metadata;
    std::vector<GgufTensorInfo> m_tensors;
    std::unordered_map<std::string_view, size_t> m_keyIndex;     // key -> index in m_metadata
    std::unordered_map<std::string_view, size_t> m_tensorIndex;  // name -> index in m_tensors
};

// The outcome of parsing the first bytes of a file.
struct GgufPrefixParse {
    // The header, or an error: NeedMoreData when the prefix ends inside the
    // header, Malformed when the bytes (or the file size) break the format.
    Result<GgufHeader> header;
    // With NeedMoreData: a prefix of at least this many bytes lets parsing get
    // further. It never exceeds the header's real size, so fetching exactly
    // this much and parsing again either succeeds or asks for a larger number.
    // It is a lower bound, though: inside a vocabulary it may grow one token
    // at a time, so a caller reading over a network should fetch at least
    // double what it has (the header of a 150k-token model is 5-10 MB).
    uint64_t neededBytes = 0;
};

// Parses the header from `prefix`, the first bytes of a file of `fileSize`
// bytes (prefix.size() <= fileSize; the whole file is fine too). Tensor
// extents are checked against fileSize, so the result is as trustworthy as
// one from the whole file.
GgufPrefixParse parseGgufPrefix(std::span<const std::byte> prefix, uint64_t fileSize);

// The same, when the caller only wants the header or an error; NeedMoreData
// gives the needed byte count in its message only.
Result<GgufHeader> parseGgufHeader(std::span<const std::byte> prefix, uint64_t fileSize);

// A GGUF file mapped read-only. Movable, not copyable; tensor data views
// live as long as the GgufFile. (Should another program shorten the file
// while it is mapped, touching the lost pages raises SIGBUS: no reader of a
// mapping can turn that into an error value.)
class GgufFile {
public:
    // NotFound when the file does not exist, Io for other open or map
    // failures (with the OS reason), Malformed for a broken file; messages
    // begin with the path.
    static Result<GgufFile> open(const std::filesystem::path& path);

    GgufFile(GgufFile&& other) noexcept;
    GgufFile& operator=(GgufFile&& other) noexcept;
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;
    ~GgufFile();

    const GgufHeader& header() const { return m_header; }
    const std::filesystem::path& path() const { return m_path; }
    uint64_t size() const { return m_size; }
    std::span<const std::byte> bytes() const;  // the whole file

    const GgufTensorInfo* findTensor(std::string_view name) const { return m_header.findTensor(name); }
    // The tensor's bytes in the mapping; empty for a tensor that is not
    // inside this file (e.g. one from another file's header).
    std::span<const std::byte> tensorData(const GgufTensorInfo& tensor) const;

    // Paging hints for streaming tensors to the GPU: ask the kernel to read
    // a tensor ahead of use, and to drop its pages from this process once
    // uploaded (the page cache keeps them; a later read maps them back in).
    void prefetch(const GgufTensorInfo& tensor) const;
    void release(const GgufTensorInfo& tensor) const;

private:
    GgufFile() = default;
    void unmap();

    std::filesystem::path m_path;
    const std::byte* m_data = nullptr;
    uint64_t m_size = 0;
    GgufHeader m_header;
};

} // namespace ponder
