// Conversations and their messages in an SQLite database (Qt SQL), written
// while an answer streams so that a crash loses at most the last moment.
//
// Streamed text is coalesced: appendToMessage() and setMessageText() collect
// changes in memory and hand them to a writer thread (text_writer.h) at most
// every flushIntervalMs (500 ms), and at once on finishMessage(), flush(), any
// read, and close(). finishMessage() returns before the answer's end is on
// disk; flush(), reads and close() wait for it. The database
// runs in WAL mode with synchronous=NORMAL: every write is one short
// transaction, and a process killed at any moment (SIGKILL included) leaves a
// valid database holding every write committed before it, so what is lost is
// the text of the last interval. open() marks messages a crash left
// streaming as stopped. The log is copied into the database on a thread of
// its own after each write (wal_checkpointer.h), never on the caller's.
//
// The layout, versions and migrations are in conversation_schema.h; versions
// of a message (edit and resend, regenerate) are siblings in a tree.
// Every call reports failure by its return value (false, -1, empty) and sets
// errorString; a damaged, unreadable or unwritable database is an error
// from open(), never a crash. Use a store from the thread that opened it.
//
// One Ponder at a time: open() takes a lock file beside the database
// (<file>.lock, QLockFile) and refuses, saying so, when another process (or
// another store in this one) holds it, so that a second instance neither
// marks the first one's streaming answer stopped nor writes between its
// writes. A lock a crashed process left is taken over.
#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QLockFile>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QString>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <optional>

#include "chat_backend.h"
#include "message_types.h"
#include "text_writer.h"
#include "wal_checkpointer.h"

namespace ponder::app {

struct StoredMessage {
    qint64 id = -1;
    qint64 conversationId = -1;
    qint64 parentId = -1;         // the message before it; -1 for the first
    MessageRole role = MessageRole::User;
    QString reasoning;            // assistant: the thought, without tags
    QString content;              // user: the text; assistant: the answer's Markdown
    MessageStatus status = MessageStatus::Complete;
    QString error;                // status Error: what went wrong, in words
    QDateTime created;
    MessageStats stats;
    int versionIndex = 0;         // its place among its versions (siblings), by age, from 0
    int versionCount = 1;         // how many versions there are, itself included
};

// One conversation as the list shows it; a value type in QML (conversationInfo).
struct ConversationInfo {
    Q_GADGET
    QML_VALUE_TYPE(conversationInfo)
    Q_PROPERTY(qint64 id MEMBER id)
    Q_PROPERTY(QString title MEMBER title)
    Q_PROPERTY(QDateTime created MEMBER created)
    Q_PROPERTY(QDateTime updated MEMBER updated)
    Q_PROPERTY(QString model MEMBER model)

public:
    qint64 id = -1;
    QString title;                // from the first user message; empty until there is one
    QDateTime created;
    QDateTime updated;            // last message added or finished, or renamed
    QString model;                // the model file's name
    QJsonObject settings;         // sampling settings used, as the app stores them
};

class ConversationStore : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// The database file in use; empty while none is open.
    Q_PROPERTY(QString path READ path NOTIFY openChanged)
    /// True while a database is open.
    Q_PROPERTY(bool isOpen READ isOpen NOTIFY openChanged)
    /// What the last failed call reported, in words for the user; empty when none failed since open().
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// Longest time streamed text waits in memory before it is written, in ms.
    Q_PROPERTY(int flushIntervalMs READ flushIntervalMs WRITE setFlushIntervalMs NOTIFY flushIntervalMsChanged)

public:
    explicit ConversationStore(QObject* parent = nullptr);
    ~ConversationStore() override;  // flushes and closes

    // conversations.sqlite in the user's data directory (QStandardPaths::AppDataLocation).
    static QString defaultPath();
    // A conversation title from a user message: its first non-empty line,
    // white space folded, cut at a word to about 60 characters.
    static QString titleFrom(const QString& text);

    QString path() const { return m_path; }
    bool isOpen() const { return m_db.isOpen(); }
    QString errorString() const { return m_errorString; }
    int flushIntervalMs() const { return m_flushIntervalMs; }
    void setFlushIntervalMs(int ms);
    // Checkpoints the log's thread has run since open(), and the store's own
    // connection's threshold for running one itself (0: never). For tests.
    int backgroundCheckpoints() const { return m_checkpointer ? m_checkpointer->completed() : 0; }
    int ownCheckpointThresholdPages();

