// The progress of a comparison for people: which model and prompt, the
// fraction of the work done and the time left.
//
// The work is counted in tokens: each model generates an answer per prompt
// and reads the reference's answer to it (teacher forcing), one position
// per token. Until a count is known it is estimated as maxTokens, which no
// answer exceeds, so the total only shrinks as counts become known and the
// fraction only grows. Generating and reading cost very different times per
// token (one step each against batches), so the time left is estimated
// from the rate measured for each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ponder/quant_comparison.h"

namespace ponder::divergence {

class ComparisonProgressTracker {
public:
    ComparisonProgressTracker(size_t models, size_t prompts, uint32_t maxTokens, ComparisonProgressCallback callback);

    // A new stage: model `model` (an index into the paths) at prompt `prompt`.
    void stage(size_t model, size_t prompt, std::string text);
    // Below, `step` counts the models in the order they run (0: the reference).
    // A piece of the current answer arrived (roughly a token).
    void answerPiece();
    // Step `step`'s answer to `prompt` took `tokens` tokens, `seconds` of generation.
    void answerDone(size_t step, size_t prompt, size_t tokens, double seconds);
    // The reference's answer to `prompt` has `tokens` tokens: every model reads that many.
    void referenceLength(size_t prompt, size_t tokens);
    // `rows` positions of the reference's answer were read.
    void forced(size_t rows);
    // All of the step's reading of `prompt` is done, in `seconds`.
    void forcingDone(size_t step, size_t prompt, double seconds);
    void finish(std::string text);

private:
    double totalUnits() const;
    double secondsLeft() const;
    void report();

    size_t m_models, m_prompts;
    double m_estimate;  // maxTokens, the count of a token run not yet known
    ComparisonProgressCallback m_callback;
    ComparisonProgress m_progress;
    std::vector<std::vector<std::optional<size_t>>> m_answerTokens;  // [step][prompt]
    std::vector<std::optional<size_t>> m_referenceTokens;            // [prompt]
    std::vector<std::vector<bool>> m_forcingDone;                    // [step][prompt]
    double m_doneUnits = 0;     // finished answers and readings
    double m_partialAnswer = 0;  // pieces of the answer in progress
    double m_partialForcing = 0;  // rows of the reading in progress
    double m_generatedTokens = 0, m_generationSeconds = 0;
    double m_forcedRows = 0, m_forcingSeconds = 0;
    double m_reported = 0;  // the last fraction reported: never goes back
};

} // namespace ponder::divergence
