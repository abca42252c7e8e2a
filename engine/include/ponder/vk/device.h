// A logical Vulkan device with one compute queue, the features the kernels
// use enabled where the adapter has them.
#pragma once

#include <vulkan/vulkan.h>

#include <atomic>
#include <memory>

#include "ponder/error.h"
#include "ponder/vk/adapter.h"

namespace ponder::vk {

class Instance;

class Device {
public:
    static Result<std::unique_ptr<Device>> create(std::shared_ptr<Instance> instance, const AdapterInfo& adapter);
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    VkDevice handle() const { return m_device; }
    VkPhysicalDevice physical() const { return m_adapter.handle; }
    const AdapterInfo& adapter() const { return m_adapter; }
    VkQueue queue() const { return m_queue; }
    uint32_t queueFamily() const { return m_queueFamily; }
    const Instance& instance() const { return *m_instance; }

    // The first memory type allowed by `typeBits` with all of `required`
    // flags, preferring one that also has `preferred`. -1 when none.
    int findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred = 0) const;

    // Free device-local bytes right now (VK_EXT_memory_budget), or the heap size without it.
    uint64_t freeDeviceLocalBytes() const;

    // Set while a submission has not finished within its recorder's hang
    // timeout (cleared if it finishes after all). A hung device is not waited
    // for or destroyed at teardown (either would block forever, or free
    // memory the GPU may still use): its handles are left for the process's
    // exit to reclaim.
    void setHung(bool hung) const { m_hung = hung; }
    bool hung() const { return m_hung; }

    // The cache pipelines are built through (VK_NULL_HANDLE: none); owned by
    // whoever set it (GpuContext's PipelineCache), which must outlive every
    // pipeline build that may use it.
    void setPipelineCache(VkPipelineCache cache) const { m_pipelineCache = cache; }
    VkPipelineCache pipelineCache() const { return m_pipelineCache; }

private:
    Device() = default;

    std::shared_ptr<Instance> m_instance;
    AdapterInfo m_adapter;
    VkDevice m_device = VK_NULL_HANDLE;
    VkQueue m_queue = VK_NULL_HANDLE;
    uint32_t m_queueFamily = 0;
    VkPhysicalDeviceMemoryProperties m_memory{};
    mutable std::atomic<bool> m_hung = false;
    mutable VkPipelineCache m_pipelineCache = VK_NULL_HANDLE;
};

} // namespace ponder::vk
