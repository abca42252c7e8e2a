#include "ponder/generator.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "cancel_flag_loan.h"
#include "ponder/token_decoder.h"
#include "ponder/tokenizer.h"

namespace ponder {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";

// Follows the generated text to tell whether the model is reasoning: inside
// <think>...</think>, where the tags may arrive split across pieces.
class ReasoningTracker {
public:
    explicit ReasoningTracker(bool reasoning) : m_reasoning(reasoning) {}

    bool reasoning() const { return m_reasoning; }
    void end() { m_reasoning = false; }

    void follow(std::string_view text)
    {
        m_tail += text;
        for (;;) {
            const std::string_view tag = m_reasoning ? kThinkClose : kThinkOpen;
            const size_t at = m_tail.find(tag);
            if (at == std::string::npos)
                break;
            m_reasoning = !m_reasoning;
            m_tail.erase(0, at + tag.size());
        }
        // Keep only what could still begin a tag.
        if (m_tail.size() > kThinkClose.size())
            m_tail.erase(0, m_tail.size() - kThinkClose.size());
    }

private:
    bool m_reasoning;
    std::string m_tail;
};

// Whether a prompt leaves the model inside its reasoning: R1's generation
// prompt ends with "<think>\n".
bool promptOpensReasoning(const Tokenizer& tokenizer, std::span<const int32_t> prompt)
{
    const size_t tail = std::min<size_t>(prompt.size(), 4);
    std::string text = tokenizer.decode(prompt.last(tail));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text.ends_with(kThinkOpen);
}

} // namespace

std::string_view stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::EndOfTurn: return "end of turn";
    case StopReason::MaxTokens: return "token limit";
    case StopReason::Cancelled: return "cancelled";
    case StopReason::ContextFull: return "context full";
    }
    return "?";
}

double GenerationStats::promptTokensPerSecond() const
{
    const uint32_t evaluated = promptTokens - reusedTokens;
    return promptSeconds > 0 ? evaluated / promptSeconds : 0;
}

double GenerationStats::generationTokensPerSecond() const
{
    // The first token comes from the prompt's logits; the rest cost a step each.
    return generationSeconds > 0 && generatedTokens > 1 ? (generatedTokens - 1) / generationSeconds : 0;
}

Generator::Generator(InferenceBackend& backend, const Tokenizer& tokenizer, ChatFormat format)
    : m_backend(backend), m_tokenizer(tokenizer), m_format(format)
{
    if (tokenizer.bos() >= 0)
        m_templateTokens.bos = std::string(tokenizer.tokenText(tokenizer.bos()));
    for (std::string_view text : endOfTurnTexts(format))
        if (auto id = tokenizer.findToken(text))
            m_stopTokens.push_back(*id);
    if (tokenizer.eos() >= 0)
        m_stopTokens.push_back(tokenizer.eos());
    // R1's vocabularies hold "</think>" as one token: use it, as the model
    // itself would write it; others get the text.
    if (const auto close = tokenizer.findToken(kThinkClose)) {
        m_reasoningEnd = tokenizer.encode("\n", false, false);
        m_reasoningEnd.push_back(*close);
        const auto after = tokenizer.encode("\n\n", false, false);
        m_reasoningEnd.insert(m_reasoningEnd.end(), after.begin(), after.end());
    } else {
        m_reasoningEnd = tokenizer.encode("\n</think>\n\n", false, false);
    }
}

Generator::StepOutcome Generator::afterStep(const Result<std::vector<float>>& logits)
{
    if (logits)
        return StepOutcome::Continue;
    if (logits.error().code == ErrorCode::Cancelled)
        return StepOutcome::Cancelled;  // the backend dropped the cancelled tokens itself
    // Whatever the backend holds now is unknown: start the next turn afresh.
    m_cached.clear();
    (void)m_backend.truncate(0);
    return StepOutcome::Failed;
}

Result<std::vector<float>> Generator::endReasoning(std::vector<int32_t>& history)
{
    auto logits = m_backend.evaluate(m_reasoningEnd, false);
    if (!logits)
        return logits;
    m_cached.insert(m_cached.end(), m_reasoningEnd.begin(), m_reasoningEnd.end());
    history.insert(history.end(), m_reasoningEnd.begin(), m_reasoningEnd.end());
    return logits;
}

Result<std::vector<int32_t>> Generator::promptTokens(std::span<const ChatMessage> messages) const
{
    std::vector<int32_t> tokens;
    // Special pieces become the one token they name; plain text (including
    // whatever the user typed) is tokenized with control tokens off, so a
    // user cannot forge a turn marker.
    for (const auto& piece : renderPromptPieces(m_format, messages, m_templateTokens, true)) {
        if (piece.special) {
            if (auto id = m_tokenizer.findToken(piece.text)) {
                tokens.push_back(*id);
                continue;
            }
        }
        const auto ids = m_tokenizer.encode(piece.text, false, false);
        tokens.insert(tokens.end(), ids.begin(), ids.end());
    }
    if (tokens.empty())
        return fail(ErrorCode::InvalidArgument, "the conversation renders to an empty prompt");
    return tokens;
}

