// The chat window's controller: opens a model (a ChatBackend: the engine on
// this machine, or a server), sends the user's turn, streams the answer into
// the message list and the database, and keeps the conversation list. It
// holds one backend at a time and never asks which kind it is.
//
// Streaming: the backend's text pieces are only collected as they arrive;
// a display timer (kDisplayIntervalMs, about 30 Hz) moves them into the
// answer's MessageContent, the list's roles and the ConversationStore
// (which coalesces its own writes), so a fast model costs the UI thread one
// update per frame, not one per token. A tick moves at most
// kMaxCharsPerTick characters: output that arrives faster (a server's
// megabyte at once) is shown over several ticks, and the answer finishes
// once it is all shown, so no tick parses more than a bounded piece. A
// MessageParser beside it sees every piece, so the reasoning's end is
// timed and counted to the token.
//
// Errors (a model that will not open, a failed generation) become messages
// in the chat and errorString; the window keeps working.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QQmlParserStatus>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>

#include <functional>
#include <memory>
#include <QtQml/qqmlregistration.h>

#include "chat_backend.h"
#include "chat_settings.h"
#include "code_highlighter.h"
#include "conversation_store.h"
#include "message_list_model.h"
#include "message_parser.h"
#include "model_server.h"
#include "openai_client.h"

namespace ponder::app {

class ChatController : public QObject, public QQmlParserStatus {
    Q_OBJECT
    QML_ELEMENT
    Q_INTERFACES(QQmlParserStatus)

    /// The conversation database; opened at databasePath when the component completes.
    Q_PROPERTY(ponder::app::ConversationStore* store READ store CONSTANT)
    /// Where the conversations are kept; empty for the user's data directory. Set before completion.
    Q_PROPERTY(QString databasePath READ databasePath WRITE setDatabasePath NOTIFY databasePathChanged)
    /// The generation settings (persisted).
    Q_PROPERTY(ponder::app::ChatSettings* settings READ settings CONSTANT)
    /// Highlights the answers' code blocks.
    Q_PROPERTY(ponder::app::CodeHighlighter* highlighter READ highlighter CONSTANT)
    /// The messages of the conversation on screen.
    Q_PROPERTY(ponder::app::MessageListModel* messages READ messages CONSTANT)
    /// Conversations matching `search`, newest first: ConversationInfo values (id, title, model, created, updated).
    Q_PROPERTY(QVariantList conversations READ conversations NOTIFY conversationsChanged)
    /// Text the conversation list is filtered by; empty shows all.
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    /// The conversation on screen; -1 for a new chat not yet stored.
    Q_PROPERTY(qint64 conversationId READ conversationId NOTIFY conversationIdChanged)
    /// Where models are opened: an adapter index or part of its name, empty
    /// for the best GPU, "cpu-reference" for the slow CPU path. PONDER_DEVICE
    /// overrides a GPU choice.
    Q_PROPERTY(QString device READ device WRITE setDevice NOTIFY deviceChanged)
    /// True while a model is being opened.
    Q_PROPERTY(bool loading READ loading NOTIFY modelChanged)
    /// Fraction of the weights loaded (uploaded to the GPU, or read into RAM for the CPU engine), 0..1; -1 when unknown.
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadProgressChanged)
    /// True when a model is open and ready.
    Q_PROPERTY(bool modelLoaded READ modelLoaded NOTIFY modelChanged)
    /// The open model's name ("DeepSeek R1 Distill Qwen 7B"); empty when none.
    Q_PROPERTY(QString modelName READ modelName NOTIFY modelChanged)
    /// What the model runs on ("NVIDIA GeForce RTX 4090", "CPU reference"); empty when none.
    Q_PROPERTY(QString modelDevice READ modelDevice NOTIFY modelChanged)
    /// The engine's facts about the open model (chat_engine.h modelLoaded).
    Q_PROPERTY(QVariantMap modelInfo READ modelInfo NOTIFY modelChanged)
    /// What listServerModels() found: the served models' ids, or why there are none (the server dialog).
    Q_PROPERTY(QStringList serverModels READ serverModels NOTIFY serverModelsChanged)
    Q_PROPERTY(QString serverModelsError READ serverModelsError NOTIFY serverModelsChanged)
    /// True while an answer streams.
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    /// True while the answer streaming now is inside its reasoning (as shown: updated each display tick).
    Q_PROPERTY(bool thinking READ thinking NOTIFY thinkingChanged)
    /// True when the model in use can be told to answer now (the engine on
    /// this machine); a server reasons until it is done.
    Q_PROPERTY(bool canAnswerNow READ canAnswerNow NOTIFY modelChanged)
    /// True once answerNow() was asked for the answer streaming now.
    Q_PROPERTY(bool answerNowAsked READ answerNowAsked NOTIFY thinkingChanged)
    /// True while output arrives faster than a display tick shows it (a
    /// server's burst): the list then follows the end less often, since
    /// each jump makes a screenful of new blocks and nobody reads that fast.
    Q_PROPERTY(bool catchingUp READ catchingUp NOTIFY catchingUpChanged)
    /// The open model served over the OpenAI-compatible API on 127.0.0.1 (the serve setting).
    Q_PROPERTY(ponder::app::ModelServer* server READ server CONSTANT)
    /// The last error, in words for the user; empty after a success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)

public:
    static constexpr int kDisplayIntervalMs = 33;
    /// Characters of output one display tick parses and shows at most.
    static constexpr qsizetype kMaxCharsPerTick = 8 * 1024;

