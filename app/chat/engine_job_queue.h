// The app's server's requests on the chat's loaded model (issue 17 item 2):
// one owner of the model, the ChatEngine on its thread, takes the chat's
// answers and the server's requests as queued calls, so they run one at a
// time in arrival order on one Generator and one KV cache, with no second
// copy of the model. A chat answer asked for while a request runs waits
// for it (the status line says so), and a request waits while the chat
// answers.
//
// A job whose client left while it waited is dropped without touching the
// model. Destroying the queue (the server stops, or the model closes)
// cancels the running job and drops the waiting ones; calls still queued
// on the engine's thread then find the queue closed and do nothing.
#pragma once

#include <memory>

#include "job_queue.h"

namespace ponder::app {

class ChatEngine;

class EngineJobQueue final : public serve::JobQueue {
public:
    // `engine` (LocalEngine::engine(), on its own thread) must outlive the
    // queue's calls, as LocalEngine's engine does: a call queued to an
    // engine that is gone is dropped by Qt.
    EngineJobQueue(ChatEngine* engine, uint32_t contextLength, size_t maxWaiting);
    ~EngineJobQueue() override;
    EngineJobQueue(const EngineJobQueue&) = delete;
    EngineJobQueue& operator=(const EngineJobQueue&) = delete;

    bool submit(std::shared_ptr<serve::Job> job) override;
    serve::QueueCounters counters() const override;
    uint32_t contextLength() const override { return m_contextLength; }

    struct State;  // shared with the calls queued to the engine's thread

private:
    ChatEngine* m_engine;
    const uint32_t m_contextLength;
    const size_t m_maxWaiting;
    std::shared_ptr<State> m_state;
};

} // namespace ponder::app
