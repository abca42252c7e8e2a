// The one loaded model shared by every request: jobs run one at a time on a
// worker thread, in arrival order, through one Generator, so a request whose
// conversation extends the previous one reuses the cached prompt prefix.
// Plain C++ (no Qt): the HTTP side hands in jobs and hears back through the
// job's callbacks, which run on the worker thread.
//
// A job ends early when its `cancel` flag is set (the client went away):
// the generator checks it before every token and lends it to the backend,
// which checks it between layers, so at most the token being computed is
// finished after it. A job still waiting is dropped without touching the
// model. The queue holds at most `maxWaiting` jobs besides the running one;
// submit() refuses more.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ponder/generator.h"
#include "stop_matcher.h"

namespace ponder {
class Tokenizer;
}

namespace ponder::serve {

struct Job {
    GenerationRequest request;
    std::vector<std::string> stop;
    // Set by the HTTP side when the client is gone, and by the worker when a
    // stop string ends the answer (finished's `stopped` tells which).
    std::atomic<bool> cancel{false};

    // The callbacks, on the worker thread. started: the prompt fits and
    // generation begins (promptTokens long). text: a piece of output (whole
    // UTF-8 characters, stop strings taken out) and the tokens generated so
    // far, this piece's included. finished: the outcome; `stopped` when a
    // stop string ended it. Exactly one of refused or finished comes last;
    // refused: the prompt does not fit the context (or does not render).
    std::function<void(uint32_t promptTokens)> started;
    std::function<void(const std::string& text, uint32_t tokens)> text;
    std::function<void(const GenerationStats& stats, bool stopped)> finished;
    std::function<void(const Error& error, uint32_t promptTokens)> refused;
};

// What /health reports, counted since the queue started.
struct QueueCounters {
    uint64_t completed = 0;        // jobs that ran to an end of their own
    uint64_t cancelled = 0;        // jobs the client left (waiting or running)
    uint64_t decodedTokens = 0;    // generated tokens, every job together
    uint32_t waiting = 0;
    bool busy = false;             // a job runs now
};

// The backend as the generator sees it, counting the generated tokens it
// evaluates: the count of tokens so far for each piece of text, exact even
// where a token holds half a character and brings no text.
class StepCounter final : public InferenceBackend {
public:
    explicit StepCounter(InferenceBackend& backend) : m_backend(backend) {}
    void restart() { m_promptSeen = false, m_decoded = 0; }
    uint32_t decoded() const { return m_decoded; }

    const ModelConfig& config() const override { return m_backend.config(); }
    uint32_t contextLength() const override { return m_backend.contextLength(); }
    uint32_t length() const override { return m_backend.length(); }
    Result<void> truncate(uint32_t length) override { return m_backend.truncate(length); }
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override;
    std::string deviceName() const override { return m_backend.deviceName(); }
    void setCancelFlag(const std::atomic<bool>* cancel) override { m_backend.setCancelFlag(cancel); }

private:
    InferenceBackend& m_backend;
    bool m_promptSeen = false;
    uint32_t m_decoded = 0;
};

class ModelQueue {
public:
    // `backend` and `tokenizer` must outlive the queue.
    ModelQueue(InferenceBackend& backend, const Tokenizer& tokenizer, ChatFormat format, size_t maxWaiting);
    ~ModelQueue();  // cancels the running job, drops the waiting ones, joins the worker
    ModelQueue(const ModelQueue&) = delete;
    ModelQueue& operator=(const ModelQueue&) = delete;

    // False when maxWaiting jobs wait already (the job is not taken).
    bool submit(std::shared_ptr<Job> job);
    QueueCounters counters() const;
    uint32_t contextLength() const { return m_contextLength; }

private:
    void work();
    void run(Job& job);

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