    explicit ChatController(QObject* parent = nullptr);
    ~ChatController() override;

    void classBegin() override {}
    void componentComplete() override;

    ConversationStore* store() { return &m_store; }
    QString databasePath() const { return m_databasePath; }
    void setDatabasePath(const QString& path);
    ChatSettings* settings() { return &m_settings; }
    CodeHighlighter* highlighter() { return &m_highlighter; }
    MessageListModel* messages() { return &m_messages; }
    ModelServer* server() { return &m_server; }
    QVariantList conversations() const { return m_conversations; }
    QString search() const { return m_search; }
    void setSearch(const QString& search);
    qint64 conversationId() const { return m_conversationId; }
    QString device() const { return m_device; }
    void setDevice(const QString& device);
    bool loading() const { return m_loading; }
    double loadProgress() const { return m_loadProgress; }
    bool modelLoaded() const { return !m_modelInfo.isEmpty(); }
    QString modelName() const { return m_modelInfo.value(QStringLiteral("name")).toString(); }
    QString modelDevice() const { return m_modelInfo.value(QStringLiteral("device")).toString(); }
    QVariantMap modelInfo() const { return m_modelInfo; }
    bool generating() const { return m_streamId >= 0; }
    bool thinking() const { return m_thinking; }
    bool catchingUp() const { return m_catchingUp; }
    bool canAnswerNow() const { return m_backend && m_backend->canAnswerNow() && modelLoaded(); }
    bool answerNowAsked() const { return m_answerNowAsked; }
    QString errorString() const { return m_errorString; }

    /// Opens a GGUF model: a local path or a file:// URL.
    Q_INVOKABLE void openModel(const QString& pathOrUrl);
    /// Closes the model on this machine the chat holds, freeing its memory
    /// (the compare page runs its own models, one at a time). False while a
    /// model loads or an answer streams; a server's model stays connected.
    Q_INVOKABLE bool closeModel();
    /// Chats with a model served elsewhere over the OpenAI-compatible protocol
    /// (openai_client.h): lists the server's models to check the address, the
    /// key and the model (empty: the server's first), then answers come from
    /// there; the model open before is closed. Remembered in the settings.
    /// An empty key (or an address without user:password@) uses the one
    /// saved, only when `url` has the saved address's origin.
    Q_INVOKABLE void connectServer(const QString& url, const QString& model, const QString& apiKey);
    /// Asks a server which models it serves, for the server dialog's list
    /// (serverModels); the key as for connectServer.
    Q_INVOKABLE void listServerModels(const QString& url, const QString& apiKey);
    QStringList serverModels() const { return m_serverModels; }
    QString serverModelsError() const { return m_serverModelsError; }
    /// Shows an empty chat; it is stored with its first message.
    Q_INVOKABLE void newConversation();
    Q_INVOKABLE void selectConversation(qint64 id);
    Q_INVOKABLE bool renameConversation(qint64 id, const QString& title);
    Q_INVOKABLE bool deleteConversation(qint64 id);

