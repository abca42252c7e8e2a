// The inference engine on its own thread (LocalEngine owns the thread). It
// is reached only through queued calls and signals, so the UI thread never
// waits for the GPU; stop() is the one call that crosses threads directly
// (an atomic flag, read between tokens, so a stop takes effect within one
// token).
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

// Where the engine runs a model. The native CPU engine joins as a kind of
// its own; the engine switches on the kind in one place (ChatEngine::loadModel).
struct EngineDevice {
    enum class Kind {
        Vulkan,        // a Vulkan adapter: `adapter` is its index or part of its name; empty for the best
        CpuReference,  // the plain float32 CPU forward pass: slow, for tests and checks
    };
    Kind kind = Kind::Vulkan;
    QString adapter;

    // "cpu-reference" names the CPU reference; anything else a Vulkan
    // adapter, as GpuSelector stores the choice.
    static EngineDevice named(const QString& name);
    // The user's choice `name`, unless the environment names a Vulkan adapter
    // (PONDER_DEVICE, as GpuSelector honours it); the CPU path is asked for by name only.
    static EngineDevice chosen(const QString& name, const QString& environment);
};

class ChatEngine : public QObject {
    Q_OBJECT

public:
    explicit ChatEngine(QObject* parent = nullptr);
    ~ChatEngine() override;

    // Thread-safe: asks the running load or generation to stop after its current step.
    void stop() { m_stop.store(true); }

public slots:
    // Opens `path` and loads it on `device` with a context of `contextLength`
    // tokens (clamped to 256..the model's trained context). Emits modelLoaded or loadFailed.
    void loadModel(const QString& path, int contextLength, const ponder::app::EngineDevice& device);
    // Generates a reply to `turns`; emits text as it is produced, then finished or failed.
    void generate(const QList<ponder::app::ChatTurn>& turns, const ponder::app::GenerationSettings& settings);
    void unloadModel();

signals:
    // ChatBackend's signals (chat_backend.h), which LocalEngine passes on:
    // loadProgress as openProgress, modelLoaded as opened (info adds path,
    // architecture, fileType, parameters, contextLength, chatFormat, and on a
    // GPU allocatedBytes and measuredBytes), loadFailed as openFailed,
    // modelUnloaded as closed; text, finished (stats add reusedTokens and
    // promptTokensPerSecond) and failed as themselves.
    void loadProgress(double fraction);
    void modelLoaded(const QVariantMap& info);
    void loadFailed(const QString& error);
    void modelUnloaded();
    void text(const QString& piece, int tokens);
    void finished(const QVariantMap& stats);
    void failed(const QString& error);

private:
    std::unique_ptr<GpuContext> m_gpu;
    QString m_gpuAdapter;  // the preference m_gpu was opened with
    std::unique_ptr<ModelFile> m_file;
    std::unique_ptr<InferenceBackend> m_backend;
    std::unique_ptr<Generator> m_generator;
    std::atomic<bool> m_stop{false};
};

} // namespace ponder::app
