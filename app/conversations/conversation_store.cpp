// Opening, conversations and the coalesced writes of ConversationStore; its
// message calls are in conversation_messages.cpp.
#include "conversation_store.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <atomic>
#include <utility>

#include "conversation_schema.h"
#include "store_sql.h"

Q_LOGGING_CATEGORY(lcStore, "ponder.store")

namespace ponder::app {
namespace {

constexpr qsizetype kTitleLength = 60;

QString likePattern(const QString& search)
{
    QString escaped = search;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
    return u'%' + escaped + u'%';
}

ConversationInfo readConversation(const QSqlQuery& query)
{
    ConversationInfo info;
    info.id = query.value(0).toLongLong();
    info.title = query.value(1).toString();
    info.created = QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong(), Qt::UTC);
    info.updated = QDateTime::fromMSecsSinceEpoch(query.value(3).toLongLong(), Qt::UTC);
    info.model = query.value(4).toString();
    info.settings = QJsonDocument::fromJson(query.value(5).toString().toUtf8()).object();
    return info;
}

} // namespace

ConversationStore::ConversationStore(QObject* parent) : QObject(parent)
{
    static std::atomic<int> instances{0};
    m_connection = QStringLiteral("ponder.store.%1").arg(instances++);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &ConversationStore::handOff);
}

ConversationStore::~ConversationStore()
{
    close();
}

QString ConversationStore::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir.isEmpty() ? QString() : dir + QStringLiteral("/conversations.sqlite");
}

QString ConversationStore::titleFrom(const QString& text)
{
    QString line;
    for (const QString& candidate : text.split(u'\n')) {
        line = candidate.simplified();
        if (!line.isEmpty())
            break;
    }
    if (line.size() <= kTitleLength)
        return line;
    qsizetype cut = line.lastIndexOf(u' ', kTitleLength);
    if (cut < kTitleLength / 2)
        cut = kTitleLength;  // one long word: cut inside it
    return line.left(cut) + u'…';
}

void ConversationStore::setFlushIntervalMs(int ms)
{
    ms = std::max(ms, 0);
    if (ms == m_flushIntervalMs)
        return;
    m_flushIntervalMs = ms;
    emit flushIntervalMsChanged();
}

bool ConversationStore::open(const QString& path)
{
    close();
    const QString file = path.isEmpty() ? defaultPath() : path;
    if (file.isEmpty())
        return fail(tr("There is no data folder to keep conversations in."));
    const QString folder = QFileInfo(file).absolutePath();
    if (!QDir().mkpath(folder))
        return fail(tr("Cannot create the folder %1 for the conversations.").arg(folder));
    if (const QString problem = lock(file); !problem.isEmpty())
        return fail(problem);

    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(file);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
    QString problem;
    if (!m_db.isValid())
        problem = tr("Qt's SQLite driver is missing");
    else if (!m_db.open())
        problem = m_db.lastError().text();
    if (problem.isEmpty()) {
        // The first statement is the first to read the file: a damaged file fails here.
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next())
            problem = query.lastError().text();
        else if (query.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0)
            qCWarning(lcStore) << "WAL journal unavailable for" << file << "- using" << query.value(0).toString();
        // wal_autocheckpoint = 0: the log is copied into the database by
        // m_checkpointer's thread, never on this one (wal_checkpointer.h).
        for (const char* pragma : {"PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON",
                                   "PRAGMA wal_autocheckpoint = 0"})
            if (problem.isEmpty() && !query.exec(QString::fromUtf8(pragma)))
                problem = query.lastError().text();
    }
    if (problem.isEmpty())
        problem = schema::migrate(m_db);
    if (problem.isEmpty()) {
        // Nothing streams before we do: these were cut off by a crash or a kill.
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("UPDATE messages SET status = 'stopped' WHERE status = 'streaming'")))
            problem = query.lastError().text();
    }
    if (!problem.isEmpty()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
        m_lock.reset();
        return fail(tr("Cannot open the conversation database %1: %2").arg(QDir::toNativeSeparators(file), problem));
    }
    m_path = file;
    m_checkpointer = std::make_unique<WalCheckpointer>(file);
    m_writer = std::make_unique<TextWriter>(file, [this](const TextWriteOutcome& outcome) {
        if (outcome.ok)
            m_checkpointer->request();
        QMetaObject::invokeMethod(this, [this, outcome] { written(outcome); }, Qt::QueuedConnection);
    });
    if (!m_errorString.isEmpty()) {
        m_errorString.clear();
        emit errorStringChanged();
    }
    qCInfo(lcStore) << "opened" << file;
    emit openChanged();
    emit conversationsChanged();
    return true;
}

