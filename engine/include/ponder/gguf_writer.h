// Writing GGUF version 3 files, streaming: metadata and tensor declarations
// are collected first (small), then each tensor's bytes are written in
// declaration order, in as many pieces as the caller likes, so a file of
// many gigabytes never sits in memory.
//
//     auto writer = GgufWriter::create("model.gguf");
//     writer->addString("general.architecture", "llama");
//     writer->addTensor("token_embd.weight", TensorType::Q4_K, {2048, 32000});
//     PONDER_TRY(writer->writeTensorData(firstHalf));
//     PONDER_TRY(writer->writeTensorData(secondHalf));
//     PONDER_TRY(writer->finish());
//
// The add* calls return nothing: the first mistake (a duplicate key, a bad
// shape, a call after the header was written) is kept and returned by the
// next call that returns a Result, and every later call fails with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ponder/error.h"
#include "ponder/gguf.h"
#include "ponder/tensor_type.h"

namespace ponder {

class GgufWriter {
public:
    // Writes to `path` + ".part" and renames it to `path` in finish(), so an
    // interrupted write never leaves a file that looks complete.
    static Result<GgufWriter> create(const std::filesystem::path& path);
    // Collects the file in memory; takeBytes() hands it over after finish().
    static GgufWriter inMemory();

    GgufWriter(GgufWriter&& other) noexcept;
    GgufWriter& operator=(GgufWriter&& other) noexcept;
    GgufWriter(const GgufWriter&) = delete;
    GgufWriter& operator=(const GgufWriter&) = delete;
    ~GgufWriter();  // without finish(): closes and deletes the partial file

    // Data alignment, a power of two (default 32). Stored as general.alignment
    // (u32) when not the default. Before the first tensor is declared.
    void setAlignment(uint64_t alignment);

    void addUint8(std::string_view key, uint8_t value);
    void addInt8(std::string_view key, int8_t value);
    void addUint16(std::string_view key, uint16_t value);
    void addInt16(std::string_view key, int16_t value);
    void addUint32(std::string_view key, uint32_t value);
    void addInt32(std::string_view key, int32_t value);
    void addUint64(std::string_view key, uint64_t value);
    void addInt64(std::string_view key, int64_t value);
    void addFloat32(std::string_view key, float value);
    void addFloat64(std::string_view key, double value);
    void addBool(std::string_view key, bool value);
    void addString(std::string_view key, std::string_view value);

    // Arrays; the element type follows the span's.
    void addArray(std::string_view key, std::span<const uint8_t> values);
    void addArray(std::string_view key, std::span<const int8_t> values);
    void addArray(std::string_view key, std::span<const uint16_t> values);
    void addArray(std::string_view key, std::span<const int16_t> values);
    void addArray(std::string_view key, std::span<const uint32_t> values);
    void addArray(std::string_view key, std::span<const int32_t> values);
    void addArray(std::string_view key, std::span<const uint64_t> values);
    void addArray(std::string_view key, std::span<const int64_t> values);
    void addArray(std::string_view key, std::span<const float> values);
    void addArray(std::string_view key, std::span<const double> values);
    void addArray(std::string_view key, std::span<const bool> values);
    void addArray(std::string_view key, std::span<const std::string> values);
    void addArray(std::string_view key, std::span<const std::string_view> values);

    // Copies a value read from another file, whatever its type (arrays of
    // arrays included): the way to carry metadata over when re-writing.
    void addValue(std::string_view key, const GgufValue& value);

    // Declares the next tensor: dims[0] is contiguous and a multiple of the
    // type's block size; 1 to 4 dims, none zero. Before any data is written.
    void addTensor(std::string_view name, TensorType type, std::span<const uint64_t> dims);
    void addTensor(std::string_view name, TensorType type, std::initializer_list<uint64_t> dims)
    {
        addTensor(name, type, std::span<const uint64_t>(dims.begin(), dims.size()));
    }

    // Writes the header. Optional: the first writeTensorData() or finish()
    // does it; after it, no more metadata or tensors can be added.
    Result<void> writeHeader();

    // Appends the next bytes of the current tensor (declaration order). A
    // piece may not run past the end of the current tensor.
    Result<void> writeTensorData(std::span<const std::byte> bytes);

    // Checks every tensor got all its bytes, flushes, closes, renames.
    Result<void> finish();

    // In-memory writers, after finish(): the whole file.
    std::vector<std::byte> takeBytes();

    // Layout, known once the header is written: file offset of the data
    // section, and the total file size.
    uint64_t dataOffset() const { return m_dataOffset; }
    uint64_t fileSize() const { return m_dataOffset + m_dataSize; }

private:
    struct TensorDecl {
        std::string name;
        TensorType type;
        std::vector<uint64_t> dims;
        uint64_t offset;  // in the data section
        uint64_t bytes;
    };

    GgufWriter() = default;
    bool beginKey(std::string_view key, GgufType type);
    template <typename T>
    void addScalar(std::string_view key, GgufType type, T value);
    template <typename T>
    void addNumbers(std::string_view key, GgufType elementType, std::span<const T> values);
    void appendString(std::string_view text);
    void setError(ErrorCode code, std::string message);
    Result<void> writeOut(std::span<const std::byte> bytes);
    Result<void> writeZeros(uint64_t bytes);
    void closeFile();

    std::filesystem::path m_path;      // empty for an in-memory writer
    std::filesystem::path m_partPath;
    std::FILE* m_file = nullptr;
    std::vector<std::byte> m_memory;   // the in-memory file
    std::optional<Error> m_error;      // the first mistake; every later call returns it

    uint64_t m_alignment = 32;
    uint64_t m_keyCount = 0;
    std::vector<std::byte> m_metadata;  // encoded key/value pairs
    std::unordered_set<std::string> m_keys;
    std::vector<TensorDecl> m_tensors;
    std::unordered_set<std::string> m_tensorNames;
    uint64_t m_dataSize = 0;           // data section, padded

    bool m_headerWritten = false;
    bool m_finished = false;
    size_t m_current = 0;              // tensor receiving data
    uint64_t m_currentWritten = 0;     // its bytes so far
    uint64_t m_dataOffset = 0;
};

} // namespace ponder
