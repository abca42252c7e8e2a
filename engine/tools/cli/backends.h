// `--device`: the inference backend the CLI runs a model on.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "ponder/backend.h"
#include "ponder/kv_cache_type.h"

namespace ponder {
class ModelFile;
}

namespace ponder::tools {

// How a model is split when --device names several devices (split_devices.h).
struct SplitChoice {
    std::string shares = "auto";        // --split
    std::optional<uint32_t> gpuLayers;  // --gpu-layers
};

// "vulkan", "vulkan:N", "cpu" (the native CPU engine on `threads` threads,
// 0: one per physical core) or "cpu-reference" (the float32 CPU
// reference); several of the first three separated by commas split the
// model across them ("vulkan:0,vulkan:1,cpu"), printing where its layers
// went to stderr. InvalidArgument for a device name it does not know.
// `kvType` (--kv-type): the KV cache's type; unset: f16, and f32 for the
// reference (which can round its cache to f16 or q8_0 too).
Result<std::unique_ptr<InferenceBackend>> openBackend(const std::string& device, const ModelFile& model,
                                                      uint32_t contextLength, uint32_t threads = 0,
                                                      const SplitChoice& split = {},
                                                      std::optional<KvCacheType> kvType = std::nullopt);

// The --device values openBackend() knows, for usage texts.
inline constexpr const char* kDeviceNames = "vulkan, vulkan:N, cpu, cpu-reference, or a list such as vulkan:0,vulkan:1,cpu";

} // namespace ponder::tools
