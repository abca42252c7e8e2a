// What the CPU engine runs on: physical cores (the default thread count),
// the SIMD target Highway dispatches to, and the machine's RAM, for the
// device list ("CPU (2 cores, AVX-512)") and the model picker's fit, which
// compares a CpuMemoryPlan's bytes with availableBytes.
#pragma once

#include <cstdint>
#include <string>

namespace ponder {

struct CpuInfo {
    std::string modelName;        // "AMD EPYC 9R14", from /proc/cpuinfo; may be empty
    uint32_t physicalCores = 1;   // distinct (package, core) pairs of the online CPUs
    uint32_t logicalCores = 1;    // hardware threads
    std::string simdTarget;       // "AVX-512", "AVX2", "SSE4", "NEON", "SVE"...
    uint64_t totalBytes = 0;      // RAM, /proc/meminfo MemTotal
    uint64_t availableBytes = 0;  // RAM that can be allocated without swapping, MemAvailable

    // "CPU (2 cores, AVX-512)"
    std::string displayName() const;
};

// Reads the facts now (RAM changes; cores and SIMD do not).
CpuInfo readCpuInfo();

// /proc/meminfo MemAvailable in bytes; 0 when it cannot be read.
uint64_t availableMemoryBytes();

// Whether the kernel backs memory with transparent huge pages when asked
// (madvise(MADV_HUGEPAGE)): /sys/kernel/mm/transparent_hugepage/enabled
// reads "[always]" or "[madvise]".
bool transparentHugePagesOffered();

} // namespace ponder
