#include "model_queue.h"

namespace ponder::serve {

Result<std::vector<float>> StepCounter::evaluate(std::span<const int32_t> tokens, bool allLogits)
{
    // The first call of a generation is its prompt; every later one a generated token.
    if (m_promptSeen)
        m_decoded += uint32_t(tokens.size());
    m_promptSeen = true;
    return m_backend.evaluate(tokens, allLogits);
}

ModelQueue::ModelQueue(InferenceBackend& backend, const Tokenizer& tokenizer, ChatFormat format, size_t maxWaiting)
    : m_steps(backend), m_generator(m_steps, tokenizer, format), m_contextLength(backend.contextLength()),
      m_maxWaiting(maxWaiting), m_worker([this] { work(); })
{
}

ModelQueue::~ModelQueue()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        if (m_running)
            m_running->cancel = true;
        m_waiting.clear();
    }
    m_wake.notify_all();
    m_worker.join();
}

bool ModelQueue::submit(std::shared_ptr<Job> job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_quit || m_waiting.size() >= m_maxWaiting)
            return false;
        m_waiting.push_back(std::move(job));
        m_counters.waiting = uint32_t(m_waiting.size());
    }
    m_wake.notify_one();
    return true;
}

QueueCounters ModelQueue::counters() const
{
    std::lock_guard lock(m_mutex);
    return m_counters;
}

void ModelQueue::work()
{
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_quit || !m_waiting.empty(); });
            if (m_quit)
                return;
            job = std::move(m_waiting.front());
            m_waiting.pop_front();
            m_counters.waiting = uint32_t(m_waiting.size());
            if (job->cancel) {
                ++m_counters.cancelled;
                continue;
            }
            m_running = job;
            m_counters.busy = true;
        }
        run(*job);
        std::lock_guard lock(m_mutex);
        m_running.reset();
        m_counters.busy = false;
    }
}

void ModelQueue::run(Job& job)
{
    auto prompt = m_generator.promptTokens(job.request.messages);
    if (!prompt) {
        job.refused(prompt.error(), 0);
        return;
    }
    if (prompt->size() >= m_contextLength) {
        job.refused(Error{ErrorCode::ContextFull, "the prompt does not fit the context"}, uint32_t(prompt->size()));
        return;
    }
    job.started(uint32_t(prompt->size()));

    // A stop string sets the job's own flag too: the generator reads one flag.
    StopMatcher matcher(job.stop);
    m_steps.restart();
    auto stats = m_generator.generate(
        job.request,
        [&](std::string_view piece) {
            const auto step = matcher.push(piece);
            // The token behind this piece is sampled, not yet evaluated.
            if (!step.text.empty())
                job.text(step.text, m_steps.decoded() + 1);
            if (step.stopped)
                job.cancel = true;
        },
        &job.cancel);
    if (!stats) {
        job.refused(stats.error(), uint32_t(prompt->size()));
        return;
    }
    if (std::string rest = matcher.flush(); !rest.empty())
        job.text(rest, stats->generatedTokens);
    const bool left = stats->stopReason == StopReason::Cancelled && !matcher.stopped();
    {
        std::lock_guard lock(m_mutex);
        m_counters.decodedTokens += stats->generatedTokens;
        ++(left ? m_counters.cancelled : m_counters.completed);
    }
    job.finished(*stats, matcher.stopped());
}

} // namespace ponder::serve
