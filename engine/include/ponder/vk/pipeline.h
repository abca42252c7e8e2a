// A compute pipeline built from an embedded shader: its storage-buffer
// bindings (0..n-1), its push-constant block and its specialization constants.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <span>

#include "ponder/error.h"
#include "ponder/shader_id.h"

namespace ponder::vk {

class Device;

struct PipelineDesc {
    ShaderId shader;
    uint32_t bindingCount = 0;      // storage buffers at bindings 0..bindingCount-1
    uint32_t pushConstantSize = 0;  // bytes, a multiple of 4
    // Values for constant_id 0, 1, 2...: workgroup and tile sizes.
    std::span<const uint32_t> specialization = {};
};

class ComputePipeline {
public:
    static Result<ComputePipeline> create(const Device& device, const PipelineDesc& desc);
    ComputePipeline() = default;
    ~ComputePipeline();
    ComputePipeline(ComputePipeline&& other) noexcept;
    ComputePipeline& operator=(ComputePipeline&& other) noexcept;
    ComputePipeline(const ComputePipeline&) = delete;
    ComputePipeline& operator=(const ComputePipeline&) = delete;

    VkPipeline handle() const { return m_pipeline; }
    VkPipelineLayout layout() const { return m_layout; }
    VkDescriptorSetLayout setLayout() const { return m_setLayout; }
    uint32_t bindingCount() const { return m_bindingCount; }
    uint32_t pushConstantSize() const { return m_pushConstantSize; }
    ShaderId shader() const { return m_shader; }

private:
    void release();

    VkDevice m_device = VK_NULL_HANDLE;
    VkPipeline m_pipeline = VK_NULL_HANDLE;
    VkPipelineLayout m_layout = VK_NULL_HANDLE;
    VkDescriptorSetLayout m_setLayout = VK_NULL_HANDLE;
    uint32_t m_bindingCount = 0;
    uint32_t m_pushConstantSize = 0;
    ShaderId m_shader{};
};

} // namespace ponder::vk
