// The message calls of ConversationStore: adding, versions, the branch on
// screen, finishing and deleting.
#include "conversation_store.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include "store_sql.h"

namespace ponder::app {
namespace {

// The message columns readMessage() expects, with the message's place among
// its versions: siblings share conversation and parent.
constexpr const char* kMessageColumns =
    "m.id, m.conversation_id, m.parent_id, m.role, m.reasoning, m.content, m.status, m.error, m.created_ms,"
    " m.prompt_tokens, m.generated_tokens, m.reasoning_tokens, m.first_token_ms, m.reasoning_ms,"
    " m.tokens_per_second, m.reasoning_cut,"
    " (SELECT COUNT(*) FROM messages s WHERE s.conversation_id = m.conversation_id"
    "  AND s.parent_id IS m.parent_id AND s.id < m.id),"
    " (SELECT COUNT(*) FROM messages s WHERE s.conversation_id = m.conversation_id"
    "  AND s.parent_id IS m.parent_id)";


StoredMessage readRow(const QSqlQuery& query)
{
    StoredMessage m;
    m.id = query.value(0).toLongLong();
    m.conversationId = query.value(1).toLongLong();
    m.parentId = query.value(2).isNull() ? -1 : query.value(2).toLongLong();
    m.role = roleNamed(query.value(3).toString()).value_or(MessageRole::User);
    m.reasoning = query.value(4).toString();
    m.content = query.value(5).toString();
    m.status = statusNamed(query.value(6).toString()).value_or(MessageStatus::Complete);
    m.error = query.value(7).toString();
    m.created = QDateTime::fromMSecsSinceEpoch(query.value(8).toLongLong(), Qt::UTC);
    m.stats.promptTokens = query.value(9).toInt();
    m.stats.generatedTokens = query.value(10).toInt();
    m.stats.reasoningTokens = query.value(11).toInt();
    m.stats.firstTokenMs = query.value(12).toLongLong();
    m.stats.reasoningMs = query.value(13).toLongLong();
    m.stats.tokensPerSecond = query.value(14).toDouble();
    m.stats.reasoningCut = reasoningCutNamed(query.value(15).toString());
    m.versionIndex = query.value(16).toInt();
    m.versionCount = query.value(17).toInt();
    return m;
}

} // namespace

qint64 ConversationStore::addMessage(qint64 conversationId, MessageRole role, const QString& content,
                                     MessageStatus status)
{
    if (!requireOpen())
        return -1;
    QSqlQuery query(m_db);
    if (!sql::exec(query, "SELECT current_leaf FROM conversations WHERE id = ?", {conversationId})) {
        fail(query.lastError().text());
        return -1;
    }
    if (!query.next()) {
        fail(tr("There is no conversation %1.").arg(conversationId));
        return -1;
    }
    const qint64 parent = query.value(0).isNull() ? -1 : query.value(0).toLongLong();
    query.finish();
    return insertMessage(conversationId, parent, role, content, status);
}

qint64 ConversationStore::addVersion(qint64 messageId, const QString& content, MessageStatus status)
{
    if (!requireOpen())
        return -1;
    const std::optional<StoredMessage> original = readMessage(messageId);
    if (!original)
        return -1;
    return insertMessage(original->conversationId, original->parentId, original->role, content, status);
}

qint64 ConversationStore::insertMessage(qint64 conversationId, qint64 parentId, MessageRole role,
                                        const QString& content, MessageStatus status)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    sql::Transaction transaction(m_db);
    QSqlQuery query(m_db);
    bool ok = transaction.begun() &&
              sql::exec(query,
                        "INSERT INTO messages (conversation_id, parent_id, role, content, status, created_ms)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        {conversationId, sql::idOrNull(parentId), roleName(role), sql::text(content),
                         statusName(status), now});
    const qint64 id = ok ? query.lastInsertId().toLongLong() : -1;
    ok = ok && sql::exec(query, "UPDATE conversations SET current_leaf = ?, updated_ms = ? WHERE id = ?",
                         {id, now, conversationId});
    if (ok && role == MessageRole::User)
        ok = sql::exec(query, "UPDATE conversations SET title = ? WHERE id = ? AND title = ''",
                       {sql::text(titleFrom(content)), conversationId});
    if (!ok || !transaction.commit()) {
        fail(tr("Cannot save the message: %1")
                 .arg(query.lastError().isValid() ? query.lastError().text() : m_db.lastError().text()));
        return -1;
    }
    emit conversationsChanged();
    return id;
}

