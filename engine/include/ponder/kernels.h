// The compute kernels, one call each: `kernels.rmsNorm(rec, ...)` records one
// dispatch into a CommandRecorder. Each kernel family lives in its own file
// under engine/src/kernels/; pipelines are built on first use, sized for the
// device, and kept.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "ponder/error.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/pipeline.h"

namespace ponder {

namespace vk {
class Device;
class CommandRecorder;
}

class Kernels {
public:
    static Result<std::unique_ptr<Kernels>> create(const vk::Device& device);
    ~Kernels();
    Kernels(const Kernels&) = delete;
    Kernels& operator=(const Kernels&) = delete;

    const vk::Device& device() const { return m_device; }

    // y = x / sqrt(mean(x^2) + eps) * weight, per row.
    // y, x: (rows, n) f32; weight: (n) f32.                      [rms_norm.cpp]
    Result<void> rmsNorm(vk::CommandRecorder& recorder, uint32_t rows, uint32_t n, float eps, const vk::BufferRange& y,
                         const vk::BufferRange& x, const vk::BufferRange& weight) const;

    // The pipeline for `desc`, built on first use. Kernel files call this.
    Result<const vk::ComputePipeline*> pipeline(const vk::PipelineDesc& desc) const;

    // A power-of-two workgroup size for row reductions that the device allows.
    uint32_t reductionBlockSize() const;

private:
    explicit Kernels(const vk::Device& device) : m_device(device) {}

    using Key = std::pair<ShaderId, std::vector<uint32_t>>;  // shader and specialization constants
    const vk::Device& m_device;
    mutable std::map<Key, std::unique_ptr<vk::ComputePipeline>> m_pipelines;
};

// InvalidArgument unless `range` holds at least `count` values of `bytesEach`.
Result<void> checkBinding(const vk::BufferRange& range, uint64_t count, uint64_t bytesEach, const char* what);

} // namespace ponder
