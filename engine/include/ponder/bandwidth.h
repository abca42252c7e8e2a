// How fast a device reads memory, measured: the ceiling a decode step's
// weight reads are held to, and what Placement::estimatedTokensPerSecond
// divides each part's bytes by. The CPU's is all threads summing their slice
// of a buffer far larger than the caches; a GPU's is a compute shader
// (shaders/read_bandwidth.comp) streaming a device-local buffer with 16-byte
// loads, several in flight per invocation, the way the kernels read weights.
// Each takes a fraction of a second at the default sizes; the app measures a
// device once and keeps the figure.
#pragma once

#include <cstdint>

#include "ponder/error.h"

namespace ponder {

namespace vk {
class Device;
}

// One measurement: `bytes` read per pass, the fastest of the timed passes.
struct MeasuredBandwidth {
    uint64_t bytes = 0;    // read per pass
    uint32_t threads = 0;  // CPU: threads that read; a GPU: 0
    double seconds = 0;    // of the fastest pass
    bool gpuTimestamps = false;  // a GPU's passes were timed by GPU timestamps (else by the wall clock around each)
    double bytesPerSecond() const { return seconds > 0 ? double(bytes) / seconds : 0; }
};

// Far past any CPU's last-level cache (and a GPU's L2), small enough to
// take a fraction of a second to fill and read.
inline constexpr uint64_t kBandwidthBufferBytes = 256ull << 20;
inline constexpr int kBandwidthRepeats = 3;

// `threads` threads (0: one per physical core) each sum their slice of a
// `bytes` buffer; the best of `repeats` passes after one that commits the
// pages (each thread writes its own slice first, so the pages are its
// node's, and none reads as the shared zero page). OutOfMemory when the
// buffer cannot be allocated; InvalidArgument for no bytes or no repeats.
Result<MeasuredBandwidth> measureCpuReadBandwidth(uint64_t bytes = kBandwidthBufferBytes, uint32_t threads = 0,
                                                  int repeats = kBandwidthRepeats);

// The read shader over `bytes` of device-local memory, at most what one
// binding may cover (maxStorageBufferRange: 128 MiB on lavapipe), one
// allocation may hold and a quarter of the free memory; the best of
// `repeats` passes after a warm-up pass, timed by GPU timestamps where the
// queue has them, else by the wall clock around each pass (which then
// includes a submit and a wait). OutOfMemory when too little is free to
// measure (under 16 MiB).
Result<MeasuredBandwidth> measureGpuReadBandwidth(const vk::Device& device, uint64_t bytes = kBandwidthBufferBytes,
                                                  int repeats = kBandwidthRepeats);

} // namespace ponder
