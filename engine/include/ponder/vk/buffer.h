// GPU buffers: one VkBuffer with its own memory, usable as a storage buffer
// and as a copy source and destination.
#pragma once

#include <vulkan/vulkan.h>

#include <cstddef>
#include <cstdint>

#include "ponder/error.h"

namespace ponder::vk {

class Device;

enum class MemoryUsage {
    DeviceLocal,  // fastest for kernels; not mapped
    Upload,       // host-visible and coherent, mapped, written by the CPU
    Readback,     // host-visible, cached where possible, mapped, read by the CPU
};

// A window into a buffer, as bound to one descriptor.
struct BufferRange {
    VkBuffer buffer = VK_NULL_HANDLE;
    uint64_t offset = 0;  // bytes
    uint64_t size = 0;    // bytes
};

class Buffer {
public:
    static Result<Buffer> create(const Device& device, uint64_t size, MemoryUsage usage);
    Buffer() = default;
    ~Buffer();
    Buffer(Buffer&& other) noexcept;
    Buffer& operator=(Buffer&& other) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    VkBuffer handle() const { return m_buffer; }
    uint64_t size() const { return m_size; }
    // Bytes of device memory behind the buffer (at least size(), for alignment).
    uint64_t allocatedBytes() const { return m_allocated; }
    // The CPU view of Upload and Readback buffers; nullptr for DeviceLocal.
    std::byte* mapped() const { return m_mapped; }
    // Makes GPU writes visible to mapped() on non-coherent memory.
    void invalidate() const;

    BufferRange range() const { return {m_buffer, 0, m_size}; }
    BufferRange range(uint64_t offset, uint64_t size) const { return {m_buffer, offset, size}; }

private:
    void release();

    VkDevice m_device = VK_NULL_HANDLE;
    VkBuffer m_buffer = VK_NULL_HANDLE;
    VkDeviceMemory m_memory = VK_NULL_HANDLE;
    uint64_t m_size = 0;
    uint64_t m_allocated = 0;
    std::byte* m_mapped = nullptr;
    bool m_coherent = true;
};

} // namespace ponder::vk
