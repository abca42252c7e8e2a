// The file header and metadata of a GGUF header, and assembling the result.
// Tensor infos are in tensor_infos.cpp.
#include "gguf/header_parser.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "gguf/byte_order.h"
#include "gguf/format.h"

namespace ponder {

using gguf::ByteCursor;

namespace {

// Sanity limits on declared counts: real models have under a hundred keys
// and a few thousand tensors; these keep a hostile file that is merely large
// from making the reader hold millions of records.
constexpr uint64_t kMaxKeyValues = uint64_t{1} << 20;
constexpr uint64_t kMaxTensors = uint64_t{1} << 20;

} // namespace

HeaderParser::HeaderParser(std::span<const std::byte> prefix, uint64_t fileSize)
    : m_cursor(prefix, fileSize)
{
}

std::string HeaderParser::where() const
{
    if (m_element < 0)
        return m_context;
    return m_context + ", element " + std::to_string(m_element);
}

std::unexpected<Error> HeaderParser::malformed(std::string_view message) const
{
    return fail(ErrorCode::Malformed, std::string(message));
}

Result<uint64_t> HeaderParser::take(uint64_t n, uint64_t counted, std::string_view what)
{
    const uint64_t start = m_cursor.position();
    const std::byte* unused = nullptr;
    switch (m_cursor.take(n, counted, unused)) {
    case ByteCursor::Status::Ok:
        return start;
    case ByteCursor::Status::NeedMoreData:
        return fail(ErrorCode::NeedMoreData,
                    "the GGUF header continues past the first " + std::to_string(m_cursor.prefixSize())
                        + " bytes: at least " + std::to_string(m_cursor.needed()) + " are needed");
    case ByteCursor::Status::PastEnd:
        break;
    }
    return malformed(where() + ": " + std::string(what) + " (" + std::to_string(n) + " bytes at byte "
                     + std::to_string(start) + ") runs past the end of the "
                     + std::to_string(m_cursor.fileSize()) + "-byte file");
}

std::string_view HeaderParser::viewAt(uint64_t offset, uint64_t length) const
{
    return {reinterpret_cast<const char*>(m_cursor.prefix().data() + offset), length};
}

Result<uint32_t> HeaderParser::readU32(uint64_t counted, std::string_view what)
{
    const auto at = take(4, counted, what);
    if (!at)
        return std::unexpected(at.error());
    return gguf::loadLe<uint32_t>(m_cursor.prefix().data() + *at);
}

Result<uint64_t> HeaderParser::readU64(uint64_t counted, std::string_view what)
{
    const auto at = take(8, counted, what);
    if (!at)
        return std::unexpected(at.error());
    return gguf::loadLe<uint64_t>(m_cursor.prefix().data() + *at);
}

Result<GgufHeader> HeaderParser::parse()
{
    PONDER_TRY(parseStart());
    PONDER_TRY(parseMetadata());
    PONDER_TRY(readAlignment());
    PONDER_TRY(parseTensorInfos());
    m_headerSize = m_cursor.position();
    m_dataOffset = gguf::alignUp(m_headerSize, m_alignment);
    PONDER_TRY(checkPlacement());
    return build();
}

Result<void> HeaderParser::parseStart()
{
    // Judge the magic on whatever part of it has arrived, so that a file of
    // another format is named as such rather than asked for more bytes.
    const auto prefix = m_cursor.prefix();
    const size_t shown = std::min<size_t>(gguf::kMagic.size(), prefix.size());
    if (shown > 0 && std::memcmp(prefix.data(), gguf::kMagic.data(), shown) != 0)
        return malformed("not a GGUF file: it does not start with \"GGUF\" but \""
                         + gguf::quoted(viewAt(0, shown)) + "\"");
    if (!m_cursor.reserve(gguf::kFileHeaderBytes))
        return malformed("the " + std::to_string(m_cursor.fileSize())
                         + "-byte file is too short for the 24-byte GGUF file header");

    PONDER_TRY(take(4, 4, "magic"));
    const auto version = readU32(4, "version");
    if (!version)
        return std::unexpected(version.error());
    if (*version != 2 && *version != 3)
        return malformed("GGUF version " + std::to_string(*version) + " is not supported (only 2 and 3 are)");
    m_version = *version;

    const auto tensorCount = readU64(8, "tensor count");
    if (!tensorCount)
        return std::unexpected(tensorCount.error());
    const auto keyCount = readU64(8, "metadata count");
    if (!keyCount)
        return std::unexpected(keyCount.error());
    m_tensorCount = *tensorCount;
    m_keyCount = *keyCount;

    if (m_keyCount > kMaxKeyValues)
        return malformed("the header declares " + std::to_string(m_keyCount)
                         + " metadata entries, more than the reader's limit of " + std::to_string(kMaxKeyValues));
    if (m_tensorCount > kMaxTensors)
        return malformed("the header declares " + std::to_string(m_tensorCount)
                         + " tensors, more than the reader's limit of " + std::to_string(kMaxTensors));
    // Both products are below 2^26, so no overflow.
    if (!m_cursor.reserve(m_keyCount * gguf::kMinKeyValueBytes + m_tensorCount * gguf::kMinTensorInfoBytes))
        return malformed("the header declares " + std::to_string(m_tensorCount) + " tensors and "
                         + std::to_string(m_keyCount) + " metadata entries, more than the "
                         + std::to_string(m_cursor.fileSize()) + "-byte file can hold");
    return {};
}

Result<void> HeaderParser::parseMetadata()
{
    std::unordered_set<std::string_view> seen;
    for (uint64_t i = 0; i < m_keyCount; ++i) {
        m_context = "metadata entry " + std::to_string(i);
        // The 13 reserved bytes of an entry: 8 of the key length, 4 of the
        // type, 1 of the value.
        const auto keyLength = readU64(8, "key length");
        if (!keyLength)
            return std::unexpected(keyLength.error());
        if (*keyLength == 0)
            return malformed(m_context + " has an empty key");
        if (*keyLength > gguf::kMaxKeyBytes)
            return malformed(m_context + ": key length " + std::to_string(*keyLength) + " exceeds the limit of "
                             + std::to_string(gguf::kMaxKeyBytes) + " bytes");
        const auto keyAt = take(*keyLength, 0, "key");
        if (!keyAt)
            return std::unexpected(keyAt.error());
        const std::string_view key = viewAt(*keyAt, *keyLength);
        m_context = "metadata key '" + gguf::quoted(key) + "'";

        const auto typeId = readU32(4, "value type");
        if (!typeId)
            return std::unexpected(typeId.error());
        const auto value = parseValue(*typeId, 1, 0);
        if (!value)
            return std::unexpected(value.error());
        if (!seen.insert(key).second)
            return malformed(m_context + " appears twice");
        m_keys.push_back({key, *value});
    }
    return {};
}

Result<HeaderParser::ValueRecord> HeaderParser::parseValue(uint32_t typeId, uint64_t counted, int depth)
{
    if (!gguf::isValidTypeId(typeId))
        return malformed(where() + " has unknown value type " + std::to_string(typeId));
    const auto type = static_cast<GgufType>(typeId);
    if (type == GgufType::Array)
        return parseArray(counted, depth);
    if (type == GgufType::String) {
        const auto length = readU64(counted, "string length");
        if (!length)
            return std::unexpected(length.error());
        const auto at = take(*length, 0, "string");
        if (!at)
            return std::unexpected(at.error());
        return ValueRecord{type, type, 1, *at, *length};
    }
    const uint64_t size = gguf::fixedSize(type);
    const auto at = take(size, counted, ggufTypeName(type));
    if (!at)
        return std::unexpected(at.error());
    return ValueRecord{type, type, 1, *at, size};
}

// `counted`: how many of the 12 bytes of element type and count the caller
// reserved (1 for a metadata value, 12 for an array inside an array).
Result<HeaderParser::ValueRecord> HeaderParser::parseArray(uint64_t counted, int depth)
{
    const uint64_t countedType = std::min<uint64_t>(counted, 4);
    const auto elementId = readU32(countedType, "array element type");
    if (!elementId)
        return std::unexpected(elementId.error());
    const auto count = readU64(counted - countedType, "array length");
    if (!count)
        return std::unexpected(count.error());
    if (!gguf::isValidTypeId(*elementId))
        return malformed(where() + ": array has unknown element type " + std::to_string(*elementId));
    const auto elementType = static_cast<GgufType>(*elementId);
    if (elementType == GgufType::Array && depth + 1 >= gguf::kMaxArrayDepth)
        return malformed(where() + ": arrays are nested more than " + std::to_string(gguf::kMaxArrayDepth)
                         + " deep");

    // Every element takes at least `minimum` bytes: check the count against
    // the file before walking or allocating anything.
    const uint64_t minimum = gguf::minElementSize(elementType);
    if (*count > m_cursor.unclaimed() / minimum)
        return malformed(where() + ": an array of " + std::to_string(*count) + " "
                         + std::string(ggufTypeName(elementType)) + " elements cannot fit in the "
                         + std::to_string(m_cursor.fileSize()) + "-byte file");
    m_cursor.reserve(*count * minimum);

    const uint64_t start = m_cursor.position();
    if (elementType == GgufType::String || elementType == GgufType::Array) {
        const int64_t outerElement = m_element;
        for (uint64_t i = 0; i < *count; ++i) {
            m_element = static_cast<int64_t>(i);
            const auto element = elementType == GgufType::String ? parseValue(*elementId, minimum, depth)
                                                                 : parseArray(minimum, depth + 1);
            if (!element)
                return std::unexpected(element.error());
        }
        m_element = outerElement;
    } else {
        PONDER_TRY(take(*count * minimum, *count * minimum, "array elements"));
    }
    return ValueRecord{GgufType::Array, elementType, *count, start, m_cursor.position() - start};
}

Result<void> HeaderParser::readAlignment()
{
    m_context = "metadata key '" + std::string(gguf::kAlignmentKey) + "'";
    for (const KeyRecord& record : m_keys) {
        if (record.key != gguf::kAlignmentKey)
            continue;
        const ValueRecord& v = record.value;
        if (!isGgufInteger(v.type))
            return malformed(m_context + " has type " + std::string(ggufTypeName(v.type))
                             + "; it must be an unsigned integer");
        const GgufValue value(v.type, v.elementType, v.count,
                              m_cursor.prefix().subspan(v.payloadOffset, v.payloadSize));
        const auto alignment = value.toUint();
        if (!alignment || *alignment == 0 || (*alignment & (*alignment - 1)) != 0
            || *alignment > gguf::kMaxAlignment)
            return malformed(m_context + " is " + (value.toInt() ? std::to_string(*value.toInt()) : "too large")
                             + "; it must be a power of two from 1 to 2^31");
        m_alignment = *alignment;
    }
    return {};
}

GgufHeader HeaderParser::build() const
{
    GgufHeader header;
    auto bytes = std::make_shared<std::vector<std::byte>>(
        m_cursor.prefix().begin(), m_cursor.prefix().begin() + static_cast<std::ptrdiff_t>(m_headerSize));
    const std::byte* from = m_cursor.prefix().data();
    const std::byte* to = bytes->data();
    const auto rebase = [&](std::string_view view) {
        return std::string_view(reinterpret_cast<const char*>(to) + (view.data() - reinterpret_cast<const char*>(from)),
                                view.size());
    };

    header.m_version = m_version;
    header.m_alignment = m_alignment;
    header.m_headerSize = m_headerSize;
    header.m_dataOffset = m_dataOffset;
    header.m_fileSize = m_cursor.fileSize();

    header.m_metadata.reserve(m_keys.size());
    header.m_keyIndex.reserve(m_keys.size());
    for (const KeyRecord& record : m_keys) {
        const ValueRecord& v = record.value;
        const GgufValue value(v.type, v.elementType, v.count,
                              std::span<const std::byte>(to + v.payloadOffset, v.payloadSize));
        header.m_metadata.push_back({rebase(record.key), value});
        header.m_keyIndex.emplace(header.m_metadata.back().key, header.m_metadata.size() - 1);
    }

    header.m_tensors.reserve(m_tensors.size());
    header.m_tensorIndex.reserve(m_tensors.size());
    for (const TensorRecord& record : m_tensors) {
        header.m_tensors.push_back({rebase(record.name), record.type, record.dims, record.offset, record.bytes});
        header.m_tensorIndex.emplace(header.m_tensors.back().name, header.m_tensors.size() - 1);
    }
    header.m_bytes = std::move(bytes);
    return header;
}

GgufPrefixParse parseGgufPrefix(std::span<const std::byte> prefix, uint64_t fileSize)
{
    if (prefix.size() > fileSize)
        return {fail(ErrorCode::InvalidArgument, "a prefix of " + std::to_string(prefix.size())
                                                     + " bytes is longer than its " + std::to_string(fileSize)
                                                     + "-byte file"),
                0};
    HeaderParser parser(prefix, fileSize);
    GgufPrefixParse result{parser.parse(), 0};
    if (!result.header && result.header.error().code == ErrorCode::NeedMoreData)
        result.neededBytes = parser.neededBytes();
    return result;
}

Result<GgufHeader> parseGgufHeader(std::span<const std::byte> prefix, uint64_t fileSize)
{
    return parseGgufPrefix(prefix, fileSize).header;
}

} // namespace ponder
