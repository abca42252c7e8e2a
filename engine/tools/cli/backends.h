// `--device`: the inference backend the CLI runs a model on.
#pragma once

#include <memory>
#include <string>

#include "ponder/backend.h"

namespace ponder {
class ModelFile;
}

namespace ponder::tools {

// "vulkan", "vulkan:N", "cpu" (the native CPU engine on `threads` threads,
// 0: one per physical core) or "cpu-reference" (the float32 CPU
// reference). InvalidArgument for a device name it does not know.
Result<std::unique_ptr<InferenceBackend>> openBackend(const std::string& device, const ModelFile& model,
                                                      uint32_t contextLength, uint32_t threads = 0);

// The --device values openBackend() knows, for usage texts.
inline constexpr const char* kDeviceNames = "vulkan, vulkan:N, cpu, cpu-reference";

} // namespace ponder::tools
