#include "message_content.h"

#include <QLoggingCategory>
#include <QTimer>

#include <utility>

#include "formula_html.h"
#include "math_renderer.h"

Q_LOGGING_CATEGORY(lcParser, "ponder.parser")

namespace ponder::app {

namespace {

QString kindName(MarkdownBlock::Kind kind)
{
    switch (kind) {
    case MarkdownBlock::Kind::Paragraph:
        return QStringLiteral("paragraph");
    case MarkdownBlock::Kind::Heading:
        return QStringLiteral("heading");
    case MarkdownBlock::Kind::ListItem:
        return QStringLiteral("item");
    case MarkdownBlock::Kind::Code:
        return QStringLiteral("code");
    case MarkdownBlock::Kind::Table:
        return QStringLiteral("table");
    case MarkdownBlock::Kind::Rule:
        return QStringLiteral("rule");
    case MarkdownBlock::Kind::Math:
        return QStringLiteral("math");
    }
    return {};
}

QString taskName(MarkdownBlock::Task task)
{
    switch (task) {
    case MarkdownBlock::Task::Unchecked:
        return QStringLiteral("unchecked");
    case MarkdownBlock::Task::Checked:
        return QStringLiteral("checked");
    default:
        return {};
    }
}

QString formulaFor(QStringView tex, bool display)
{
    return formulaHtml(tex, display ? MathStyle::Display : MathStyle::Inline);
}

} // namespace

MessageContent::MessageContent(QObject* parent) : QAbstractListModel(parent), m_parser(m_expectReasoning)
{
    MathRenderer& math = MathRenderer::instance();
    connect(&math, &MathRenderer::formulaReady, this, &MessageContent::formulaReady);
    connect(&math, &MathRenderer::textColorChanged, this, &MessageContent::refreshAllFormulas);
    connect(&math, &MathRenderer::fontChanged, this, &MessageContent::refreshAllFormulas);
}

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
    m_finishedWork = parseWork();
    m_streams.clear();
    m_firstRow.clear();
    m_rows.clear();
    endResetModel();
    resetPieces();
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
    m_finishedWork = parseWork();
    m_streams.clear();
    m_firstRow.clear();
    m_rows.clear();
    rebuildFrom(0, false);
    endResetModel();
    resetPieces();
    emit reasoningChanged();
    emit answerChanged();
    emit stateChanged();
}

QString MessageContent::reasoningPiece(int i) const
{
    const QStringView piece = m_pieces.piece(m_parser.reasoning(), i);
    return QString(piece.data(), piece.size());
}

// Cuts the parser's reasoning again from its start (after clear() or load()).
void MessageContent::resetPieces()
{
    const int countBefore = m_pieces.count();
    m_pieces.reset();
    m_pieces.grow(m_parser.reasoning());
    if (countBefore > 0 || m_pieces.count() > 0)
        emit reasoningPiecesChanged(0, countBefore);
}

