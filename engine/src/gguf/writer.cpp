// GgufWriter: creating, metadata encoding and tensor declarations. Writing
// the header and data is in writer_stream.cpp.
#include "ponder/gguf_writer.h"

#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "gguf/byte_order.h"
#include "gguf/format.h"

namespace ponder {

using gguf::appendLe;
using gguf::appendText;

Result<GgufWriter> GgufWriter::create(const std::filesystem::path& path)
{
    GgufWriter writer;
    writer.m_path = path;
    writer.m_partPath = path;
    writer.m_partPath += ".part";
    writer.m_file = std::fopen(writer.m_partPath.c_str(), "wb");
    if (!writer.m_file)
        return fail(ErrorCode::Io, gguf::quotedPath(writer.m_partPath) + ": creating failed: " + std::strerror(errno));
    return writer;
}

GgufWriter GgufWriter::inMemory()
{
    return GgufWriter();
}

GgufWriter::GgufWriter(GgufWriter&& other) noexcept
{
    *this = std::move(other);
}

GgufWriter& GgufWriter::operator=(GgufWriter&& other) noexcept
{
    if (this == &other)
        return *this;
    closeFile();
    m_path = std::move(other.m_path);
    m_partPath = std::move(other.m_partPath);
    m_file = std::exchange(other.m_file, nullptr);
    m_memory = std::move(other.m_memory);
    m_error = std::move(other.m_error);
    m_alignment = other.m_alignment;
    m_keyCount = other.m_keyCount;
    m_metadata = std::move(other.m_metadata);
    m_keys = std::move(other.m_keys);
    m_tensors = std::move(other.m_tensors);
    m_tensorNames = std::move(other.m_tensorNames);
    m_dataSize = other.m_dataSize;
    m_headerWritten = other.m_headerWritten;
    m_finished = other.m_finished;
    m_current = other.m_current;
    m_currentWritten = other.m_currentWritten;
    m_dataOffset = other.m_dataOffset;
    return *this;
}

GgufWriter::~GgufWriter()
{
    closeFile();
}

// Closes an unfinished file and deletes it: half a model must not look whole.
void GgufWriter::closeFile()
{
    if (!m_file)
        return;
    std::fclose(m_file);
    m_file = nullptr;
    std::error_code ignored;
    std::filesystem::remove(m_partPath, ignored);
}

void GgufWriter::setError(ErrorCode code, std::string message)
{
    if (!m_error)
        m_error = Error{code, std::move(message)};
}

void GgufWriter::setAlignment(uint64_t alignment)
{
    if (m_headerWritten)
        return setError(ErrorCode::InvalidArgument, "the alignment was set after the header was written");
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > gguf::kMaxAlignment)
        return setError(ErrorCode::InvalidArgument,
                        "alignment " + std::to_string(alignment) + " is not a power of two from 1 to 2^31");
    m_alignment = alignment;
}

// Checks the key and appends it with the value type; false on a mistake.
bool GgufWriter::beginKey(std::string_view key, GgufType type)
{
    if (m_error)
        return false;
    if (m_headerWritten) {
        setError(ErrorCode::InvalidArgument, "metadata key '" + std::string(key) + "' was added after the header was written");
        return false;
    }
    if (key.empty() || key.size() > gguf::kMaxKeyBytes) {
        setError(ErrorCode::InvalidArgument, "metadata key '" + gguf::quoted(key) + "' is empty or too long");
        return false;
    }
    if (key == gguf::kAlignmentKey) {
        setError(ErrorCode::InvalidArgument, "set general.alignment through setAlignment()");
        return false;
    }
    if (!m_keys.emplace(key).second) {
        setError(ErrorCode::InvalidArgument, "metadata key '" + std::string(key) + "' was added twice");
        return false;
    }
    appendString(key);
    appendLe(m_metadata, static_cast<uint32_t>(type));
    ++m_keyCount;
    return true;
}

void GgufWriter::appendString(std::string_view text)
{
    appendText(m_metadata, text);
}

template <typename T>
void GgufWriter::addScalar(std::string_view key, GgufType type, T value)
{
    if (beginKey(key, type))
        appendLe(m_metadata, value);
}

void GgufWriter::addUint8(std::string_view key, uint8_t value) { addScalar(key, GgufType::Uint8, value); }
void GgufWriter::addInt8(std::string_view key, int8_t value) { addScalar(key, GgufType::Int8, value); }
void GgufWriter::addUint16(std::string_view key, uint16_t value) { addScalar(key, GgufType::Uint16, value); }
void GgufWriter::addInt16(std::string_view key, int16_t value) { addScalar(key, GgufType::Int16, value); }
void GgufWriter::addUint32(std::string_view key, uint32_t value) { addScalar(key, GgufType::Uint32, value); }
void GgufWriter::addInt32(std::string_view key, int32_t value) { addScalar(key, GgufType::Int32, value); }
void GgufWriter::addUint64(std::string_view key, uint64_t value) { addScalar(key, GgufType::Uint64, value); }
void GgufWriter::addInt64(std::string_view key, int64_t value) { addScalar(key, GgufType::Int64, value); }
void GgufWriter::addFloat32(std::string_view key, float value) { addScalar(key, GgufType::Float32, value); }
void GgufWriter::addFloat64(std::string_view key, double value) { addScalar(key, GgufType::Float64, value); }
void GgufWriter::addBool(std::string_view key, bool value) { addScalar(key, GgufType::Bool, uint8_t{value}); }

