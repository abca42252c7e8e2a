// `ponder-cli --info`: a model's architecture, tensors and sizes as JSON.
#pragma once

#include <string>

namespace ponder {
class ModelFile;
}

namespace ponder::tools {

std::string modelInfoJson(const ModelFile& model);

} // namespace ponder::tools
