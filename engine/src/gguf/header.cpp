// Lookups on a parsed header.
#include "ponder/gguf.h"

namespace ponder {

uint64_t GgufTensorInfo::elementCount() const
{
    uint64_t count = 1;
    for (uint64_t d : dims)
        count *= d;
    return count;
}

const GgufValue* GgufHeader::find(std::string_view key) const
{
    const auto it = m_keyIndex.find(key);
    return it == m_keyIndex.end() ? nullptr : &m_metadata[it->second].value;
}

std::optional<uint64_t> GgufHeader::getUint(std::string_view key) const
{
    const GgufValue* value = find(key);
    return value ? value->toUint() : std::nullopt;
}

std::optional<int64_t> GgufHeader::getInt(std::string_view key) const
{
    const GgufValue* value = find(key);
    return value ? value->toInt() : std::nullopt;
}

std::optional<double> GgufHeader::getFloat(std::string_view key) const
{
    const GgufValue* value = find(key);
    return value ? value->toFloat() : std::nullopt;
}

std::optional<bool> GgufHeader::getBool(std::string_view key) const
{
    const GgufValue* value = find(key);
    return value ? value->toBool() : std::nullopt;
}

std::optional<std::string_view> GgufHeader::getString(std::string_view key) const
{
    const GgufValue* value = find(key);
    return value ? value->toString() : std::nullopt;
}

std::optional<std::vector<std::string_view>> GgufHeader::getStringArray(std::string_view key) const
{
    const GgufValue* value = find(key);
    return value ? value->toStringArray() : std::nullopt;
}

std::optional<std::vector<int64_t>> GgufHeader::getIntArray(std::string_view key) const
{
    const GgufValue* value = find(key);
    return value ? value->toIntArray() : std::nullopt;
}

std::optional<std::vector<double>> GgufHeader::getFloatArray(std::string_view key) const
{
    const GgufValue* value = find(key);
    return value ? value->toFloatArray() : std::nullopt;
}

const GgufTensorInfo* GgufHeader::findTensor(std::string_view name) const
{
    const auto it = m_tensorIndex.find(name);
    return it == m_tensorIndex.end() ? nullptr : &m_tensors[it->second];
}

} // namespace ponder
