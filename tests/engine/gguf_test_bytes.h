// Hand-built GGUF bytes for reader tests: every field written explicitly,
// so a test can break exactly one of them.
#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace ponder::test {

class GgufBytes {
public:
    GgufBytes& u8(uint8_t v) { return put(v, 1); }
    GgufBytes& u32(uint32_t v) { return put(v, 4); }
    GgufBytes& u64(uint64_t v) { return put(v, 8); }
    GgufBytes& raw(std::string_view text)
    {
        for (char c : text)
            m_bytes.push_back(static_cast<std::byte>(c));
        return *this;
    }
    GgufBytes& str(std::string_view text) { return u64(text.size()).raw(text); }
    GgufBytes& zeros(size_t n)
    {
        m_bytes.resize(m_bytes.size() + n);
        return *this;
    }
    GgufBytes& padTo(uint64_t alignment) { return zeros((alignment - m_bytes.size() % alignment) % alignment); }

    // Magic, version, tensor count, metadata count.
    GgufBytes& start(uint32_t version, uint64_t tensors, uint64_t keys) { return raw("GGUF").u32(version).u64(tensors).u64(keys); }
    GgufBytes& keyU32(std::string_view key, uint32_t v) { return str(key).u32(4).u32(v); }
    GgufBytes& keyString(std::string_view key, std::string_view v) { return str(key).u32(8).str(v); }
    GgufBytes& tensor(std::string_view name, std::initializer_list<uint64_t> dims, uint32_t type, uint64_t offset)
    {
        str(name).u32(static_cast<uint32_t>(dims.size()));
        for (uint64_t d : dims)
            u64(d);
        return u32(type).u64(offset);
    }

    size_t size() const { return m_bytes.size(); }
    std::span<const std::byte> span() const { return m_bytes; }
    QByteArray toByteArray() const
    {
        return QByteArray(reinterpret_cast<const char*>(m_bytes.data()), static_cast<qsizetype>(m_bytes.size()));
    }

private:
    GgufBytes& put(uint64_t v, int bytes)
    {
        for (int i = 0; i < bytes; ++i)
            m_bytes.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
        return *this;
    }

    std::vector<std::byte> m_bytes;
};

inline std::span<const std::byte> asBytes(const QByteArray& data)
{
    return {reinterpret_cast<const std::byte*>(data.constData()), static_cast<size_t>(data.size())};
}

} // namespace ponder::test
