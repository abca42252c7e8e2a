#include "ponder/vk/buffer.h"

#include <utility>

#include "check.h"
#include "ponder/vk/device.h"

namespace ponder::vk {

Result<Buffer> Buffer::create(const Device& device, uint64_t size, MemoryUsage usage)
{
    if (size == 0)
        return fail(ErrorCode::InvalidArgument, "a GPU buffer cannot be empty");
    const auto& adapter = device.adapter();
    if (adapter.maxMemoryAllocationSize && size > adapter.maxMemoryAllocationSize)
        return fail(ErrorCode::Unsupported, "a buffer of " + std::to_string(size) + " bytes exceeds " + adapter.name +
                                                "'s largest allocation of " +
                                                std::to_string(adapter.maxMemoryAllocationSize) + " bytes");
    Buffer buffer;
    buffer.m_device = device.handle();
    buffer.m_size = size;

    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = size;
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    PONDER_VK_TRY(vkCreateBuffer(buffer.m_device, &info, nullptr, &buffer.m_buffer), "creating a GPU buffer");

    VkMemoryRequirements requirements;
    vkGetBufferMemoryRequirements(buffer.m_device, buffer.m_buffer, &requirements);

    VkMemoryPropertyFlags required = 0;
    VkMemoryPropertyFlags preferred = 0;
    switch (usage) {
    case MemoryUsage::DeviceLocal:
        required = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
        break;
    case MemoryUsage::Upload:
        required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
        break;
    case MemoryUsage::Readback:
        required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
        preferred = VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
        break;
    }
    int type = device.findMemoryType(requirements.memoryTypeBits, required, preferred);
    if (type < 0 && usage == MemoryUsage::DeviceLocal)
        type = device.findMemoryType(requirements.memoryTypeBits, 0);
    if (type < 0)
        return fail(ErrorCode::Unsupported, "no suitable memory type for a GPU buffer on " + adapter.name);

    VkMemoryAllocateInfo allocate{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    allocate.allocationSize = requirements.size;
    allocate.memoryTypeIndex = static_cast<uint32_t>(type);
    PONDER_VK_TRY(vkAllocateMemory(buffer.m_device, &allocate, nullptr, &buffer.m_memory),
                  "allocating " + std::to_string(requirements.size) + " bytes of GPU memory");
    buffer.m_allocated = requirements.size;
    PONDER_VK_TRY(vkBindBufferMemory(buffer.m_device, buffer.m_buffer, buffer.m_memory, 0), "binding GPU memory");

    if (usage != MemoryUsage::DeviceLocal) {
        void* pointer = nullptr;
        PONDER_VK_TRY(vkMapMemory(buffer.m_device, buffer.m_memory, 0, VK_WHOLE_SIZE, 0, &pointer),
                      "mapping GPU memory");
        buffer.m_mapped = static_cast<std::byte*>(pointer);
        VkPhysicalDeviceMemoryProperties properties;
        vkGetPhysicalDeviceMemoryProperties(device.physical(), &properties);
        buffer.m_coherent = properties.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    }
    return buffer;
}

Buffer::~Buffer()
{
    release();
}

Buffer::Buffer(Buffer&& other) noexcept
{
    *this = std::move(other);
}

Buffer& Buffer::operator=(Buffer&& other) noexcept
{
    if (this != &other) {
        release();
        m_device = std::exchange(other.m_device, VK_NULL_HANDLE);
        m_buffer = std::exchange(other.m_buffer, VK_NULL_HANDLE);
        m_memory = std::exchange(other.m_memory, VK_NULL_HANDLE);
        m_size = std::exchange(other.m_size, 0);
        m_allocated = std::exchange(other.m_allocated, 0);
        m_mapped = std::exchange(other.m_mapped, nullptr);
        m_coherent = other.m_coherent;
    }
    return *this;
}

void Buffer::invalidate() const
{
    if (!m_mapped || m_coherent)
        return;
    VkMappedMemoryRange range{VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE};
    range.memory = m_memory;
    range.offset = 0;
    range.size = VK_WHOLE_SIZE;
    vkInvalidateMappedMemoryRanges(m_device, 1, &range);
}

void Buffer::release()
{
    if (m_device == VK_NULL_HANDLE)
        return;
    if (m_buffer != VK_NULL_HANDLE)
        vkDestroyBuffer(m_device, m_buffer, nullptr);
    if (m_memory != VK_NULL_HANDLE)
        vkFreeMemory(m_device, m_memory, nullptr);
    m_device = VK_NULL_HANDLE;
    m_buffer = VK_NULL_HANDLE;
    m_memory = VK_NULL_HANDLE;
    m_mapped = nullptr;
}

} // namespace ponder::vk
