// Every byte the CPU engine allocates for a model at a context length,
// batch size and thread count, computed before anything is allocated, like
// memory_plan.h for the GPU: the model picker's fit against free RAM and the
// backend's allocation come from this one function, and CpuBackend
// allocates exactly these sizes (a test checks allocated == planned). The
// weights are read in place from the mapped file, so they are not
// allocated; only a copy the kernels repack at load is.
#pragma once

#include <cstdint>

#include "ponder/error.h"
#include "ponder/memory_plan.h"
#include "ponder/model_info.h"

namespace ponder {

struct CpuMemoryPlan {
    PlanOptions options;
    uint32_t threads = 1;
    uint32_t logitRows = 0;            // positions whose logits one pass returns: min(batch, ~64 MiB of logits)
    uint64_t kvCacheBytes = 0;         // keys and values of every layer, (n_head_kv, context, head_dim) each
    uint64_t activationBytes = 0;      // f32 scratch of one batch: residual, q, k, v, attention, ffn, rope table
    uint64_t quantizedInputBytes = 0;  // inputs quantized for the kernels (QuantizedActivations), one batch
    uint64_t attentionBytes = 0;       // per thread: one row of scores over the context
    uint64_t logitsBytes = 0;          // (logitRows, n_vocab) f32
    uint64_t vectorBytes = 0;          // norms, biases and rope factors as f32
    uint64_t repackedWeightBytes = 0;  // weights the kernels copy at load (CpuMatrix::ownedBytes); known after load
    uint64_t mappedWeightBytes = 0;    // weights read in place from the mapping (not allocated; paged in from the file)

    // Bytes allocated: everything but the mapped weights.
    uint64_t allocatedBytes() const
    {
        return kvCacheBytes + activationBytes + quantizedInputBytes + attentionBytes + logitsBytes + vectorBytes +
               repackedWeightBytes;
    }
};

// Alignment of every planned block, in bytes (a cache line, a full AVX-512 vector).
inline constexpr uint64_t kCpuAlignment = 64;

// The plan for `threads` threads, without repackedWeightBytes (CpuBackend
// fills it in as it prepares the matrices). InvalidArgument for a zero
// context, batch or thread count.
Result<CpuMemoryPlan> planCpuMemory(const ModelInfo& info, const PlanOptions& options, uint32_t threads);

} // namespace ponder
