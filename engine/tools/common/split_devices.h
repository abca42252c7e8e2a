// `--device vulkan:0,vulkan:1,cpu`, `--split auto|8,6,6,6` and
// `--gpu-layers N`: a model split across devices for ponder-cli and
// ponder-bench. Each GPU named is opened as its own device (naming one
// adapter twice opens two devices on it, as the tests do with lavapipe);
// the placement comes from planPlacement over their free memory and the
// CPU's available RAM, the same rule the app follows.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ponder/error.h"
#include "ponder/gpu_backend.h"
#include "ponder/placement.h"
#include "ponder/split_backend.h"

namespace ponder {
class ModelFile;
}

namespace ponder::tools {

struct SplitRequest {
    std::string devices;  // "vulkan:0,vulkan:1,cpu"; "vulkan" is the best GPU (or PONDER_DEVICE)
    std::string split = "auto";  // the GPUs' shares: "auto" (by free memory) or "8,6,6,6"
    std::optional<uint32_t> gpuLayers;  // layers on the GPUs, the output counted as one; unset: as many as fit
    PlanOptions plan;     // context, batch, KV cache type
    uint32_t threads = 0;  // the CPU engine's; 0: one per physical core
};

// Whether `devices` names more than one device (a split), e.g. "vulkan,cpu".
bool namesSeveralDevices(const std::string& devices);

// The opened devices and the split model on them; the devices outlive the model.
struct SplitModel {
    std::vector<std::unique_ptr<GpuContext>> gpus;  // index-aligned with `devices`; null for the CPU
    std::vector<PlacementDevice> devices;
    std::unique_ptr<SplitBackend> backend;

    SplitModel() = default;
    SplitModel(SplitModel&&) = default;
    SplitModel& operator=(SplitModel&&) = default;
    ~SplitModel() { backend.reset(); }  // before the devices it runs on
};

// Opens the devices, plans and loads. InvalidArgument for an unknown device
// or a malformed --split; the placement's errors (OutOfMemory naming the
// device) as they are.
Result<SplitModel> openSplit(const ModelFile& model, const SplitRequest& request);

// "layers 0-18 on CPU (2 cores, AVX2): 3.91 GiB; layers 19-47 + output on NVIDIA ...: 5.12 GiB"
std::string describePlacement(const Placement& placement, const std::vector<PlacementDevice>& devices);

} // namespace ponder::tools
