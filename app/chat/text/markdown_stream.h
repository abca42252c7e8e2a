// The blocks of one prose block of an answer (markdown_blocks.h) while it
// streams, parsed piece by piece so that each new text costs work in
// proportion to the last piece only.
//
// The prose is cut into pieces where a cut changes nothing CommonMark would
// make of it: before a line that starts in the first column after a blank
// line (a blank line ends every paragraph, table and quote; a list that
// goes on after one keeps its numbering through ListContinuation). A piece
// that grows past kPieceChars without such a line (a hostile megabyte
// paragraph, 10k list items, a huge table) is cut at a line start anyway,
// and a line longer than that after white space: the parts may render a
// little differently from one whole block (a paragraph broken in two),
// never unsafely. Pieces before the last are parsed once, when they end;
// only the last is parsed again as text arrives. The cuts depend on the
// text only, so the blocks are the same however it was cut into chunks.
// A piece of more than kMaxBlocksPerPiece blocks has its text blocks merged
// into one rich-text block per run (indentation and markers kept as HTML).
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <vector>

#include "markdown_blocks.h"

namespace ponder::app {

class MarkdownStream {
public:
    // Characters after which a piece is cut at the next line start.
    static constexpr qsizetype kPieceChars = 2000;
    // A piece with more blocks than this (a hostile list of thousands of
    // items, cut into pieces of ~140) shows its runs of paragraphs, headings
    // and list items as one block each: every block is an item in the
    // window, and thousands of items take seconds to make.
    static constexpr int kMaxBlocksPerPiece = 64;

    explicit MarkdownStream(FormulaHtmlFn formula = {}) : m_formula(std::move(formula)) {}

    // The prose as it is now (it only grows while streaming); `closed`: it
    // will not change. Returns the index of the first block that changed or
    // was added (blocks before it are untouched), or -1 when none did.
    // The stream keeps no reference to the text: a second holder of the
    // caller's growing string would make each of its appends copy all of it.
    int update(QStringView text, bool closed);
    const QList<MarkdownBlock>& blocks() const { return m_blocks; }
    // Blocks before this index belong to pieces that will not be parsed again.
    int finalBlocks() const { return m_finalBlocks; }
    // Parses again, once each, the pieces that hold any of the formulas
    // `texs` (they were rendered); returns their blocks' indices. `text` is
    // the prose as last passed to update().
    QList<int> refreshFormulas(const QSet<QString>& texs, QStringView text);
    // Parses every piece again (the formulas' colour or font changed).
    void refreshAll(QStringView text);
    // Characters parsed and examined so far, for tests of the linear cost.
    qsizetype work() const { return m_work; }

private:
    struct Piece {
        qsizetype start, end;
        ListContinuation continued;
        int firstBlock, blockCount;
    };
    void scan(QStringView text);
    void cutAt(QStringView text, qsizetype position);
    ParsedMarkdown parse(QStringView text, qsizetype start, qsizetype end, const ListContinuation& continued);
    void reparsePiece(QStringView text, Piece& piece);

    FormulaHtmlFn m_formula;
    QList<MarkdownBlock> m_blocks;
    std::vector<Piece> m_pieces;  // ended pieces, in order
    QHash<QString, QList<int>> m_piecesWithFormula;  // TeX -> indices in m_pieces
    int m_finalBlocks = 0;
    ListContinuation m_tailContinued;  // how the last ended piece's list goes on
    qsizetype m_tailStart = 0;         // where the last piece starts
    qsizetype m_tailParsedTo = -1;     // the end of the last piece when it was parsed
    bool m_closed = false;
    // Scanning for cuts: the next character to read, and the lines before it.
    qsizetype m_scanned = 0;
    bool m_lineBlank = true;      // the line being read holds only spaces and tabs so far
    bool m_previousBlank = false; // the line before it was blank
    qsizetype m_work = 0;
};

} // namespace ponder::app
