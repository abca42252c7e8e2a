// What ponder-bench measures: timed prompt-and-generate runs on a session,
// profiled batches (GPU time per kernel), the device's copy bandwidth, and
// the weight bytes one decode step reads.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "ponder/error.h"
#include "ponder/model_info.h"
#include "ponder/vk/commands.h"

namespace ponder {
class GpuSession;
class InferenceBackend;
class Sampler;
namespace vk {
class Device;
}
} // namespace ponder

namespace ponder::tools {

// One repeat: the prompt from an empty cache, then decode.
struct RunTimes {
    double prefillSeconds = 0;     // evaluate(prompt) until its logits are on the CPU
    double firstTokenSeconds = 0;  // ... and the first token is picked
    double decodeSeconds = 0;      // `decoded` single-token steps after that, picking included
    double samplingSeconds = 0;    // the part of decodeSeconds spent picking tokens
    uint32_t decoded = 0;
};

// Clears the cache, evaluates `prompt` and decodes `genTokens` tokens, each
// picked by `sampler` (the app's sampler with its settings) or, when it is
// null, by argmax.
Result<RunTimes> timedRun(InferenceBackend& session, std::span<const int32_t> prompt, uint32_t genTokens,
                          Sampler* sampler = nullptr);

// A profiled batch: GPU time per kernel, and the wall time of the evaluate()
// call around it (GPU time plus submit, wait and logits readback).
struct BatchProfile {
    uint32_t tokens = 0;
    uint32_t firstPosition = 0;
    double wallSeconds = 0;
    std::vector<vk::KernelTime> kernels;  // most GPU time first
    vk::RecordingCounts counts;           // dispatches and barrier phases of the batch
    uint64_t gpuNanoseconds() const;
};

struct Profiles {
    BatchProfile prefill;  // the prompt's last batch, re-evaluated
    BatchProfile decode;   // one token right after the prompt
};

// Profiles the last prompt batch and the decode step after it. Expects the
// cache to hold at least the prompt (after timedRun); leaves profiling off.
Result<Profiles> profileBatches(GpuSession& session, std::span<const int32_t> prompt);

// Device-local to device-local vkCmdCopyBuffer of `bytes`, timed with GPU
// timestamps: the best of `repeats` copies after a warm-up copy.
struct CopyBandwidth {
    uint64_t copyBytes = 0;     // bytes one copy moves
    uint64_t countedBytes = 0;  // bytes counted per copy: read + write (2 x copyBytes)
    double seconds = 0;         // of the fastest copy
    double bytesPerSecond() const { return seconds > 0 ? double(countedBytes) / seconds : 0; }
};
Result<CopyBandwidth> measureCopyBandwidth(const vk::Device& device, uint64_t bytes, int repeats);

// Weight bytes one decode step reads: every tensor but token_embd (one row
// per token, negligible), plus token_embd again when the output is tied.
uint64_t decodeWeightBytes(const ModelInfo& info);
// The same split by tensor type, for the matvec kernels' achieved bandwidth.
std::vector<std::pair<TensorType, uint64_t>> decodeWeightBytesByType(const ModelInfo& info);

} // namespace ponder::tools
