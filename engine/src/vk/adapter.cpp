#include "ponder/vk/adapter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "ponder/vk/instance.h"

namespace ponder::vk {
namespace {

AdapterType toAdapterType(VkPhysicalDeviceType type)
{
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return AdapterType::Discrete;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return AdapterType::Integrated;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return AdapterType::Virtual;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return AdapterType::Cpu;
    default: return AdapterType::Other;
    }
}

std::vector<std::string> deviceExtensions(VkPhysicalDevice device)
{
    uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> properties(count);
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, properties.data());
    std::vector<std::string> names;
    names.reserve(count);
    for (const auto& p : properties)
        names.emplace_back(p.extensionName);
    return names;
}

bool contains(const std::vector<std::string>& names, const char* name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string lowercase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// SMs, CUs or shader cores from the vendor extensions that report them; 0
// when none does. Each structure is chained only when its extension is there.
uint32_t reportedComputeUnits(VkPhysicalDevice device, const std::vector<std::string>& extensions)
{
    VkPhysicalDeviceProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    VkPhysicalDeviceShaderSMBuiltinsPropertiesNV nvidia{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV};
    VkPhysicalDeviceShaderCorePropertiesAMD amd{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_AMD};
    VkPhysicalDeviceShaderCoreProperties2AMD amd2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_2_AMD};
    VkPhysicalDeviceShaderCoreBuiltinsPropertiesARM arm{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CORE_BUILTINS_PROPERTIES_ARM};
    const auto chain = [&](auto& next) {
        next.pNext = properties.pNext;
        properties.pNext = &next;
    };
    const bool hasNvidia = contains(extensions, VK_NV_SHADER_SM_BUILTINS_EXTENSION_NAME);
    const bool hasAmd = contains(extensions, VK_AMD_SHADER_CORE_PROPERTIES_EXTENSION_NAME);
    const bool hasAmd2 = contains(extensions, VK_AMD_SHADER_CORE_PROPERTIES_2_EXTENSION_NAME);
    const bool hasArm = contains(extensions, VK_ARM_SHADER_CORE_BUILTINS_EXTENSION_NAME);
    if (hasNvidia)
        chain(nvidia);
    if (hasAmd)
        chain(amd);
    if (hasAmd2)
        chain(amd2);
    if (hasArm)
        chain(arm);
    if (!hasNvidia && !hasAmd && !hasAmd2 && !hasArm)
        return 0;
    vkGetPhysicalDeviceProperties2(device, &properties);
    if (hasNvidia && nvidia.shaderSMCount > 0)
        return nvidia.shaderSMCount;
    if (hasAmd2 && amd2.activeComputeUnitCount > 0)  // harvested units left out
        return amd2.activeComputeUnitCount;
    if (hasAmd) {
        const uint64_t units =
            uint64_t(amd.shaderEngineCount) * amd.shaderArraysPerEngineCount * amd.computeUnitsPerShaderArray;
        if (units > 0)
            return uint32_t(std::min<uint64_t>(units, 1u << 16));
    }
    if (hasArm && arm.shaderCoreCount > 0)
        return arm.shaderCoreCount;
    return 0;
}

AdapterInfo describe(VkPhysicalDevice device, uint32_t index)
{
    AdapterInfo info;
    info.index = index;
    info.handle = device;
    const auto extensions = deviceExtensions(device);

    VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    subgroup.pNext = &driver;
    VkPhysicalDeviceProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    properties.pNext = &subgroup;
    vkGetPhysicalDeviceProperties2(device, &properties);
    const auto& p = properties.properties;
    info.name = p.deviceName;
    info.type = toAdapterType(p.deviceType);
    info.driverName = driver.driverName;
    info.driverInfo = driver.driverInfo;
    info.vendorId = p.vendorID;
    info.deviceId = p.deviceID;
    info.apiVersion = p.apiVersion;
    info.subgroupSize = std::max(1u, subgroup.subgroupSize);
    info.subgroupArithmetic = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                              (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT);
    info.maxStorageBufferRange = p.limits.maxStorageBufferRange;
    info.minStorageBufferOffsetAlignment = p.limits.minStorageBufferOffsetAlignment;
    info.maxComputeWorkGroupInvocations = p.limits.maxComputeWorkGroupInvocations;
    info.maxPushConstantsSize = p.limits.maxPushConstantsSize;

    VkPhysicalDeviceMaintenance3Properties maintenance3{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES};
    VkPhysicalDeviceProperties2 properties2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    properties2.pNext = &maintenance3;
    vkGetPhysicalDeviceProperties2(device, &properties2);
    info.maxMemoryAllocationSize = maintenance3.maxMemoryAllocationSize;

    VkPhysicalDeviceVulkan12Features features12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan11Features features11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    features11.pNext = &features12;
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    features.pNext = &features11;
    vkGetPhysicalDeviceFeatures2(device, &features);
    info.shaderFloat16 = features12.shaderFloat16;
    info.shaderInt8 = features12.shaderInt8;
    info.storageBuffer16Bit = features11.storageBuffer16BitAccess;
    info.storageBuffer8Bit = features12.storageBuffer8BitAccess;
    info.cooperativeMatrix = contains(extensions, "VK_KHR_cooperative_matrix");
    const uint32_t reported = reportedComputeUnits(device, extensions);
    info.computeUnitsReported = reported > 0;
    info.computeUnits = reported > 0 ? reported
                                     : estimateComputeUnits(info.type, std::thread::hardware_concurrency());

    uint32_t familyCount = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(device, &familyCount, nullptr);
    std::vector<VkQueueFamilyProperties> families(familyCount);
    vkGetPhysicalDeviceQueueFamilyProperties(device, &familyCount, families.data());
    for (const auto& family : families) {
        if ((family.queueFlags & VK_QUEUE_COMPUTE_BIT) && family.timestampValidBits > 0) {
            info.timestampPeriodNs = p.limits.timestampPeriod;
            break;
        }
    }

    info.hasMemoryBudget = contains(extensions, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
    VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT};
    VkPhysicalDeviceMemoryProperties2 memory{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2};
    if (info.hasMemoryBudget)
        memory.pNext = &budget;
    vkGetPhysicalDeviceMemoryProperties2(device, &memory);
    for (uint32_t i = 0; i < memory.memoryProperties.memoryHeapCount; ++i) {
        const auto& heap = memory.memoryProperties.memoryHeaps[i];
        MemoryHeap h;
        h.size = heap.size;
        h.deviceLocal = heap.flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT;
        h.budget = info.hasMemoryBudget && budget.heapBudget[i] ? budget.heapBudget[i] : heap.size;
        h.usage = info.hasMemoryBudget ? budget.heapUsage[i] : 0;
        info.heaps.push_back(h);
    }
    return info;
}

