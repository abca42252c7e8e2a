#include "text_writer.h"

#include <QLoggingCategory>
#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <utility>

#include "store_sql.h"

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace ponder::app {
namespace {

QString errorOf(const QSqlQuery& query, const QSqlDatabase& db)
{
    return query.lastError().isValid() ? query.lastError().text() : db.lastError().text();
}

// One transaction for the whole batch. A message deleted since its text was
// queued matches no row, which is not an error: there is nothing to keep.
TextWriteOutcome write(QSqlDatabase& db, const TextBatch& batch)
{
    TextWriteOutcome outcome;
    if (!db.isOpen() && !db.open())
        return {false, db.lastError().text(), false};
    sql::Transaction transaction(db);
    QSqlQuery append(db), replace(db), end(db), touch(db);
    bool ok = transaction.begun() &&
              append.prepare(QStringLiteral(
                  "UPDATE messages SET reasoning = reasoning || ?, content = content || ? WHERE id = ?")) &&
              replace.prepare(QStringLiteral("UPDATE messages SET reasoning = ?, content = ? WHERE id = ?")) &&
              end.prepare(QStringLiteral(
                  "UPDATE messages SET status = ?, error = ?, prompt_tokens = ?, generated_tokens = ?,"
                  " reasoning_tokens = ?, first_token_ms = ?, reasoning_ms = ?, tokens_per_second = ?,"
                  " reasoning_cut = ? WHERE id = ?")) &&
              touch.prepare(QStringLiteral(
                  "UPDATE conversations SET updated_ms = ? WHERE id = (SELECT conversation_id FROM messages WHERE id = ?)"));
    QSqlQuery* failed = nullptr;
    for (auto it = batch.cbegin(); ok && it != batch.cend(); ++it) {
        const TextChange& change = it.value();
        if (change.replace || !change.reasoning.isEmpty() || !change.content.isEmpty()) {
            QSqlQuery& query = change.replace ? replace : append;
            query.addBindValue(sql::text(change.reasoning));
            query.addBindValue(sql::text(change.content));
            query.addBindValue(it.key());
            ok = query.exec();
            failed = ok ? nullptr : &query;
        }
        if (ok && change.end) {
            const MessageEnd& e = *change.end;
            for (const QVariant& value :
                 {QVariant(statusName(e.status)), sql::text(e.error), QVariant(e.stats.promptTokens),
                  QVariant(e.stats.generatedTokens), QVariant(e.stats.reasoningTokens),
                  QVariant(e.stats.firstTokenMs), QVariant(e.stats.reasoningMs), QVariant(e.stats.tokensPerSecond),
                  sql::text(reasoningCutName(e.stats.reasoningCut)), QVariant(it.key())})
                end.addBindValue(value);
            touch.addBindValue(e.atMs);
            touch.addBindValue(it.key());
            ok = end.exec() && touch.exec();
            failed = ok ? nullptr : end.lastError().isValid() ? &end : &touch;
            outcome.endedMessages = true;
        }
    }
    if (!ok || !transaction.commit()) {
        const QString why = failed ? errorOf(*failed, db) : db.lastError().text();
        // The store's own words, so that they keep its translation.
        return {false, QCoreApplication::translate("ponder::app::ConversationStore", "Cannot save the message: %1").arg(why),
                false};
    }
    return outcome;
}

void mergeInto(TextBatch& into, TextBatch&& later)
{
    for (auto it = later.begin(); it != later.end(); ++it)
        into[it.key()].merge(std::move(it.value()));
}

} // namespace

void TextChange::merge(TextChange&& later)
{
    if (later.replace) {
        reasoning = std::move(later.reasoning);
        content = std::move(later.content);
        replace = true;
    } else {
        reasoning += later.reasoning;
        content += later.content;
    }
    if (later.end)
        end = std::move(later.end);
}

TextWriter::TextWriter(const QString& file, Report report)
    : m_file(file), m_report(std::move(report)), m_thread([this] { run(); })
{
}

TextWriter::~TextWriter()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void TextWriter::submit(TextBatch batch)
{
    if (batch.isEmpty())
        return;
    {
        const std::lock_guard lock(m_mutex);
        mergeInto(m_queued, std::move(batch));
    }
    m_wake.notify_one();
}

void TextWriter::retry()
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_failed.isEmpty())
            return;
        m_retryRequested = true;
    }
    m_wake.notify_one();
}

bool TextWriter::idle() const
{
    return m_queued.isEmpty() && !m_writing && !m_retryRequested;
}

bool TextWriter::drain(QString* error)
{
    std::unique_lock lock(m_mutex);
    if (!m_failed.isEmpty())
        m_retryRequested = true;
    m_wake.notify_one();
    m_settled.wait(lock, [this] { return idle(); });
    if (error)
        *error = m_failed.isEmpty() ? QString() : m_lastError;
    return m_failed.isEmpty();
}

void TextWriter::run()
{
    sql::ThreadConnection connection(m_file, "text");
    QSqlDatabase& db = connection.db();
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || !m_queued.isEmpty() || m_retryRequested; });
        const bool last = m_stopping;
        // Failed text first: it is older than anything queued since.
        TextBatch batch = std::exchange(m_failed, TextBatch());
        mergeInto(batch, std::exchange(m_queued, TextBatch()));
        m_retryRequested = false;
        if (!batch.isEmpty()) {
            m_writing = true;
            lock.unlock();
            const TextWriteOutcome outcome = write(db, batch);
            if (!outcome.ok)
                qCWarning(lcStore) << outcome.error;
            lock.lock();
            m_writing = false;
            if (!outcome.ok) {
                mergeInto(batch, std::exchange(m_queued, TextBatch()));
                m_failed = std::move(batch);
                m_lastError = outcome.error;
            }
            lock.unlock();
            m_report(outcome);
            lock.lock();
        }
        m_settled.notify_all();
        if (last)
            break;
    }
    if (!m_failed.isEmpty())
        qCWarning(lcStore) << "closing with unsaved text of" << m_failed.size() << "messages:" << m_lastError;
}

} // namespace ponder::app
