// Where each part of a model runs when it is split across devices: any
// number of Vulkan GPUs and the CPU engine. Layers go in contiguous ranges,
// as llama.cpp's layer split does, in chain order: the CPU's layers first,
// then each GPU's in the order given, and the last device also computes the
// logits. Why that order: the CPU engine reads its weights in place from the
// mapped file, so the embedding table (one row looked up per token) costs it
// no memory where on a GPU it would take room a layer could use, and the
// output matrix, the largest matrix every token reads, goes to a GPU.
//
// Each part's bytes come from the planners the engines allocate with
// (planMemory for a GPU, planCpuMemory for the CPU), so the placement is
// exact per device by construction: SplitBackend allocates exactly it.
// Layers are counted as llama.cpp counts them: the blocks, plus the output
// as one more ("30 of 49 layers on the GPU" for a 48-block model).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ponder/cpu_memory_plan.h"
#include "ponder/error.h"
#include "ponder/memory_plan.h"
#include "ponder/model_info.h"
#include "ponder/model_part.h"

namespace ponder {

// One device a model may be placed on.
struct PlacementDevice {
    std::string name;            // "NVIDIA GeForce RTX 4060", "CPU (8 cores, AVX2)"
    bool cpu = false;            // the native CPU engine, else a Vulkan GPU
    uint64_t freeBytes = 0;      // free device-local memory; for the CPU, available RAM
    DeviceLimits limits;         // a GPU's (deviceLimits(adapter))
    bool unifiedMemory = false;  // a GPU whose device-local heap is system memory: all its buffers count (deviceBytesNeeded)
    uint32_t threads = 1;        // the CPU engine's threads (its scratch is per thread)
    // Where the CPU engine keeps its weights (defaultCpuWeightPlacement() on
    // this machine): copied into huge pages, the plan holds them.
    CpuWeightPlacement weightPlacement = CpuWeightPlacement::Mapped;
    double readBytesPerSecond = 0;  // measured read bandwidth, for the speed estimate; 0: unknown
    // What its decode kernels read per second of each weight type, measured
    // (decode_rate.h): the estimate's figure where known. Decode is often
    // bound by dequantizing rather than by memory (lavapipe, the CPU engine
    // on few cores), so the raw read bandwidth alone overestimates it.
    std::map<TensorType, double> decodeBytesPerSecond;
};

struct PlacementRequest {
    PlanOptions plan;  // context, batch and KV cache type; plan.part is ignored
    // Layers (the output counts as one) on the GPUs; unset: as many as fit.
    std::optional<uint32_t> gpuLayers;
    // The GPUs' shares of those layers, in device order (--split 8,6,6,6);
    // empty: in proportion to their free memory, moving layers from a GPU
    // that overflows to one with room.
    std::vector<double> gpuShares;
};

// One device's part.
struct PlacedPart {
    size_t device = 0;  // index into the devices planned for
    ModelPart part;
    PlanOptions options;                 // what the device's engine loads the part with (options.part set)
    std::optional<MemoryPlan> gpuPlan;   // a GPU's plan: every buffer it allocates
    std::optional<CpuMemoryPlan> cpuPlan;  // the CPU engine's
    uint64_t neededBytes = 0;     // what counts against the device's free memory (the CPU: its plan plus its mapped weights)
    uint64_t allocatedBytes = 0;  // what its engine allocates for the part
    uint64_t readBytesPerToken = 0;  // weight bytes one decode step reads on it
    std::map<TensorType, uint64_t> readBytesByType;  // the same by weight type
    // Layers counted as the placement counts them: blocks, plus one for the output.
    uint32_t layerUnits() const { return part.layerCount() + (part.output ? 1 : 0); }
};

struct Placement {
    std::vector<PlacedPart> parts;  // chain order: the hidden state flows from each part to the next
    uint32_t totalUnits = 0;        // blocks + 1 (the output)
    uint32_t gpuUnits = 0;          // of those, on the GPUs

    bool split() const { return parts.size() > 1; }
    // 1 / the sum of each part's bytes read per token over its device's
    // speed (per weight type its decode rate where measured, else its read
    // bandwidth): a model for decode at short context (each step reads every
    // weight once; the hidden state crossing costs little). Unset when a
    // device's speed is unknown.
    std::optional<double> estimatedTokensPerSecond(std::span<const PlacementDevice> devices) const;
};

// Places `info` on `devices` (at most one CPU). OutOfMemory, naming the
// device that overflows and by how much, when nothing can hold the model
// (or the requested layers); InvalidArgument for a request that does not
// make sense (shares not matching the GPUs, layers left over without a CPU).
Result<Placement> planPlacement(const ModelInfo& info, const PlacementRequest& request,
                                std::span<const PlacementDevice> devices);

// Weight bytes one decode step reads in `part`: every matrix it holds but the
// embedding table (one row per token), which it reads only as the tied output.
uint64_t partReadBytesPerToken(const ModelInfo& info, const ModelPart& part);
// The same by weight type.
std::map<TensorType, uint64_t> partReadBytesByType(const ModelInfo& info, const ModelPart& part);

} // namespace ponder
