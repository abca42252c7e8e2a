#include "divergence/comparison_answers.h"

#include <algorithm>

#include "ponder/generator.h"
#include "ponder/model_file.h"
#include "ponder/token_decoder.h"
#include "ponder/tokenizer.h"

namespace ponder::divergence {
namespace {

constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";

bool opensThought(const ModelFile& model, std::span<const ChatMessage> messages)
{
    const std::string prompt = renderPrompt(model.chatFormat(), messages, model.templateTokens(), true);
    const size_t open = prompt.rfind(kThinkOpen);
    const size_t close = prompt.rfind(kThinkClose);
    return open != std::string::npos && (close == std::string::npos || close < open);
}

} // namespace

Result<AnsweredPrompt> answerPrompt(InferenceBackend& backend, const ModelFile& model, const ComparisonPrompt& prompt,
                                    const ComparisonOptions& options, const std::function<void()>& onPiece,
                                    const std::atomic<bool>* cancel)
{
    Generator generator(backend, model.tokenizer(), model.chatFormat());
    GenerationRequest request;
    request.messages = {{ChatRole::User, prompt.text}};
    request.sampler = options.sampler;
    // One token more than asked: the generator samples its last token
    // without evaluating it, so that token never reaches cachedTokens(),
    // where the answer's tokens are read. With one more allowed, the
    // first maxTokens are all evaluated and the extra one is dropped.
    request.maxTokens = options.maxTokens == UINT32_MAX ? options.maxTokens : options.maxTokens + 1;
    auto promptTokens = generator.promptTokens(request.messages);
    if (!promptTokens)
        return std::unexpected(promptTokens.error());
    auto stats = generator.generate(request, [&](std::string_view) { if (onPiece) onPiece(); }, cancel);
    if (!stats)
        return std::unexpected(stats.error());
    if (stats->stopReason == StopReason::Cancelled)
        return fail(ErrorCode::Cancelled, "the comparison was cancelled");

    const std::span<const int32_t> cached = generator.cachedTokens();
    if (cached.size() < promptTokens->size() ||
        !std::equal(promptTokens->begin(), promptTokens->end(), cached.begin()))
        return fail(ErrorCode::InvalidArgument, "the generator's cache does not start with the prompt");
    const auto answerTokens = cached.subspan(promptTokens->size(),
                                             std::min<size_t>(cached.size() - promptTokens->size(), options.maxTokens));
    AnsweredPrompt result;
    result.promptTokens = std::move(*promptTokens);
    PromptAnswer& answer = result.answer;
    answer.tokens.assign(answerTokens.begin(), answerTokens.end());
    answer.text = model.tokenizer().decode(answer.tokens, false);  // as the generator streamed it
    answer.reasoningTokens =
        countReasoningTokens(model.tokenizer(), answer.tokens, opensThought(model, request.messages));
    answer.stopReason = stats->generatedTokens > options.maxTokens ? StopReason::MaxTokens : stats->stopReason;
    answer.tokensPerSecond = stats->generationTokensPerSecond();
    result.decodeSteps = stats->generatedTokens > 1 ? stats->generatedTokens - 1 : 0;
    result.generationSeconds = stats->generationSeconds;
    return result;
}

uint32_t countReasoningTokens(const Tokenizer& tokenizer, std::span<const int32_t> answer, bool promptOpensThought)
{
    TokenDecoder decoder(tokenizer, false);
    std::string text;
    for (size_t i = 0; i < answer.size(); ++i) {
        // Only the new text and the few characters before it can complete
        // the closing tag.
        const size_t from = text.size() >= kThinkClose.size() ? text.size() - (kThinkClose.size() - 1) : 0;
        text += decoder.push(answer[i]);
        if (text.find(kThinkClose, from) != std::string::npos)
            return uint32_t(i + 1);
    }
    return promptOpensThought ? uint32_t(answer.size()) : 0;
}

size_t firstDeparture(std::span<const int32_t> reference, std::span<const int32_t> candidate)
{
    const auto [r, c] = std::mismatch(reference.begin(), reference.end(), candidate.begin(), candidate.end());
    if (r == reference.end() && c == candidate.end())
        return SIZE_MAX;
    return size_t(r - reference.begin());
}

std::vector<std::string> tokenPieces(const Tokenizer& tokenizer, std::span<const int32_t> tokens)
{
    TokenDecoder decoder(tokenizer, false);
    std::vector<std::string> pieces;
    pieces.reserve(tokens.size());
    for (const int32_t token : tokens)
        pieces.push_back(decoder.push(token));
    if (!pieces.empty())
        pieces.back() += decoder.flush();
    return pieces;
}

} // namespace ponder::divergence
