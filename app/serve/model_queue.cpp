#include "model_queue.h"

namespace ponder::serve {

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
        const JobResult result = runJob(m_generator, m_steps, *job);
        std::lock_guard lock(m_mutex);
        m_running.reset();
        m_counters.busy = false;
        m_counters.decodedTokens += result.generatedTokens;
        if (result.end == JobEnd::Completed)
            ++m_counters.completed;
        else if (result.end == JobEnd::Left)
            ++m_counters.cancelled;
    }
}

} // namespace ponder::serve
