// The inference engine on its own thread (LocalEngine owns the thread). It
// is reached only through queued calls and signals, so the UI thread never
// waits for the GPU; stop() and nextRequest() are the calls that cross
// threads directly, and answerNow() (atomics: the stop flag is read between tokens, so a stop
// takes effect within one token, and a stop also cancels the loads and
// generations queued before it, which have not started).
//
// An exception out of the engine (std::bad_alloc when a file or a context
// asks for more memory than there is) would end the process on this thread;
// loadModel and generate turn it into loadFailed or failed instead.
//
// Its definitions are cut by what changes together: chat_engine.cpp (its
// life, stop, the answers and the server's requests), chat_engine_load.cpp
// (opening a model on a device, and what was loaded in words),
// chat_engine_split.cpp (a model split across devices); the exception
// barrier they share is engine_guard.h.
#pragma once

#include <QObject>
#include <QString>
#include <QVariantMap>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>

#include "chat_backend.h"
#include "engine_device.h"
#include "ponder/load_progress.h"

namespace ponder::serve {
struct Job;
struct JobResult;
class StepCounter;
}

namespace ponder {
class ModelFile;
class InferenceBackend;
class Generator;
struct GpuContext;
}

namespace ponder::app {

class ChatEngine : public QObject {
    Q_OBJECT

public:
    explicit ChatEngine(QObject* parent = nullptr);
    ~ChatEngine() override;

    // Thread-safe: asks the running load or generation to stop after its
    // current step, and cancels every request numbered before this call.
    void stop();
    // Thread-safe: a number for a load or generation about to be queued to
    // the engine's thread, for it to carry, so a stop() between now and its
    // start cancels it (LocalEngine). 0, for a direct call, is never cancelled before it starts.
    quint64 nextRequest() { return ++m_requests; }
    // Thread-safe: nextRequest() for a generation about to be queued, which
    // also clears answerNow() (one answer at a time: one asked before this
    // was for the answer before). So a click while the generation waits in
    // the queue or evaluates its prompt counts for it.
    quint64 nextGeneration()
    {
        m_answerNow.store(false);
        return nextRequest();
    }
    // Thread-safe: ends the generation's reasoning before its next token
    // (GenerationRequest::answerNow), or at its start when it has not begun.
    void answerNow() { m_answerNow.store(true); }
    // On the engine's thread (not a slot: queued by EngineJobQueue): a
    // request of the app's own server on the loaded
    // model, in turn with the chat's answers: queued calls reach this
    // thread in arrival order, and the one Generator they share keeps its
    // record of the KV cache true, so either reuses a cached prefix only
    // where the cache really holds it. The job's own cancel flag stops it;
    // the chat's stop() does not. Emits serverTurn(true) before, and
    // serverTurn(false) after. Without a model the job is refused.
    // Returns how it ended, for the counters.
    ponder::serve::JobResult serveJob(ponder::serve::Job& job);

public slots:
    // Opens `path` and loads it on `device` with a context of `contextLength`
    // tokens (clamped to 256..the model's trained context). Emits modelLoaded or loadFailed.
    void loadModel(const QString& path, int contextLength, const ponder::app::EngineDevice& device,
                   quint64 request = 0);
    // Generates a reply to `turns`; emits text as it is produced, then finished or failed.
    // Cancelled before it started: finished at once, stopReason "cancelled".
    // A direct call (request 0) clears answerNow() itself; a queued one was
    // numbered by nextGeneration(), which did.
    void generate(const QList<ponder::app::ChatTurn>& turns, const ponder::app::GenerationSettings& settings,
                  quint64 request = 0);
    void unloadModel();

signals:
    // ChatBackend's signals (chat_backend.h), which LocalEngine passes on:
    // loadProgress as openProgress, modelLoaded as opened (info adds path,
    // architecture, fileType, parameters, contextLength, chatFormat, and on a
    // GPU allocatedBytes and measuredBytes, on the CPU engine allocatedBytes
    // (RAM) and threads, split across devices split (true), gpuLayers,
    // totalLayers, allocatedBytes (all devices) and parts (one map per
    // device: device, cpu, layers, allocatedBytes)), loadFailed as openFailed,
    // modelUnloaded as closed; text, finished (stats add reusedTokens and
    // promptTokensPerSecond; reasoningCutShort and reasoningTokens when the
    // reasoning was cut short) and failed as themselves.
    void loadProgress(double fraction);
    void modelLoaded(const QVariantMap& info);
    void loadFailed(const QString& error);
    void modelUnloaded();
    void text(const QString& piece, int tokens);
    void finished(const QVariantMap& stats);
    void failed(const QString& error);
    // A request of the app's server runs on the model (true) or has ended (false).
    void serverTurn(bool running);

private:
    // What loadSplit did: nothing (the model runs whole on m_gpu, loaded as
    // before), loaded it split, or failed (loadFailed emitted).
    enum class SplitLoad { NotSplit, Loaded, Failed };

    bool begin(quint64 request);
    // chat_engine_load.cpp: loadModel's work, inside the exception barrier.
    void load(const QString& path, int contextLength, const EngineDevice& chosen);
    void run(const QList<ChatTurn>& turns, const GenerationSettings& settings);
    // chat_engine_split.cpp: plans the layout on m_gpu, the GPUs taking part
    // beside it and the CPU engine (planLayout, as the picker does) and
    // loads a SplitBackend when the model is split.
    SplitLoad loadSplit(const EngineDevice& device, uint32_t context);
    // For every engine's load: emits loadProgress as the weights load (to
    // the GPU, or into RAM for the CPU engine), and cancels the load once
    // stop() was called.
    LoadProgressCallback loadProgressReporter();
    // The status line's words for a split model (replacing `summary`), and its info fields.
    void describeSplit(QVariantMap& loaded, QString& summary) const;
    // Closes every GPU (after a device was lost).
    void closeGpus();

    std::unique_ptr<GpuContext> m_gpu;
    QString m_gpuAdapter;  // the preference m_gpu was opened with
    // The other GPUs a split runs on, by Vulkan index; kept open between
    // loads like m_gpu (opening one builds its pipelines).
    std::map<int, std::unique_ptr<GpuContext>> m_extraGpus;
    std::unique_ptr<ModelFile> m_file;
    std::unique_ptr<InferenceBackend> m_backend;
    // m_backend as the generator sees it: counts the tokens a server job generates (serve/job.h).
    std::unique_ptr<serve::StepCounter> m_steps;
    std::unique_ptr<Generator> m_generator;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_answerNow{false};  // lent to the running generation's request
    std::atomic<quint64> m_requests{0};         // numbers handed out by nextRequest()
    std::atomic<quint64> m_cancelledThrough{0};  // requests numbered up to this were stopped
};

} // namespace ponder::app
