#include "divergence/comparison_progress.h"

#include <algorithm>

namespace ponder::divergence {

ComparisonProgressTracker::ComparisonProgressTracker(size_t models, size_t prompts, uint32_t maxTokens,
                                                     ComparisonProgressCallback callback)
    : m_models(models), m_prompts(prompts), m_estimate(double(maxTokens)), m_callback(std::move(callback)),
      m_answerTokens(models, std::vector<std::optional<size_t>>(prompts)), m_referenceTokens(prompts),
      m_forcingDone(models, std::vector<bool>(prompts, false))
{
    m_progress.models = models;
    m_progress.prompts = prompts;
}

void ComparisonProgressTracker::stage(size_t model, size_t prompt, std::string text)
{
    m_progress.model = model;
    m_progress.prompt = prompt;
    m_progress.stage = std::move(text);
    report();
}

void ComparisonProgressTracker::answerPiece()
{
    // Never more than the estimate an unfinished answer stands for.
    m_partialAnswer = std::min(m_partialAnswer + 1, m_estimate);
    report();
}

void ComparisonProgressTracker::answerDone(size_t step, size_t prompt, size_t tokens, double seconds)
{
    m_answerTokens[step][prompt] = tokens;
    m_doneUnits += double(tokens);
    m_partialAnswer = 0;
    m_generatedTokens += double(tokens);
    m_generationSeconds += seconds;
    report();
}

void ComparisonProgressTracker::referenceLength(size_t prompt, size_t tokens)
{
    m_referenceTokens[prompt] = tokens;
}

void ComparisonProgressTracker::forced(size_t rows)
{
    m_partialForcing += double(rows);
    report();
}

void ComparisonProgressTracker::forcingDone(size_t step, size_t prompt, double seconds)
{
    m_forcingDone[step][prompt] = true;
    const double rows = double(m_referenceTokens[prompt].value_or(0));
    m_doneUnits += rows;
    m_partialForcing = 0;
    m_forcedRows += rows;
    m_forcingSeconds += seconds;
    report();
}

void ComparisonProgressTracker::finish(std::string text)
{
    m_progress.stage = std::move(text);
    m_progress.fraction = 1;
    m_progress.secondsLeft = 0;
    if (m_callback)
        m_callback(m_progress);
}

double ComparisonProgressTracker::totalUnits() const
{
    double total = 0;
    for (size_t p = 0; p < m_prompts; ++p) {
        const double reading = m_referenceTokens[p] ? double(*m_referenceTokens[p]) : m_estimate;
        for (size_t step = 0; step < m_models; ++step)
            total += (m_answerTokens[step][p] ? double(*m_answerTokens[step][p]) : m_estimate) + reading;
    }
    return total;
}

double ComparisonProgressTracker::secondsLeft() const
{
    if (m_generatedTokens <= 0 || m_generationSeconds <= 0)
        return -1;
    double answering = 0, reading = 0;
    for (size_t p = 0; p < m_prompts; ++p)
        for (size_t step = 0; step < m_models; ++step) {
            if (!m_answerTokens[step][p])
                answering += m_estimate;
            if (!m_forcingDone[step][p])
                reading += m_referenceTokens[p] ? double(*m_referenceTokens[p]) : m_estimate;
        }
    answering = std::max(0.0, answering - m_partialAnswer);
    reading = std::max(0.0, reading - m_partialForcing);
    const double answerRate = m_generatedTokens / m_generationSeconds;
    // Before any reading is measured, reading at the answering rate
    // overestimates (it runs in batches); the estimate improves once it is.
    const double readRate = m_forcedRows > 0 && m_forcingSeconds > 0 ? m_forcedRows / m_forcingSeconds : answerRate;
    return answering / answerRate + reading / readRate;
}

void ComparisonProgressTracker::report()
{
    const double total = totalUnits();
    const double done = m_doneUnits + m_partialAnswer + m_partialForcing;
    const double fraction = total > 0 ? std::clamp(done / total, 0.0, 1.0) : 0.0;
    m_reported = std::max(m_reported, fraction);
    m_progress.fraction = m_reported;
    m_progress.secondsLeft = secondsLeft();
    if (m_callback)
        m_callback(m_progress);
}

} // namespace ponder::divergence
