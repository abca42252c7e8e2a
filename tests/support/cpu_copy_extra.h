// What the CPU engine's copy of a model's weights in huge pages takes beyond
// the file's bytes: rows16 matrices (engine/src/cpu/rows16.h) are Q4_K's
// 148 bytes per row and block where the file has 144, Q6_K's as many as the
// file's, Q8_0's as many but for a group's padding to a cache line; none on
// a CPU without AVX-512 VNNI. For the tests that bound the
// copy's memory by the file's.
#pragma once

#include <cstdint>

#include "ponder/cpu_memory_plan.h"
#include "ponder/model_info.h"

namespace ponder::test {

inline uint64_t cpuCopyExtraBytes(const ModelInfo& info)
{
    uint64_t extra = 0;
    for (const TensorDesc& t : info.tensors)
        if (t.dims.size() > 1)
            extra += cpuCopyBytes(t) - t.bytes;
    return extra;
}

} // namespace ponder::test