int MessageContent::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageContent::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || size_t(index.row()) >= m_rows.size())
        return {};
    const Row& row = m_rows[size_t(index.row())];
    const MarkdownBlock& block = row.block;
    switch (role) {
    case KindRole:
        return kindName(block.kind);
    case Qt::DisplayRole:
    case TextRole:
        return block.text;
    case HtmlRole:
        return block.html;
    case LanguageRole:
        return block.language;
    case ClosedRole:
        return row.closed;
    case LevelRole:
        return block.level;
    case ListDepthRole:
        return block.listDepth;
    case QuoteDepthRole:
        return block.quoteDepth;
    case MarkerRole:
        return block.marker;
    case TaskRole:
        return taskName(block.task);
    case CellsRole: {
        QVariantList rows;
        for (const QStringList& cells : block.cells)
            rows << QVariant(cells);
        return rows;
    }
    case AlignmentsRole:
        return block.alignments;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageContent::roleNames() const
{
    return {{KindRole, "kind"},           {TextRole, "text"},       {HtmlRole, "html"},
            {LanguageRole, "language"},   {ClosedRole, "closed"},   {LevelRole, "level"},
            {ListDepthRole, "listDepth"}, {QuoteDepthRole, "quoteDepth"}, {MarkerRole, "marker"},
            {TaskRole, "task"},           {CellsRole, "cells"},     {AlignmentsRole, "alignments"}};
}

qint64 MessageContent::parseWork() const
{
    qint64 work = m_finishedWork;
    for (const auto& stream : m_streams)
        work += stream ? stream->work() : 0;
    return work;
}

// The rows of the splitter's blocks from `firstSplitBlock` on, made again
// from their streams (only the last piece of prose is parsed again).
void MessageContent::rebuildFrom(int firstSplitBlock, bool notify)
{
    const QList<MessageBlock>& blocks = m_parser.blocks();
    const int first = std::min<int>(firstSplitBlock, int(m_streams.size()));
    int firstRow = first < int(m_firstRow.size()) ? m_firstRow[size_t(first)] : int(m_rows.size());
    m_streams.resize(size_t(blocks.size()));
    m_firstRow.resize(size_t(blocks.size()));
    std::vector<Row> rows;
    for (int i = first; i < blocks.size(); ++i) {
        const MessageBlock& block = blocks[i];
        const int rowStart = firstRow + int(rows.size());
        m_firstRow[size_t(i)] = rowStart;
        if (block.kind == MessageBlock::Kind::Code) {
            m_streams[size_t(i)].reset();
            MarkdownBlock code;
            code.kind = MarkdownBlock::Kind::Code;
            code.text = block.text;
            code.language = block.language;
            rows.push_back({code, block.closed});
            continue;
        }
        auto& stream = m_streams[size_t(i)];
        if (!stream)
            stream = std::make_unique<MarkdownStream>(formulaFor);
        const int changed = stream->update(block.text, block.closed);
        // Rows of the first stream before `changed` are the same: keep them.
        int keep = 0;
        if (i == first) {
            keep = changed >= 0 ? changed : int(stream->blocks().size());
            firstRow += keep;
        }
        for (int k = keep; k < stream->blocks().size(); ++k)
            rows.push_back({stream->blocks()[k], block.closed || k < stream->finalBlocks()});
    }
    if (notify)
        setRows(firstRow, std::move(rows));
    else
        m_rows.insert(m_rows.end(), rows.begin(), rows.end());
}

// Replaces the rows from `firstRow` on, telling the views only what changed.
void MessageContent::setRows(int firstRow, std::vector<Row> rows)
{
    const int oldCount = int(m_rows.size());
    const int newCount = firstRow + int(rows.size());
    int firstDiff = -1, lastDiff = -1;
    for (int r = firstRow; r < std::min(oldCount, newCount); ++r) {
        Row& row = m_rows[size_t(r)];
        Row& fresh = rows[size_t(r - firstRow)];
        if (row == fresh)
            continue;
        row = std::move(fresh);
        firstDiff = firstDiff < 0 ? r : firstDiff;
        lastDiff = r;
    }
    if (firstDiff >= 0)
        emit dataChanged(index(firstDiff), index(lastDiff));
    if (newCount < oldCount) {
        beginRemoveRows(QModelIndex(), newCount, oldCount - 1);
        m_rows.resize(size_t(newCount));
        endRemoveRows();
    } else if (newCount > oldCount) {
        beginInsertRows(QModelIndex(), oldCount, newCount - 1);
        for (int r = oldCount; r < newCount; ++r)
            m_rows.push_back(std::move(rows[size_t(r - firstRow)]));
        endInsertRows();
    }
}

void MessageContent::formulaReady(const QString& tex)
{
    // Formulas render one by one on the math worker: their rows are made
    // again at most every kFormulaRefreshMs, each piece once for all.
    if (m_readyFormulas.isEmpty())
        QTimer::singleShot(kFormulaRefreshMs, this, &MessageContent::refreshReadyFormulas);
    m_readyFormulas.insert(tex);
}

void MessageContent::refreshReadyFormulas()
{
    const QSet<QString> ready = std::exchange(m_readyFormulas, {});
    const QList<MessageBlock>& blocks = m_parser.blocks();
    for (size_t i = 0; i < m_streams.size() && i < size_t(blocks.size()); ++i) {
        MarkdownStream* stream = m_streams[i].get();
        if (!stream)
            continue;
        const QList<int> changed = stream->refreshFormulas(ready, blocks[qsizetype(i)].text);
        for (const int k : changed) {
            const int r = m_firstRow[i] + k;
            if (size_t(r) < m_rows.size() && k < stream->blocks().size()) {
                m_rows[size_t(r)].block = stream->blocks()[k];
                emit dataChanged(index(r), index(r), {HtmlRole});
            }
        }
    }
}

void MessageContent::refreshAllFormulas()
{
    const QList<MessageBlock>& blocks = m_parser.blocks();
    for (size_t i = 0; i < m_streams.size() && i < size_t(blocks.size()); ++i) {
        if (!m_streams[i])
            continue;
        m_streams[i]->refreshAll(blocks[qsizetype(i)].text);
        const MarkdownStream& stream = *m_streams[i];
        for (int k = 0; k < stream.blocks().size(); ++k) {
            const int r = m_firstRow[i] + k;
            if (size_t(r) < m_rows.size())
                m_rows[size_t(r)].block = stream.blocks()[k];
        }
    }
    if (!m_rows.empty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1), {HtmlRole});
}

MessageContent::State MessageContent::state() const
{
    return {m_parser.hasReasoning(), m_parser.inReasoning(), m_parser.reasoningClosed(), m_parser.finished()};
}

// Tells the views what the parser changed: rows from the first changed block's, then new rows.
void MessageContent::publish(const MessageParser::Delta& delta, const State& before)
{
    if (delta.firstChangedBlock >= 0)
        rebuildFrom(delta.firstChangedBlock, true);
    if (!delta.reasoning.isEmpty()) {
        const int countBefore = m_pieces.count();
        const ReasoningPieces::Change change = m_pieces.grow(m_parser.reasoning());
        if (change.firstChanged >= 0)
            emit reasoningPiecesChanged(change.firstChanged, countBefore);
        emit reasoningChanged();
    }
    if (!delta.answer.isEmpty())
        emit answerChanged();
    if (state() != before)
        emit stateChanged();
}

} // namespace ponder::app