bool ConversationStore::finishMessage(qint64 id, MessageStatus status, const MessageStats& stats,
                                      const QString& error)
{
    if (!requireOpen())
        return false;
    // Checked here, where the caller hears of it; the write itself (the
    // answer's whole text with it) goes to the writer's thread.
    QSqlQuery query(m_db);
    if (!sql::exec(query, "SELECT 1 FROM messages WHERE id = ?", {id}))
        return fail(query.lastError().text());
    if (!query.next())
        return fail(tr("There is no message %1.").arg(id));
    m_pending[id].merge(TextChange{{}, {}, false, MessageEnd{status, stats, error, QDateTime::currentMSecsSinceEpoch()}});
    handOff();
    return true;
}

bool ConversationStore::deleteMessage(qint64 id)
{
    if (!requireOpen() || !flush())
        return false;
    const std::optional<StoredMessage> target = readMessage(id);
    if (!target)
        return false;
    QSqlQuery query(m_db);
    if (!sql::exec(query,
                   "WITH RECURSIVE below(id) AS (SELECT ? UNION ALL"
                   " SELECT m.id FROM messages m JOIN below b ON m.parent_id = b.id) SELECT id FROM below",
                   {id}))
        return fail(query.lastError().text());
    QStringList ids;  // integers read back from the database, safe to splice into SQL
    while (query.next())
        ids << QString::number(query.value(0).toLongLong());
    query.finish();

    // One statement for the whole subtree: parent_id has no cascade (see
    // conversation_schema.cpp), and its check runs at the statement's end.
    sql::Transaction transaction(m_db);
    bool ok = transaction.begun() &&
              query.exec(QStringLiteral("DELETE FROM messages WHERE id IN (%1)").arg(ids.join(u',')));
    // ON DELETE SET NULL cleared the leaf if it was below: show the branch that is left.
    ok = ok && sql::exec(query, "SELECT current_leaf IS NULL FROM conversations WHERE id = ?",
                         {target->conversationId}) && query.next();
    const bool leafGone = ok && query.value(0).toBool();
    query.finish();
    if (ok && leafGone)
        ok = setCurrentLeaf(target->conversationId, newestLeafBelow(target->conversationId, target->parentId));
    if (!ok || !transaction.commit())
        return fail(tr("Cannot delete the message: %1")
                        .arg(query.lastError().isValid() ? query.lastError().text() : m_db.lastError().text()));
    for (const QString& deleted : ids)
        m_pending.remove(deleted.toLongLong());
    emit conversationsChanged();
    return true;
}

std::optional<StoredMessage> ConversationStore::message(qint64 id)
{
    if (!requireOpen() || !flush())
        return std::nullopt;
    return readMessage(id);
}

std::optional<StoredMessage> ConversationStore::readMessage(qint64 id)
{
    QSqlQuery query(m_db);
    if (!sql::exec(query, (QByteArray("SELECT ") + kMessageColumns + " FROM messages m WHERE m.id = ?").constData(),
                   {id})) {
        fail(query.lastError().text());
        return std::nullopt;
    }
    if (!query.next()) {
        fail(tr("There is no message %1.").arg(id));
        return std::nullopt;
    }
    return readRow(query);
}

QList<StoredMessage> ConversationStore::currentBranch(qint64 conversationId)
{
    QList<StoredMessage> branch;
    if (!requireOpen() || !flush())
        return branch;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    const QByteArray statement = QByteArray(
        "WITH RECURSIVE path(id, depth) AS ("
        " SELECT current_leaf, 0 FROM conversations WHERE id = ? AND current_leaf IS NOT NULL"
        " UNION ALL SELECT m.parent_id, p.depth + 1 FROM messages m JOIN path p ON m.id = p.id"
        "  WHERE m.parent_id IS NOT NULL)"
        " SELECT ") + kMessageColumns + " FROM path JOIN messages m ON m.id = path.id ORDER BY path.depth DESC";
    if (!sql::exec(query, statement.constData(), {conversationId})) {
        fail(query.lastError().text());
        return branch;
    }
    while (query.next())
        branch.append(readRow(query));
    return branch;
}

