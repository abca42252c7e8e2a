#include "local_engine.h"

namespace ponder::app {

LocalEngine::LocalEngine(const QString& path, int contextLength, const EngineDevice& device, QObject* parent)
    : ChatBackend(parent), m_path(path), m_contextLength(contextLength), m_device(device), m_engine(new ChatEngine)
{
    m_engine->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    // Queued: the engine emits on its thread, these reach the UI thread's receivers.
    connect(m_engine, &ChatEngine::loadProgress, this, &ChatBackend::openProgress);
    connect(m_engine, &ChatEngine::modelLoaded, this, &ChatBackend::opened);
    connect(m_engine, &ChatEngine::loadFailed, this, &ChatBackend::openFailed);
    connect(m_engine, &ChatEngine::modelUnloaded, this, &ChatBackend::closed);
    connect(m_engine, &ChatEngine::text, this, &ChatBackend::text);
    connect(m_engine, &ChatEngine::finished, this, &ChatBackend::finished);
    connect(m_engine, &ChatEngine::failed, this, &ChatBackend::failed);
    connect(m_engine, &ChatEngine::serverTurn, this, &LocalEngine::serverTurn);
    m_thread.setObjectName(QStringLiteral("ponder-engine"));
    m_thread.start();
}

LocalEngine::~LocalEngine()
{
    emit aboutToClose();
    m_engine->stop();
    m_thread.quit();
    m_thread.wait();  // the engine finishes its current token, then is deleted on its thread
}

// Each call numbered as it is queued: a stop() before the engine's thread
// reaches it cancels it (ChatEngine::nextRequest).
void LocalEngine::open()
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, path = m_path, context = m_contextLength,
                                         device = m_device, request = m_engine->nextRequest()] {
        engine->loadModel(path, context, device, request);
    });
}

void LocalEngine::generate(const QList<ChatTurn>& turns, const GenerationSettings& settings)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, turns, settings, request = m_engine->nextGeneration()] {
        engine->generate(turns, settings, request);
    });
}

void LocalEngine::stop()
{
    m_engine->stop();
}

void LocalEngine::answerNow()
{
    m_engine->answerNow();
}

} // namespace ponder::app
