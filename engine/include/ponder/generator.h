// The chat loop: renders the conversation with the model's template,
// tokenizes it, evaluates only what the cache does not already hold (a
// shared prefix from the previous turn is reused), then samples and decodes
// tokens, streaming text through a callback until an end-of-turn token, the
// token limit, a full context or a cancel.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "ponder/backend.h"
#include "ponder/chat_template.h"
#include "ponder/error.h"
#include "ponder/sampler.h"

namespace ponder {

class Tokenizer;

enum class StopReason {
    EndOfTurn,   // the model ended its answer
    MaxTokens,   // the request's token limit
    Cancelled,   // the caller asked to stop
    ContextFull, // no room for another token
};

std::string_view stopReasonName(StopReason reason);

struct GenerationRequest {
    std::vector<ChatMessage> messages;  // the conversation so far, ending with the user's turn
    SamplerConfig sampler;
    uint32_t maxTokens = 4096;          // generated tokens at most
    // Control over a reasoning model's thinking (R1 reasons inside
    // <think>...</think> before it answers). Past `thinkingBudget` reasoning
    // tokens (0: no limit), or as soon as `answerNow` reads true, the
    // generator ends the reasoning where it stands: it puts "\n</think>\n\n"
    // into the context itself (and gives out its text) and the model writes
    // its answer from what it has thought. Neither does anything once the
    // reasoning has ended. `answerNow` is polled before each token.
    uint32_t thinkingBudget = 0;
    const std::atomic<bool>* answerNow = nullptr;
};

struct GenerationStats {
    uint32_t promptTokens = 0;      // tokens of the rendered prompt
    uint32_t reusedTokens = 0;      // of those, found in the cache from the last turn
    uint32_t generatedTokens = 0;
    double promptSeconds = 0;       // evaluating the new prompt tokens
    double firstTokenSeconds = 0;   // from the call to the first generated text
    double generationSeconds = 0;   // from the first generated token to the end
    StopReason stopReason = StopReason::EndOfTurn;
    uint32_t reasoningTokens = 0;    // of the generated tokens, those inside the reasoning
    bool reasoningCutShort = false;  // the generator ended the reasoning (budget or answerNow)

    double promptTokensPerSecond() const;
    double generationTokensPerSecond() const;
};

// Called with each piece of generated text, always whole UTF-8 characters.
using TextCallback = std::function<void(std::string_view text)>;

class Generator {
public:
    // `backend` and `tokenizer` must outlive the generator.
    Generator(InferenceBackend& backend, const Tokenizer& tokenizer, ChatFormat format);

    Result<GenerationStats> generate(const GenerationRequest& request, const TextCallback& onText,
                                     const std::atomic<bool>* cancel = nullptr);

    // The prompt token ids for a conversation, as generate() would evaluate them.
    Result<std::vector<int32_t>> promptTokens(std::span<const ChatMessage> messages) const;

    // Tokens known to be in the backend's cache, in order.
    std::span<const int32_t> cachedTokens() const { return m_cached; }

private:
    // What a decode step's evaluate() left: logits to go on with, a cancel
    // (the turn ends as cancelled), or a failure (the cache is dropped and
    // the error returned).
    enum class StepOutcome { Continue, Cancelled, Failed };
    StepOutcome afterStep(const Result<std::vector<float>>& logits);

    // Evaluates the tokens that end a reasoning (into the cache and
    // `history`); the logits after them.
    Result<std::vector<float>> endReasoning(std::vector<int32_t>& history);

    InferenceBackend& m_backend;
    const Tokenizer& m_tokenizer;
    ChatFormat m_format;
    ChatTemplateTokens m_templateTokens;
    std::vector<int32_t> m_stopTokens;
    std::vector<int32_t> m_cached;  // mirrors the backend's cache
    std::vector<int32_t> m_reasoningEnd;  // "\n</think>\n\n" as this vocabulary writes it
};

} // namespace ponder
