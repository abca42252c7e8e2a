// What the HTTP side (ChatServer, CompletionExchange) needs of the model it
// serves: somewhere to hand a job, the counters /health reports, and the
// context length. Two owners of a model implement it: ModelQueue, the
// headless ponder-server's own worker thread, and the app's
// EngineJobQueue (app/chat), which runs the jobs on the chat's engine
// thread, in turn with the chat's own answers, on the one loaded model.
#pragma once

#include <cstdint>
#include <memory>

#include "job.h"

namespace ponder::serve {

class JobQueue {
public:
    virtual ~JobQueue() = default;
    // False when the queue is full or closing (the job is not taken).
    virtual bool submit(std::shared_ptr<Job> job) = 0;
    virtual QueueCounters counters() const = 0;
    // Tokens of context of the served model.
    virtual uint32_t contextLength() const = 0;
};

} // namespace ponder::serve
