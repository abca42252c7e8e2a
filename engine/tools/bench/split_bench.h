// ponder-bench --device vulkan,cpu (several devices): a model split across
// them. Besides prefill and decode speed it reports, per device, its part
// (layers, bytes allocated, weight bytes read per token), its time per
// decode step inside the split and alone (its layers with nothing else
// running between steps), and the bandwidth that implies; the boundary cost
// (split step time against the parts' times alone); and the placement's
// speed estimate from each device's measured read bandwidth against the
// measured decode speed.
#pragma once

#include <span>
#include <string>

#include "ponder/error.h"
#include "split_devices.h"

namespace ponder {
class ModelFile;
}

namespace ponder::tools {

struct SplitBenchSettings {
    std::string path;  // the model file, for the report
    SplitRequest request;
    uint32_t genTokens = 0;
    int repeats = 1;
    int64_t seed = 1;
    uint32_t aloneSteps = 0;  // decode steps each part runs alone; the context must have room for them
};

// The whole report as JSON text.
Result<std::string> runSplitBench(const ModelFile& file, std::span<const int32_t> prompt,
                                  const SplitBenchSettings& settings);

} // namespace ponder::tools
