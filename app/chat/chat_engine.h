// The inference engine on its own thread. ChatController talks to it only
// through queued signals and slots, so the UI thread never waits for the GPU;
// stop() is the one call that crosses threads directly (an atomic flag, read
// between tokens, so a stop takes effect within one token).
#pragma once

#include <QObject>
#include <QString>
#include <QVariantMap>

#include <atomic>
#include <memory>

#include "chat_backend.h"

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

    // Thread-safe: asks the running generation to stop after its current token.
    void stop() { m_stop.store(true); }

public slots:
    // Opens `path` and loads it on the GPU named by `device` (an adapter index
    // or part of a name; empty for the best; "cpu-reference" for the CPU
    // reference). Emits modelLoaded or loadFailed.
    void loadModel(const QString& path, int contextLength, const QString& device);
    // Generates a reply to `messages`; emits text as it is produced, then finished or failed.
    void generate(const QList<ponder::app::EngineMessage>& messages, const ponder::app::EngineSettings& settings);
    void unloadModel();

signals:
    void loadProgress(double fraction);
    // info: path, name, architecture, fileType, parameters, contextLength,
    // device, allocatedBytes, chatFormat, expectReasoning (true for the R1
    // format, whose output starts inside the reasoning)
    void modelLoaded(const QVariantMap& info);
    void loadFailed(const QString& error);
    // The model was dropped after its device was lost; open it again to go on.
    void modelUnloaded();
    // A piece of generated text; `tokens` counts the tokens generated so far,
    // this piece's included (a piece can close several tokens: the halves of
    // one UTF-8 character).
    void text(const QString& piece, int tokens);
    // stats: promptTokens, reusedTokens, generatedTokens, firstTokenSeconds,
    // tokensPerSecond, promptTokensPerSecond, stopReason
    void finished(const QVariantMap& stats);
    void failed(const QString& error);

private:
    std::unique_ptr<GpuContext> m_gpu;
    QString m_gpuDevice;  // the preference m_gpu was opened with
    std::unique_ptr<ModelFile> m_file;
    std::unique_ptr<InferenceBackend> m_backend;
    std::unique_ptr<Generator> m_generator;
    std::atomic<bool> m_stop{false};
};

} // namespace ponder::app
