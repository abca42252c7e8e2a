// The free memory of a GPU as the app plans with it: what the driver
// reports (VK_EXT_memory_budget), capped for tests.
//
// Test hook: PONDER_TEST_GPU_FREE_BYTES=<bytes> caps every Vulkan adapter's
// free device-local memory at that many bytes, in the device list, the
// picker and the load's placement alike, so a test can make a model "not
// fit" lavapipe (whose free memory is the machine's RAM) and see it split
// across it and the CPU. Only tests set it; the cap only ever lowers the
// figure (the engine still checks every allocation against the real free
// memory), and text that is not a whole number of bytes is ignored.
#pragma once

#include <cstdint>
#include <optional>

namespace ponder::app {

inline constexpr char kGpuFreeBytesCapVariable[] = "PONDER_TEST_GPU_FREE_BYTES";

// The cap PONDER_TEST_GPU_FREE_BYTES sets; nothing when unset or not a number.
std::optional<uint64_t> gpuFreeBytesCap();

// `reported` free bytes of a Vulkan adapter, at most the test cap.
uint64_t plannedGpuFreeBytes(uint64_t reported);

} // namespace ponder::app