void ConversationStore::close()
{
    if (!m_db.isValid())
        return;
    flush();
    m_flushTimer.stop();
    m_pending.clear();
    // Their connections first: closing the last one copies the rest of the log in.
    m_writer.reset();
    m_checkpointer.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
    m_lock.reset();
    m_path.clear();
    emit openChanged();
}

// Takes <file>.lock for as long as the database is open; why not, or empty.
QString ConversationStore::lock(const QString& file)
{
    auto lock = std::make_unique<QLockFile>(file + QStringLiteral(".lock"));
    // 0: a live owner's lock never goes stale however long it runs; a dead
    // owner's (its process gone) is still taken over.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0)) {
        m_lock = std::move(lock);
        return {};
    }
    const QString database = QDir::toNativeSeparators(file);
    if (lock->error() != QLockFile::LockFailedError)
        return tr("Cannot lock the conversation database %1 (is its folder writable?).").arg(database);
    qint64 pid = 0;
    QString host, app;
    lock->getLockInfo(&pid, &host, &app);
    return tr("The conversations in %1 are in use by another Ponder (process %2). Close it, then open Ponder again.")
        .arg(database)
        .arg(pid);
}

qint64 ConversationStore::createConversation(const QString& model, const QJsonObject& settings)
{
    if (!requireOpen())
        return -1;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(m_db);
    if (!sql::exec(query,
                   "INSERT INTO conversations (created_ms, updated_ms, model, settings) VALUES (?, ?, ?, ?)",
                   {now, now, sql::text(model), QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact))}))
        {
            fail(query.lastError().text());
            return -1;
        }
    emit conversationsChanged();
    return query.lastInsertId().toLongLong();
}

bool ConversationStore::renameConversation(qint64 id, const QString& title)
{
    if (!requireOpen())
        return false;
    QSqlQuery query(m_db);
    if (!sql::exec(query, "UPDATE conversations SET title = ?, updated_ms = ? WHERE id = ?",
                   {sql::text(title.simplified()), QDateTime::currentMSecsSinceEpoch(), id}))
        return fail(query.lastError().text());
    if (query.numRowsAffected() != 1)
        return fail(tr("There is no conversation %1.").arg(id));
    emit conversationsChanged();
    return true;
}

bool ConversationStore::deleteConversation(qint64 id)
{
    if (!requireOpen() || !flush())
        return false;
    QSqlQuery query(m_db);
    // Messages go by ON DELETE CASCADE: one level, however long the conversation.
    if (!sql::exec(query, "DELETE FROM conversations WHERE id = ?", {id}))
        return fail(query.lastError().text());
    if (query.numRowsAffected() != 1)
        return fail(tr("There is no conversation %1.").arg(id));
    emit conversationsChanged();
    return true;
}

bool ConversationStore::setConversationModel(qint64 id, const QString& model, const QJsonObject& settings)
{
    if (!requireOpen())
        return false;
    QSqlQuery query(m_db);
    if (!sql::exec(query, "UPDATE conversations SET model = ?, settings = ? WHERE id = ?",
                   {sql::text(model), QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact)), id}))
        return fail(query.lastError().text());
    if (query.numRowsAffected() != 1)
        return fail(tr("There is no conversation %1.").arg(id));
    return true;
}

