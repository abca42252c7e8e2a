// An InferenceBackend that answers every prompt with a scripted token
// sequence (one logit far above the rest at each step), counting what it
// evaluates, for the server's tests: the queue, the HTTP side and the
// OpenAI client run against it without a model. With a gate, each generated
// token waits for a permit (release()), so a test can hold the generation at
// a known token while a client leaves; a wait ends with Cancelled as soon as
// the generator's cancel flag is set, as the CPU engine's layers do.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "ponder/backend.h"
#include "ponder/tokenizer.h"

namespace ponder::test {

// The synthetic R1 vocabulary of the generated test models (512 tokens).
const Tokenizer& testTokenizer();
// `text`'s tokens (special tokens such as </think> recognised), then the end of turn.
std::vector<int32_t> scriptFor(std::string_view text);

class ScriptedBackend final : public InferenceBackend {
public:
    ScriptedBackend(std::vector<int32_t> script, uint32_t contextLength = 512);

    // Gate the generated tokens: each decode step waits for a permit.
    void setGated(bool gated);
    void release(int permits = 1);

    // Tokens evaluated as generated (decode steps), every generation together.
    uint64_t decodeSteps() const { return m_decodeSteps; }
    // Prompt evaluations, and their tokens.
    uint64_t prompts() const { return m_prompts; }
    uint64_t promptTokens() const { return m_promptTokens; }
    // Generations that ended because the cancel flag was seen inside evaluate().
    uint64_t cancelledInside() const { return m_cancelledInside; }

    const ModelConfig& config() const override { return m_config; }
    uint32_t contextLength() const override { return m_config.contextLength; }
    uint32_t length() const override { return m_length; }
    Result<void> truncate(uint32_t length) override;
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override;
    std::string deviceName() const override { return "scripted"; }
    void setCancelFlag(const std::atomic<bool>* cancel) override { m_cancel = cancel; }

private:
    bool waitForPermit();  // false: cancelled while waiting

    ModelConfig m_config;
    std::vector<int32_t> m_script;
    uint32_t m_length = 0;
    bool m_fresh = true;  // the next evaluate() is a prompt
    size_t m_step = 0;
    const std::atomic<bool>* m_cancel = nullptr;
    std::atomic<uint64_t> m_decodeSteps{0};
    std::atomic<uint64_t> m_prompts{0};
    std::atomic<uint64_t> m_promptTokens{0};
    std::atomic<uint64_t> m_cancelledInside{0};

    std::mutex m_mutex;
    std::condition_variable m_permitted;
    bool m_gated = false;
    int m_permits = 0;
};

} // namespace ponder::test
