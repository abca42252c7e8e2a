// `--device`: the inference backend the CLI runs a model on.
#pragma once

#include <memory>
#include <string>

#include "ponder/backend.h"

namespace ponder {
class ModelFile;
}

namespace ponder::tools {

// "cpu-reference" (the float32 CPU reference). InvalidArgument for a device
// name it does not know.
Result<std::unique_ptr<InferenceBackend>> openBackend(const std::string& device, const ModelFile& model,
                                                      uint32_t contextLength);

} // namespace ponder::tools
