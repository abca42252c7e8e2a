#include "job.h"

#include "stop_matcher.h"

namespace ponder::serve {

Result<std::vector<float>> StepCounter::evaluate(std::span<const int32_t> tokens, bool allLogits)
{
    // The first call of a generation is its prompt; every later one a generated token.
    if (m_promptSeen)
        m_decoded += uint32_t(tokens.size());
    m_promptSeen = true;
    return m_backend.evaluate(tokens, allLogits);
}

JobResult runJob(Generator& generator, StepCounter& steps, Job& job)
{
    auto prompt = generator.promptTokens(job.request.messages);
    if (!prompt) {
        job.refused(prompt.error(), 0);
        return {};
    }
    if (prompt->size() >= steps.contextLength()) {
        job.refused(Error{ErrorCode::ContextFull, "the prompt does not fit the context"}, uint32_t(prompt->size()));
        return {};
    }
    job.started(uint32_t(prompt->size()));

    // A stop string sets the job's own flag too: the generator reads one flag.
    StopMatcher matcher(job.stop);
    steps.restart();
    auto stats = generator.generate(
        job.request,
        [&](std::string_view piece) {
            const auto step = matcher.push(piece);
            // The token behind this piece is sampled, not yet evaluated.
            if (!step.text.empty())
                job.text(step.text, steps.decoded() + 1);
            if (step.stopped)
                job.cancel = true;
        },
        &job.cancel);
    if (!stats) {
        job.refused(stats.error(), uint32_t(prompt->size()));
        return {};
    }
    if (std::string rest = matcher.flush(); !rest.empty())
        job.text(rest, stats->generatedTokens);
    const bool left = stats->stopReason == StopReason::Cancelled && !matcher.stopped();
    job.finished(*stats, matcher.stopped());
    return {left ? JobEnd::Left : JobEnd::Completed, stats->generatedTokens};
}

} // namespace ponder::serve
