#include "ponder/vk/pipeline.h"

#include <string>
#include <utility>
#include <vector>

#include "check.h"
#include "ponder/vk/device.h"

namespace ponder::vk {

Result<ComputePipeline> ComputePipeline::create(const Device& device, const PipelineDesc& desc)
{
    const std::string name(shaderName(desc.shader));
    if (desc.pushConstantSize % 4 != 0 || desc.pushConstantSize > device.adapter().maxPushConstantsSize)
        return fail(ErrorCode::InvalidArgument, "shader " + name + ": bad push-constant size " +
                                                    std::to_string(desc.pushConstantSize));
    ComputePipeline pipeline;
    pipeline.m_device = device.handle();
    pipeline.m_bindingCount = desc.bindingCount;
    pipeline.m_pushConstantSize = desc.pushConstantSize;
    pipeline.m_shader = desc.shader;

    std::vector<VkDescriptorSetLayoutBinding> bindings(desc.bindingCount);
    for (uint32_t i = 0; i < desc.bindingCount; ++i) {
        bindings[i].binding = i;
        bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        bindings[i].descriptorCount = 1;
        bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
    VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    setInfo.bindingCount = desc.bindingCount;
    setInfo.pBindings = bindings.data();
    PONDER_VK_TRY(vkCreateDescriptorSetLayout(pipeline.m_device, &setInfo, nullptr, &pipeline.m_setLayout),
                  "creating the descriptor layout of " + name);

    VkPushConstantRange pushRange{VK_SHADER_STAGE_COMPUTE_BIT, 0, desc.pushConstantSize};
    VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &pipeline.m_setLayout;
    layoutInfo.pushConstantRangeCount = desc.pushConstantSize ? 1 : 0;
    layoutInfo.pPushConstantRanges = &pushRange;
    PONDER_VK_TRY(vkCreatePipelineLayout(pipeline.m_device, &layoutInfo, nullptr, &pipeline.m_layout),
                  "creating the pipeline layout of " + name);

    const auto code = shaderCode(desc.shader);
    VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    moduleInfo.codeSize = code.size_bytes();
    moduleInfo.pCode = code.data();
    VkShaderModule module = VK_NULL_HANDLE;
    PONDER_VK_TRY(vkCreateShaderModule(pipeline.m_device, &moduleInfo, nullptr, &module),
                  "loading shader " + name);

    std::vector<VkSpecializationMapEntry> entries(desc.specialization.size());
    for (uint32_t i = 0; i < entries.size(); ++i)
        entries[i] = {i, i * static_cast<uint32_t>(sizeof(uint32_t)), sizeof(uint32_t)};
    VkSpecializationInfo specialization{};
    specialization.mapEntryCount = static_cast<uint32_t>(entries.size());
    specialization.pMapEntries = entries.data();
    specialization.dataSize = desc.specialization.size_bytes();
    specialization.pData = desc.specialization.data();

    VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = module;
    info.stage.pName = "main";
    info.stage.pSpecializationInfo = entries.empty() ? nullptr : &specialization;
    info.layout = pipeline.m_layout;
    const VkResult result = vkCreateComputePipelines(pipeline.m_device, device.pipelineCache(), 1, &info, nullptr,
                                                     &pipeline.m_pipeline);
    vkDestroyShaderModule(pipeline.m_device, module, nullptr);
    PONDER_VK_TRY(result, "building the pipeline of " + name);
    return pipeline;
}

ComputePipeline::~ComputePipeline()
{
    release();
}

ComputePipeline::ComputePipeline(ComputePipeline&& other) noexcept
{
    *this = std::move(other);
}

ComputePipeline& ComputePipeline::operator=(ComputePipeline&& other) noexcept
{
    if (this != &other) {
        release();
        m_device = std::exchange(other.m_device, VK_NULL_HANDLE);
        m_pipeline = std::exchange(other.m_pipeline, VK_NULL_HANDLE);
        m_layout = std::exchange(other.m_layout, VK_NULL_HANDLE);
        m_setLayout = std::exchange(other.m_setLayout, VK_NULL_HANDLE);
        m_bindingCount = other.m_bindingCount;
        m_pushConstantSize = other.m_pushConstantSize;
        m_shader = other.m_shader;
    }
    return *this;
}

void ComputePipeline::release()
{
    if (m_device == VK_NULL_HANDLE)
        return;
    if (m_pipeline != VK_NULL_HANDLE)
        vkDestroyPipeline(m_device, m_pipeline, nullptr);
    if (m_layout != VK_NULL_HANDLE)
        vkDestroyPipelineLayout(m_device, m_layout, nullptr);
    if (m_setLayout != VK_NULL_HANDLE)
        vkDestroyDescriptorSetLayout(m_device, m_setLayout, nullptr);
    m_device = VK_NULL_HANDLE;
}

} // namespace ponder::vk
