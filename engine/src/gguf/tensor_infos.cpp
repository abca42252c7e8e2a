// Tensor infos of a GGUF header: reading them, and checking each tensor's
// type, shape, size, alignment and place in the file.
#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_set>

#include "gguf/byte_order.h"
#include "gguf/format.h"
#include "gguf/header_parser.h"

namespace ponder {
namespace {

std::string formatDims(const std::vector<uint64_t>& dims)
{
    std::string out = "[";
    for (size_t i = 0; i < dims.size(); ++i)
        out += (i ? ", " : "") + std::to_string(dims[i]);
    return out + "]";
}

} // namespace

Result<void> HeaderParser::parseTensorInfos()
{
    m_element = -1;
    m_tensors.reserve(m_tensorCount);  // bounded by kMaxTensors and the file size
    std::unordered_set<std::string_view> seen;
    for (uint64_t i = 0; i < m_tensorCount; ++i) {
        m_context = "tensor " + std::to_string(i);
        // The 32 reserved bytes of a tensor info: name length 8, n_dims 4,
        // the first dim 8, type 4, offset 8.
        const auto nameLength = readU64(8, "name length");
        if (!nameLength)
            return std::unexpected(nameLength.error());
        if (*nameLength == 0)
            return malformed(m_context + " has an empty name");
        if (*nameLength > gguf::kMaxTensorNameBytes)
            return malformed(m_context + ": name length " + std::to_string(*nameLength) + " exceeds the limit of "
                             + std::to_string(gguf::kMaxTensorNameBytes) + " bytes");
        const auto nameAt = take(*nameLength, 0, "name");
        if (!nameAt)
            return std::unexpected(nameAt.error());
        TensorRecord tensor;
        tensor.name = viewAt(*nameAt, *nameLength);
        m_context = "tensor '" + gguf::quoted(tensor.name) + "'";

        const auto nDims = readU32(4, "dimension count");
        if (!nDims)
            return std::unexpected(nDims.error());
        if (*nDims == 0 || *nDims > gguf::kMaxDims)
            return malformed(m_context + " has " + std::to_string(*nDims) + " dimensions; GGUF allows 1 to "
                             + std::to_string(gguf::kMaxDims));
        const auto dimsAt = take(uint64_t{8} * *nDims, 8, "dimensions");
        if (!dimsAt)
            return std::unexpected(dimsAt.error());
        for (uint32_t d = 0; d < *nDims; ++d)
            tensor.dims.push_back(gguf::loadLe<uint64_t>(m_cursor.prefix().data() + *dimsAt + 8 * d));

        const auto typeId = readU32(4, "type");
        if (!typeId)
            return std::unexpected(typeId.error());
        tensor.typeId = *typeId;
        const auto offset = readU64(8, "data offset");
        if (!offset)
            return std::unexpected(offset.error());
        tensor.offset = *offset;

        PONDER_TRY(checkTensor(tensor));
        if (!seen.insert(tensor.name).second)
            return malformed(m_context + " appears twice");
        m_tensors.push_back(std::move(tensor));
    }
    return {};
}

// Fills type and bytes after checking them against everything the info
// alone can tell; the extent in the file is checked by checkPlacement().
Result<void> HeaderParser::checkTensor(TensorRecord& tensor) const
{
    const auto type = tensorTypeFromId(tensor.typeId);
    if (!type) {
        if (tensor.typeId <= gguf::kMaxPlausibleGgmlType)
            return fail(ErrorCode::Unsupported, m_context + " has ggml type " + std::to_string(tensor.typeId)
                                                    + ", which Ponder does not know");
        return malformed(m_context + " has unknown type id " + std::to_string(tensor.typeId));
    }
    tensor.type = *type;

    uint64_t count = 1;
    for (size_t d = 0; d < tensor.dims.size(); ++d) {
        if (tensor.dims[d] == 0)
            return malformed(m_context + " has a zero dimension: " + formatDims(tensor.dims));
        if (count > std::numeric_limits<uint64_t>::max() / tensor.dims[d])
            return malformed(m_context + " has dimensions " + formatDims(tensor.dims)
                             + " whose element count overflows 64 bits");
        count *= tensor.dims[d];
    }
    const TensorTypeTraits& t = traits(*type);
    if (tensor.dims[0] % t.blockSize != 0)
        return malformed(m_context + ": rows of " + std::to_string(tensor.dims[0]) + " values are not a whole number of "
                         + std::string(t.name) + " blocks of " + std::to_string(t.blockSize));
    if (count / t.blockSize > std::numeric_limits<uint64_t>::max() / t.blockBytes)
        return malformed(m_context + " has dimensions " + formatDims(tensor.dims) + " whose size overflows 64 bits");
    tensor.bytes = tensorBytes(*type, count);

    if (tensor.offset % m_alignment != 0)
        return malformed(m_context + ": data offset " + std::to_string(tensor.offset)
                         + " is not a multiple of the alignment " + std::to_string(m_alignment));
    return {};
}

Result<void> HeaderParser::checkPlacement() const
{
    const uint64_t fileSize = m_cursor.fileSize();
    // With no padding after a tensor-less header, dataOffset may pass the end.
    const uint64_t room = fileSize > m_dataOffset ? fileSize - m_dataOffset : 0;
    for (const TensorRecord& tensor : m_tensors) {
        if (tensor.offset <= room && tensor.bytes <= room - tensor.offset)
            continue;
        const std::string name = "tensor '" + gguf::quoted(tensor.name) + "'";
        uint64_t end = 0;
        if (__builtin_add_overflow(m_dataOffset, tensor.offset, &end) || __builtin_add_overflow(end, tensor.bytes, &end))
            return malformed(name + ": data of " + std::to_string(tensor.bytes) + " bytes at data offset "
                             + std::to_string(tensor.offset) + " lies past the end of the "
                             + std::to_string(fileSize) + "-byte file");
        return malformed(name + ": data ends at byte " + std::to_string(end) + ", past the end of the "
                         + std::to_string(fileSize) + "-byte file");
    }

    // Sorted by offset, each tensor must end before the next begins.
    std::vector<size_t> order(m_tensors.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return m_tensors[a].offset < m_tensors[b].offset; });
    for (size_t i = 1; i < order.size(); ++i) {
        const TensorRecord& prev = m_tensors[order[i - 1]];
        const TensorRecord& next = m_tensors[order[i]];
        if (prev.offset + prev.bytes > next.offset)
            return malformed("tensors '" + gguf::quoted(prev.name) + "' and '" + gguf::quoted(next.name)
                             + "' overlap: the first occupies data bytes [" + std::to_string(prev.offset) + ", "
                             + std::to_string(prev.offset + prev.bytes) + ") and the second starts at "
                             + std::to_string(next.offset));
    }
    return {};
}

} // namespace ponder
