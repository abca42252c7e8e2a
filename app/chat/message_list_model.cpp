#include "message_list_model.h"

#include <QLocale>

namespace ponder::app {
namespace {

// Whole seconds for the reasoning timer: it counts up like a clock.
qint64 seconds(qint64 ms)
{
    return std::max<qint64>(0, ms / 1000);
}

// "1 token", "345 tokens" (without a translation loaded, tr()'s %n keeps "(s)").
QString tokenCount(int tokens)
{
    return tokens == 1 ? MessageListModel::tr("1 token") : MessageListModel::tr("%1 tokens").arg(QLocale().toString(tokens));
}

} // namespace

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {}

MessageListModel::~MessageListModel() = default;  // contents are children

MessageListModel::Row MessageListModel::makeRow(const StoredMessage& message, bool expectReasoning)
{
    Row row;
    row.id = message.id;
    row.role = message.role;
    row.status = message.status;
    row.error = message.error;
    row.stats = message.stats;
    row.versionIndex = message.versionIndex;
    row.versionCount = message.versionCount;
    if (message.role == MessageRole::Assistant && message.id == m_liveId && m_liveContent) {
        row.content = m_liveContent;
    } else if (message.role == MessageRole::Assistant) {
        row.content = new MessageContent(this);
        row.content->setExpectReasoning(expectReasoning);
        row.content->clear();
        // A stored answer that has text got past its reasoning; one without
        // was cut off (or is about to stream).
        if (message.status != MessageStatus::Streaming)
            row.content->load(message.reasoning, !message.content.isEmpty(), message.content);
    } else {
        row.text = message.content;
    }
    return row;
}

void MessageListModel::setLiveContent(qint64 id, MessageContent* content)
{
    m_liveId = content ? id : -1;
    m_liveContent = content;
}

void MessageListModel::release(const Row& row)
{
    if (row.content && row.content != m_liveContent)
        row.content->deleteLater();  // a delegate may still hold it until the view updates
}

void MessageListModel::setMessages(const QList<StoredMessage>& messages, bool expectReasoning)
{
    beginResetModel();
    for (const Row& row : std::as_const(m_rows))
        release(row);
    m_rows.clear();
    for (const StoredMessage& message : messages)
        m_rows.append(makeRow(message, expectReasoning));
    endResetModel();
}

int MessageListModel::append(const StoredMessage& message, bool expectReasoning)
{
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    m_rows.append(makeRow(message, expectReasoning));
    endInsertRows();
    return row;
}

void MessageListModel::appendNotice(const QString& error)
{
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    Row notice;
    notice.status = MessageStatus::Error;
    notice.error = error;
    m_rows.append(notice);
    endInsertRows();
}

void MessageListModel::clear()
{
    setMessages({}, true);
}

int MessageListModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id && id >= 0)
            return i;
    return -1;
}

qint64 MessageListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : -1;
}

std::optional<MessageRole> MessageListModel::roleAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].role : std::nullopt;
}

QString MessageListModel::textAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row& r = m_rows[row];
    return r.content ? r.content->answer() : r.text;
}

MessageContent* MessageListModel::contentAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].content : nullptr;
}

void MessageListModel::setStatus(int row, MessageStatus status, const QString& error)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].status = status;
    m_rows[row].error = error;
    changed(row, {StatusRole, ErrorRole, ReasoningLabelRole, StatsLabelRole});
}

void MessageListModel::setStats(int row, const MessageStats& stats)
{
    if (row < 0 || row >= m_rows.size() || m_rows[row].stats == stats)
        return;
    m_rows[row].stats = stats;
    changed(row, {ReasoningLabelRole, StatsLabelRole, FirstTokenMsRole, TokensPerSecondRole, ReasoningMsRole,
                  ReasoningTokensRole, GeneratedTokensRole, ReasoningCutRole});
}

void MessageListModel::contentChanged(int row)
{
    if (row >= 0 && row < m_rows.size())
        changed(row, {TextRole, ReasoningLabelRole});
}

void MessageListModel::changed(int row, const QList<int>& roles)
{
    emit dataChanged(index(row), index(row), roles);
}

