// One chat completion as the model's owner runs it (Job), the counters
// /health reports, and runJob(): a job on a Generator, the same for the
// headless ponder-server's ModelQueue and the app's EngineJobQueue, which
// shares the chat's loaded model. Plain C++ (no Qt): the callbacks run on
// whatever thread owns the model.
//
// A job ends early when its `cancel` flag is set (the client went away):
// the generator checks it before every token and lends it to the backend,
// which checks it between layers, so at most the token being computed is
// finished after it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ponder/generator.h"

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

// How a job ended, for the counters: refused (its prompt did not fit or
// render, or the model failed), ran to an end of its own, or left by its client.
enum class JobEnd { Refused, Completed, Left };

struct JobResult {
    JobEnd end = JobEnd::Refused;
    uint32_t generatedTokens = 0;
};

// Runs `job` on `generator`, whose backend is `steps` (so the text's token
// counts are exact), calling the job's callbacks on this thread.
JobResult runJob(Generator& generator, StepCounter& steps, Job& job);

} // namespace ponder::serve
