// A model on the GPU: every buffer of its memory plan allocated (nothing
// more, nothing less), and its weights copied from the mapped file through a
// double-buffered staging ring, with progress and cancel.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ponder/error.h"
#include "ponder/load_progress.h"
#include "ponder/memory_plan.h"
#include "ponder/model_weights.h"
#include "ponder/vk/buffer.h"

namespace ponder {

namespace vk {
class Device;
struct AdapterInfo;
enum class AdapterType;
}

// The limits planMemory() needs, read from the device.
DeviceLimits deviceLimits(const vk::Device& device);
// The same from an adapter's properties, for planning on an adapter that is
// not opened (the model picker plans for every adapter in the list).
DeviceLimits deviceLimits(const vk::AdapterInfo& adapter);

// The bytes of `plan` that load() checks against the device's free
// device-local memory: the device-local buffers on a discrete or virtual GPU
// (its staging and readback buffers live in system memory), every buffer on
// a CPU or integrated device, whose "device-local" heap is system memory
// shared with the host-visible ones. The picker's fit badge uses the same
// rule, so it never says "fits" for a model load() would refuse.
uint64_t deviceBytesNeeded(const MemoryPlan& plan, vk::AdapterType type);

class GpuModel {
public:
    // Plans memory for `options`, checks it fits in the device's free memory
    // (an OutOfMemory error naming both numbers, before allocating anything),
    // allocates the plan and uploads the weights. `info` and `weights` must
    // outlive the call; the mapped file is no longer needed after it.
    static Result<std::unique_ptr<GpuModel>> load(const vk::Device& device, const ModelInfo& info,
                                                  const ModelWeights& weights, const PlanOptions& options,
                                                  const LoadProgressCallback& progress = {});

    const MemoryPlan& plan() const { return m_plan; }
    const ModelConfig& config() const { return m_config; }
    const vk::Device& device() const { return m_device; }

    // The bound range of a region or tensor of the plan.
    vk::BufferRange range(const Region& region) const;
    // A weight's range; empty (buffer VK_NULL_HANDLE) for an absent optional tensor.
    vk::BufferRange tensor(const WeightView& weight) const;
    const vk::Buffer& buffer(uint32_t index) const { return m_buffers[index]; }

    // Device memory actually allocated: equals plan().totalBytes().
    uint64_t allocatedBytes() const;

private:
    GpuModel(const vk::Device& device, MemoryPlan plan, ModelConfig config)
        : m_device(device), m_plan(std::move(plan)), m_config(config)
    {
    }
    Result<void> upload(const ModelWeights& weights, const LoadProgressCallback& progress);

    const vk::Device& m_device;
    MemoryPlan m_plan;
    ModelConfig m_config;
    std::vector<vk::Buffer> m_buffers;  // index-aligned with m_plan.buffers
};

} // namespace ponder