    /// Sends the user's message and streams the answer. False when no model is open or one streams.
    Q_INVOKABLE bool send(const QString& text);
    /// Stops the answer (or the model being opened) after the current token.
    Q_INVOKABLE void stop();
    /// Ends the reasoning of the answer streaming now where it stands, so the
    /// model answers from what it has thought (ChatBackend::answerNow). False
    /// when it is not reasoning, was already asked, or the model cannot be told.
    Q_INVOKABLE bool answerNow();
    /// Answers the question before `messageId` (an assistant message) again; the old answer stays a version.
    Q_INVOKABLE bool regenerate(qint64 messageId);
    /// Replaces the user message `messageId` with `text` as a new version and answers it.
    Q_INVOKABLE bool editAndResend(qint64 messageId, const QString& text);
    /// Deletes the message and everything after it.
    Q_INVOKABLE bool deleteMessage(qint64 messageId);
    /// Shows the version `step` places before (-1) or after (+1) `messageId`.
    Q_INVOKABLE bool showVersion(qint64 messageId, int step);

    // Closes the backend in use and opens `backend` (openModel and
    // connectServer make theirs here); its answers stream into this chat.
    // Nothing while a model opens or an answer streams.
    void useBackend(std::unique_ptr<ChatBackend> backend);

signals:
    void databasePathChanged();
    void conversationsChanged();
    void searchChanged();
    void conversationIdChanged();
    void deviceChanged();
    void modelChanged();
    void loadProgressChanged();
    void generatingChanged();
    void thinkingChanged();
    void catchingUpChanged();
    void errorStringChanged();
    void serverModelsChanged();

private:
    ServerEndpoint serverEndpoint(const QString& url, const QString& model, const QString& apiKey) const;
    bool startTurn(qint64 assistantId);
    void onText(const QString& piece, int tokens);
    void onFinished(const QVariantMap& stats);
    void onFailed(const QString& error);
    MessageStats liveStats() const;
    ReasoningCut cutReason(int reasoningTokens) const;
    void setThinking(bool thinking);
    void setCatchingUp(bool catchingUp);
    QList<ChatTurn> promptFor(qint64 assistantId);
    void reloadMessages();
    void refreshConversations();
    void flushPending();
    bool finishLater(std::function<void()> finish);
    void finishStream(MessageStatus status, const MessageStats& stats, const QString& error);
    void setError(const QString& error);
    bool storeFailed();
    void onModelLoaded(const QVariantMap& info);
    void onLoadFailed(const QString& error);
    bool expectReasoning() const;
    qint64 ensureConversation();

    ConversationStore m_store;
    ChatSettings m_settings;
    CodeHighlighter m_highlighter;
    MessageListModel m_messages;
    QString m_databasePath;
    QVariantList m_conversations;
    QString m_search;
    qint64 m_conversationId = -1;
    QString m_device;
    bool m_loading = false;
    double m_loadProgress = -1;
    QVariantMap m_modelInfo;
    QString m_errorString;
    QTimer m_refreshTimer;  // coalesces conversation list refreshes

    std::unique_ptr<ChatBackend> m_backend;  // answers; null until a model is opened
    ModelServer m_server{m_settings};        // serves m_backend's model when it is on this machine
    OpenAiClient m_serverProbe;              // lists a server's models for the dialog
    QStringList m_serverModels;
    QString m_serverModelsError;

    // The answer streaming now (m_streamId -1: none).
    qint64 m_streamId = -1;
    qint64 m_streamConversation = -1;
    bool m_streamDeleted = false;  // its conversation was deleted while it streamed
    MessageContent* m_streamContent = nullptr;  // shown by the list while it shows the answer
    MessageParser m_tracker;     // sees every piece: times and counts the reasoning
    QString m_pending;           // pieces not yet shown
    bool m_catchingUp = false;   // m_pending held more than a tick shows, at the last tick
    std::function<void()> m_finishWhenShown;  // the answer ended; runs once m_pending fits one tick
    int m_tokens = 0;            // generated so far
    int m_reasoningTokens = -1;  // tokens before `</think>`; -1 until it arrives
    qint64 m_firstPieceMs = -1;  // since the request, ms
    qint64 m_reasoningEndMs = -1;
    int m_thinkingBudget = 0;    // the budget the answer was asked with; 0: none
    bool m_answerNowAsked = false;
    bool m_thinking = false;     // shown inside its reasoning
    ReasoningCut m_reasoningCut = ReasoningCut::None;
    QElapsedTimer m_clock;       // since the request
    QTimer m_displayTimer;
};

} // namespace ponder::app
