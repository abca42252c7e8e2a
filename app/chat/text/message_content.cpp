#include "message_content.h"

#include <QLoggingCategory>

#include "display_markdown.h"

Q_LOGGING_CATEGORY(lcParser, "ponder.parser")

namespace ponder::app {

MessageContent::MessageContent(QObject* parent) : QAbstractListModel(parent), m_parser(m_expectReasoning) {}

void MessageContent::setExpectReasoning(bool expect)
{
    if (expect == m_expectReasoning)
        return;
    m_expectReasoning = expect;
    emit expectReasoningChanged();
}

MessageParser::Delta MessageContent::appendOutput(QStringView chunk)
{
    const State before = state();
    const MessageParser::Delta delta = m_parser.append(chunk);
    publish(delta, before);
    return delta;
}

void MessageContent::finish()
{
    if (m_parser.finished())
        return;
    const State before = state();
    publish(m_parser.finish(), before);
    qCDebug(lcParser) << "message finished:" << m_parser.reasoning().size() << "characters of reasoning"
                      << (m_parser.hasReasoning() && !m_parser.reasoningClosed() ? "(never closed)," : ",")
                      << m_parser.answer().size() << "of answer in" << m_parser.blocks().size() << "blocks";
}

void MessageContent::clear()
{
    const State before = state();
    const bool hadReasoning = !m_parser.reasoning().isEmpty();
    const bool hadAnswer = !m_parser.answer().isEmpty();
    beginResetModel();
    m_parser.reset(m_expectReasoning);
    m_rows = 0;
    m_markdown.clear();
    endResetModel();
    if (hadReasoning)
        emit reasoningChanged();
    if (hadAnswer)
        emit answerChanged();
    if (state() != before)
        emit stateChanged();
}

void MessageContent::load(const QString& reasoning, bool reasoningClosed, const QString& answer)
{
    beginResetModel();
    m_parser.reset(m_expectReasoning);
    m_parser.load(reasoning, reasoningClosed, answer);
    m_markdown.clear();
    m_rows = int(m_parser.blocks().size());
    endResetModel();
    emit reasoningChanged();
    emit answerChanged();
    emit stateChanged();
}

int MessageContent::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

QVariant MessageContent::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= m_rows)
        return {};
    const MessageBlock& block = m_parser.blocks().at(index.row());
    const bool prose = block.kind == MessageBlock::Kind::Prose;
    switch (role) {
    case KindRole:
        return prose ? QStringLiteral("prose") : QStringLiteral("code");
    case Qt::DisplayRole:
    case TextRole:
        return block.text;
    case MarkdownRole:
        return prose ? markdownAt(index.row()) : block.text;
    case LanguageRole:
        return block.language;
    case ClosedRole:
        return block.closed;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageContent::roleNames() const
{
    return {{KindRole, "kind"},
            {TextRole, "text"},
            {MarkdownRole, "markdown"},
            {LanguageRole, "language"},
            {ClosedRole, "closed"}};
}

QString MessageContent::markdownAt(int row) const
{
    if (m_markdown.size() <= size_t(row))
        m_markdown.resize(row + 1);
    std::optional<QString>& markdown = m_markdown[row];
    if (!markdown) {
        markdown = displayMarkdown(m_parser.blocks().at(row).text);
        ++m_markdownPasses;
    }
    return *markdown;
}

MessageContent::State MessageContent::state() const
{
    return {m_parser.hasReasoning(), m_parser.inReasoning(), m_parser.reasoningClosed(), m_parser.finished()};
}

// Tells the views what the parser changed: existing rows from the first
// changed one, then the new rows.
void MessageContent::publish(const MessageParser::Delta& delta, const State& before)
{
    const int rows = int(m_parser.blocks().size());
    if (delta.firstChangedBlock >= 0 && size_t(delta.firstChangedBlock) < m_markdown.size())
        m_markdown.resize(delta.firstChangedBlock);
    if (delta.firstChangedBlock >= 0 && delta.firstChangedBlock < m_rows)
        emit dataChanged(index(delta.firstChangedBlock), index(m_rows - 1));
    if (rows > m_rows) {
        beginInsertRows(QModelIndex(), m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    }
    if (!delta.reasoning.isEmpty())
        emit reasoningChanged();
    if (!delta.answer.isEmpty())
        emit answerChanged();
    if (state() != before)
        emit stateChanged();
}

} // namespace ponder::app
