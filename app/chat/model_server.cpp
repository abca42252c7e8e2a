#include "model_server.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHostAddress>
#include <QLoggingCategory>

#include "chat_server.h"
#include "chat_settings.h"
#include "engine_job_queue.h"
#include "local_engine.h"

Q_LOGGING_CATEGORY(lcServe, "ponder.serve")

namespace ponder::app {

ModelServer::ModelServer(ChatSettings& settings, QObject* parent) : QObject(parent), m_settings(settings)
{
    connect(&m_settings, &ChatSettings::changed, this, [this] {
        if (m_settings.serveEnabled() != m_enabled || m_settings.servePort() != m_wantedPort ||
            m_settings.serveApiKey() != m_key)
            restart();
    });
    restart();
}

ModelServer::~ModelServer()
{
    stop();
}

QString ModelServer::address() const
{
    return m_server ? QStringLiteral("http://127.0.0.1:%1").arg(m_port) : QString();
}

void ModelServer::modelOpened(ChatBackend* backend, const QVariantMap& info)
{
    stop();
    m_info = info;
    m_engine = qobject_cast<LocalEngine*>(backend);
    if (m_engine) {
        // Before the engine is stopped and waited for: its requests must end first.
        connect(m_engine, &LocalEngine::aboutToClose, this, &ModelServer::modelClosed, Qt::DirectConnection);
        connect(m_engine, &LocalEngine::serverTurn, this, &ModelServer::setAnswering);
    }
    restart();
}

void ModelServer::modelClosed()
{
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = nullptr;
    m_info.clear();
    restart();
}

void ModelServer::stop()
{
    // The HTTP side first (its connections, and so its requests' clients),
    // then the queue, which cancels what still runs or waits on the engine.
    m_server.reset();
    m_queue.reset();
    m_port = 0;
    setAnswering(false);
}

void ModelServer::restart()
{
    stop();
    m_enabled = m_settings.serveEnabled();
    m_wantedPort = m_settings.servePort();
    m_key = m_settings.serveApiKey();
    if (!m_enabled)
        return setStatus(QString(), false);
    if (m_info.isEmpty())
        return setStatus(tr("Not serving: no model is open"), false);
    if (!m_engine)
        return setStatus(tr("Not serving: the model runs on a server; Ponder serves only a model on this machine"),
                         false);
    // Its key (if any) comes from the keyring when serving starts, not at start.
    if (!m_settings.secretsLoaded())
        return m_settings.loadSecrets([this] { restart(); });

    const QFileInfo file(m_info.value(QStringLiteral("path")).toString());
    serve::ServerSettings settings;
    settings.modelId = file.completeBaseName();
    settings.apiKey = m_key;
    settings.expectReasoning = m_info.value(QStringLiteral("expectReasoning")).toBool();
    settings.created = file.lastModified().toSecsSinceEpoch();
    const auto context = uint32_t(m_info.value(QStringLiteral("contextLength")).toInt());
    m_queue = std::make_unique<EngineJobQueue>(m_engine->engine(), context, kMaxWaiting);
    m_server = std::make_unique<serve::ChatServer>(*m_queue, settings);
    m_port = m_server->listen(QHostAddress(QHostAddress::LocalHost), quint16(m_wantedPort));
    if (m_port == 0) {
        const bool inUse = m_server->socketError() == QAbstractSocket::AddressInUseError;
        const QString error = m_server->errorString();
        m_server.reset();
        m_queue.reset();
        qCInfo(lcServe) << "cannot listen on port" << m_wantedPort << error;
        return setStatus(inUse ? tr("Not serving: port %1 is in use by another program (choose another port in "
                                    "the settings)")
                                     .arg(m_wantedPort)
                               : tr("Not serving on port %1: %2").arg(m_wantedPort).arg(error),
                         true);
    }
    qCInfo(lcServe) << "serving" << settings.modelId << "on" << address();
    setStatus(tr("Serving on %1").arg(address()), false);
}

void ModelServer::setStatus(const QString& status, bool failed)
{
    m_status = status;
    m_failed = failed;
    emit changed();
}

void ModelServer::setAnswering(bool answering)
{
    if (m_answering == answering)
        return;
    m_answering = answering;
    emit answeringChanged();
}

} // namespace ponder::app