void GgufWriter::addString(std::string_view key, std::string_view value)
{
    if (beginKey(key, GgufType::String))
        appendString(value);
}

template <typename T>
void GgufWriter::addNumbers(std::string_view key, GgufType elementType, std::span<const T> values)
{
    if (!beginKey(key, GgufType::Array))
        return;
    appendLe(m_metadata, static_cast<uint32_t>(elementType));
    appendLe(m_metadata, static_cast<uint64_t>(values.size()));
    for (const T& v : values) {
        if constexpr (std::is_same_v<T, bool>)
            appendLe(m_metadata, uint8_t{v});
        else
            appendLe(m_metadata, v);
    }
}

void GgufWriter::addArray(std::string_view key, std::span<const uint8_t> v) { addNumbers(key, GgufType::Uint8, v); }
void GgufWriter::addArray(std::string_view key, std::span<const int8_t> v) { addNumbers(key, GgufType::Int8, v); }
void GgufWriter::addArray(std::string_view key, std::span<const uint16_t> v) { addNumbers(key, GgufType::Uint16, v); }
void GgufWriter::addArray(std::string_view key, std::span<const int16_t> v) { addNumbers(key, GgufType::Int16, v); }
void GgufWriter::addArray(std::string_view key, std::span<const uint32_t> v) { addNumbers(key, GgufType::Uint32, v); }
void GgufWriter::addArray(std::string_view key, std::span<const int32_t> v) { addNumbers(key, GgufType::Int32, v); }
void GgufWriter::addArray(std::string_view key, std::span<const uint64_t> v) { addNumbers(key, GgufType::Uint64, v); }
void GgufWriter::addArray(std::string_view key, std::span<const int64_t> v) { addNumbers(key, GgufType::Int64, v); }
void GgufWriter::addArray(std::string_view key, std::span<const float> v) { addNumbers(key, GgufType::Float32, v); }
void GgufWriter::addArray(std::string_view key, std::span<const double> v) { addNumbers(key, GgufType::Float64, v); }
void GgufWriter::addArray(std::string_view key, std::span<const bool> v) { addNumbers(key, GgufType::Bool, v); }

void GgufWriter::addArray(std::string_view key, std::span<const std::string> values)
{
    if (!beginKey(key, GgufType::Array))
        return;
    appendLe(m_metadata, static_cast<uint32_t>(GgufType::String));
    appendLe(m_metadata, static_cast<uint64_t>(values.size()));
    for (const std::string& v : values)
        appendString(v);
}

void GgufWriter::addArray(std::string_view key, std::span<const std::string_view> values)
{
    if (!beginKey(key, GgufType::Array))
        return;
    appendLe(m_metadata, static_cast<uint32_t>(GgufType::String));
    appendLe(m_metadata, static_cast<uint64_t>(values.size()));
    for (std::string_view v : values)
        appendString(v);
}

void GgufWriter::addValue(std::string_view key, const GgufValue& value)
{
    if (key == gguf::kAlignmentKey) {
        const auto alignment = value.toUint();
        if (!alignment)
            return setError(ErrorCode::InvalidArgument, "general.alignment to copy is not an unsigned integer");
        return setAlignment(*alignment);
    }
    if (!beginKey(key, value.type()))
        return;
    // The payload is already encoded: only a string's length and an array's
    // element type and count precede it.
    if (value.type() == GgufType::String) {
        appendLe(m_metadata, static_cast<uint64_t>(value.payload().size()));
    } else if (value.isArray()) {
        appendLe(m_metadata, static_cast<uint32_t>(value.elementType()));
        appendLe(m_metadata, value.size());
    }
    m_metadata.insert(m_metadata.end(), value.payload().begin(), value.payload().end());
}

void GgufWriter::addTensor(std::string_view name, TensorType type, std::span<const uint64_t> dims)
{
    if (m_error)
        return;
    const std::string what = "tensor '" + gguf::quoted(name) + "'";
    if (m_headerWritten)
        return setError(ErrorCode::InvalidArgument, what + " was declared after the header was written");
    if (name.empty() || name.size() > gguf::kMaxTensorNameBytes)
        return setError(ErrorCode::InvalidArgument, what + ": a name must have 1 to 63 bytes");
    if (!tensorTypeFromId(static_cast<uint32_t>(type)))
        return setError(ErrorCode::InvalidArgument, what + " has an unknown type");
    if (dims.empty() || dims.size() > gguf::kMaxDims)
        return setError(ErrorCode::InvalidArgument, what + " must have 1 to 4 dimensions");
    uint64_t count = 1;
    for (uint64_t d : dims) {
        if (d == 0 || count > std::numeric_limits<uint64_t>::max() / d)
            return setError(ErrorCode::InvalidArgument, what + " has a zero or overflowing dimension");
        count *= d;
    }
    const TensorTypeTraits& t = traits(type);
    if (dims[0] % t.blockSize != 0)
        return setError(ErrorCode::InvalidArgument, what + ": rows of " + std::to_string(dims[0])
                                                        + " values are not a whole number of " + std::string(t.name)
                                                        + " blocks");
    if (!m_tensorNames.emplace(name).second)
        return setError(ErrorCode::InvalidArgument, what + " was declared twice");
    m_tensors.push_back({std::string(name), type, {dims.begin(), dims.end()}, 0, tensorBytes(type, count)});
}

} // namespace ponder
