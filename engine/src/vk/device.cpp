#include "ponder/vk/device.h"

#include <vector>

#include "check.h"
#include "ponder/vk/instance.h"

namespace ponder::vk {
namespace {

// A queue family that can run compute work; a compute-only family first,
// since it does not compete with a display's graphics work.
int pickComputeFamily(VkPhysicalDevice device)
{
    uint32_t count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
    std::vector<VkQueueFamilyProperties> families(count);
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
    int any = -1;
    for (uint32_t i = 0; i < count; ++i) {
        if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT))
            continue;
        if (!(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT))
            return static_cast<int>(i);
        if (any < 0)
            any = static_cast<int>(i);
    }
    return any;
}

} // namespace

Result<std::unique_ptr<Device>> Device::create(std::shared_ptr<Instance> instance, const AdapterInfo& adapter)
{
    std::unique_ptr<Device> device(new Device());
    device->m_instance = std::move(instance);
    device->m_adapter = adapter;

    if (VK_API_VERSION_MINOR(adapter.apiVersion) < 2 && VK_API_VERSION_MAJOR(adapter.apiVersion) == 1)
        return fail(ErrorCode::Unsupported, adapter.name + " supports only Vulkan " + versionString(adapter.apiVersion) +
                                                "; Ponder needs Vulkan 1.2");
    const int family = pickComputeFamily(adapter.handle);
    if (family < 0)
        return fail(ErrorCode::Unsupported, adapter.name + " has no compute queue");
    device->m_queueFamily = static_cast<uint32_t>(family);

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queueInfo.queueFamilyIndex = device->m_queueFamily;
    queueInfo.queueCount = 1;
    queueInfo.pQueuePriorities = &priority;

    // Enable exactly what the adapter reports, so kernels can rely on the
    // AdapterInfo flags.
    VkPhysicalDeviceVulkan12Features features12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    features12.shaderFloat16 = adapter.shaderFloat16;
    features12.shaderInt8 = adapter.shaderInt8;
    features12.storageBuffer8BitAccess = adapter.storageBuffer8Bit;
    VkPhysicalDeviceVulkan11Features features11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    features11.storageBuffer16BitAccess = adapter.storageBuffer16Bit;
    features11.pNext = &features12;
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    features.pNext = &features11;

    std::vector<const char*> extensions;
    if (adapter.hasMemoryBudget)
        extensions.push_back(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);

    VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    info.pNext = &features;
    info.queueCreateInfoCount = 1;
    info.pQueueCreateInfos = &queueInfo;
    info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    info.ppEnabledExtensionNames = extensions.data();
    PONDER_VK_TRY(vkCreateDevice(adapter.handle, &info, nullptr, &device->m_device),
                  "creating a Vulkan device on " + adapter.name);
    vkGetDeviceQueue(device->m_device, device->m_queueFamily, 0, &device->m_queue);
    vkGetPhysicalDeviceMemoryProperties(adapter.handle, &device->m_memory);
    return device;
}

Device::~Device()
{
    if (m_device != VK_NULL_HANDLE && !m_hung) {
        vkDeviceWaitIdle(m_device);
        vkDestroyDevice(m_device, nullptr);
    }
}

int Device::findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred) const
{
    int fallback = -1;
    for (uint32_t i = 0; i < m_memory.memoryTypeCount; ++i) {
        if (!(typeBits & (1u << i)))
            continue;
        const auto flags = m_memory.memoryTypes[i].propertyFlags;
        if ((flags & required) != required)
            continue;
        if ((flags & preferred) == preferred)
            return static_cast<int>(i);
        if (fallback < 0)
            fallback = static_cast<int>(i);
    }
    return fallback;
}

uint64_t Device::freeDeviceLocalBytes() const
{
    const auto adapters = listAdapters(*m_instance);
    for (const auto& a : adapters)
        if (a.handle == m_adapter.handle)
            return a.freeDeviceLocalBytes();
    return m_adapter.freeDeviceLocalBytes();
}

} // namespace ponder::vk
