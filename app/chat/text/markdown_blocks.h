// Markdown prose as a flat list of blocks for QML to render one by one:
// CommonMark with GitHub's tables, strikethrough, task lists and autolinks,
// and LaTeX math (md4c, MD_DIALECT_GITHUB | MD_FLAG_LATEXMATHSPANS |
// MD_FLAG_NOHTML: raw HTML is text). Each block carries its list nesting and
// block quote depth, so nesting becomes indentation and quote bars; inline
// content is rich-text HTML built and escaped here (markdown_inline.h).
//
// Lists keep their numbers: an ordered list item carries the number
// CommonMark gives it (the list's start as written, counting on), so a list
// that the model continues after a code block ("3. …") shows 3, which Qt
// 6.4's Markdown importer turned into 1. A list item's first block carries
// its marker ("3.", "•") or its task box; later blocks of the item are
// indented under it.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "markdown_inline.h"

namespace ponder::app {

struct MarkdownBlock {
    enum class Kind { Paragraph, Heading, ListItem, Code, Table, Rule, Math };
    enum class Task { None, Unchecked, Checked };

    Kind kind = Kind::Paragraph;
    // Paragraph, Heading, ListItem: the inline content as rich-text HTML.
    QString html;
    // Paragraph, Heading, ListItem: the content as plain text (accessibility,
    // copying); Code: the code; Math: the formula's TeX.
    QString text;
    QString language;   // Code: the first word of the fence's info string
    int level = 0;      // Heading: 1 to 6
    int listDepth = 0;  // lists this block is inside (0: none)
    int quoteDepth = 0; // block quotes this block is inside
    QString marker;     // ListItem: "3." or "3)" as numbered, "•" for a bullet; empty for a task
    Task task = Task::None;
    // Table: cell HTML, row by row, the header row first.
    QList<QStringList> cells;
    // Table: per column "left", "center", "right" or "" (unspecified).
    QStringList alignments;
    // Inline formulas' TeX in this block: its HTML is made again when one is rendered.
    QStringList formulas;

    friend bool operator==(const MarkdownBlock&, const MarkdownBlock&) = default;
};

// The numbering of an ordered list that may continue in the next piece of
// the same prose (markdown_stream.h cuts prose between blocks).
struct ListContinuation {
    char delimiter = 0;   // '.' or ')'; 0 when the piece did not end in an ordered list
    unsigned next = 1;    // the number its next item gets
};

struct ParsedMarkdown {
    QList<MarkdownBlock> blocks;
    // The piece ended in a top-level ordered list: how it would go on.
    ListContinuation trailingList;
    // Characters examined (md4c's input plus the inline renderer's searches):
    // a measure of the work, for tests of the linear cost.
    qsizetype work = 0;
};

// Parses `markdown` into blocks. `continued`: a top-level ordered list that
// opens the text with the same delimiter continues that numbering.
// `formula` makes a formula's HTML (the math helper's formulaHtml); without
// it, formulas show as their escaped source.
ParsedMarkdown parseMarkdown(QStringView markdown, const ListContinuation& continued = {},
                             const FormulaHtmlFn& formula = {});

} // namespace ponder::app
