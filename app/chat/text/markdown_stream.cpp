#include "markdown_stream.h"

#include <algorithm>

namespace ponder::app {
namespace {

bool isText(const MarkdownBlock& block)
{
    return block.kind == MarkdownBlock::Kind::Paragraph || block.kind == MarkdownBlock::Kind::ListItem ||
           block.kind == MarkdownBlock::Kind::Heading;
}

// Runs of text blocks as one paragraph each: every block a <p> indented by
// its nesting, a list item's marker before its text (kMaxBlocksPerPiece).
QList<MarkdownBlock> mergeTextRuns(const QList<MarkdownBlock>& blocks)
{
    QList<MarkdownBlock> merged;
    bool inRun = false;
    for (const MarkdownBlock& block : blocks) {
        if (!isText(block)) {
            merged << block;
            inRun = false;
            continue;
        }
        if (!inRun) {
            merged << MarkdownBlock{};
            inRun = true;
        } else {
            merged.last().text += u'\n';
        }
        MarkdownBlock& run = merged.last();
        const int indent = 24 * std::min(block.listDepth, 8) + 12 * std::min(block.quoteDepth, 8);
        QString marker = block.marker;
        if (block.task != MarkdownBlock::Task::None)
            marker = block.task == MarkdownBlock::Task::Checked ? QStringLiteral("☑") : QStringLiteral("☐");
        run.html += QStringLiteral("<p style=\"margin-left:%1px; margin-top:0; margin-bottom:4px\">").arg(indent);
        if (block.kind == MarkdownBlock::Kind::Heading)
            run.html += QStringLiteral("<b>") + block.html + QStringLiteral("</b>");
        else
            run.html += (marker.isEmpty() ? QString() : marker.toHtmlEscaped() + QStringLiteral("&nbsp;")) + block.html;
        run.html += QStringLiteral("</p>");
        run.text += (marker.isEmpty() ? QString() : marker + u' ') + block.text;
        run.formulas += block.formulas;
    }
    return merged;
}

} // namespace

ParsedMarkdown MarkdownStream::parse(QStringView text, qsizetype start, qsizetype end,
                                     const ListContinuation& continued)
{
    ParsedMarkdown parsed = parseMarkdown(text.sliced(start, end - start), continued, m_formula);
    m_work += parsed.work;
    if (parsed.blocks.size() > kMaxBlocksPerPiece)
        parsed.blocks = mergeTextRuns(parsed.blocks);
    return parsed;
}

// Ends the last piece before `position`: parsed once, for good.
void MarkdownStream::cutAt(QStringView text, qsizetype position)
{
    if (position <= m_tailStart)
        return;
    ParsedMarkdown parsed = parse(text, m_tailStart, position, m_tailContinued);
    const int index = int(m_pieces.size());
    m_blocks.resize(m_finalBlocks);
    for (const MarkdownBlock& block : parsed.blocks)
        for (const QString& tex : block.formulas)
            m_piecesWithFormula[tex].append(index);
    m_pieces.push_back({m_tailStart, position, m_tailContinued, m_finalBlocks, int(parsed.blocks.size())});
    m_blocks += parsed.blocks;
    m_finalBlocks = int(m_blocks.size());
    m_tailContinued = parsed.trailingList;
    m_tailStart = position;
    m_tailParsedTo = -1;
}

// Reads the new characters for cut points (markdown_stream.h).
void MarkdownStream::scan(QStringView text)
{
    for (qsizetype i = m_scanned; i < text.size(); ++i) {
        const QChar c = text[i];
        const qsizetype length = i - m_tailStart;
        const bool lineStart = i == 0 || text[i - 1] == u'\n';
        const bool space = c == u' ' || c == u'\t';
        if (lineStart && c != u'\n') {
            if ((m_previousBlank && !space) || (length >= kPieceChars && !space) || length >= 2 * kPieceChars)
                cutAt(text, i);
        } else if (!lineStart && length >= 3 * kPieceChars && !space && c != u'\n' &&
                   (text[i - 1] == u' ' || length >= 4 * kPieceChars) && !c.isLowSurrogate()) {
            cutAt(text, i);  // a hostile line with no end in sight
        }
        if (c == u'\n') {
            m_previousBlank = m_lineBlank;
            m_lineBlank = true;
        } else if (!space) {
            m_lineBlank = false;
        }
    }
    m_work += text.size() - m_scanned;
    m_scanned = text.size();
}

int MarkdownStream::update(QStringView text, bool closed)
{
    if (text.size() < m_scanned) {  // the text went back (never while it only grows): start again
        *this = MarkdownStream(std::move(m_formula));
    }
    const int oldFinal = m_finalBlocks;
    const int oldCount = int(m_blocks.size());
    scan(text);
    const bool tailChanged = m_tailParsedTo != text.size() || closed != m_closed;
    m_closed = closed;
    if (m_finalBlocks == oldFinal && !tailChanged)
        return -1;
    m_blocks.resize(m_finalBlocks);
    if (closed)
        cutAt(text, text.size());
    else if (m_tailStart < text.size())
        m_blocks += parse(text, m_tailStart, text.size(), m_tailContinued).blocks;
    m_tailParsedTo = text.size();
    const int first = std::min(oldFinal, int(m_blocks.size()));
    return first < oldCount || int(m_blocks.size()) > first ? first : -1;
}

void MarkdownStream::reparsePiece(QStringView text, Piece& piece)
{
    const ParsedMarkdown parsed = parse(text, piece.start, piece.end, piece.continued);
    for (int k = 0; k < piece.blockCount && k < parsed.blocks.size(); ++k)
        m_blocks[piece.firstBlock + k] = parsed.blocks[k];
}

QList<int> MarkdownStream::refreshFormulas(const QSet<QString>& texs, QStringView text)
{
    QSet<int> pieces;
    for (const QString& tex : texs) {
        const auto found = m_piecesWithFormula.constFind(tex);
        if (found != m_piecesWithFormula.constEnd())
            for (const int index : *found)
                pieces.insert(index);
    }
    QList<int> sorted(pieces.begin(), pieces.end());
    std::sort(sorted.begin(), sorted.end());
    QList<int> changed;
    for (const int index : sorted) {
        Piece& piece = m_pieces[size_t(index)];
        reparsePiece(text, piece);
        for (int k = 0; k < piece.blockCount; ++k)
            changed << piece.firstBlock + k;
    }
    if (m_finalBlocks < m_blocks.size()) {  // the last piece, still open
        m_tailParsedTo = -1;
        const int first = update(text, m_closed);
        for (int k = std::max(first, 0); first >= 0 && k < m_blocks.size(); ++k)
            changed << k;
    }
    return changed;
}

void MarkdownStream::refreshAll(QStringView text)
{
    for (Piece& piece : m_pieces)
        reparsePiece(text, piece);
    m_tailParsedTo = -1;
    update(text, m_closed);
}

} // namespace ponder::app
