#include "ponder/vk/pipeline_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

#include "check.h"
#include "ponder/vk/device.h"

namespace ponder::vk {
namespace {

constexpr std::array<char, 16> kMagic{'P', 'O', 'N', 'D', 'E', 'R', '-', 'P', 'I', 'P', 'E', 'L', 'I', 'N', 'E', 'S'};
constexpr size_t kHeaderBytes = 32;  // magic, payload size (u64), FNV-1a 64 of the payload (u64)
constexpr size_t kVulkanHeaderBytes = 16 + VK_UUID_SIZE;  // VkPipelineCacheHeaderVersionOne

uint64_t fnv1a(const uint8_t* data, size_t size)
{
    uint64_t hash = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < size; ++i)
        hash = (hash ^ data[i]) * 0x100000001b3ull;
    return hash;
}

uint32_t readU32(const uint8_t* p)
{
    uint32_t value;
    std::memcpy(&value, p, 4);
    return value;
}

uint64_t readU64(const uint8_t* p)
{
    uint64_t value;
    std::memcpy(&value, p, 8);
    return value;
}

std::string hex(const uint8_t* bytes, size_t size)
{
    std::string out;
    char digits[3];
    for (size_t i = 0; i < size; ++i) {
        std::snprintf(digits, sizeof digits, "%02x", bytes[i]);
        out += digits;
    }
    return out;
}

// The driver data in `file`, or why it cannot be used.
std::string check(const std::vector<uint8_t>& file, const VkPhysicalDeviceProperties& properties,
                  std::vector<uint8_t>& payload)
{
    if (file.size() < kHeaderBytes + kVulkanHeaderBytes)
        return "the file is too short to hold a pipeline cache";
    if (std::memcmp(file.data(), kMagic.data(), kMagic.size()) != 0)
        return "the file is not a Ponder pipeline cache";
    const uint64_t size = readU64(file.data() + 16);
    if (size != file.size() - kHeaderBytes)
        return "the file's size does not match its header (truncated or appended to)";
    if (readU64(file.data() + 24) != fnv1a(file.data() + kHeaderBytes, size))
        return "the file's checksum does not match (corrupted)";
    const uint8_t* vulkan = file.data() + kHeaderBytes;
    if (readU32(vulkan) < kVulkanHeaderBytes || readU32(vulkan) > size ||
        readU32(vulkan + 4) != VK_PIPELINE_CACHE_HEADER_VERSION_ONE)
        return "the driver data has an unknown header";
    if (readU32(vulkan + 8) != properties.vendorID || readU32(vulkan + 12) != properties.deviceID ||
        std::memcmp(vulkan + 16, properties.pipelineCacheUUID, VK_UUID_SIZE) != 0)
        return "the data is from another device or driver";
    payload.assign(file.begin() + kHeaderBytes, file.end());
    return {};
}

} // namespace

Result<std::unique_ptr<PipelineCache>> PipelineCache::open(const Device& device, const std::filesystem::path& folder)
{
    VkPhysicalDeviceProperties properties;
    vkGetPhysicalDeviceProperties(device.physical(), &properties);
    std::unique_ptr<PipelineCache> cache(new PipelineCache());
    cache->m_device = device.handle();
    char ids[32];
    std::snprintf(ids, sizeof ids, "%04x-%04x-%u-", properties.vendorID, properties.deviceID,
                  properties.driverVersion);
    cache->m_file = folder / ("pipelines-" + std::string(ids) + hex(properties.pipelineCacheUUID, VK_UUID_SIZE) + ".bin");

    std::vector<uint8_t> payload;
    std::error_code error;
    const auto size = std::filesystem::file_size(cache->m_file, error);
    if (!error) {
        if (size > kMaxFileBytes) {
            cache->m_rejected = "the file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB";
        } else {
            std::ifstream in(cache->m_file, std::ios::binary);
            std::vector<uint8_t> bytes(size);
            if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size)))
                cache->m_rejected = "the file could not be read";
            else
                cache->m_rejected = check(bytes, properties, payload);
        }
    }

    VkPipelineCacheCreateInfo info{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
    info.initialDataSize = payload.size();
    info.pInitialData = payload.empty() ? nullptr : payload.data();
    PONDER_VK_TRY(vkCreatePipelineCache(cache->m_device, &info, nullptr, &cache->m_cache), "creating a pipeline cache");
    cache->m_loadedBytes = payload.size();
    return cache;
}

PipelineCache::~PipelineCache()
{
    if (m_cache != VK_NULL_HANDLE)
        vkDestroyPipelineCache(m_device, m_cache, nullptr);
}

std::vector<uint8_t> PipelineCache::fileBytes(const std::vector<uint8_t>& driverData)
{
    const uint64_t size = driverData.size(), hash = fnv1a(driverData.data(), driverData.size());
    std::array<uint8_t, kHeaderBytes> header{};
    std::memcpy(header.data(), kMagic.data(), kMagic.size());
    std::memcpy(header.data() + 16, &size, 8);
    std::memcpy(header.data() + 24, &hash, 8);
    std::vector<uint8_t> bytes(kHeaderBytes + driverData.size());
    for (size_t i = 0; i < kHeaderBytes; ++i)
        bytes[i] = header[i];
    for (size_t i = 0; i < driverData.size(); ++i)
        bytes[kHeaderBytes + i] = driverData[i];
    return bytes;
}

Result<void> PipelineCache::save() const
{
    size_t size = 0;
    PONDER_VK_TRY(vkGetPipelineCacheData(m_device, m_cache, &size, nullptr), "reading the pipeline cache");
    std::vector<uint8_t> data(size);
    PONDER_VK_TRY(vkGetPipelineCacheData(m_device, m_cache, &size, data.data()), "reading the pipeline cache");
    data.resize(size);
    const std::vector<uint8_t> bytes = fileBytes(data);

    std::error_code error;
    std::filesystem::create_directories(m_file.parent_path(), error);
    if (error)
        return fail(ErrorCode::Io, "cannot create " + m_file.parent_path().string() + ": " + error.message());
    const std::string temporary = m_file.string() + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(ErrorCode::Io, "cannot write " + temporary + ": " + std::strerror(errno));
    size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n <= 0)
            break;
        written += size_t(n);
    }
    const bool complete = written == bytes.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!complete || std::rename(temporary.c_str(), m_file.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        std::remove(temporary.c_str());
        return fail(ErrorCode::Io, "cannot write " + m_file.string() + ": " + reason);
    }
    return {};
}

std::filesystem::path defaultPipelineCacheFolder()
{
    if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache == '/')
        return std::filesystem::path(cache) / "ponder" / "pipelines";
    if (const char* home = std::getenv("HOME"); home && *home == '/')
        return std::filesystem::path(home) / ".cache" / "ponder" / "pipelines";
    return {};
}

} // namespace ponder::vk
