// ChatController: the model, the conversations and the user's actions. The
// streaming of an answer is in chat_stream.cpp.
#include "chat_controller.h"

#include "local_engine.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QUrl>

Q_LOGGING_CATEGORY(lcChat, "ponder.chat")

namespace ponder::app {

ChatController::ChatController(QObject* parent) : QObject(parent)
{
    connect(&m_serverProbe, &OpenAiClient::modelsListed, this, [this](const QStringList& ids) {
        m_serverModels = ids;
        m_serverModelsError.clear();
        emit serverModelsChanged();
    });
    connect(&m_serverProbe, &OpenAiClient::listFailed, this, [this](const QString& error) {
        m_serverModels.clear();
        m_serverModelsError = error;
        emit serverModelsChanged();
    });

    m_displayTimer.setInterval(kDisplayIntervalMs);
    connect(&m_displayTimer, &QTimer::timeout, this, &ChatController::flushPending);
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ChatController::refreshConversations);
    connect(&m_store, &ConversationStore::conversationsChanged, &m_refreshTimer, qOverload<>(&QTimer::start));
    connect(&m_store, &ConversationStore::writeFailed, this, &ChatController::setError);
}

ChatController::~ChatController()
{
    m_backend.reset();  // stops what runs and waits for it
    if (m_streamId >= 0 && !m_streamDeleted)
        m_store.finishMessage(m_streamId, MessageStatus::Stopped);
}

void ChatController::componentComplete()
{
    if (!m_store.open(m_databasePath))
        setError(m_store.errorString());
    refreshConversations();
}

void ChatController::setDatabasePath(const QString& path)
{
    if (path == m_databasePath)
        return;
    m_databasePath = path;
    emit databasePathChanged();
}

void ChatController::setSearch(const QString& search)
{
    if (search == m_search)
        return;
    m_search = search;
    emit searchChanged();
    refreshConversations();
}

void ChatController::setDevice(const QString& device)
{
    if (device == m_device)
        return;
    m_device = device;
    emit deviceChanged();
}

void ChatController::refreshConversations()
{
    m_refreshTimer.stop();
    m_conversations = m_store.isOpen() ? m_store.conversationList(m_search) : QVariantList();
    emit conversationsChanged();
}

void ChatController::setError(const QString& error)
{
    if (!error.isEmpty())
        qCInfo(lcChat) << "error:" << error;
    if (error == m_errorString)
        return;
    m_errorString = error;
    emit errorStringChanged();
}

// Shows what the store reported; returns false for the caller to return.
bool ChatController::storeFailed()
{
    setError(m_store.errorString());
    return false;
}

bool ChatController::expectReasoning() const
{
    return m_modelInfo.value(QStringLiteral("expectReasoning"), true).toBool();
}

// ---- The model ----

void ChatController::openModel(const QString& pathOrUrl)
{
    if (m_loading || generating())
        return;
    const QUrl url(pathOrUrl);
    const QString path = url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
    EngineDevice device = EngineDevice::chosen(m_device, qEnvironmentVariable("PONDER_DEVICE"));
    device.threads = uint32_t(m_settings.cpuThreads());
    device.placement = m_settings.placementSettings();
    qCInfo(lcChat) << "opening" << path << "on" << (device.name().isEmpty() ? QStringLiteral("automatic") : device.name());
    useBackend(std::make_unique<LocalEngine>(path, m_settings.contextLength(), device));
}

bool ChatController::closeModel()
{
    if (m_loading || generating())
        return false;
    if (!m_backend || m_modelInfo.value(QStringLiteral("remote")).toBool())
        return true;
    m_server.modelClosed();
    m_backend.reset();  // stops what runs and waits for it; frees the model and the device
    m_modelInfo.clear();
    emit modelChanged();
    return true;
}

