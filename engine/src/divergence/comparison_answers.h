// One model answering one prompt of a comparison, and what is read off the
// answer's tokens: how many of them reason, where two answers part, and the
// text of each token (the heat map's cells).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "ponder/error.h"
#include "ponder/quant_comparison.h"

namespace ponder {
class ModelFile;
class Tokenizer;
}

namespace ponder::divergence {

struct AnsweredPrompt {
    PromptAnswer answer;
    std::vector<int32_t> promptTokens;  // as the model read them before answering
    uint32_t decodeSteps = 0;           // generated tokens that each cost a step (the first comes from the prompt)
    double generationSeconds = 0;
};

// The model's answer to `prompt` as a single user turn, with the options'
// sampler and at most maxTokens tokens. `onPiece` is called per piece of
// text as it streams (progress). Cancelled once `cancel` reads true.
Result<AnsweredPrompt> answerPrompt(InferenceBackend& backend, const ModelFile& model, const ComparisonPrompt& prompt,
                                    const ComparisonOptions& options, const std::function<void()>& onPiece,
                                    const std::atomic<bool>* cancel);

// The answer's tokens up to and including the one that completes the text
// "</think>" (a token of its own in R1's vocabulary, maybe several in
// another). Without one, all of them when the prompt left a <think> open
// (R1's template does), none otherwise.
uint32_t countReasoningTokens(const Tokenizer& tokenizer, std::span<const int32_t> answer, bool promptOpensThought);

// The first index where the two answers differ, or where the shorter one
// ends; SIZE_MAX when they are the same.
size_t firstDeparture(std::span<const int32_t> reference, std::span<const int32_t> candidate);

// The text each token adds, in order: concatenated they are the decoded
// answer. A token that ends inside a UTF-8 character adds "" and the one
// completing it the whole character.
std::vector<std::string> tokenPieces(const Tokenizer& tokenizer, std::span<const int32_t> tokens);

} // namespace ponder::divergence
