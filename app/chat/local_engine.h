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

private:
    QString m_path;
    int m_contextLength;
    EngineDevice m_device;
    QThread m_thread;
    ChatEngine* m_engine;  // lives on m_thread; deleted there when it ends
};

} // namespace ponder::app
