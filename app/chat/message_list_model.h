// The messages of the conversation on screen, one row per message of its
// current branch, for the chat's ListView. An assistant row owns a
// MessageContent (its reasoning and answer blocks), which ChatController
// feeds while the answer streams; the row's other roles (status, numbers,
// the labels under and above the answer) change through the setters here.
// Rows that are not stored (id -1) are notices: errors from opening a model.
// The streaming answer's content belongs to the controller, so switching
// conversations mid-answer and back shows it still streaming.
#pragma once

#include <QAbstractListModel>
#include <QList>
#include <optional>
#include <QtQml/qqmlregistration.h>

#include "conversation_store.h"
#include "message_content.h"

namespace ponder::app {

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatController owns the message list")

public:
    enum Role {
        IdRole = Qt::UserRole + 1,  // qint64; -1 for a notice
        MessageRoleRole,            // "user", "assistant", "system" or "notice"
        TextRole,                   // user: the text; assistant: the answer's Markdown
        ContentRole,                // assistant: MessageContent*; else null
        StatusRole,                 // "streaming", "complete", "stopped", "error"
        ErrorRole,                  // status error (and notices): the error in words
        VersionIndexRole,           // 0-based place among the message's versions
        VersionCountRole,           // number of versions, itself included
        ReasoningLabelRole,         // "Thinking… 4 s · 150 tokens · 38 tokens/s" or "Thought for 12 s · 345 tokens"
        StatsLabelRole,             // "0.4 s to first token · 35.2 tokens/s · 512 tokens"; empty while streaming
        FirstTokenMsRole,           // ms
        TokensPerSecondRole,        // tokens/s
        ReasoningMsRole,            // ms; grows while the model reasons
        ReasoningTokensRole,
        GeneratedTokensRole,
        ReasoningCutRole,           // why the reasoning ended early, in words; empty when it did not
    };
    Q_ENUM(Role)

    explicit MessageListModel(QObject* parent = nullptr);
    ~MessageListModel() override;

    // The answer streaming now: its row shows `content` (owned by the
    // caller) whenever the list holds message `id`. -1 / null: none.
    void setLiveContent(qint64 id, MessageContent* content);
    // Shows a stored branch; `expectReasoning` as in MessageContent.
    void setMessages(const QList<StoredMessage>& messages, bool expectReasoning);
    // Adds a stored (or just created) message at the end; returns its row.
    int append(const StoredMessage& message, bool expectReasoning);
    // Adds an error that is not stored (a model failed to open).
    void appendNotice(const QString& error);
    void clear();

    int rowOf(qint64 id) const;
    qint64 idAt(int row) const;
    // Who wrote the message of `row`; none for a notice or a row that does not exist.
    std::optional<MessageRole> roleAt(int row) const;
    QString textAt(int row) const;
    MessageContent* contentAt(int row) const;

    void setStatus(int row, MessageStatus status, const QString& error = QString());
    void setStats(int row, const MessageStats& stats);
    // The content of `row` changed (streamed text): refreshes its derived roles.
    void contentChanged(int row);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row {
        qint64 id = -1;
        std::optional<MessageRole> role;  // none: a notice
        QString text;  // user text; assistant rows read theirs from content
        MessageContent* content = nullptr;
        MessageStatus status = MessageStatus::Complete;
        QString error;
        MessageStats stats;
        int versionIndex = 0;
        int versionCount = 1;
    };

    Row makeRow(const StoredMessage& message, bool expectReasoning);
    QString reasoningLabel(const Row& row) const;
    QString reasoningCutNote(const Row& row) const;
    QString statsLabel(const Row& row) const;
    void changed(int row, const QList<int>& roles);

    void release(const Row& row);

    QList<Row> m_rows;
    qint64 m_liveId = -1;
    MessageContent* m_liveContent = nullptr;
};

} // namespace ponder::app