QVariantList ConversationStore::branchList(qint64 conversationId)
{
    QVariantList list;
    for (const StoredMessage& m : currentBranch(conversationId))
        list.append(QVariantMap{
            {QStringLiteral("id"), m.id},
            {QStringLiteral("parentId"), m.parentId},
            {QStringLiteral("role"), roleName(m.role)},
            {QStringLiteral("reasoning"), m.reasoning},
            {QStringLiteral("content"), m.content},
            {QStringLiteral("status"), statusName(m.status)},
            {QStringLiteral("error"), m.error},
            {QStringLiteral("created"), m.created},
            {QStringLiteral("versionIndex"), m.versionIndex},
            {QStringLiteral("versionCount"), m.versionCount},
            {QStringLiteral("promptTokens"), m.stats.promptTokens},
            {QStringLiteral("generatedTokens"), m.stats.generatedTokens},
            {QStringLiteral("reasoningTokens"), m.stats.reasoningTokens},
            {QStringLiteral("firstTokenMs"), m.stats.firstTokenMs},
            {QStringLiteral("reasoningMs"), m.stats.reasoningMs},
            {QStringLiteral("tokensPerSecond"), m.stats.tokensPerSecond},
            {QStringLiteral("reasoningCut"), reasoningCutName(m.stats.reasoningCut)},
        });
    return list;
}

QList<qint64> ConversationStore::versions(qint64 messageId)
{
    QList<qint64> ids;
    if (!requireOpen())
        return ids;
    const std::optional<StoredMessage> m = readMessage(messageId);
    if (!m)
        return ids;
    QSqlQuery query(m_db);
    if (!sql::exec(query, "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY id",
                   {m->conversationId, sql::idOrNull(m->parentId)})) {
        fail(query.lastError().text());
        return ids;
    }
    while (query.next())
        ids.append(query.value(0).toLongLong());
    return ids;
}

bool ConversationStore::selectVersion(qint64 messageId)
{
    if (!requireOpen())
        return false;
    const std::optional<StoredMessage> m = readMessage(messageId);
    if (!m)
        return false;
    return setCurrentLeaf(m->conversationId, newestLeafBelow(m->conversationId, messageId));
}

// Follows the newest child from `parentId` (-1: the conversation's first
// messages) down to a message without children; -1 when there is none.
qint64 ConversationStore::newestLeafBelow(qint64 conversationId, qint64 parentId)
{
    QSqlQuery query(m_db);
    if (!query.prepare(QStringLiteral(
            "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY id DESC LIMIT 1")))
        return parentId;
    qint64 leaf = parentId;
    for (;;) {
        query.addBindValue(conversationId);
        query.addBindValue(sql::idOrNull(leaf));
        if (!query.exec() || !query.next())
            return leaf;
        leaf = query.value(0).toLongLong();
        query.finish();
    }
}

bool ConversationStore::setCurrentLeaf(qint64 conversationId, qint64 leaf)
{
    QSqlQuery query(m_db);
    if (!sql::exec(query, "UPDATE conversations SET current_leaf = ? WHERE id = ?",
                   {sql::idOrNull(leaf), conversationId}))
        return fail(query.lastError().text());
    return true;
}

QString statusName(MessageStatus status)
{
    switch (status) {
    case MessageStatus::Streaming: return QStringLiteral("streaming");
    case MessageStatus::Complete: return QStringLiteral("complete");
    case MessageStatus::Stopped: return QStringLiteral("stopped");
    case MessageStatus::Error: return QStringLiteral("error");
    }
    return QStringLiteral("complete");
}

std::optional<MessageStatus> statusNamed(QStringView name)
{
    for (MessageStatus status :
         {MessageStatus::Streaming, MessageStatus::Complete, MessageStatus::Stopped, MessageStatus::Error})
        if (name == statusName(status))
            return status;
    return std::nullopt;
}

QString reasoningCutName(ReasoningCut cut)
{
    switch (cut) {
    case ReasoningCut::None: return QString();
    case ReasoningCut::AnswerNow: return QStringLiteral("answer now");
    case ReasoningCut::Budget: return QStringLiteral("budget");
    }
    return QString();
}

ReasoningCut reasoningCutNamed(QStringView name)
{
    for (ReasoningCut cut : {ReasoningCut::AnswerNow, ReasoningCut::Budget})
        if (name == reasoningCutName(cut))
            return cut;
    return ReasoningCut::None;
}

} // namespace ponder::app
