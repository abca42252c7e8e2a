// Push constants of shaders/matvec.comp, mirrored field for field by its
// `layout(push_constant) uniform MatvecPush` block.
#pragma once

#include <cstdint>

namespace ponder::kernels {

enum MatvecFlags : uint32_t {
    kMatvecBias = 1,      // add bias[row]
    kMatvecResidual = 2,  // add residual[vector, row]
};

struct MatvecPush {
    uint32_t rows;          // rows in this dispatch
    uint32_t cols;          // values per row
    uint32_t rowBytes;      // bytes per stored row
    uint32_t weightOffset;  // bytes from the weight binding's start to this dispatch's first row
    uint32_t rowOffset;     // index in y, bias and residual of this dispatch's first row
    uint32_t yStride;       // floats between consecutive vectors of y and residual
    uint32_t flags;         // MatvecFlags
    float normEpsilon;      // with the NORM constant: added to the mean of squares
};
static_assert(sizeof(MatvecPush) == 32);

} // namespace ponder::kernels
