// What the chat window does with what it shows, apart from the chat: copies
// an answer (as Markdown or as plain text) and other text to the clipboard,
// and exports a conversation to a Markdown file (conversation_export.h),
// reading them from the ConversationStore. Kept out of ChatController,
// which streams and keeps the conversation list.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include "conversation_store.h"

namespace ponder::app {

class ConversationExporter : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// Where the messages are read from (ChatController.store).
    Q_PROPERTY(ponder::app::ConversationStore* store READ store WRITE setStore NOTIFY storeChanged)
    /// Why the last export failed, in words for the user; empty after a success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)

public:
    enum class Format { Markdown, PlainText };
    Q_ENUM(Format)

    explicit ConversationExporter(QObject* parent = nullptr);

    ConversationStore* store() const { return m_store; }
    void setStore(ConversationStore* store);
    QString errorString() const { return m_errorString; }

    /// Copies the answer `messageId` (without its reasoning) to the clipboard:
    /// its Markdown as written, or as plain text. False when there is no such message.
    Q_INVOKABLE bool copyAnswer(qint64 messageId, ponder::app::ConversationExporter::Format format);
    /// The conversation `conversationId` as Markdown (its versions on screen); empty when there is none.
    Q_INVOKABLE QString conversationMarkdown(qint64 conversationId) const;
    /// Where the export dialog proposes to save: "<title>.md" in the user's documents folder.
    Q_INVOKABLE QUrl suggestedFile(qint64 conversationId) const;
    /// Writes the conversation's Markdown to `fileUrl` (a file:// URL or a
    /// path), replacing the file whole or not at all (QSaveFile). False,
    /// with errorString, when it cannot.
    Q_INVOKABLE bool exportConversation(qint64 conversationId, const QString& fileUrl);

signals:
    void storeChanged();
    void errorStringChanged();

private:
    bool fail(const QString& error);

    QPointer<ConversationStore> m_store;
    QString m_errorString;
};

} // namespace ponder::app
