// The one loaded model shared by every request of the headless
// ponder-server: jobs (job.h) run one at a time on a worker thread, in
// arrival order, through one Generator, so a request whose conversation
// extends the previous one reuses the cached prompt prefix. Plain C++ (no
// Qt): the HTTP side hands in jobs and hears back through the job's
// callbacks, which run on the worker thread. (In the app the chat's engine
// thread owns the model instead: app/chat/engine_job_queue.h.)
//
// A job still waiting when its client leaves is dropped without touching
// the model. The queue holds at most `maxWaiting` jobs besides the running
// one; submit() refuses more.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "job_queue.h"

namespace ponder {
class Tokenizer;
}

namespace ponder::serve {

class ModelQueue final : public JobQueue {
public:
    // `backend` and `tokenizer` must outlive the queue.
    ModelQueue(InferenceBackend& backend, const Tokenizer& tokenizer, ChatFormat format, size_t maxWaiting);
    ~ModelQueue() override;  // cancels the running job, drops the waiting ones, joins the worker
    ModelQueue(const ModelQueue&) = delete;
    ModelQueue& operator=(const ModelQueue&) = delete;

    // False when maxWaiting jobs wait already (the job is not taken).
    bool submit(std::shared_ptr<Job> job) override;
    QueueCounters counters() const override;
    uint32_t contextLength() const override { return m_contextLength; }

private:
    void work();

    StepCounter m_steps;
    Generator m_generator;
    const uint32_t m_contextLength;
    const size_t m_maxWaiting;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::shared_ptr<Job>> m_waiting;
    std::shared_ptr<Job> m_running;
    bool m_quit = false;
    QueueCounters m_counters;
    std::thread m_worker;  // last: starts once everything above is ready
};

} // namespace ponder::serve
