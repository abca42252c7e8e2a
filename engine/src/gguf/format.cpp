#include "gguf/format.h"

namespace ponder {

std::string_view ggufTypeName(GgufType type)
{
    switch (type) {
    case GgufType::Uint8: return "u8";
    case GgufType::Int8: return "i8";
    case GgufType::Uint16: return "u16";
    case GgufType::Int16: return "i16";
    case GgufType::Uint32: return "u32";
    case GgufType::Int32: return "i32";
    case GgufType::Float32: return "f32";
    case GgufType::Bool: return "bool";
    case GgufType::String: return "string";
    case GgufType::Array: return "array";
    case GgufType::Uint64: return "u64";
    case GgufType::Int64: return "i64";
    case GgufType::Float64: return "f64";
    }
    return "unknown";
}

bool isGgufInteger(GgufType type)
{
    switch (type) {
    case GgufType::Uint8: case GgufType::Int8: case GgufType::Uint16: case GgufType::Int16:
    case GgufType::Uint32: case GgufType::Int32: case GgufType::Uint64: case GgufType::Int64:
        return true;
    default:
        return false;
    }
}

namespace gguf {

uint64_t fixedSize(GgufType type)
{
    switch (type) {
    case GgufType::Uint8: case GgufType::Int8: case GgufType::Bool: return 1;
    case GgufType::Uint16: case GgufType::Int16: return 2;
    case GgufType::Uint32: case GgufType::Int32: case GgufType::Float32: return 4;
    case GgufType::Uint64: case GgufType::Int64: case GgufType::Float64: return 8;
    case GgufType::String: case GgufType::Array: return 0;
    }
    return 0;
}

uint64_t minElementSize(GgufType type)
{
    switch (type) {
    case GgufType::String: return 8;       // length
    case GgufType::Array: return 4 + 8;    // element type, count
    default: return fixedSize(type);
    }
}

std::string quoted(std::string_view text)
{
    constexpr size_t kMaxShown = 80;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= kMaxShown) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string quotedPath(const std::filesystem::path& path)
{
    std::string out(1, '\'');
    out += path.string();
    out += '\'';
    return out;
}

} // namespace gguf
} // namespace ponder
