// The compute kernels, one call each: `kernels.rmsNorm(rec, ...)` records one
// dispatch into a CommandRecorder. Pipelines are built once, when the
// Kernels object is created, and sized for the device.
#pragma once

#include <cstdint>
#include <memory>

#include "ponder/error.h"
#include "ponder/vk/buffer.h"

namespace ponder {

namespace vk {
class Device;
class CommandRecorder;
}

class Kernels {
public:
    static Result<std::unique_ptr<Kernels>> create(const vk::Device& device);
    ~Kernels();

    // y = x / sqrt(mean(x^2) + eps) * weight, per row.
    // y, x: (rows, n) f32; weight: (n) f32.
    Result<void> rmsNorm(vk::CommandRecorder& recorder, uint32_t rows, uint32_t n, float eps, const vk::BufferRange& y,
                         const vk::BufferRange& x, const vk::BufferRange& weight) const;

private:
    struct Pipelines;
    explicit Kernels(std::unique_ptr<Pipelines> pipelines);
    std::unique_ptr<Pipelines> m_pipelines;
};

} // namespace ponder
