// The Vulkan adapters (physical devices) on this machine: what each is, how
// much memory it has and has free, and what compute features it offers.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ponder/error.h"

namespace ponder::vk {

class Instance;

// In the order the picker prefers them.
enum class AdapterType { Discrete, Integrated, Virtual, Cpu, Other };

struct MemoryHeap {
    uint64_t size = 0;     // bytes
    uint64_t budget = 0;   // bytes this process may use (VK_EXT_memory_budget), else size
    uint64_t usage = 0;    // bytes in use by this process (VK_EXT_memory_budget), else 0
    bool deviceLocal = false;
};

struct AdapterInfo {
    uint32_t index = 0;  // position in vkEnumeratePhysicalDevices
    VkPhysicalDevice handle = VK_NULL_HANDLE;
    std::string name;
    AdapterType type = AdapterType::Other;
    std::string driverName;
    std::string driverInfo;
    uint32_t vendorId = 0;
    uint32_t deviceId = 0;
    uint32_t apiVersion = 0;
    std::vector<MemoryHeap> heaps;
    bool hasMemoryBudget = false;  // heaps[].budget/usage are measured, not assumed

    // Compute capabilities the kernels choose between.
    uint32_t subgroupSize = 1;
    bool subgroupArithmetic = false;
    bool shaderFloat16 = false;
    bool shaderInt8 = false;
    bool storageBuffer16Bit = false;
    bool storageBuffer8Bit = false;
    bool cooperativeMatrix = false;
    uint64_t maxStorageBufferRange = 0;   // bytes one binding may cover
    uint64_t maxMemoryAllocationSize = 0; // bytes one allocation may have
    uint64_t minStorageBufferOffsetAlignment = 256;  // bytes; a bound range's offset is a multiple
    uint32_t maxComputeWorkGroupInvocations = 0;
    // Units that run workgroups side by side (NVIDIA SMs, AMD CUs, Arm shader
    // cores, a CPU device's threads), as the driver reports them
    // (VK_NV_shader_sm_builtins, VK_AMD_shader_core_properties(2),
    // VK_ARM_shader_core_builtins), else estimateComputeUnits(type).
    uint32_t computeUnits = 1;
    bool computeUnitsReported = false;  // computeUnits came from the driver
    uint32_t maxPushConstantsSize = 0;
    float timestampPeriodNs = 0.f;        // 0 when the compute queue has no timestamps

    // Total and free bytes of the device-local heaps. For a CPU or integrated
    // device these are the system memory the driver exposes.
    uint64_t deviceLocalBytes() const;
    uint64_t freeDeviceLocalBytes() const;
};

// A guess at computeUnits for a device whose driver does not report it:
// generous, since too many decode-attention splits cost a little more reducing
// and too few leave units idle. A discrete GPU 64 (NVIDIA's and AMD's report
// theirs; Intel's Arc has 8..32 Xe-cores), an integrated one 16 (Apple M
// 8..40 cores, Intel Xe 6..12 sub-slices), a CPU device (lavapipe runs
// workgroups on one thread per core) `cpuThreads`, anything else 16.
uint32_t estimateComputeUnits(AdapterType type, uint32_t cpuThreads);

// Every adapter the loader reports, with memory usage read now.
std::vector<AdapterInfo> listAdapters(const Instance& instance);

// Chooses an adapter. An empty preference ranks by type (discrete, then
// integrated, then virtual, then CPU) and then by device-local memory. A
// number picks that index; other text picks the first adapter whose name
// contains it, ignoring case. An error when nothing matches or none exists.
Result<uint32_t> pickAdapter(std::span<const AdapterInfo> adapters, std::string_view preference);

// The preference from the environment variable PONDER_DEVICE ("" when unset).
std::string adapterPreferenceFromEnvironment();

std::string_view adapterTypeName(AdapterType type);

// "1.3.230" from a packed Vulkan version.
std::string versionString(uint32_t version);

} // namespace ponder::vk
