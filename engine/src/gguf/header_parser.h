// Parses a GGUF header from a prefix of a file into a GgufHeader, checking
// every count, length, dimension and offset before using it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/byte_cursor.h"
#include "ponder/gguf.h"

namespace ponder {

class HeaderParser {
public:
    HeaderParser(std::span<const std::byte> prefix, uint64_t fileSize);

    Result<GgufHeader> parse();
    // After parse() failed with NeedMoreData: the prefix length to fetch.
    uint64_t neededBytes() const { return m_cursor.needed(); }

private:
    // Positions are byte offsets in the file (and the prefix).
    struct ValueRecord {
        GgufType type = GgufType::Uint8;
        GgufType elementType = GgufType::Uint8;
        uint64_t count = 1;
        uint64_t payloadOffset = 0;
        uint64_t payloadSize = 0;
    };
    struct KeyRecord {
        std::string_view key;  // into the prefix
        ValueRecord value;
    };
    struct TensorRecord {
        std::string_view name;  // into the prefix
        uint32_t typeId = 0;
        TensorType type = TensorType::F32;
        std::vector<uint64_t> dims;
        uint64_t offset = 0;
        uint64_t bytes = 0;
    };

    Result<void> parseStart();
    Result<void> parseMetadata();
    Result<ValueRecord> parseValue(uint32_t typeId, uint64_t counted, int depth);
    Result<ValueRecord> parseArray(uint64_t counted, int depth);
    Result<void> readAlignment();
    Result<void> parseTensorInfos();
    Result<void> checkTensor(TensorRecord& tensor) const;
    Result<void> checkPlacement() const;
    GgufHeader build() const;

    // Reads n bytes (`counted` of them promised by the reserve) and returns
    // their offset; `what` names them in messages.
    Result<uint64_t> take(uint64_t n, uint64_t counted, std::string_view what);
    Result<uint32_t> readU32(uint64_t counted, std::string_view what);
    Result<uint64_t> readU64(uint64_t counted, std::string_view what);
    std::string_view viewAt(uint64_t offset, uint64_t length) const;

    std::unexpected<Error> malformed(std::string_view message) const;
    std::string where() const;  // m_context plus the array element, for messages

    gguf::ByteCursor m_cursor;
    std::string m_context = "file header";  // "metadata key 'general.name'"
    int64_t m_element = -1;                 // index in the array being read, or -1

    uint32_t m_version = 0;
    uint64_t m_tensorCount = 0;
    uint64_t m_keyCount = 0;
    uint64_t m_alignment = 32;
    uint64_t m_headerSize = 0;
    uint64_t m_dataOffset = 0;
    std::vector<KeyRecord> m_keys;
    std::vector<TensorRecord> m_tensors;
};

} // namespace ponder