int typeRank(AdapterType type)
{
    return static_cast<int>(type);
}

} // namespace

uint64_t AdapterInfo::deviceLocalBytes() const
{
    uint64_t total = 0;
    for (const auto& heap : heaps)
        if (heap.deviceLocal)
            total += heap.size;
    return total;
}

uint64_t AdapterInfo::freeDeviceLocalBytes() const
{
    uint64_t free = 0;
    for (const auto& heap : heaps)
        if (heap.deviceLocal && heap.budget > heap.usage)
            free += heap.budget - heap.usage;
    return free;
}

uint32_t estimateComputeUnits(AdapterType type, uint32_t cpuThreads)
{
    switch (type) {
    case AdapterType::Discrete: return 64;
    case AdapterType::Cpu: return std::max(cpuThreads, 1u);
    case AdapterType::Integrated:
    case AdapterType::Virtual:
    case AdapterType::Other: return 16;
    }
    return 16;
}

std::vector<AdapterInfo> listAdapters(const Instance& instance)
{
    uint32_t count = 0;
    if (vkEnumeratePhysicalDevices(instance.handle(), &count, nullptr) < 0)
        return {};
    std::vector<VkPhysicalDevice> devices(count);
    vkEnumeratePhysicalDevices(instance.handle(), &count, devices.data());
    std::vector<AdapterInfo> adapters;
    adapters.reserve(count);
    for (uint32_t i = 0; i < count; ++i)
        adapters.push_back(describe(devices[i], i));
    return adapters;
}

Result<uint32_t> pickAdapter(std::span<const AdapterInfo> adapters, std::string_view preference)
{
    if (adapters.empty())
        return fail(ErrorCode::NotFound,
                    "no Vulkan device found: install a Vulkan driver for your GPU "
                    "(or Mesa's lavapipe, package mesa-vulkan-drivers, to run on the CPU)");
    if (!preference.empty()) {
        uint32_t index = 0;
        const auto [end, ec] = std::from_chars(preference.data(), preference.data() + preference.size(), index);
        if (ec == std::errc() && end == preference.data() + preference.size()) {
            if (index >= adapters.size())
                return fail(ErrorCode::NotFound, "Vulkan device " + std::to_string(index) + " does not exist; there are " +
                                                     std::to_string(adapters.size()));
            return index;
        }
        const std::string wanted = lowercase(preference);
        for (const auto& adapter : adapters)
            if (lowercase(adapter.name).find(wanted) != std::string::npos)
                return adapter.index;
        return fail(ErrorCode::NotFound, "no Vulkan device's name contains \"" + std::string(preference) + "\"");
    }
    const auto best = std::min_element(adapters.begin(), adapters.end(), [](const auto& a, const auto& b) {
        if (typeRank(a.type) != typeRank(b.type))
            return typeRank(a.type) < typeRank(b.type);
        return a.deviceLocalBytes() > b.deviceLocalBytes();
    });
    return best->index;
}

std::string adapterPreferenceFromEnvironment()
{
    const char* value = std::getenv("PONDER_DEVICE");
    return value ? std::string(value) : std::string();
}

std::string_view adapterTypeName(AdapterType type)
{
    switch (type) {
    case AdapterType::Discrete: return "discrete GPU";
    case AdapterType::Integrated: return "integrated GPU";
    case AdapterType::Virtual: return "virtual GPU";
    case AdapterType::Cpu: return "CPU";
    case AdapterType::Other: return "other";
    }
    return "other";
}

std::string versionString(uint32_t version)
{
    return std::to_string(VK_API_VERSION_MAJOR(version)) + "." + std::to_string(VK_API_VERSION_MINOR(version)) + "." +
           std::to_string(VK_API_VERSION_PATCH(version));
}

} // namespace ponder::vk