Result<GenerationStats> Generator::generate(const GenerationRequest& request, const TextCallback& onText,
                                            const std::atomic<bool>* cancel)
{
    const auto start = Clock::now();
    GenerationStats stats;
    auto sampler = Sampler::create(request.sampler);
    if (!sampler)
        return std::unexpected(sampler.error());
    auto prompt = promptTokens(request.messages);
    if (!prompt)
        return std::unexpected(prompt.error());
    stats.promptTokens = uint32_t(prompt->size());
    if (prompt->size() >= m_backend.contextLength())
        return fail(ErrorCode::ContextFull, "the conversation is " + std::to_string(prompt->size()) +
                                                " tokens long; the context holds " +
                                                std::to_string(m_backend.contextLength()) +
                                                ". Start a new chat or raise the context length.");

    // Reuse the cached prefix the new prompt shares, but always evaluate at
    // least one token: its logits start the answer.
    const auto mismatch = std::mismatch(m_cached.begin(), m_cached.end(), prompt->begin(), prompt->end());
    size_t reused = size_t(mismatch.first - m_cached.begin());
    reused = std::min({reused, prompt->size() - 1, size_t(m_backend.length())});
    if (auto truncated = m_backend.truncate(uint32_t(reused)); !truncated) {
        m_cached.clear();
        return std::unexpected(truncated.error());
    }
    m_cached.resize(reused);
    stats.reusedTokens = uint32_t(reused);

    const CancelFlagLoan loan(m_backend, cancel);
    const std::span<const int32_t> fresh(prompt->data() + reused, prompt->size() - reused);
    auto logits = m_backend.evaluate(fresh, false);
    if (!logits && logits.error().code == ErrorCode::Cancelled) {
        // The backend dropped the cancelled tokens; the reused prefix stays.
        stats.stopReason = StopReason::Cancelled;
        stats.promptSeconds = stats.firstTokenSeconds = secondsSince(start);
        return stats;
    }
    if (!logits) {
        m_cached.clear();
        (void)m_backend.truncate(0);
        return std::unexpected(logits.error());
    }
    m_cached.insert(m_cached.end(), fresh.begin(), fresh.end());
    stats.promptSeconds = secondsSince(start);

    std::vector<int32_t> history = *prompt;
    TokenDecoder decoder(m_tokenizer, false);
    ReasoningTracker reasoning(promptOpensReasoning(m_tokenizer, *prompt));
    Clock::time_point firstToken{};
    stats.stopReason = StopReason::MaxTokens;
    for (uint32_t i = 0; i < request.maxTokens; ++i) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            stats.stopReason = StopReason::Cancelled;
            break;
        }
        const bool answerNow = request.answerNow && request.answerNow->load(std::memory_order_relaxed);
        const bool overBudget = request.thinkingBudget > 0 && stats.reasoningTokens >= request.thinkingBudget;
        if (reasoning.reasoning() && (answerNow || overBudget)) {
            if (m_backend.length() + m_reasoningEnd.size() >= m_backend.contextLength()) {
                stats.stopReason = StopReason::ContextFull;
                break;
            }
            if (const std::string rest = decoder.flush(); !rest.empty())
                onText(rest);
            logits = endReasoning(history);
            if (const StepOutcome outcome = afterStep(logits); outcome != StepOutcome::Continue) {
                if (outcome == StepOutcome::Failed)
                    return std::unexpected(logits.error());
                stats.stopReason = StopReason::Cancelled;
                break;
            }
            reasoning.end();
            stats.reasoningCutShort = true;
            onText(m_tokenizer.decode(m_reasoningEnd));
        }
        auto token = sampler->sample(*logits, history);
        if (!token)
            return std::unexpected(token.error());
        if (i == 0)
            firstToken = Clock::now();
        if (std::find(m_stopTokens.begin(), m_stopTokens.end(), *token) != m_stopTokens.end()) {
            stats.stopReason = StopReason::EndOfTurn;
            break;
        }
        ++stats.generatedTokens;
        if (reasoning.reasoning())
            ++stats.reasoningTokens;
        history.push_back(*token);
        if (const std::string text = decoder.push(*token); !text.empty()) {
            if (stats.firstTokenSeconds == 0)
                stats.firstTokenSeconds = secondsSince(start);
            reasoning.follow(text);
            onText(text);
        }
        if (i + 1 == request.maxTokens)
            break;
        if (m_backend.length() >= m_backend.contextLength()) {
            stats.stopReason = StopReason::ContextFull;
            break;
        }
        logits = m_backend.evaluate(std::span<const int32_t>(&*token, 1), false);
        if (const StepOutcome outcome = afterStep(logits); outcome != StepOutcome::Continue) {
            if (outcome == StepOutcome::Failed)
                return std::unexpected(logits.error());
            stats.stopReason = StopReason::Cancelled;
            break;
        }
        m_cached.push_back(*token);
    }
    if (const std::string rest = decoder.flush(); !rest.empty())
        onText(rest);
    if (stats.firstTokenSeconds == 0)
        stats.firstTokenSeconds = secondsSince(start);
    if (firstToken != Clock::time_point{})
        stats.generationSeconds = std::chrono::duration<double>(Clock::now() - firstToken).count();
    return stats;
}

} // namespace ponder
