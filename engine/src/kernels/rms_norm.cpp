#include <array>

#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "push_constants.h"

namespace ponder {

Result<void> Kernels::rmsNorm(vk::CommandRecorder& recorder, uint32_t rows, uint32_t n, float eps,
                              const vk::BufferRange& y, const vk::BufferRange& x, const vk::BufferRange& weight) const
{
    if (rows == 0 || n == 0)
        return fail(ErrorCode::InvalidArgument, "rms_norm of an empty tensor");
    PONDER_TRY(checkBinding(y, uint64_t(rows) * n, 4, "rms_norm output"));
    PONDER_TRY(checkBinding(x, uint64_t(rows) * n, 4, "rms_norm input"));
    PONDER_TRY(checkBinding(weight, n, 4, "rms_norm weight"));
    const std::array<uint32_t, 1> spec{reductionBlockSize()};
    auto pipeline = this->pipeline({ShaderId::RmsNorm, 3, sizeof(kernels::RmsNormPush), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    const kernels::RmsNormPush push{n, eps};
    return recorder.dispatch(**pipeline, {y, x, weight}, &push, rows);
}

} // namespace ponder
