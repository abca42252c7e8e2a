// Push-constant block of shaders/silu_mul.comp and shaders/add.comp,
// mirrored by their `layout(push_constant)` blocks.
#pragma once

#include <cstdint>

namespace ponder::kernels {

struct ElementwisePush {
    uint32_t count;  // floats in this dispatch
};
static_assert(sizeof(ElementwisePush) == 4);

} // namespace ponder::kernels
