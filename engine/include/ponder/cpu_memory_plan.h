// Every byte the CPU engine allocates for a model at a context length,
// batch size and thread count, computed before anything is allocated, like
// memory_plan.h for the GPU: the model picker's fit against free RAM and the
// backend's allocation come from this one function, and CpuBackend
// allocates exactly these sizes (a test checks allocated == planned). The
// weights are either read in place from the mapped file (not allocated) or
// copied at load into memory backed by huge pages (allocated, and planned
// here to the byte); see CpuWeightPlacement.
#pragma once

#include <cstdint>

#include "ponder/error.h"
#include "ponder/memory_plan.h"
#include "ponder/model_info.h"

namespace ponder {

// Where the CPU engine keeps a model's matrices while it runs.
enum class CpuWeightPlacement {
    // Read in place from the mapped file: no copy, the page cache's 4 KiB
    // pages.
    Mapped,
    // Copied at load into anonymous memory the kernel backs with 2 MiB
    // transparent huge pages. A decode step streams every weight once, and
    // in 4 KiB pages that is a TLB miss every 4 KiB (on a virtual machine a
    // walk through two page tables): Qwen-1.5B Q4_K_M decoded 36-39 tok/s
    // mapped and 42-52 copied on the 2-core Zen 5 VM (BENCHMARKS.md, "The
    // weights in huge pages"). The copy costs a read of the file at load
    // (what Mapped spends bringing it into the page cache anyway) and no
    // more RAM than Mapped needs: the copied file pages are left to the page
    // cache to drop, and the fit counted the weights against RAM already.
    HugePages,
};

// HugePages where the kernel offers transparent huge pages to those who ask
// (/sys/kernel/mm/transparent_hugepage/enabled is "always" or "madvise"),
// else Mapped: without huge pages a copy would cost RAM and buy nothing.
CpuWeightPlacement defaultCpuWeightPlacement();

// "huge pages", "mapped"
const char* weightPlacementName(CpuWeightPlacement placement);

// The size of a transparent huge page (x86-64, and arm64 with 4 KiB pages).
inline constexpr uint64_t kHugePageBytes = 2ull << 20;

struct CpuMemoryPlan {
    PlanOptions options;
    uint32_t threads = 1;
    uint32_t logitRows = 0;            // positions whose logits one pass returns: min(batch, ~64 MiB of logits)
    uint64_t kvCacheBytes = 0;         // keys and values of every layer, (n_head_kv, context, head_dim) each
    uint64_t activationBytes = 0;      // f32 scratch of one batch: residual, q, k, v, attention, ffn, rope table
    uint64_t quantizedInputBytes = 0;  // inputs quantized for the kernels (QuantizedActivations), one batch
    uint64_t attentionBytes = 0;       // per thread: a row of scores over the context per head of a pass
    uint64_t logitsBytes = 0;          // (logitRows, n_vocab) f32
    uint64_t vectorBytes = 0;          // norms, biases and rope factors as f32
    CpuWeightPlacement weightPlacement = CpuWeightPlacement::Mapped;
    uint64_t weightBytes = 0;          // the part's matrices in the file
    // HugePages: their copy, each matrix on a cache line, in whole huge
    // pages (allocated); Mapped: 0 (read in place, paged in from the file).
    uint64_t residentWeightBytes = 0;

    // Bytes allocated: everything but weights read in place.
    uint64_t allocatedBytes() const
    {
        return kvCacheBytes + activationBytes + quantizedInputBytes + attentionBytes + logitsBytes + vectorBytes +
               residentWeightBytes;
    }
    // Whether the weights are read from the mapped file, so that besides
    // allocatedBytes() they must stay in RAM (the page cache) or every step
    // pages them in again.
    bool readsMappedWeights() const { return weightPlacement == CpuWeightPlacement::Mapped; }
};

// Alignment of every planned block, in bytes (a cache line, a full AVX-512 vector).
inline constexpr uint64_t kCpuAlignment = 64;

// The plan for `threads` threads and the weights kept as `placement` says.
// InvalidArgument for a zero context, batch or thread count.
Result<CpuMemoryPlan> planCpuMemory(const ModelInfo& info, const PlanOptions& options, uint32_t threads,
                                    CpuWeightPlacement placement);

// The bytes the copy into huge pages gives matrix `t`: the file's, or more
// for a Q4_K matrix held with its rows interleaved for AVX-512 (148 bytes
// per row and block where the file has 144; on this CPU only).
uint64_t cpuCopyBytes(const TensorDesc& t);

} // namespace ponder
