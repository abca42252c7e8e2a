#include "ponder/cpu_info.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>

// The kernels' target set, so the name is the target their dispatch picks.
#include "cpu/hwy_targets.h"
#include <hwy/targets.h>

#include "cpu/simd_limit.h"

namespace ponder {
namespace {

// A "Key:   value kB" line of /proc/meminfo, in bytes; 0 when absent.
uint64_t meminfoBytes(std::string_view key)
{
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 && line[key.size()] == ':') {
            std::istringstream fields(line.substr(key.size() + 1));
            uint64_t kib = 0;
            fields >> kib;
            return kib * 1024;
        }
    }
    return 0;
}

std::string readLine(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// Counts (package, core) pairs of the online CPUs in sysfs: hyperthreads of
// one core share a pair. Falls back to the hardware threads.
uint32_t countPhysicalCores(uint32_t logical)
{
    std::set<std::pair<std::string, std::string>> cores;
    for (uint32_t cpu = 0; cpu < 4096; ++cpu) {
        const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
        const std::string core = readLine(dir + "core_id");
        if (core.empty()) {
            if (cpu >= logical)
                break;
            continue;  // offline CPUs have no topology
        }
        cores.emplace(readLine(dir + "physical_package_id"), core);
    }
    return cores.empty() ? logical : uint32_t(cores.size());
}

std::string cpuModelName()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0 || line.rfind("Model", 0) == 0) {
            const size_t colon = line.find(':');
            if (colon != std::string::npos && colon + 2 <= line.size())
                return line.substr(colon + 2);
        }
    }
    return {};
}

// The best target this build compiled and this CPU supports: Highway's
// run-time dispatch picks the same one (lower bits are better targets).
std::string simdTargetName()
{
    cpu::avx512Allowed();  // PONDER_CPU_SIMD's limit first (simd_limit.h)
    const int64_t targets = hwy::SupportedTargets() & HWY_TARGETS;
    const int64_t best = targets & -targets;
    if (best & (HWY_AVX3 | HWY_AVX3_DL))
        return "AVX-512";
    if (best & HWY_AVX2)
        return "AVX2";
    if (best & HWY_SSE4)
        return "SSE4";
    if (best & HWY_SSSE3)
        return "SSSE3";
    if (best & HWY_NEON)
        return "NEON";
    if (best & (HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128))
        return "SVE";
    if (best & (HWY_EMU128 | HWY_SCALAR))
        return "no SIMD";
    return best ? hwy::TargetName(best) : "no SIMD";
}

} // namespace

std::string CpuInfo::displayName() const
{
    return "CPU (" + std::to_string(physicalCores) + (physicalCores == 1 ? " core, " : " cores, ") + simdTarget + ")";
}

uint64_t availableMemoryBytes()
{
    return meminfoBytes("MemAvailable");
}

bool transparentHugePagesOffered()
{
    std::ifstream file("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string modes;
    std::getline(file, modes);
    return modes.find("[always]") != std::string::npos || modes.find("[madvise]") != std::string::npos;
}

CpuInfo readCpuInfo()
{
    CpuInfo info;
    info.modelName = cpuModelName();
    info.logicalCores = std::max(1u, std::thread::hardware_concurrency());
    info.physicalCores = countPhysicalCores(info.logicalCores);
    info.simdTarget = simdTargetName();
    info.totalBytes = meminfoBytes("MemTotal");
    info.availableBytes = meminfoBytes("MemAvailable");
    return info;
}

} // namespace ponder
