#include "ponder/vk/commands.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <utility>

#include "check.h"
#include "ponder/vk/device.h"
#include "ponder/vk/pipeline.h"

namespace ponder::vk {
namespace {

constexpr uint32_t kSetsPerPool = 256;
constexpr uint32_t kMaxBindingsPerSet = 16;
// Timestamps per query pool; a recording with more commands takes more pools.
constexpr uint32_t kQueriesPerPool = 1024;

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
    if (m_inFlight && !m_device.hung())
        (void)wait();  // marks the device hung when the GPU does not finish
    if (m_inFlight && vkGetFenceStatus(handle, m_fence) != VK_SUCCESS)
        return;  // the GPU may still use the pools: leave them to the process's exit
    for (VkDescriptorPool pool : m_descriptorPools)
        vkDestroyDescriptorPool(handle, pool, nullptr);
    for (VkQueryPool pool : m_queryPools)
        vkDestroyQueryPool(handle, pool, nullptr);
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
    m_completed = false;
    m_counts = {};
    m_profiled = m_profiling;
    m_labels.clear();
    m_profileError = {};
    if (m_profiled)
        writeTimestamp({});
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
    ++m_counts.dispatches;
    if (m_profiled)
        writeTimestamp(shaderName(pipeline.shader()));
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
    ++m_counts.barriers;
}

void CommandRecorder::copy(const BufferRange& source, const BufferRange& destination)
{
    VkBufferCopy region{source.offset, destination.offset, std::min(source.size, destination.size)};
    vkCmdCopyBuffer(m_commands, source.buffer, destination.buffer, 1, &region);
    ++m_counts.copies;
    if (m_profiled)
        writeTimestamp("copy");
}

Result<void> CommandRecorder::end()
{
    if (!m_recording)
        return fail(ErrorCode::InvalidArgument, "end() without begin()");
    m_recording = false;
    PONDER_VK_TRY(vkEndCommandBuffer(m_commands), "finishing a command buffer");
    if (!m_profileError)
        return std::exchange(m_profileError, {});
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
    m_completed = false;
    return {};
}

Result<void> CommandRecorder::wait()
{
    if (!m_inFlight)
        return {};
    const auto timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(m_hangTimeout);
    const VkResult result = vkWaitForFences(m_device.handle(), 1, &m_fence, VK_TRUE, uint64_t(timeout.count()));
    if (result == VK_TIMEOUT) {
        m_device.setHung(true);
        return fail(ErrorCode::DeviceLost,
                    m_device.adapter().name + " did not finish its work within " +
                        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(m_hangTimeout).count()) +
                        " s and seems to have hung; restart Ponder (or the GPU driver)");
    }
    m_inFlight = false;
    if (m_device.hung())
        m_device.setHung(false);
    PONDER_VK_TRY(result, "waiting for the GPU");
    m_completed = true;
    return {};
}

Result<void> CommandRecorder::setProfiling(bool on)
{
    if (on) {
        uint32_t count = 0;
        vkGetPhysicalDeviceQueueFamilyProperties(m_device.physical(), &count, nullptr);
        std::vector<VkQueueFamilyProperties> families(count);
        vkGetPhysicalDeviceQueueFamilyProperties(m_device.physical(), &count, families.data());
        const uint32_t family = m_device.queueFamily();
        const uint32_t bits = family < count ? families[family].timestampValidBits : 0;
        if (bits == 0 || m_device.adapter().timestampPeriodNs <= 0.f)
            return fail(ErrorCode::Unsupported,
                        "cannot profile: the compute queue of " + m_device.adapter().name + " has no timestamps");
        m_timestampMask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
    }
    m_profiling = on;
    return {};
}

void CommandRecorder::writeTimestamp(std::string_view label)
{
    if (!m_profileError)
        return;  // a pool could not be created: end() reports it
    const auto index = uint32_t(m_labels.size());
    const uint32_t pool = index / kQueriesPerPool;
    const uint32_t slot = index % kQueriesPerPool;
    if (slot == 0) {
        if (pool == m_queryPools.size()) {
            VkQueryPoolCreateInfo info{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
            info.queryType = VK_QUERY_TYPE_TIMESTAMP;
            info.queryCount = kQueriesPerPool;
            VkQueryPool created = VK_NULL_HANDLE;
            if (VkResult result = vkCreateQueryPool(m_device.handle(), &info, nullptr, &created); result < 0) {
                m_profileError = std::unexpected(vulkanError(result, "creating a timestamp query pool"));
                return;
            }
            m_queryPools.push_back(created);
        }
        // Reset inside the recording, so every replay starts from clean queries.
        vkCmdResetQueryPool(m_commands, m_queryPools[pool], 0, kQueriesPerPool);
    }
    vkCmdWriteTimestamp(m_commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, m_queryPools[pool], slot);
    m_labels.push_back(label);
}

Result<std::vector<KernelTime>> CommandRecorder::profile() const
{
    if (!m_profiled)
        return fail(ErrorCode::InvalidArgument, "the recording was not profiled (setProfiling before begin)");
    if (m_recording || !m_completed)
        return fail(ErrorCode::InvalidArgument, "no submission of the profiled recording has completed");

    const auto count = uint32_t(m_labels.size());
    std::vector<uint64_t> stamps(count);
    for (uint32_t first = 0; first < count; first += kQueriesPerPool) {
        const uint32_t n = std::min(kQueriesPerPool, count - first);
        PONDER_VK_TRY(vkGetQueryPoolResults(m_device.handle(), m_queryPools[first / kQueriesPerPool], 0, n,
                                            n * sizeof(uint64_t), stamps.data() + first, sizeof(uint64_t),
                                            VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
                      "reading GPU timestamps");
    }

    const double period = m_device.adapter().timestampPeriodNs;
    std::vector<KernelTime> times;
    for (uint32_t i = 1; i < count; ++i) {
        // Masked difference: a counter narrower than 64 bits may wrap once.
        const uint64_t ticks = (stamps[i] - stamps[i - 1]) & m_timestampMask;
        auto found = std::find_if(times.begin(), times.end(), [&](const KernelTime& t) { return t.name == m_labels[i]; });
        if (found == times.end())
            found = times.insert(times.end(), KernelTime{std::string(m_labels[i]), 0, 0});
        found->nanoseconds += uint64_t(double(ticks) * period + 0.5);
        ++found->count;
    }
    return times;
}

} // namespace ponder::vk
