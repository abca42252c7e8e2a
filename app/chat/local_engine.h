// The chat backend on this machine: one model file, opened by ChatEngine on
// a worker thread of its own on one device (engine/ on a Vulkan adapter, the
// native CPU engine, or the CPU reference) or split across GPUs and the CPU
// engine. Destroying it stops what runs, waits for the current
// token and frees the model and the device.
#pragma once

#include <QThread>

#include "chat_backend.h"
#include "chat_engine.h"

namespace ponder::app {

class LocalEngine : public ChatBackend {
    Q_OBJECT

public:
    // A model file (a path), loaded with `contextLength` tokens of context on `device` when opened.
    LocalEngine(const QString& path, int contextLength, const EngineDevice& device, QObject* parent = nullptr);
    ~LocalEngine() override;

    void open() override;
    void generate(const QList<ChatTurn>& turns, const GenerationSettings& settings) override;
    void stop() override;
    bool canAnswerNow() const override { return true; }
    void answerNow() override;
    // The engine on its thread, for EngineJobQueue to queue the app's
    // server's requests to, in turn with the chat's answers. Lives as long as this.
    ChatEngine* engine() const { return m_engine; }

signals:
    // Emitted first thing in the destructor, before the engine is stopped
    // and waited for: the app's server stops its requests on this model
    // here (ModelServer), since stop() ends the chat's answers only.
    void aboutToClose();
    // A request of the app's server runs on the model (true) or has ended (false).
    void serverTurn(bool running);

private:
    QString m_path;
    int m_contextLength;
    EngineDevice m_device;
    QThread m_thread;
    ChatEngine* m_engine;  // lives on m_thread; deleted there when it ends
};

} // namespace ponder::app
