#include "ponder/vk/commands.h"

#include <algorithm>
#include <array>
#include <string>

#include "check.h"
#include "ponder/vk/device.h"
#include "ponder/vk/pipeline.h"

namespace ponder::vk {
namespace {

constexpr uint32_t kSetsPerPool = 256;
constexpr uint32_t kMaxBindingsPerSet = 16;

} // namespace

Result<std::unique_ptr<CommandRecorder>> CommandRecorder::create(const Device& device)
{
    std::unique_ptr<CommandRecorder> recorder(new CommandRecorder(device));
    VkDevice handle = device.handle();

    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = device.queueFamily();
    PONDER_VK_TRY(vkCreateCommandPool(handle, &poolInfo, nullptr, &recorder->m_pool), "creating a command pool");

    VkCommandBufferAllocateInfo allocate{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocate.commandPool = recorder->m_pool;
    allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocate.commandBufferCount = 1;
    PONDER_VK_TRY(vkAllocateCommandBuffers(handle, &allocate, &recorder->m_commands), "allocating a command buffer");

    VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    PONDER_VK_TRY(vkCreateFence(handle, &fenceInfo, nullptr, &recorder->m_fence), "creating a fence");
    return recorder;
}

CommandRecorder::~CommandRecorder()
{
    VkDevice handle = m_device.handle();
    if (m_inFlight)
        vkWaitForFences(handle, 1, &m_fence, VK_TRUE, UINT64_MAX);
    for (VkDescriptorPool pool : m_descriptorPools)
        vkDestroyDescriptorPool(handle, pool, nullptr);
    if (m_fence != VK_NULL_HANDLE)
        vkDestroyFence(handle, m_fence, nullptr);
    if (m_pool != VK_NULL_HANDLE)
        vkDestroyCommandPool(handle, m_pool, nullptr);
}

Result<void> CommandRecorder::begin()
{
    PONDER_TRY(wait());
    VkDevice handle = m_device.handle();
    PONDER_VK_TRY(vkResetCommandBuffer(m_commands, 0), "resetting a command buffer");
    for (VkDescriptorPool pool : m_descriptorPools)
        PONDER_VK_TRY(vkResetDescriptorPool(handle, pool, 0), "resetting a descriptor pool");
    m_activePool = 0;
    VkCommandBufferBeginInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    PONDER_VK_TRY(vkBeginCommandBuffer(m_commands, &info), "beginning a command buffer");
    m_recording = true;
    return {};
}

Result<VkDescriptorSet> CommandRecorder::allocateSet(VkDescriptorSetLayout layout)
{
    VkDevice handle = m_device.handle();
    while (true) {
        if (m_activePool == m_descriptorPools.size()) {
            VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kSetsPerPool * kMaxBindingsPerSet};
            VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
            info.maxSets = kSetsPerPool;
            info.poolSizeCount = 1;
            info.pPoolSizes = &size;
            VkDescriptorPool pool = VK_NULL_HANDLE;
            PONDER_VK_TRY(vkCreateDescriptorPool(handle, &info, nullptr, &pool), "creating a descriptor pool");
            m_descriptorPools.push_back(pool);
        }
        VkDescriptorSetAllocateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        info.descriptorPool = m_descriptorPools[m_activePool];
        info.descriptorSetCount = 1;
        info.pSetLayouts = &layout;
        VkDescriptorSet set = VK_NULL_HANDLE;
        const VkResult result = vkAllocateDescriptorSets(handle, &info, &set);
        if (result == VK_SUCCESS)
            return set;
        if (result != VK_ERROR_OUT_OF_POOL_MEMORY && result != VK_ERROR_FRAGMENTED_POOL)
            return std::unexpected(vulkanError(result, "allocating a descriptor set"));
        ++m_activePool;  // this pool is full: move on to the next (or a new one)
    }
}

Result<void> CommandRecorder::dispatch(const ComputePipeline& pipeline, std::initializer_list<BufferRange> buffers,
                                       const void* push, uint32_t groupsX, uint32_t groupsY, uint32_t groupsZ)
{
    const std::string name(shaderName(pipeline.shader()));
    if (!m_recording)
        return fail(ErrorCode::InvalidArgument, "dispatch of " + name + " outside begin()/end()");
    if (buffers.size() != pipeline.bindingCount() || buffers.size() > kMaxBindingsPerSet)
        return fail(ErrorCode::InvalidArgument, name + " takes " + std::to_string(pipeline.bindingCount()) +
                                                    " buffers, got " + std::to_string(buffers.size()));
    if (pipeline.pushConstantSize() && !push)
        return fail(ErrorCode::InvalidArgument, name + " needs push constants");
    const uint64_t maxRange = m_device.adapter().maxStorageBufferRange;
    for (const auto& b : buffers)
        if (b.buffer == VK_NULL_HANDLE || b.size == 0 || b.size > maxRange)
            return fail(ErrorCode::InvalidArgument, name + ": a binding is empty or larger than the device's " +
                                                        std::to_string(maxRange) + "-byte storage-buffer range");

    auto set = allocateSet(pipeline.setLayout());
    if (!set)
        return std::unexpected(set.error());

    std::array<VkDescriptorBufferInfo, kMaxBindingsPerSet> infos{};
    std::array<VkWriteDescriptorSet, kMaxBindingsPerSet> writes{};
    uint32_t i = 0;
    for (const auto& b : buffers) {
        infos[i] = {b.buffer, b.offset, b.size};
        writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[i].dstSet = *set;
        writes[i].dstBinding = i;
        writes[i].descriptorCount = 1;
        writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[i].pBufferInfo = &infos[i];
        ++i;
    }
    vkUpdateDescriptorSets(m_device.handle(), i, writes.data(), 0, nullptr);

    vkCmdBindPipeline(m_commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.handle());
    vkCmdBindDescriptorSets(m_commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout(), 0, 1, &*set, 0, nullptr);
    if (pipeline.pushConstantSize())
        vkCmdPushConstants(m_commands, pipeline.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, pipeline.pushConstantSize(),
                           push);
    vkCmdDispatch(m_commands, groupsX, groupsY, groupsZ);
    return {};
}

void CommandRecorder::barrier()
{
    VkMemoryBarrier memory{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    memory.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    memory.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                           VK_ACCESS_TRANSFER_WRITE_BIT;
    const VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
    vkCmdPipelineBarrier(m_commands, stages, stages, 0, 1, &memory, 0, nullptr, 0, nullptr);
}

void CommandRecorder::copy(const BufferRange& source, const BufferRange& destination)
{
    VkBufferCopy region{source.offset, destination.offset, std::min(source.size, destination.size)};
    vkCmdCopyBuffer(m_commands, source.buffer, destination.buffer, 1, &region);
}

Result<void> CommandRecorder::end()
{
    if (!m_recording)
        return fail(ErrorCode::InvalidArgument, "end() without begin()");
    m_recording = false;
    PONDER_VK_TRY(vkEndCommandBuffer(m_commands), "finishing a command buffer");
    return {};
}

Result<void> CommandRecorder::submitAndWait()
{
    PONDER_TRY(submit());
    return wait();
}

Result<void> CommandRecorder::submit()
{
    if (m_recording)
        return fail(ErrorCode::InvalidArgument, "submit before end()");
    if (m_inFlight)
        return fail(ErrorCode::InvalidArgument, "submit while the previous submission is still running");
    VkDevice handle = m_device.handle();
    PONDER_VK_TRY(vkResetFences(handle, 1, &m_fence), "resetting a fence");
    VkSubmitInfo info{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    info.commandBufferCount = 1;
    info.pCommandBuffers = &m_commands;
    PONDER_VK_TRY(vkQueueSubmit(m_device.queue(), 1, &info, m_fence), "submitting GPU work");
    m_inFlight = true;
    return {};
}

Result<void> CommandRecorder::wait()
{
    if (!m_inFlight)
        return {};
    m_inFlight = false;
    PONDER_VK_TRY(vkWaitForFences(m_device.handle(), 1, &m_fence, VK_TRUE, UINT64_MAX), "waiting for the GPU");
    return {};
}

} // namespace ponder::vk
