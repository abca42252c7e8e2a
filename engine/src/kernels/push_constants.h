// Push-constant blocks of the kernels, mirrored field for field by the
// `layout(push_constant)` block of each shader. The static_asserts catch a
// field added on one side only.
#pragma once

#include <cstdint>

namespace ponder::kernels {

// shaders/rms_norm.comp
struct RmsNormPush {
    uint32_t n;  // elements per row
    float eps;
};
static_assert(sizeof(RmsNormPush) == 8);

} // namespace ponder::kernels
