// A part's matrices copied out of the mapped file into memory of the
// engine's own, backed by 2 MiB transparent huge pages
// (CpuWeightPlacement::HugePages; why, in cpu_memory_plan.h). The copy is
// the read-in: the same order, chunks, progress and cancel as readIn, each
// chunk read from the file and copied, and its pages of the mapping let go
// of, so the process does not hold the weights twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_map>

#include "cpu/huge_page_memory.h"
#include "ponder/error.h"
#include "ponder/load_progress.h"
#include "ponder/model_weights.h"

namespace ponder::cpu {

class ResidentWeights {
public:

    // Allocates exactly `bytes` (CpuMemoryPlan::residentWeightBytes) on a
    // huge page boundary and copies the matrices among `tensors` into it,
    // each on a cache line, in file order, on `threads` threads (the file
    // is read on one); the other tensors (norms, biases) are read in as
    // readIn reads them. `progress` and the cancel are readIn's, over all
    // of `tensors`' bytes. OutOfMemory when the memory cannot be mapped or
    // the matrices need more than `bytes`; Io, Cancelled as readIn. The copy
    // is read-only once made.
    static Result<ResidentWeights> copy(std::span<const WeightView> tensors, uint64_t bytes, uint32_t threads,
                                        uint64_t chunkBytes, const LoadProgressCallback& progress);

    // `weights` with every copied tensor's view on its copy.
    ModelWeights relocate(const ModelWeights& weights) const;

    uint64_t bytes() const { return m_memory.bytes(); }
    // How much of the copy the kernel backs with huge pages now
    // (/proc/self/smaps' AnonHugePages): all of it, unless the kernel found
    // no free 2 MiB pages at load. For the benchmark's report.
    uint64_t hugePageBytes() const;

private:
    HugePageMemory m_memory;
    std::unordered_map<const TensorDesc*, std::span<const std::byte>> m_copies;
};

} // namespace ponder::cpu