// The saved key and user:password belong to the saved address: they fill in
// what the dialog leaves empty for an address of that origin only, so
// editing the address never sends them to another server.
ServerEndpoint ChatController::serverEndpoint(const QString& url, const QString& model, const QString& apiKey) const
{
    ServerEndpoint endpoint{QUrl::fromUserInput(url.trimmed()), model.trimmed(), apiKey.trimmed()};
    if (!m_settings.isServerUrl(url))
        return endpoint;
    if (endpoint.apiKey.isEmpty())
        endpoint.apiKey = m_settings.serverApiKey();
    if (endpoint.url.userInfo().isEmpty() && m_settings.hasServerLogin())
        endpoint.url.setUserInfo(m_settings.serverLogin());
    return endpoint;
}

void ChatController::connectServer(const QString& url, const QString& model, const QString& apiKey)
{
    if (m_loading || generating())
        return;
    // The saved key and user:password come from the keyring now, not at start.
    if (!m_settings.secretsLoaded())
        return m_settings.loadSecrets([this, url, model, apiKey] { connectServer(url, model, apiKey); });
    const ServerEndpoint endpoint = serverEndpoint(url, model, apiKey);
    auto client = std::make_unique<OpenAiClient>();
    client->setEndpoint(endpoint);
    m_settings.setServerUrl(url);  // forgets the credentials of another origin; keeps user:password privately
    m_settings.setServerModel(model);
    m_settings.setServerApiKey(endpoint.apiKey);
    qCInfo(lcChat) << "connecting to" << displayUrl(endpoint.url);
    useBackend(std::move(client));
}

void ChatController::useBackend(std::unique_ptr<ChatBackend> backend)
{
    if (m_loading || generating() || !backend)
        return;
    m_server.modelClosed();
    m_backend = std::move(backend);  // the one before closes: its model and device are freed
    ChatBackend* b = m_backend.get();
    connect(b, &ChatBackend::openProgress, this, [this](double fraction) {
        m_loadProgress = fraction;
        emit loadProgressChanged();
    });
    connect(b, &ChatBackend::opened, this, &ChatController::onModelLoaded);
    connect(b, &ChatBackend::openFailed, this, &ChatController::onLoadFailed);
    connect(b, &ChatBackend::closed, this, [this] {
        m_server.modelClosed();
        m_modelInfo.clear();
        emit modelChanged();
    });
    connect(b, &ChatBackend::text, this, &ChatController::onText);
    connect(b, &ChatBackend::finished, this, &ChatController::onFinished);
    connect(b, &ChatBackend::failed, this, &ChatController::onFailed);
    m_loading = true;
    m_loadProgress = -1;
    m_modelInfo.clear();
    emit loadProgressChanged();
    emit modelChanged();
    b->open();
}

void ChatController::listServerModels(const QString& url, const QString& apiKey)
{
    if (!m_settings.secretsLoaded())
        return m_settings.loadSecrets([this, url, apiKey] { listServerModels(url, apiKey); });
    m_serverProbe.setEndpoint(serverEndpoint(url, QString(), apiKey));
    m_serverProbe.listModels();
}

void ChatController::onModelLoaded(const QVariantMap& info)
{
    m_loading = false;
    m_modelInfo = info;
    setError(QString());
    emit modelChanged();
    m_server.modelOpened(m_backend.get(), info);
}

void ChatController::onLoadFailed(const QString& error)
{
    m_loading = false;
    m_modelInfo.clear();
    emit modelChanged();
    setError(error);
    m_messages.appendNotice(error);
}

// ---- Conversations ----

void ChatController::newConversation()
{
    if (m_conversationId != -1) {
        m_conversationId = -1;
        emit conversationIdChanged();
    }
    m_messages.clear();
}

void ChatController::selectConversation(qint64 id)
{
    if (id < 0)
        return newConversation();
    if (id != m_conversationId) {
        m_conversationId = id;
        emit conversationIdChanged();
    }
    reloadMessages();
}

void ChatController::reloadMessages()
{
    if (m_conversationId < 0)
        return m_messages.clear();
    m_messages.setMessages(m_store.currentBranch(m_conversationId), expectReasoning());
}

