// The native CPU engine as an InferenceBackend: weights read in place from
// the mapped model file or copied into huge pages (CpuWeightPlacement; read
// into memory at load either way, with progress and cancel), an f16 (or f32) KV cache, prompts evaluated in
// batches (matrix products over many tokens), single-token decode, all
// threads of a persistent pool splitting each product by output rows and
// attention by heads. Everything it allocates is in its CpuMemoryPlan,
// allocated at load: no step allocates.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ponder/backend.h"
#include "ponder/cpu_memory_plan.h"
#include "ponder/load_progress.h"
#include "ponder/model_weights.h"

namespace ponder {

class ModelFile;

struct CpuBackendOptions {
    PlanOptions plan;              // context length, prompt batch (tokens per pass), KV cache type
    uint32_t threads = 0;          // 0: one per physical core
    // RAM the plan must fit in; unset: /proc/meminfo MemAvailable at load.
    std::optional<uint64_t> availableBytes;
    // Weight bytes read into memory between progress reports (and cancel
    // checks): a few tenths of a second from disk; tests make it small to
    // see several.
    uint64_t readInChunkBytes = 64ull << 20;
    // Where the matrices are kept; unset: defaultCpuWeightPlacement().
    std::optional<CpuWeightPlacement> weightPlacement;
};

class CpuBackend final : public InferenceBackend {
public:
    // `info` and `weights` (and the mapping behind them) must outlive the
    // backend. Unsupported for a tensor type the CPU kernels do not compute
    // with; OutOfMemory, before anything is allocated, when the plan does
    // not fit in the available RAM. Then reads the weights of its part into
    // memory, so the first prompt does not wait on the disk: `progress`
    // counts their bytes (partWeightBytes), {0, total} first, and returning
    // false from it ends the load within one chunk with Cancelled, keeping
    // nothing.
    static Result<std::unique_ptr<CpuBackend>> load(const ModelInfo& info, const ModelWeights& weights,
                                                    const CpuBackendOptions& options,
                                                    const LoadProgressCallback& progress = {});
    // The same for an opened model file (one file or the parts of a split one).
    static Result<std::unique_ptr<CpuBackend>> load(const ModelFile& file, const CpuBackendOptions& options,
                                                    const LoadProgressCallback& progress = {});

    ~CpuBackend() override;

    const ModelConfig& config() const override;
    uint32_t contextLength() const override;
    uint32_t length() const override;
    Result<void> truncate(uint32_t length) override;
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override;
    // "CPU (2 cores, AVX-512)"
    std::string deviceName() const override;
    void setCancelFlag(const std::atomic<bool>* cancel) override;

    // evaluate() without allocating: the logits land in the backend's own
    // buffer, valid until the next call: (tokens.size(), n_vocab) when
    // allLogits (then at most logitRows() tokens), else (n_vocab) of the last.
    Result<std::span<const float>> step(std::span<const int32_t> tokens, bool allLogits);

    // One batch of a part of a split model (SplitBackend; the part is
    // options.plan.part at load), at positions first .. first + count - 1
    // after exactly `first` cached tokens, at most batchSize() tokens.
    // Returns the logits of the last `outputRows` tokens (at most
    // logitRows()) when the part has the output, else every token's hidden
    // row, (count, n_embd); valid until the next call.
    Result<std::span<const float>> runPart(const PartInput& input, uint32_t first, uint32_t outputRows);

    const CpuMemoryPlan& plan() const;
    // Bytes actually allocated (the plan's allocatedBytes() by construction).
    uint64_t allocatedBytes() const;
    uint32_t threads() const;
    uint32_t batchSize() const;
    uint32_t logitRows() const;
    // Weight bytes one decode step reads (every matrix but the embedding).
    uint64_t decodeWeightBytes() const;
    // With the weights copied into huge pages, how many bytes of the copy
    // the kernel backs with them now (ResidentWeights::hugePageBytes).
    uint64_t residentHugePageBytes() const;

private:
    struct State;
    explicit CpuBackend(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace ponder
