// GgufWriter: writing the header, streaming tensor data, finishing.
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>

#include "gguf/byte_order.h"
#include "gguf/format.h"
#include "ponder/gguf_writer.h"

namespace ponder {

using gguf::appendLe;
using gguf::appendText;

Result<void> GgufWriter::writeOut(std::span<const std::byte> bytes)
{
    if (bytes.empty())
        return {};
    if (!m_file) {
        m_memory.insert(m_memory.end(), bytes.begin(), bytes.end());
        return {};
    }
    if (std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size()) {
        setError(ErrorCode::Io, gguf::quotedPath(m_partPath) + ": writing failed: " + std::strerror(errno));
        return std::unexpected(*m_error);
    }
    return {};
}

Result<void> GgufWriter::writeZeros(uint64_t bytes)
{
    static constexpr std::array<std::byte, 256> kZeros{};
    while (bytes > 0) {
        const uint64_t n = std::min<uint64_t>(bytes, kZeros.size());
        PONDER_TRY(writeOut(std::span<const std::byte>(kZeros.data(), n)));
        bytes -= n;
    }
    return {};
}

Result<void> GgufWriter::writeHeader()
{
    if (m_error)
        return std::unexpected(*m_error);
    if (m_headerWritten)
        return {};

    // Data layout: each tensor starts aligned, in declaration order.
    uint64_t offset = 0;
    for (TensorDecl& tensor : m_tensors) {
        tensor.offset = offset;
        constexpr uint64_t kLimit = uint64_t{1} << 62;
        if (offset > kLimit || tensor.bytes > kLimit - offset) {
            setError(ErrorCode::InvalidArgument, "the tensors add up to more than 2^62 bytes");
            return std::unexpected(*m_error);
        }
        offset = gguf::alignUp(offset + tensor.bytes, m_alignment);
    }
    m_dataSize = offset;

    const bool storeAlignment = m_alignment != gguf::kDefaultAlignment;
    std::vector<std::byte> start;
    for (char c : gguf::kMagic)
        start.push_back(static_cast<std::byte>(c));
    appendLe(start, gguf::kWriteVersion);
    appendLe(start, static_cast<uint64_t>(m_tensors.size()));
    appendLe(start, m_keyCount + (storeAlignment ? 1 : 0));

    std::vector<std::byte> rest;
    if (storeAlignment) {
        appendText(rest, gguf::kAlignmentKey);
        appendLe(rest, static_cast<uint32_t>(GgufType::Uint32));
        appendLe(rest, static_cast<uint32_t>(m_alignment));
    }
    for (const TensorDecl& tensor : m_tensors) {
        appendText(rest, tensor.name);
        appendLe(rest, static_cast<uint32_t>(tensor.dims.size()));
        for (uint64_t d : tensor.dims)
            appendLe(rest, d);
        appendLe(rest, static_cast<uint32_t>(tensor.type));
        appendLe(rest, tensor.offset);
    }
    const uint64_t headerSize = start.size() + m_metadata.size() + rest.size();
    m_dataOffset = gguf::alignUp(headerSize, m_alignment);

    PONDER_TRY(writeOut(start));
    PONDER_TRY(writeOut(m_metadata));
    PONDER_TRY(writeOut(rest));
    PONDER_TRY(writeZeros(m_dataOffset - headerSize));
    m_headerWritten = true;
    m_metadata = {};  // no longer needed; a vocabulary can be megabytes
    return {};
}

Result<void> GgufWriter::writeTensorData(std::span<const std::byte> bytes)
{
    PONDER_TRY(writeHeader());
    if (m_finished) {
        setError(ErrorCode::InvalidArgument, "tensor data was written after finish()");
        return std::unexpected(*m_error);
    }
    if (m_current >= m_tensors.size()) {
        setError(ErrorCode::InvalidArgument, "tensor data of " + std::to_string(bytes.size())
                                                 + " bytes was written after all " + std::to_string(m_tensors.size())
                                                 + " tensors were complete");
        return std::unexpected(*m_error);
    }
    const TensorDecl& tensor = m_tensors[m_current];
    const uint64_t left = tensor.bytes - m_currentWritten;
    if (bytes.size() > left) {
        setError(ErrorCode::InvalidArgument, "a piece of " + std::to_string(bytes.size()) + " bytes runs past the end of tensor '"
                                                 + tensor.name + "', which has " + std::to_string(left) + " of its "
                                                 + std::to_string(tensor.bytes) + " bytes left");
        return std::unexpected(*m_error);
    }
    PONDER_TRY(writeOut(bytes));
    m_currentWritten += bytes.size();
    if (m_currentWritten == tensor.bytes) {
        PONDER_TRY(writeZeros(gguf::alignUp(tensor.bytes, m_alignment) - tensor.bytes));
        ++m_current;
        m_currentWritten = 0;
    }
    return {};
}

Result<void> GgufWriter::finish()
{
    PONDER_TRY(writeHeader());
    if (m_finished)
        return {};
    if (m_current < m_tensors.size()) {
        const TensorDecl& tensor = m_tensors[m_current];
        setError(ErrorCode::InvalidArgument, "tensor '" + tensor.name + "' got " + std::to_string(m_currentWritten)
                                                 + " of its " + std::to_string(tensor.bytes) + " bytes, and "
                                                 + std::to_string(m_tensors.size() - m_current - 1)
                                                 + " tensors after it got none");
        return std::unexpected(*m_error);
    }
    if (m_file) {
        std::FILE* file = std::exchange(m_file, nullptr);
        const bool flushed = std::fflush(file) == 0;
        const int flushError = errno;
        const bool closed = std::fclose(file) == 0;
        if (!flushed || !closed) {
            setError(ErrorCode::Io, gguf::quotedPath(m_partPath) + ": writing failed: "
                                        + std::strerror(flushed ? errno : flushError));
            std::error_code ignored;
            std::filesystem::remove(m_partPath, ignored);
            return std::unexpected(*m_error);
        }
        std::error_code error;
        std::filesystem::rename(m_partPath, m_path, error);
        if (error) {
            setError(ErrorCode::Io, gguf::quotedPath(m_path) + ": renaming from .part failed: " + error.message());
            std::filesystem::remove(m_partPath, error);
            return std::unexpected(*m_error);
        }
    }
    m_finished = true;
    return {};
}

std::vector<std::byte> GgufWriter::takeBytes()
{
    if (!m_finished || !m_path.empty())
        return {};
    return std::move(m_memory);
}

} // namespace ponder
