// The app serving its open model over the OpenAI-compatible API (issue 17
// item 1, in the app): ponder-server's HTTP side (app/serve ChatServer) on
// the model the chat has open, through EngineJobQueue, so the chat and the
// server share the one loaded model and take turns in arrival order.
//
// On while the setting is on (ChatSettings::serveEnabled) and a model on
// this machine is open; on 127.0.0.1 only, so nothing off this machine can
// reach it (a key is then optional: ChatSettings::serveApiKey). Switching
// models stops serving the old one (its requests are cancelled) and serves
// the new one on the same port; a model on a server is not served: Ponder
// would only relay another server's answers. Owned by ChatController.
#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace ponder::serve {
class ChatServer;
}

namespace ponder::app {

class ChatBackend;
class ChatSettings;
class EngineJobQueue;
class LocalEngine;

class ModelServer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The chat's server: ChatController.server")

    /// True while the open model is served.
    Q_PROPERTY(bool serving READ serving NOTIFY changed)
    /// Where it is served while serving: "http://127.0.0.1:8080"; empty otherwise.
    Q_PROPERTY(QString address READ address NOTIFY changed)
    /// What the status line says: "Serving on …", or why not; empty while the setting is off.
    Q_PROPERTY(QString statusText READ statusText NOTIFY changed)
    /// True when statusText says serving failed (the port in use).
    Q_PROPERTY(bool failed READ failed NOTIFY changed)
    /// True while a request of the server runs on the model (the chat's answer then waits).
    Q_PROPERTY(bool answering READ answering NOTIFY answeringChanged)

public:
    // How many requests may wait for the model besides the one running.
    static constexpr size_t kMaxWaiting = 16;

    explicit ModelServer(ChatSettings& settings, QObject* parent = nullptr);
    ~ModelServer() override;

    bool serving() const { return m_server != nullptr; }
    QString address() const;
    QString statusText() const { return m_status; }
    bool failed() const { return m_failed; }
    bool answering() const { return m_answering; }
    // The port served on; 0 when not serving.
    quint16 port() const { return m_port; }

    // The chat opened a model: `backend` answers, `info` is its opened() map.
    void modelOpened(ChatBackend* backend, const QVariantMap& info);
    // The chat's model is closing or closed: its requests are cancelled.
    void modelClosed();

signals:
    void changed();
    void answeringChanged();

private:
    void restart();
    void stop();
    void setStatus(const QString& status, bool failed);
    void setAnswering(bool answering);

    ChatSettings& m_settings;
    QPointer<LocalEngine> m_engine;  // the open model on this machine; null for none or a server
    QVariantMap m_info;              // the open model's opened() map; empty for none
    // What the server runs with, to restart it when the settings change.
    bool m_enabled = false;
    int m_wantedPort = -1;
    QString m_key;

    std::unique_ptr<EngineJobQueue> m_queue;
    std::unique_ptr<serve::ChatServer> m_server;  // destroyed before m_queue: its requests go first
    quint16 m_port = 0;
    QString m_status;
    bool m_failed = false;
    bool m_answering = false;
};

} // namespace ponder::app
