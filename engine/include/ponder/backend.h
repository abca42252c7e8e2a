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
    // layers), so a long prompt stops promptly: once it reads true,
    // evaluate() returns Cancelled and caches none of that call's tokens.
    // Null stops polling. Backends that finish a call quickly ignore it.
    virtual void setCancelFlag(const std::atomic<bool>* cancel) { (void)cancel; }
};

// What every backend's evaluate() checks first: that there are tokens,
// that they fit after the `cached` ones in a context of `capacity` tokens
// (ContextFull, saying how many are used), and that each id is within the
// vocabulary of `vocab` tokens.
Result<void> checkEvaluation(std::span<const int32_t> tokens, uint32_t cached, uint32_t capacity, uint32_t vocab);

} // namespace ponder
