// A model split across devices, in the words the picker and the status
// line use: which device holds how many layers (the output counting as one,
// as llama.cpp counts them: "30 of 49 layers"), the memory each needs, and
// the speed the placement estimates from each device's measured read
// bandwidth (ponder::Placement::estimatedTokensPerSecond).
#pragma once

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <span>

#include "ponder/placement.h"

namespace ponder::app {

// One device's part.
struct SplitPart {
    QString device;          // "NVIDIA GeForce RTX 4060", "CPU (8 cores, AVX2)"
    bool cpu = false;        // the CPU engine: its memory is RAM
    uint32_t layers = 0;     // layers it holds, the output counting as one
    uint64_t bytes = 0;      // what counts against its free memory (the CPU: its plan plus the mapped weights)
    uint64_t freeBytes = 0;  // free memory (available RAM) it was planned against
};

struct SplitFit {
    uint32_t gpuLayers = 0;    // on the GPUs
    uint32_t totalLayers = 0;  // blocks + the output
    QList<SplitPart> parts;    // the GPUs in chain order, then the CPU
    std::optional<double> tokensPerSecond;  // the estimate; unset when a device's bandwidth is unknown

    int gpuCount() const;
    const SplitPart* cpuPart() const;
};

// The parts of `placement` over `devices`, as planned (neededBytes).
SplitFit splitFitOf(const Placement& placement, std::span<const PlacementDevice> devices);

// "30 of 49 layers on NVIDIA GeForce RTX 4060, 19 on the CPU"; with
// `deviceNames` false the GPUs are "the GPU" / "2 GPUs" (a picker cell has
// no room for names): "30 of 49 layers on the GPU, 19 on the CPU".
QString splitLayersText(const SplitFit& split, bool deviceNames = true);
// "about 4.1 tok/s (estimate)"; empty when there is no estimate.
QString splitSpeedText(const SplitFit& split);
// A picker cell's three short lines (it is 22 characters wide):
// "GPU: 30 of 49 layers\nCPU: 19 · 9.0 GB\nestimated 4.1 tok/s" (the CPU's memory is RAM).
QString splitCellText(const SplitFit& split);
// The memory: "GPU 7.3 GB + RAM 9.0 GB" ("GPUs …" for several, "RAM …" with no GPU layers).
QString splitMemoryText(const SplitFit& split);
// Its first half, a picker cell's figure: "GPU 7.3 GB" ("RAM …" when the CPU holds everything).
QString splitGpuMemoryText(const SplitFit& split);
// Each device's need against its free memory, one per line:
// "NVIDIA GeForce RTX 4060: 7.3 GB of 7.5 GB free".
QString splitMemoryDetails(const SplitFit& split);

} // namespace ponder::app
