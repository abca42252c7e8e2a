// Push constants of shaders/embed.comp, mirrored field for field by its
// `layout(push_constant) uniform EmbedPush` block.
#pragma once

#include <cstdint>

namespace ponder::kernels {

struct EmbedPush {
    uint32_t nEmbd;        // values per row
    uint32_t vocab;        // rows of the whole table
    uint32_t rowFirst;     // first row of the bound slice
    uint32_t rowCount;     // rows in the bound slice
    uint32_t rowBytes;     // bytes per stored row
    uint32_t tableOffset;  // bytes from the table binding's start to row rowFirst
};
static_assert(sizeof(EmbedPush) == 24);

} // namespace ponder::kernels
