// A VkPipelineCache kept in a file between runs: the driver's compiled
// pipelines load from it next time instead of being built again (seconds
// on some drivers for the engine's few hundred pipelines).
//
// The file is ours, but it sits in the user's cache folder and is read as
// hostile: it is used only when its size, our header's checksum and the
// Vulkan header inside (version, vendor, device, pipelineCacheUUID) all
// match this device and driver; anything else starts an empty cache and
// says why (rejected()). Drivers validate the data too; this keeps a
// truncated, corrupted or foreign file from ever reaching them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <vulkan/vulkan.h>

#include "ponder/error.h"

namespace ponder::vk {

class Device;

class PipelineCache {
public:
    // The cache for `device` in `folder` (created when saving), in a file
    // named by the device and driver, so devices and driver updates never
    // share one.
    static Result<std::unique_ptr<PipelineCache>> open(const Device& device, const std::filesystem::path& folder);
    ~PipelineCache();
    PipelineCache(const PipelineCache&) = delete;
    PipelineCache& operator=(const PipelineCache&) = delete;

    VkPipelineCache handle() const { return m_cache; }
    const std::filesystem::path& file() const { return m_file; }
    // Bytes of driver data the cache started from; 0 when it started empty.
    uint64_t loadedBytes() const { return m_loadedBytes; }
    // Why an existing file was not used; empty when it was, or when there was none.
    const std::string& rejected() const { return m_rejected; }

    // Writes the cache's current data: to a temporary file beside it, then
    // renamed over it, so a crash never leaves half a file; owner-only.
    Result<void> save() const;

    // The file's bytes for `driverData` (what vkGetPipelineCacheData gives):
    // our header, then the data. Tests build files with it.
    static std::vector<uint8_t> fileBytes(const std::vector<uint8_t>& driverData);
    // Largest file read; a larger one is rejected unread.
    static constexpr uint64_t kMaxFileBytes = 256ull << 20;

private:
    PipelineCache() = default;

    VkDevice m_device = VK_NULL_HANDLE;
    VkPipelineCache m_cache = VK_NULL_HANDLE;
    std::filesystem::path m_file;
    uint64_t m_loadedBytes = 0;
    std::string m_rejected;
};

// $XDG_CACHE_HOME/ponder/pipelines, else ~/.cache/ponder/pipelines; empty
// when neither variable is set (then nothing is cached).
std::filesystem::path defaultPipelineCacheFolder();

} // namespace ponder::vk
