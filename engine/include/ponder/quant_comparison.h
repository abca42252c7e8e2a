// Comparing quantizations of one model (or models that share a tokenizer)
// on a set of prompts: the work behind ponder-compare and the app's compare
// page, written once.
//
// The reference (the most precise file present, by bits per weight)
// answers every prompt first, and its predictions along its own answers are
// kept compactly (compact_logits.h). Then each other model, one at a time
// (only one model is ever loaded), answers the same prompts with the same
// sampler and seed, to be read side by side, and reads the reference's
// answers token by token (teacher forcing) so its divergence is measured at
// every token of them, reasoning included.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ponder/backend.h"
#include "ponder/compact_logits.h"
#include "ponder/divergence_stats.h"
#include "ponder/error.h"
#include "ponder/generator.h"
#include "ponder/sampler.h"

namespace ponder {

class ModelFile;

struct ComparisonPrompt {
    std::string id;        // "math-03"
    std::string category;  // "math", "code", "logic", "chinese", "prose"
    std::string text;
    std::string expected;  // the \boxed{} answer of a math prompt; empty where there is none
};

// Opens a backend for a model on the caller's device. Called once per
// model; that backend is destroyed before the next model is opened.
using BackendFactory = std::function<Result<std::unique_ptr<InferenceBackend>>(const ModelFile& model)>;

struct ComparisonOptions {
    SamplerConfig sampler;        // one seed for all models
    uint32_t maxTokens = 1024;    // per answer
    size_t topTokens = 5;         // each model's most likely next tokens kept per position (the heat map's hover)
    size_t chunk = 64;            // rows of logits evaluated at once while teacher forcing
    CompactLogitsOptions compact;
};

struct ComparisonProgress {
    size_t model = 0;         // index into the paths, the one working now
    size_t models = 0;
    size_t prompt = 0;        // index into the prompts
    size_t prompts = 0;
    std::string stage;        // for people: "Loading Q4_K_M", "Q4_K_M answers 3 of 20", ...
    double fraction = 0;      // of the whole comparison, 0..1
    double secondsLeft = -1;  // estimated; negative until there is something to estimate from
};
using ComparisonProgressCallback = std::function<void(const ComparisonProgress&)>;

// One model's own answer to one prompt.
struct PromptAnswer {
    std::string text;
    std::vector<int32_t> tokens;   // the answer's tokens, without the prompt
    uint32_t reasoningTokens = 0;  // of those, the ones inside <think>...</think>
    double tokensPerSecond = 0;    // generation
    StopReason stopReason = StopReason::EndOfTurn;
};

// One model along the reference's answer to one prompt.
struct PromptDivergence {
    DivergenceReport report;            // a position per token of the reference's answer
    std::vector<TokenProbability> top;  // per position, this model's topTokens most likely next tokens
    // The first token of this model's own answer that differs from the
    // reference's answer; SIZE_MAX when neither departs from the other.
    size_t firstDeparture = SIZE_MAX;
};

struct ModelComparison {
    std::string path;
    std::string fileType;        // "Q4_K_M"
    uint64_t fileBytes = 0;
    double bitsPerWeight = 0;
    std::vector<PromptAnswer> answers;         // per prompt
    std::vector<PromptDivergence> divergence;  // per prompt; empty for the reference
    DivergenceStatistics statistics;           // pooled over the prompts; all zero for the reference
    double tokensPerSecond = 0;                // generation, over all its answers
    double meanReasoningTokens = 0;
};

struct ComparisonResult {
    size_t reference = 0;                 // index into models
    std::vector<ModelComparison> models;  // in the order of the paths
    // Per prompt: the reference's answer as the text of each token (the
    // heat map's cells), its top tokens per position, and its compact
    // logits (kept, so a quant added later needs no new reference pass).
    std::vector<std::vector<std::string>> referencePieces;
    std::vector<std::vector<TokenProbability>> referenceTop;
    std::vector<CompactLogits> referenceLogits;
};

// The index of the model with the most bits per weight (ties: the first).
size_t mostPreciseModel(std::span<const ModelFile* const> models);

// Runs a whole comparison. InvalidArgument for fewer than two paths, no
// prompts, or models whose tokenizers differ; Cancelled once `cancel`
// reads true (nothing of the run is returned, so nothing half-done can be
// kept); a model that cannot be opened or loaded is an error naming it.
Result<ComparisonResult> compareQuants(std::span<const std::string> modelPaths,
                                       std::span<const ComparisonPrompt> prompts, const ComparisonOptions& options,
                                       const BackendFactory& openBackend,
                                       const ComparisonProgressCallback& onProgress = {},
                                       const std::atomic<bool>* cancel = nullptr);

} // namespace ponder
