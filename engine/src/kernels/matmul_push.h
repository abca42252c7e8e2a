// Push constants of shaders/matmul.comp, mirrored field for field by its
// `layout(push_constant) uniform MatmulPush` block.
#pragma once

#include <cstdint>

namespace ponder::kernels {

enum MatmulFlags : uint32_t {
    kMatmulBias = 1,      // add bias[row]
    kMatmulResidual = 2,  // add residual[token, row]
};

struct MatmulPush {
    uint32_t rows;          // rows in this dispatch
    uint32_t cols;          // values per row
    uint32_t tokens;        // rows of X and of Y
    uint32_t rowBytes;      // bytes per stored row of W
    uint32_t weightOffset;  // bytes from the weight binding's start to this dispatch's first row
    uint32_t rowOffset;     // index in Y, bias and residual of this dispatch's first row
    uint32_t yStride;       // floats between consecutive tokens of Y and residual
    uint32_t flags;         // MatmulFlags
};
static_assert(sizeof(MatmulPush) == 32);

} // namespace ponder::kernels
