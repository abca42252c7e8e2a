// Records compute dispatches and copies into one command buffer, owns the
// descriptor sets they bind, and submits it. A recording can be submitted
// many times (decode replays one recording per token).
#pragma once

#include <vulkan/vulkan.h>

#include <initializer_list>
#include <memory>
#include <vector>

#include "ponder/error.h"
#include "ponder/vk/buffer.h"

namespace ponder::vk {

class Device;
class ComputePipeline;

class CommandRecorder {
public:
    static Result<std::unique_ptr<CommandRecorder>> create(const Device& device);
    ~CommandRecorder();
    CommandRecorder(const CommandRecorder&) = delete;
    CommandRecorder& operator=(const CommandRecorder&) = delete;

    // Starts a new recording, dropping the previous one and its descriptor sets.
    Result<void> begin();
    // Binds `buffers` to bindings 0..n-1 and dispatches `groups` workgroups.
    // `push` points at pipeline.pushConstantSize() bytes (may be null when 0).
    Result<void> dispatch(const ComputePipeline& pipeline, std::initializer_list<BufferRange> buffers,
                          const void* push, uint32_t groupsX, uint32_t groupsY = 1, uint32_t groupsZ = 1);
    // Makes every earlier write visible to every later read or write
    // (compute and transfer alike).
    void barrier();
    void copy(const BufferRange& source, const BufferRange& destination);
    Result<void> end();

    // Submits the finished recording and waits for it.
    Result<void> submitAndWait();
    // Submits the finished recording without waiting (at most one submission
    // in flight per recorder); wait() blocks until it is done.
    Result<void> submit();
    Result<void> wait();
    bool inFlight() const { return m_inFlight; }

    VkCommandBuffer handle() const { return m_commands; }

private:
    explicit CommandRecorder(const Device& device) : m_device(device) {}
    Result<VkDescriptorSet> allocateSet(VkDescriptorSetLayout layout);

    const Device& m_device;
    VkCommandPool m_pool = VK_NULL_HANDLE;
    VkCommandBuffer m_commands = VK_NULL_HANDLE;
    VkFence m_fence = VK_NULL_HANDLE;
    std::vector<VkDescriptorPool> m_descriptorPools;  // the last one has room; all reset by begin()
    size_t m_activePool = 0;
    bool m_recording = false;
    bool m_inFlight = false;
};

} // namespace ponder::vk
