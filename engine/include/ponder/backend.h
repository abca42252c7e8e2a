// What the generator needs from an inference engine: a KV cache holding the
// tokens evaluated so far, and logits for new tokens. The CPU reference and
// the Vulkan session both provide it.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ponder/error.h"
#include "ponder/model_info.h"
#include "ponder/model_part.h"

namespace ponder {

class InferenceBackend {
public:
    virtual ~InferenceBackend() = default;

    virtual const ModelConfig& config() const = 0;
    // Tokens the cache can hold.
    virtual uint32_t contextLength() const = 0;
    // Tokens in the cache now.
    virtual uint32_t length() const = 0;
    // Forgets every cached token from `length` on (to reuse a shared prefix).
    virtual Result<void> truncate(uint32_t length) = 0;
    // Evaluates `tokens` after the cached ones and caches them. Returns the
    // logits of every new position, (tokens.size(), n_vocab), when allLogits,
    // else those of the last one, (n_vocab). ContextFull when they do not fit.
    virtual Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) = 0;
    // "cpu-reference", "llvmpipe (LLVM 15.0.6, 256 bits)"...
    virtual std::string deviceName() const = 0;
    // A flag evaluate() polls while it works (the CPU engine: between
    // layers; a GPU: between batches of a prompt), so a long prompt stops
    // promptly: once it reads true, evaluate() returns Cancelled and caches
    // none of that call's tokens. Null stops polling. Backends that finish a
    // call quickly ignore it.
    virtual void setCancelFlag(const std::atomic<bool>* cancel) { (void)cancel; }
};

// What every backend's evaluate() checks first: that there are tokens,
// that they fit after the `cached` ones in a context of `capacity` tokens
// (ContextFull, saying how many are used), and that each id is within the
// vocabulary of `vocab` tokens.
Result<void> checkEvaluation(std::span<const int32_t> tokens, uint32_t cached, uint32_t capacity, uint32_t vocab);

// Where a part of a split model stands when a batch comes (GpuSession and
// CpuBackend::runPart).
struct PartLimits {
    uint32_t cached = 0;     // tokens in its cache
    uint32_t capacity = 0;   // tokens its cache holds
    uint32_t batch = 0;      // tokens one call may run
    uint32_t logitRows = 0;  // rows of logits one call may return
};
// What every device's runPart() checks first: 1 to `batch` tokens at
// positions right after the cached ones and within the context, n_embd
// hidden values per token for a part without the embedding (ids within the
// vocabulary for one with it), and at most min(tokens, logitRows) rows of
// logits from the part with the output. InvalidArgument otherwise.
Result<void> checkPartBatch(const ModelPart& part, const ModelConfig& config, const PartInput& input, uint32_t first,
                            uint32_t outputRows, const PartLimits& limits);

} // namespace ponder
