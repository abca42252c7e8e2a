// Bytes as people read them in messages: "7.48 GiB".
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace ponder {

inline std::string gibText(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", double(bytes) / double(1ull << 30));
    return text;
}

} // namespace ponder
