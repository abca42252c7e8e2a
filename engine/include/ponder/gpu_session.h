// The forward pass on the GPU: a KV cache in the model's memory plan,
// prompts evaluated in batches, and single-token decode replayed from one
// command buffer recorded once (the CPU cost per token is writing the token
// and its position, one submit and one wait).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ponder/backend.h"
#include "ponder/gpu_model.h"
#include "ponder/kernels.h"
#include "ponder/vk/commands.h"

namespace ponder {

class GpuSession final : public InferenceBackend {
public:
    // `kernels`, `model` and `weights` must outlive the session (weights only
    // for the tensor types and names; the data is on the GPU).
    static Result<std::unique_ptr<GpuSession>> create(const Kernels& kernels, const GpuModel& model,
                                                      const ModelWeights& weights);

    const ModelConfig& config() const override { return m_model.config(); }
    uint32_t contextLength() const override { return m_model.plan().options.contextLength; }
    uint32_t length() const override { return m_length; }
    Result<void> truncate(uint32_t length) override;
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override;
    std::string deviceName() const override;
    // Polled between batches of a prompt: a batch already submitted runs to
    // its end (a GPU cannot stop one midway), so a long prompt stops within
    // one batch (512 tokens by default).
    void setCancelFlag(const std::atomic<bool>* cancel) override { m_cancel = cancel; }

    // Tokens per prompt batch (the memory plan's batch).
    uint32_t batchSize() const { return m_batch; }
    // Positions whose logits one batch can return.
    uint32_t logitRows() const { return m_model.plan().activations.logitRows; }
    const ModelPart& part() const { return m_part; }

    // One batch of a part of a split model (SplitBackend), at positions
    // first .. first + count - 1 after exactly `first` cached tokens, at most
    // batchSize() tokens. Returns the logits of the last `outputRows` tokens
    // (at most logitRows(); 0 only fills the cache) when the part has
    // the output, else the hidden
    // rows of every token, (count, n_embd); valid until the next call.
    Result<std::span<const float>> runPart(const PartInput& input, uint32_t first, uint32_t outputRows);

    // Profiling (ponder-bench): while on, every batch evaluate() runs writes
    // GPU timestamps around each dispatch (vk::CommandRecorder::setProfiling);
    // switching re-records the decode step. lastProfile() gives the GPU time
    // per kernel of the last batch evaluate() ran.
    Result<void> setProfiling(bool on);
    Result<std::vector<vk::KernelTime>> lastProfile() const;
    // Dispatches, barriers and copies of the last batch evaluate() ran (all
    // zero before the first): the fixed cost a decode step pays per token.
    vk::RecordingCounts lastCounts() const { return m_lastRun ? m_lastRun->counts() : vk::RecordingCounts{}; }

private:
    GpuSession(const Kernels& kernels, const GpuModel& model, const ModelWeights& weights);

    // Records the whole forward pass of `tokens` tokens whose ids and
    // positions are already in the staging buffer; logits of `logitRows`
    // rows, ending at the last token, land in the readback buffer.
    Result<void> record(vk::CommandRecorder& recorder, uint32_t tokens, uint32_t logitRows) const;
    Result<void> recordLayer(vk::CommandRecorder& recorder, uint32_t layer, uint32_t tokens) const;
    // Runs one batch: writes ids, positions (and hidden rows) to the staging
    // buffer, submits and waits. Its output is then in the readback buffer.
    Result<void> runBatch(const PartInput& input, uint32_t firstPosition, uint32_t logitRows);
    // The readback buffer after runBatch: `rows` rows of `width` floats.
    std::span<const float> readback(uint32_t rows, uint32_t width) const;

    vk::BufferRange activation(const Region& region, uint64_t bytes) const;

    // y = W x (+ bias) (+ residual) for `tokens` token vectors: the batched
    // matvec for a few tokens, the tiled matmul beyond.
    struct Projection {
        vk::BufferRange bias;
        vk::BufferRange residual;
        // The RMS norm's weights when x is the un-normalised residual: only
        // on the matvec path (foldsNorm()), which normalises x itself.
        vk::BufferRange normWeight;
    };
    // Whether a batch of `tokens` folds each RMS norm into the projections
    // after it: the matvec path on a GPU's layouts (no norm dispatch, no
    // barrier after it). Not with the row-per-invocation layout of CPU
    // devices, where barriers cost little and every extra load of x a lot
    // (lavapipe decoded a third slower with the fold).
    bool foldsNorm(uint32_t tokens) const;
    struct NormedInput {
        vk::BufferRange x;           // what the projections read
        vk::BufferRange normWeight;  // set when they fold the norm in
    };
    Result<NormedInput> normInput(vk::CommandRecorder& recorder, uint32_t rows, const vk::BufferRange& residual,
                                  const vk::BufferRange& normed, const vk::BufferRange& weight) const;
    Result<void> project(vk::CommandRecorder& recorder, TensorType type, uint32_t rows, uint32_t cols,
                         uint32_t tokens, const vk::BufferRange& y, const vk::BufferRange& w,
                         const vk::BufferRange& x, const Projection& extra = {}) const;

    const Kernels& m_kernels;
    const GpuModel& m_model;
    const ModelWeights& m_weights;
    uint32_t m_batch = 8;
    uint32_t m_length = 0;
    const std::atomic<bool>* m_cancel = nullptr;
    ModelPart m_part;
    const vk::Buffer* m_staging = nullptr;   // ids and positions, host-visible
    const vk::Buffer* m_readback = nullptr;  // logits, host-visible
    std::unique_ptr<vk::CommandRecorder> m_decode;   // one token, recorded once
    std::unique_ptr<vk::CommandRecorder> m_prefill;  // re-recorded per batch shape
    const vk::CommandRecorder* m_lastRun = nullptr;  // the recorder of the last batch
    uint32_t m_prefillTokens = 0;                    // the shape m_prefill holds
    uint32_t m_prefillLogitRows = 0;
};

} // namespace ponder