QString MessageListModel::reasoningLabel(const Row& row) const
{
    if (!row.content)
        return {};
    const qint64 s = seconds(row.stats.reasoningMs);
    if (row.content->inReasoning() && row.status == MessageStatus::Streaming) {
        // The count and the rate as it thinks; the rate once there is a
        // second to measure it over, before which it swings wildly.
        if (row.stats.reasoningTokens <= 0)
            return tr("Thinking… %1 s").arg(s);
        if (row.stats.reasoningMs < 1000)
            return tr("Thinking… %1 s · %2").arg(s).arg(tokenCount(row.stats.reasoningTokens));
        const double rate = row.stats.reasoningTokens * 1000.0 / double(row.stats.reasoningMs);
        return tr("Thinking… %1 s · %2 · %3 tokens/s")
            .arg(s)
            .arg(tokenCount(row.stats.reasoningTokens), QLocale().toString(rate, 'f', 1));
    }
    if (row.stats.reasoningTokens <= 0)
        return tr("Thought for %1 s").arg(s);
    return tr("Thought for %1 s · %2").arg(s).arg(tokenCount(row.stats.reasoningTokens));
}

QString MessageListModel::reasoningCutNote(const Row& row) const
{
    switch (row.stats.reasoningCut) {
    case ReasoningCut::None: return {};
    case ReasoningCut::AnswerNow: return tr("Reasoning ended early: you asked to answer");
    case ReasoningCut::Budget:
        return tr("Reasoning ended early: the thinking budget of %1 was reached")
            .arg(tokenCount(row.stats.reasoningTokens));
    }
    return {};
}

QString MessageListModel::statsLabel(const Row& row) const
{
    if (!row.content || row.status == MessageStatus::Streaming || row.stats.generatedTokens <= 0)
        return {};
    const QLocale locale;
    QStringList parts;
    parts << tr("%1 s to first token").arg(locale.toString(double(row.stats.firstTokenMs) / 1000.0, 'f', 2));
    if (row.stats.tokensPerSecond > 0)
        parts << tr("%1 tokens/s").arg(locale.toString(row.stats.tokensPerSecond, 'f', 1));
    parts << tokenCount(row.stats.generatedTokens);
    if (row.status == MessageStatus::Stopped)
        parts << tr("stopped");
    return parts.join(QStringLiteral(" · "));
}

int MessageListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= m_rows.size())
        return {};
    const Row& row = m_rows[index.row()];
    switch (role) {
    case IdRole: return row.id;
    case MessageRoleRole: return row.role ? roleName(*row.role) : QStringLiteral("notice");
    case Qt::DisplayRole:
    case TextRole: return row.content ? row.content->answer() : row.text;
    case ContentRole: return QVariant::fromValue(row.content);
    case StatusRole: return statusName(row.status);
    case ErrorRole: return row.error;
    case VersionIndexRole: return row.versionIndex;
    case VersionCountRole: return row.versionCount;
    case ReasoningLabelRole: return reasoningLabel(row);
    case StatsLabelRole: return statsLabel(row);
    case FirstTokenMsRole: return row.stats.firstTokenMs;
    case TokensPerSecondRole: return row.stats.tokensPerSecond;
    case ReasoningMsRole: return row.stats.reasoningMs;
    case ReasoningTokensRole: return row.stats.reasoningTokens;
    case GeneratedTokensRole: return row.stats.generatedTokens;
    case ReasoningCutRole: return reasoningCutNote(row);
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{IdRole, "messageId"},
            {MessageRoleRole, "messageRole"},
            {TextRole, "text"},
            {ContentRole, "content"},
            {StatusRole, "messageStatus"},
            {ErrorRole, "errorText"},
            {VersionIndexRole, "versionIndex"},
            {VersionCountRole, "versionCount"},
            {ReasoningLabelRole, "reasoningLabel"},
            {StatsLabelRole, "statsLabel"},
            {FirstTokenMsRole, "firstTokenMs"},
            {TokensPerSecondRole, "tokensPerSecond"},
            {ReasoningMsRole, "reasoningMs"},
            {ReasoningTokensRole, "reasoningTokens"},
            {GeneratedTokensRole, "generatedTokens"},
            {ReasoningCutRole, "reasoningCutNote"}};
}

} // namespace ponder::app
