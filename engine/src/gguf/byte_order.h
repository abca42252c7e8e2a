// Little-endian loads and stores of GGUF's fixed-width fields, independent of
// the host's byte order and of alignment.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ponder::gguf {

template <size_t Bytes>
using UintOfSize = std::conditional_t<Bytes == 1, uint8_t,
                   std::conditional_t<Bytes == 2, uint16_t,
                   std::conditional_t<Bytes == 4, uint32_t, uint64_t>>>;

// T is an integer or a float, never bool (decode bools as `byte != 0`).
template <typename T>
T loadLe(const std::byte* p)
{
    static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>);
    using U = UintOfSize<sizeof(T)>;
    U value = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
        value = static_cast<U>(value | static_cast<U>(static_cast<U>(std::to_integer<uint8_t>(p[i])) << (8 * i)));
    return std::bit_cast<T>(value);
}

template <typename T>
void storeLe(std::byte* p, T value)
{
    static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>);
    using U = UintOfSize<sizeof(T)>;
    const U bits = std::bit_cast<U>(value);
    for (size_t i = 0; i < sizeof(T); ++i)
        p[i] = static_cast<std::byte>((bits >> (8 * i)) & 0xff);
}

template <typename T>
void appendLe(std::vector<std::byte>& out, T value)
{
    const size_t at = out.size();
    out.resize(at + sizeof(T));
    storeLe(out.data() + at, value);
}

// A GGUF string: u64 length, then the bytes.
inline void appendText(std::vector<std::byte>& out, std::string_view text)
{
    appendLe(out, static_cast<uint64_t>(text.size()));
    const auto* bytes = reinterpret_cast<const std::byte*>(text.data());
    out.insert(out.end(), bytes, bytes + text.size());
}

} // namespace ponder::gguf
