// Whether a model fits on a GPU (or in RAM for the CPU engine) at a context
// length, or, when one GPU cannot hold it, split across the GPUs taking part
// and the CPU (evaluateSplitFit, from the placement the load makes), in the
// engine's own numbers: the bytes come from
// ponder::planMemory() (ponder::planCpuMemory() for the CPU engine), the very
// plan the engine allocates, and are compared with free memory by the
// engine's own rule (ponder::deviceBytesNeeded; all of the CPU plan against
// available RAM), so "fits" here means the load will not be refused for memory. The ModelInfo may come from a local file's header, a
// remote header (RemoteGgufHeader) or the catalog's config
// (modelInfoFromConfig); the estimate is the same function of it either way.
#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "byte_format.h"
#include "placement_settings.h"
#include "split_fit.h"
#include "ponder/memory_plan.h"
#include "ponder/model_layout.h"
#include "ponder/vk/adapter.h"

namespace ponder::app {

enum class FitVerdict {
    Fits,        // at least kTightFraction of the free memory stays free after loading
    Tight,       // loads, with less than that to spare (other programs may need it)
    Split,       // not on the chosen GPU alone, but split across the GPUs taking part and the CPU
    SplitTight,  // split, with less than kTightPercent of the RAM (or, without the CPU, of a GPU) to spare
    DoesNotFit,  // nothing can hold it, or the plan itself fails (a tensor too large for one allocation)
};

// Less than this percentage of the free memory to spare after loading is tight.
inline constexpr uint64_t kTightPercent = 10;

// The device a fit is judged for: a GPU, or the CPU engine.
struct FitTarget {
    DeviceLimits limits;                              // from ponder::deviceLimits(adapter)
    uint64_t freeBytes = 0;                           // free device-local memory (VK_EXT_memory_budget); available RAM for the CPU engine
    vk::AdapterType type = vk::AdapterType::Discrete;  // decides which buffers count, see deviceBytesNeeded
    bool cpuEngine = false;                           // plan with planCpuMemory (the CPU engine) instead
    uint32_t threads = 1;                             // CPU engine: threads it runs with (its scratch is per thread)
    CpuWeightPlacement weightPlacement = CpuWeightPlacement::Mapped;  // CPU engine: where it keeps the weights
};

// The target of a device from the GPU chooser's list: its limits and free
// memory, and the threads the CPU engine runs with as CpuBackend::load counts
// them (`cpuThreads`, the chat's setting; 0 or less: one per physical core).
FitTarget fitTargetFor(const AdapterSummary& device, int cpuThreads);

struct FitResult {
    FitVerdict verdict = FitVerdict::DoesNotFit;
    uint64_t neededBytes = 0;  // what counts against freeBytes (on the CPU engine: its plan plus the mapped weights); 0 when the plan failed
    uint64_t totalBytes = 0;   // everything the engine allocates (plan.totalBytes(), CpuMemoryPlan::allocatedBytes()); 0 when the plan failed
    uint64_t freeBytes = 0;
    bool planFailed = false;
    QString reason;  // "needs 9.4 GB, 7.1 GB free", or why the plan failed; a split's layers and speed
    std::optional<SplitFit> split;  // Split and SplitTight: where the layers go
};

// The plan options the chat loads models with (ChatEngine::loadModel: the
// default batch), at `contextLength` tokens with a `kvType` KV cache.
PlanOptions fitPlanOptions(uint32_t contextLength, KvCacheType kvType = KvCacheType::F16);

// The verdict for `needed` bytes against `free` bytes, by the thresholds above.
FitVerdict classifyFit(uint64_t needed, uint64_t free);

// Plans `info` at `contextLength` tokens (at most the model's trained context,
// as the chat loads it) and judges the plan against `target`.
FitResult evaluateFit(const ModelInfo& info, uint32_t contextLength, const FitTarget& target,
                      KvCacheType kvType = KvCacheType::F16);

// The fit of `info` split across `devices` (the GPUs taking part in chain
// order, the chosen one first among them, then the CPU engine) by
// planLayout, the rule the load follows, for a model that `single` (its fit
// on the chosen GPU alone) says does not fit there, or that the settings
// ask to split. Split or SplitTight with the parts; DoesNotFit with the
// reason when the settings do not suit the devices (the load refuses them
// too); else `single` as it is.
FitResult evaluateSplitFit(const ModelInfo& info, uint32_t contextLength, const PlacementSettings& settings,
                           std::span<const PlacementDevice> devices, FitResult single);

// "needs 9.4 GB, 7.1 GB free"
QString fitReason(uint64_t needed, uint64_t free);
// The same with no-break spaces inside "9.4 GB" and "7.1 GB free", so a
// wrapped line never parts a figure from its unit.
QString fitReasonText(uint64_t needed, uint64_t free);
// "fits", "tight", "split", "splitTight", "doesNotFit": the names QML sees.
QString verdictName(FitVerdict verdict);

// The quants the picker offers, best quality first: F16, Q8_0, Q6_K, Q5_K_M,
// Q4_K_M, Q3_K_M, Q2_K.
std::span<const QuantMix> quantQualityOrder();
// Position in quantQualityOrder() (0 is best); -1 for a mix not offered.
int quantQualityRank(QuantMix mix);

// The quant to recommend among `fits`: the best quality that Fits, else the
// best that is Tight, else (one device holds none) the best that runs
// Split, else SplitTight; nullopt when none loads.
std::optional<QuantMix> recommendQuant(std::span<const std::pair<QuantMix, FitVerdict>> fits);

} // namespace ponder::app
