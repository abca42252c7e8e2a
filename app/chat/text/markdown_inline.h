// The inline content of one Markdown block (a paragraph, heading, list item
// or table cell) as Qt rich-text HTML, built from md4c's span and text
// callbacks (markdown_blocks.h drives it).
//
// Safe by construction: the HTML holds only tags written here (<b>, <i>,
// <s>, <code>, <br>, <a href> for http and https links) and the math
// helper's formulas (formulaHtml); every character of the source is escaped.
// Links to anything else (javascript:, file:, data:, mailto:) show as their
// text; images show as their alt text and their address as text, never
// loaded; raw HTML reaches here as text (md4c's MD_FLAG_NOHTML).
//
// Math: md4c finds `$…$` and `$$…$$` (MD_FLAG_LATEXMATHSPANS); an inline `$`
// pair counts only under Pandoc's rule (no space inside either `$`, the
// closing one not before a digit, one line), so prices stay text. md4c
// reads `\(` and `\[` as escaped brackets: an escaped `(` or `[` whose
// `\)` or `\]` follows in the same paragraph becomes a formula of the source
// between them, and whatever md4c made of that source is dropped. `\boxed{X}`
// outside math shows X in bold, literally. A formula not yet closed stays
// source. Each closer and brace is found once per document: the cost is
// linear whatever the openers.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <functional>
#include <vector>

#include <md4c.h>

namespace ponder::app {

// The HTML for one formula's TeX source; `display` for $$…$$ and \[…\].
using FormulaHtmlFn = std::function<QString(QStringView tex, bool display)>;

// Escaped source with its delimiters: what a formula shows without a renderer.
QString formulaSourceFallback(QStringView tex, bool display);

// Finds, for positions that only grow, the next occurrence of a needle in a
// document: all searches together read the document once.
class ForwardFinder {
public:
    explicit ForwardFinder(QByteArrayView needle) : m_needle(needle) {}
    qsizetype next(QByteArrayView doc, qsizetype from, qsizetype& work);

private:
    QByteArrayView m_needle;
    qsizetype m_found = -2;  // -2: not searched yet; -1: none after the last start
};

// What the math and brace finders share across the blocks of one document.
struct InlineDocument {
    QByteArrayView doc;           // the UTF-8 source md4c parses
    FormulaHtmlFn formula;
    qsizetype work = 0;           // characters examined, for tests of the linear cost
    ForwardFinder parenClose{"\\)"};
    ForwardFinder bracketClose{"\\]"};
    ForwardFinder blankLine{"\n\n"};
    std::vector<qsizetype> braceEnd;  // per `{`: index past its `}`, -1 unclosed; filled on the first \boxed{
};

class InlineHtml {
public:
    explicit InlineHtml(InlineDocument& document) : m_doc(document) {}

    void enterSpan(MD_SPANTYPE type, const void* detail);
    void leaveSpan(MD_SPANTYPE type);
    void text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size);

    bool isEmpty() const { return m_html.isEmpty(); }
    bool hasOtherContent() const { return m_otherContent; }
    // The block's content is one display formula and white space: its TeX, else empty.
    QString soleDisplayFormula() const { return m_otherContent ? QString() : m_soleDisplay; }
    // Ends the block: closes what is open, returns the HTML and starts afresh.
    QString takeHtml();
    QString takePlainText();
    QStringList takeFormulas();

private:
    enum class Kind { Tag, Dollar, Image, Skipped };
    struct Open {
        QString close;  // Tag: the closing tag written when it ends; Image: its address
        Kind kind;
    };
    qsizetype offsetOf(const MD_CHAR* p) const;
    void appendSource(QStringView text);
    void appendNormal(qsizetype offset, QByteArrayView bytes);
    bool startsBracketMath(qsizetype offset, char bracket);
    bool startsBoxed(qsizetype offset);
    void emitFormula(const QString& tex, bool display);
    void finishDollarMath();
    void openTag(const QString& open, const QString& close);

    InlineDocument& m_doc;
    QString m_html;
    QString m_plain;
    QStringList m_formulas;
    std::vector<Open> m_open;
    qsizetype m_skipUntil = -1;  // source offsets before this belong to a formula or \boxed already written
    qsizetype m_lastEnd = 0;     // end of the last text taken from the source
    // $…$ being collected: its TeX and where its content lies in the source.
    bool m_inDollarMath = false;
    bool m_dollarDisplay = false;
    QString m_dollarTex;
    qsizetype m_dollarStart = -1, m_dollarEnd = -1;
    bool m_dollarMultiLine = false;
    QString m_soleDisplay;
    bool m_otherContent = false;
};

} // namespace ponder::app
