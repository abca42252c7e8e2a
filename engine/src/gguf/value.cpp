// Decoding of metadata values. The parser checked that every payload holds
// exactly what its type and count say, so these walks need no bounds checks
// beyond the payload span itself.
#include <limits>

#include "gguf/byte_order.h"
#include "gguf/format.h"

namespace ponder {
namespace {

using gguf::loadLe;

// An integer of any width: `bits` holds the value, sign-extended for the
// signed types.
struct WideInt {
    bool isSigned = false;
    uint64_t bits = 0;
};

std::optional<WideInt> loadInteger(GgufType type, const std::byte* p)
{
    switch (type) {
    case GgufType::Uint8: return WideInt{false, loadLe<uint8_t>(p)};
    case GgufType::Uint16: return WideInt{false, loadLe<uint16_t>(p)};
    case GgufType::Uint32: return WideInt{false, loadLe<uint32_t>(p)};
    case GgufType::Uint64: return WideInt{false, loadLe<uint64_t>(p)};
    case GgufType::Int8: return WideInt{true, static_cast<uint64_t>(int64_t{loadLe<int8_t>(p)})};
    case GgufType::Int16: return WideInt{true, static_cast<uint64_t>(int64_t{loadLe<int16_t>(p)})};
    case GgufType::Int32: return WideInt{true, static_cast<uint64_t>(int64_t{loadLe<int32_t>(p)})};
    case GgufType::Int64: return WideInt{true, static_cast<uint64_t>(loadLe<int64_t>(p))};
    default: return std::nullopt;
    }
}

std::optional<int64_t> asInt(WideInt v)
{
    if (!v.isSigned && v.bits > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return std::nullopt;
    return static_cast<int64_t>(v.bits);
}

std::optional<double> loadNumber(GgufType type, const std::byte* p)
{
    if (type == GgufType::Float32)
        return static_cast<double>(loadLe<float>(p));
    if (type == GgufType::Float64)
        return loadLe<double>(p);
    const auto v = loadInteger(type, p);
    if (!v)
        return std::nullopt;
    return v->isSigned ? static_cast<double>(static_cast<int64_t>(v->bits)) : static_cast<double>(v->bits);
}

bool isNumber(GgufType type)
{
    return isGgufInteger(type) || type == GgufType::Float32 || type == GgufType::Float64;
}

} // namespace

std::optional<uint64_t> GgufValue::toUint() const
{
    const auto v = loadInteger(m_type, m_payload.data());
    if (!v || (v->isSigned && static_cast<int64_t>(v->bits) < 0))
        return std::nullopt;
    return v->bits;
}

std::optional<int64_t> GgufValue::toInt() const
{
    const auto v = loadInteger(m_type, m_payload.data());
    if (!v)
        return std::nullopt;
    return asInt(*v);
}

std::optional<double> GgufValue::toFloat() const
{
    return loadNumber(m_type, m_payload.data());
}

std::optional<bool> GgufValue::toBool() const
{
    if (m_type != GgufType::Bool)
        return std::nullopt;
    return std::to_integer<uint8_t>(m_payload[0]) != 0;
}

std::optional<std::string_view> GgufValue::toString() const
{
    if (m_type != GgufType::String)
        return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(m_payload.data()), m_payload.size());
}

std::optional<std::vector<std::string_view>> GgufValue::toStringArray() const
{
    if (m_type != GgufType::Array || m_elementType != GgufType::String)
        return std::nullopt;
    std::vector<std::string_view> out;
    out.reserve(m_count);
    const std::byte* p = m_payload.data();
    for (uint64_t i = 0; i < m_count; ++i) {
        const uint64_t length = loadLe<uint64_t>(p);
        out.emplace_back(reinterpret_cast<const char*>(p + 8), length);
        p += 8 + length;
    }
    return out;
}

std::optional<std::vector<int64_t>> GgufValue::toIntArray() const
{
    if (m_type != GgufType::Array || !isGgufInteger(m_elementType))
        return std::nullopt;
    const uint64_t size = gguf::fixedSize(m_elementType);
    std::vector<int64_t> out;
    out.reserve(m_count);
    for (uint64_t i = 0; i < m_count; ++i) {
        const auto v = asInt(*loadInteger(m_elementType, m_payload.data() + i * size));
        if (!v)
            return std::nullopt;
        out.push_back(*v);
    }
    return out;
}

std::optional<std::vector<double>> GgufValue::toFloatArray() const
{
    if (m_type != GgufType::Array || !isNumber(m_elementType))
        return std::nullopt;
    const uint64_t size = gguf::fixedSize(m_elementType);
    std::vector<double> out;
    out.reserve(m_count);
    for (uint64_t i = 0; i < m_count; ++i)
        out.push_back(*loadNumber(m_elementType, m_payload.data() + i * size));
    return out;
}

} // namespace ponder
