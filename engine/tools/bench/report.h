// Pieces of ponder-bench's JSON shared by its Vulkan and CPU reports:
// a median with its spread, and the model's facts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json_writer.h"
#include "ponder/model_info.h"

namespace ponder::tools {

struct Spread {
    double median = 0, min = 0, max = 0;
};

Spread spread(std::vector<double> values);  // values must not be empty
void writeSpread(JsonWriter& json, std::string_view name, const Spread& s);
// "model": file, name, architecture, file type, parameters, bytes by type.
void writeModel(JsonWriter& json, const std::string& path, const ModelInfo& info);

} // namespace ponder::tools
