// A model split across devices (placement.h) as one InferenceBackend: each
// part runs on its device (a GpuSession on its own GPU, the CPU engine),
// and every batch flows through the parts in chain order, the hidden state
// (n_embd floats per token) crossing each boundary once. Each GPU's decode
// step is still one recorded command buffer replayed; the crossing is a copy
// out of one part's readback buffer into the next part's staging buffer.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ponder/backend.h"
#include "ponder/cpu_backend.h"
#include "ponder/gpu_model.h"
#include "ponder/placement.h"

namespace ponder {

class Kernels;
class ModelFile;

class SplitBackend final : public InferenceBackend {
public:
    // Loads each part of `placement` on its device: `gpus[i]` holds the
    // kernels (and so the device) of placement device i, null for the CPU
    // engine, which loads with `cpu` (its plan options come from the
    // placement). Each GPU allocates exactly its part's plan. `file` and
    // the kernels must outlive the backend. Progress counts every part's
    // weight bytes, uploaded to its GPU or read into memory by the CPU
    // engine, against one total, part after part; returning false from it
    // cancels the load (Cancelled).
    static Result<std::unique_ptr<SplitBackend>> load(const ModelFile& file, const Placement& placement,
                                                      std::span<const Kernels* const> gpus,
                                                      const CpuBackendOptions& cpu,
                                                      const LoadProgressCallback& progress = {});
    ~SplitBackend() override;

    const ModelConfig& config() const override;
    uint32_t contextLength() const override;
    uint32_t length() const override { return m_length; }
    Result<void> truncate(uint32_t length) override;
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override;
    // "llvmpipe (LLVM 15.0.6, 256 bits) + CPU (2 cores, AVX-512)"
    std::string deviceName() const override;
    void setCancelFlag(const std::atomic<bool>* cancel) override;

    const Placement& placement() const { return m_placement; }
    size_t partCount() const;
    // The device name of part `i`, and the bytes its engine allocated (its plan's, by construction).
    std::string partDeviceName(size_t i) const;
    uint64_t partAllocatedBytes(size_t i) const;
    // For the benchmark's time per step on each device: the wall time each
    // part has spent running its batches (the copy of the hidden state
    // into it included) since resetPartTimes().
    std::vector<std::chrono::nanoseconds> partTimes() const { return m_partTimes; }
    void resetPartTimes();
    // For the benchmark's boundary cost: `steps` single-token steps of part
    // `index` alone, nothing else running between them, at the positions
    // after the cached tokens (token 0, or hidden rows of a constant for a
    // part that takes them); the part's cache is put back after. The wall
    // time of one step, the mean of `steps`. InvalidArgument when the
    // context has no room for them.
    Result<std::chrono::nanoseconds> timePartAlone(size_t index, uint32_t steps);

private:
    struct Part;
    SplitBackend(const ModelFile& file, Placement placement);
    Result<std::span<const float>> runPart(size_t index, const PartInput& input, uint32_t first, uint32_t outputRows);

    const ModelFile& m_file;
    Placement m_placement;
    std::vector<std::unique_ptr<Part>> m_parts;  // chain order
    uint32_t m_length = 0;
    uint32_t m_batch = 0;      // tokens per batch: the smallest of the parts'
    uint32_t m_logitRows = 0;  // logits one batch returns: the last part's
    const std::atomic<bool>* m_cancel = nullptr;
    std::vector<std::chrono::nanoseconds> m_partTimes;
};

} // namespace ponder