std::optional<ConversationInfo> ConversationStore::conversation(qint64 id)
{
    if (!requireOpen())
        return std::nullopt;
    QSqlQuery query(m_db);
    if (!sql::exec(query, "SELECT id, title, created_ms, updated_ms, model, settings FROM conversations WHERE id = ?",
                   {id}))
        {
            fail(query.lastError().text());
            return std::nullopt;
        }
    if (!query.next())
        {
            fail(tr("There is no conversation %1.").arg(id));
            return std::nullopt;
        }
    return readConversation(query);
}

QList<ConversationInfo> ConversationStore::conversations(const QString& search)
{
    QList<ConversationInfo> result;
    if (!requireOpen() || !flush())
        return result;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    bool ok;
    if (search.isEmpty()) {
        ok = sql::exec(query,
                       "SELECT id, title, created_ms, updated_ms, model, settings FROM conversations"
                       " ORDER BY updated_ms DESC, id DESC",
                       {});
    } else {
        const QString pattern = likePattern(search);
        ok = sql::exec(query,
                       "SELECT id, title, created_ms, updated_ms, model, settings FROM conversations c"
                       " WHERE c.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m"
                       "  WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\\')"
                       " ORDER BY updated_ms DESC, id DESC",
                       {pattern, pattern});
    }
    if (!ok)
        {
            fail(query.lastError().text());
            return result;
        }
    while (query.next())
        result.append(readConversation(query));
    return result;
}

QVariantList ConversationStore::conversationList(const QString& search)
{
    QVariantList list;
    for (const ConversationInfo& info : conversations(search))
        list.append(QVariant::fromValue(info));
    return list;
}

bool ConversationStore::appendToMessage(qint64 id, const QString& reasoningDelta, const QString& contentDelta)
{
    if (!requireOpen())
        return false;
    if (reasoningDelta.isEmpty() && contentDelta.isEmpty())
        return true;
    m_pending[id].merge(TextChange{reasoningDelta, contentDelta});
    scheduleFlush();
    return true;
}

bool ConversationStore::setMessageText(qint64 id, const QString& reasoning, const QString& content)
{
    if (!requireOpen())
        return false;
    m_pending[id].merge(TextChange{reasoning, content, true});
    scheduleFlush();
    return true;
}

// Hands the text over as soon as the oldest pending change is an interval
// old: from the timer, or from the next change when the event loop is too
// busy for timers.
void ConversationStore::scheduleFlush()
{
    if (!m_pendingSince.isValid())
        m_pendingSince.start();
    const qint64 age = m_pendingSince.elapsed();
    if (age >= m_flushIntervalMs)
        handOff();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start(int(m_flushIntervalMs - age));
}

// Gives the pending text to the writer, or has it try again what failed.
void ConversationStore::handOff()
{
    m_flushTimer.stop();
    m_pendingSince.invalidate();
    if (!m_writer)
        return;
    if (m_pending.isEmpty())
        m_writer->retry();
    else
        m_writer->submit(std::exchange(m_pending, TextBatch()));
}

bool ConversationStore::flush()
{
    if (!requireOpen())
        return false;
    handOff();
    QString error;
    return m_writer->drain(&error) || fail(error);
}

// On this thread, after each of the writer's writes.
void ConversationStore::written(const TextWriteOutcome& outcome)
{
    if (!outcome.ok) {
        fail(outcome.error);
        emit writeFailed(outcome.error);
        if (!m_flushTimer.isActive())
            m_flushTimer.start(m_flushIntervalMs);  // the writer kept the text: try again
    }
    if (outcome.endedMessages)
        emit conversationsChanged();
}

int ConversationStore::ownCheckpointThresholdPages()
{
    if (!requireOpen())
        return -1;
    QSqlQuery query(m_db);
    return query.exec(QStringLiteral("PRAGMA wal_autocheckpoint")) && query.next() ? query.value(0).toInt() : -1;
}

bool ConversationStore::fail(const QString& message)
{
    qCWarning(lcStore) << message;
    if (message != m_errorString) {
        m_errorString = message;
        emit errorStringChanged();
    }
    return false;
}

bool ConversationStore::requireOpen()
{
    return m_db.isOpen() || fail(tr("No conversation database is open."));
}

} // namespace ponder::app
