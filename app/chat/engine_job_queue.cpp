#include "engine_job_queue.h"

#include <QMetaObject>

#include <mutex>
#include <set>

#include "chat_engine.h"
#include "job.h"

namespace ponder::app {

struct EngineJobQueue::State {
    std::mutex mutex;
    serve::QueueCounters counters;
    std::set<std::shared_ptr<serve::Job>> waiting;  // queued to the engine, not yet taken
    std::shared_ptr<serve::Job> running;
    bool closed = false;

    // On the engine's thread: the job's turn. False when it is not to run
    // (the queue closed, or its client left while it waited).
    bool take(const std::shared_ptr<serve::Job>& job)
    {
        std::lock_guard lock(mutex);
        if (closed)
            return false;
        waiting.erase(job);
        counters.waiting = uint32_t(waiting.size());
        if (job->cancel) {
            ++counters.cancelled;
            return false;
        }
        running = job;
        counters.busy = true;
        return true;
    }

    void done(const serve::JobResult& result)
    {
        std::lock_guard lock(mutex);
        running.reset();
        counters.busy = false;
        counters.decodedTokens += result.generatedTokens;
        if (result.end == serve::JobEnd::Completed)
            ++counters.completed;
        else if (result.end == serve::JobEnd::Left)
            ++counters.cancelled;
    }
};

EngineJobQueue::EngineJobQueue(ChatEngine* engine, uint32_t contextLength, size_t maxWaiting)
    : m_engine(engine), m_contextLength(contextLength), m_maxWaiting(maxWaiting), m_state(std::make_shared<State>())
{
}

EngineJobQueue::~EngineJobQueue()
{
    std::lock_guard lock(m_state->mutex);
    m_state->closed = true;
    if (m_state->running)
        m_state->running->cancel = true;
    for (const auto& job : m_state->waiting)
        job->cancel = true;
    m_state->waiting.clear();
}

bool EngineJobQueue::submit(std::shared_ptr<serve::Job> job)
{
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->closed || m_state->waiting.size() >= m_maxWaiting)
            return false;
        m_state->waiting.insert(job);
        m_state->counters.waiting = uint32_t(m_state->waiting.size());
    }
    // Behind every call queued to the engine before it: the chat's answers
    // and earlier requests, in the order they were asked for.
    QMetaObject::invokeMethod(
        m_engine,
        [engine = m_engine, state = m_state, job = std::move(job)] {
            if (!state->take(job))
                return;
            state->done(engine->serveJob(*job));
        },
        Qt::QueuedConnection);
    return true;
}

serve::QueueCounters EngineJobQueue::counters() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->counters;
}

} // namespace ponder::app
