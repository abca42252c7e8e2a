#include "report.h"

#include <algorithm>

namespace ponder::tools {

Spread spread(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return {median, values.front(), values.back()};
}

void writeSpread(JsonWriter& json, std::string_view name, const Spread& s)
{
    json.key(name).beginObject();
    json.field("median", s.median).field("min", s.min).field("max", s.max);
    json.endObject();
}

void writeModel(JsonWriter& json, const std::string& path, const ModelInfo& info)
{
    json.key("model").beginObject();
    json.field("file", path).field("name", info.name);
    json.field("architecture", architectureName(info.config.architecture));
    json.field("file_type", info.fileType).field("parameters", info.parameterCount);
    json.field("tensor_bytes", info.tensorBytes);
    json.key("bytes_by_type").beginObject();
    for (const auto& [type, bytes] : info.bytesByType)
        json.field(tensorTypeName(type), bytes);
    json.endObject();
    json.endObject();
}

} // namespace ponder::tools
