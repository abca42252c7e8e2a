// Blocking copies between host memory and a device-local buffer through a
// temporary staging buffer: for tests, tools and small one-off uploads.
// Model weights use the streaming upload path instead.
#pragma once

#include <cstddef>
#include <span>

#include "ponder/error.h"

namespace ponder::vk {

class Device;
class Buffer;
class CommandRecorder;

Result<void> uploadBytes(const Device& device, CommandRecorder& recorder, const Buffer& destination,
                         std::span<const std::byte> bytes, uint64_t offset = 0);
Result<void> downloadBytes(const Device& device, CommandRecorder& recorder, const Buffer& source,
                           std::span<std::byte> bytes, uint64_t offset = 0);

} // namespace ponder::vk