    /// Opens (creating or migrating) the database at `path`, or at defaultPath() when empty.
    Q_INVOKABLE bool open(const QString& path = QString());
    /// Writes pending text and closes the database.
    Q_INVOKABLE void close();

    // Conversations. Each returns false / -1 / empty on failure.
    Q_INVOKABLE qint64 createConversation(const QString& model = QString(), const QJsonObject& settings = {});
    Q_INVOKABLE bool renameConversation(qint64 id, const QString& title);
    Q_INVOKABLE bool deleteConversation(qint64 id);
    bool setConversationModel(qint64 id, const QString& model, const QJsonObject& settings);
    std::optional<ConversationInfo> conversation(qint64 id);
    // Newest first (by updated). A non-empty `search` keeps the conversations
    // whose title or any message text contains it (case-insensitive for ASCII).
    QList<ConversationInfo> conversations(const QString& search = QString());
    /// conversations() for QML: ConversationInfo values (id, title, model, created, updated).
    Q_INVOKABLE QVariantList conversationList(const QString& search = QString());

    // Messages. addMessage() appends after the conversation's current leaf;
    // addVersion() adds a sibling of `messageId` (same parent, same role): an
    // edited user message, or a regenerated answer. Both make the new message
    // the current leaf, and a user message gives an untitled conversation its title.
    qint64 addMessage(qint64 conversationId, MessageRole role, const QString& content,
                      MessageStatus status = MessageStatus::Complete);
    qint64 addVersion(qint64 messageId, const QString& content, MessageStatus status = MessageStatus::Complete);
    // Streaming writes, coalesced (see above).
    bool appendToMessage(qint64 id, const QString& reasoningDelta, const QString& contentDelta);
    bool setMessageText(qint64 id, const QString& reasoning, const QString& content);
    // Ends streaming: writes pending text, status, statistics and error now.
    bool finishMessage(qint64 id, MessageStatus status, const MessageStats& stats = {},
                       const QString& error = QString());
    // Deletes the message and everything after it on every branch below it.
    Q_INVOKABLE bool deleteMessage(qint64 id);
    std::optional<StoredMessage> message(qint64 id);
    // The branch on screen, first message to current leaf.
    QList<StoredMessage> currentBranch(qint64 conversationId);
    /// currentBranch() for QML: maps with the StoredMessage fields; role and status as words.
    Q_INVOKABLE QVariantList branchList(qint64 conversationId);
    // The versions of a message (its siblings and itself), oldest first.
    QList<qint64> versions(qint64 messageId);
    // Shows the branch through `messageId`, down to its newest answers.
    Q_INVOKABLE bool selectVersion(qint64 messageId);
    // Writes pending streamed text now.
    Q_INVOKABLE bool flush();

signals:
    void openChanged();
    void errorStringChanged();
    void flushIntervalMsChanged();
    // The list of conversations changed: added, renamed, deleted, reordered.
    void conversationsChanged();
    // Streamed text or an answer's end could not be written (the store
    // keeps it and tries again); `message` is also errorString now.
    void writeFailed(const QString& message);

private:
    bool fail(const QString& message);
    QString lock(const QString& file);
    bool requireOpen();
    qint64 insertMessage(qint64 conversationId, qint64 parentId, MessageRole role, const QString& content,
                         MessageStatus status);
    qint64 newestLeafBelow(qint64 conversationId, qint64 parentId);
    bool setCurrentLeaf(qint64 conversationId, qint64 leaf);
    std::optional<StoredMessage> readMessage(qint64 id);
    void scheduleFlush();
    void handOff();
    void written(const TextWriteOutcome& outcome);

    QSqlDatabase m_db;
    std::unique_ptr<QLockFile> m_lock;  // held while open
    std::unique_ptr<WalCheckpointer> m_checkpointer;  // while open
    std::unique_ptr<TextWriter> m_writer;  // while open; goes before m_checkpointer, which it asks
    QString m_connection;
    QString m_path;
    QString m_errorString;
    int m_flushIntervalMs = 500;
    TextBatch m_pending;  // not yet handed to m_writer
    QElapsedTimer m_pendingSince;  // age of the oldest unwritten change
    QTimer m_flushTimer;
};

} // namespace ponder::app
