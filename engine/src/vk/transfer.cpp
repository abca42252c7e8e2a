#include "ponder/vk/transfer.h"

#include <cstring>

#include "ponder/vk/buffer.h"
#include "ponder/vk/commands.h"

namespace ponder::vk {

Result<void> uploadBytes(const Device& device, CommandRecorder& recorder, const Buffer& destination,
                         std::span<const std::byte> bytes, uint64_t offset)
{
    if (bytes.empty())
        return {};
    if (offset + bytes.size() > destination.size())
        return fail(ErrorCode::InvalidArgument, "upload past the end of a GPU buffer");
    auto staging = Buffer::create(device, bytes.size(), MemoryUsage::Upload);
    if (!staging)
        return std::unexpected(staging.error());
    std::memcpy(staging->mapped(), bytes.data(), bytes.size());
    if (auto r = recorder.begin(); !r)
        return r;
    recorder.copy(staging->range(), destination.range(offset, bytes.size()));
    if (auto r = recorder.end(); !r)
        return r;
    return recorder.submitAndWait();
}

Result<void> downloadBytes(const Device& device, CommandRecorder& recorder, const Buffer& source,
                           std::span<std::byte> bytes, uint64_t offset)
{
    if (bytes.empty())
        return {};
    if (offset + bytes.size() > source.size())
        return fail(ErrorCode::InvalidArgument, "download past the end of a GPU buffer");
    auto staging = Buffer::create(device, bytes.size(), MemoryUsage::Readback);
    if (!staging)
        return std::unexpected(staging.error());
    if (auto r = recorder.begin(); !r)
        return r;
    recorder.copy(source.range(offset, bytes.size()), staging->range());
    if (auto r = recorder.end(); !r)
        return r;
    if (auto r = recorder.submitAndWait(); !r)
        return r;
    staging->invalidate();
    std::memcpy(bytes.data(), staging->mapped(), bytes.size());
    return {};
}

} // namespace ponder::vk