qint64 ChatController::ensureConversation()
{
    if (m_conversationId >= 0)
        return m_conversationId;
    const qint64 id = m_store.createConversation(modelName(), m_settings.toJson());
    if (id < 0)
        return -1;
    m_conversationId = id;
    emit conversationIdChanged();
    return id;
}

bool ChatController::renameConversation(qint64 id, const QString& title)
{
    return m_store.renameConversation(id, title) || storeFailed();
}

bool ChatController::deleteConversation(qint64 id)
{
    if (generating() && id == m_streamConversation) {
        stop();
        m_streamDeleted = true;  // its end has nowhere to be written
    }
    if (!m_store.deleteConversation(id))
        return storeFailed();
    if (id == m_conversationId)
        newConversation();
    return true;
}

// ---- Messages ----

bool ChatController::send(const QString& text)
{
    if (!modelLoaded() || m_loading || generating() || text.trimmed().isEmpty())
        return false;
    const qint64 conversation = ensureConversation();
    if (conversation < 0 || m_store.addMessage(conversation, MessageRole::User, text) < 0)
        return storeFailed();
    const qint64 answer = m_store.addMessage(conversation, MessageRole::Assistant, QString(), MessageStatus::Streaming);
    return answer >= 0 ? startTurn(answer) : storeFailed();
}

bool ChatController::regenerate(qint64 messageId)
{
    if (!modelLoaded() || generating() || m_messages.roleAt(m_messages.rowOf(messageId)) != MessageRole::Assistant)
        return false;
    const qint64 answer = m_store.addVersion(messageId, QString(), MessageStatus::Streaming);
    return answer >= 0 ? startTurn(answer) : storeFailed();
}

bool ChatController::editAndResend(qint64 messageId, const QString& text)
{
    if (!modelLoaded() || generating() || text.trimmed().isEmpty() ||
        m_messages.roleAt(m_messages.rowOf(messageId)) != MessageRole::User)
        return false;
    const qint64 question = m_store.addVersion(messageId, text);
    const qint64 answer =
        question >= 0 ? m_store.addMessage(m_conversationId, MessageRole::Assistant, QString(), MessageStatus::Streaming)
                      : -1;
    return answer >= 0 ? startTurn(answer) : storeFailed();
}

bool ChatController::deleteMessage(qint64 messageId)
{
    if (generating() || messageId < 0)
        return false;
    if (!m_store.deleteMessage(messageId))
        return storeFailed();
    reloadMessages();
    return true;
}

bool ChatController::showVersion(qint64 messageId, int step)
{
    if (generating())
        return false;
    const QList<qint64> versions = m_store.versions(messageId);
    const qsizetype current = versions.indexOf(messageId);
    const qsizetype at = current + step;
    if (current < 0 || at < 0 || at >= versions.size())
        return false;
    if (!m_store.selectVersion(versions[at]))
        return storeFailed();
    reloadMessages();
    return true;
}

// The conversation up to the answer `assistantId`, as the engine's template
// wants it: the system prompt, then every turn with text. Answers go without
// their reasoning (the R1 template drops it anyway); failed ones are left out.
QList<ChatTurn> ChatController::promptFor(qint64 assistantId)
{
    QList<ChatTurn> prompt;
    if (!m_settings.systemPrompt().trimmed().isEmpty())
        prompt.append({MessageRole::System, m_settings.systemPrompt()});
    for (const StoredMessage& message : m_store.currentBranch(m_conversationId)) {
        if (message.id == assistantId)
            break;
        if (message.role == MessageRole::User) {
            QString text = message.content;
            // Every user turn, not only the new one, so the prompt stays the
            // prefix the engine's cache holds from the last turn.
            if (m_settings.math() && !text.contains(ChatSettings::mathInstruction()))
                text += QStringLiteral("\n") + ChatSettings::mathInstruction();
            prompt.append({MessageRole::User, text});
        } else if (message.role == MessageRole::Assistant && message.status != MessageStatus::Error &&
                   !message.content.isEmpty()) {
            prompt.append({MessageRole::Assistant, message.content});
        }
    }
    return prompt;
}

} // namespace ponder::app
