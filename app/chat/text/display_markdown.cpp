#include "display_markdown.h"

#include <QStringList>

#include <algorithm>

namespace ponder::app {
namespace {

constexpr QStringView kBoxed = u"\\boxed{";

qsizetype runLength(QStringView text, qsizetype from, QChar c)
{
    qsizetype end = from;
    while (end < text.size() && text[end] == c)
        ++end;
    return end - from;
}

// Index just past the `}` matching the `{` before `from`; -1 when unclosed.
qsizetype matchingBrace(QStringView text, qsizetype from)
{
    int depth = 1;
    for (qsizetype i = from; i < text.size(); ++i) {
        if (text[i] == u'\\')
            ++i;
        else if (text[i] == u'{')
            ++depth;
        else if (text[i] == u'}' && --depth == 0)
            return i + 1;
    }
    return -1;
}

// Bold, not a bold code span: Qt's Markdown importer drops the bold from a
// code span inside `**`. Escaping every ASCII punctuation character keeps the
// TeX literal instead.
void appendBoxed(QString& out, QStringView inner)
{
    const QString tex = inner.toString().simplified();
    if (tex.isEmpty())
        return;
    out += QStringLiteral("**");
    for (const QChar c : tex) {
        if (c.unicode() < 128 && (c.isPunct() || c.isSymbol()))
            out += u'\\';
        out += c;
    }
    out += QStringLiteral("**");
}

// TeX source of one formula: code spans, with each \boxed{} in it in bold.
void appendMath(QString& out, QStringView tex)
{
    qsizetype from = 0;
    for (qsizetype box = tex.indexOf(kBoxed); box >= 0; box = tex.indexOf(kBoxed, from)) {
        const qsizetype end = matchingBrace(tex, box + kBoxed.size());
        if (end < 0)
            break;
        const QString before = tex.mid(from, box - from).toString().simplified();
        if (!before.isEmpty())
            out += markdownCodeSpan(before) + u' ';
        appendBoxed(out, tex.mid(box + kBoxed.size(), end - 1 - box - kBoxed.size()));
        from = end;
    }
    const QString rest = tex.mid(from).toString().simplified();
    if (rest.isEmpty())
        return;
    if (from > 0)
        out += u' ';
    out += markdownCodeSpan(rest);
}

// End of the inline `$…$` starting at `open` (index of its closing `$`), or -1.
qsizetype inlineDollarEnd(QStringView text, qsizetype open)
{
    if (open + 1 >= text.size() || text[open + 1].isSpace())
        return -1;
    for (qsizetype i = open + 1; i < text.size() && text[i] != u'\n'; ++i) {
        if (text[i] == u'\\') {
            ++i;
            continue;
        }
        if (text[i] != u'$')
            continue;
        const bool digitAfter = i + 1 < text.size() && text[i + 1].isDigit();
        if (i > open + 1 && !text[i - 1].isSpace() && !digitAfter)
            return i;
        return -1;
    }
    return -1;
}

// Index of the `.` or `)` after the number when `line` starts an ordered
// list item ("12. text", up to three spaces before it), else -1; `number`
// gets its value.
qsizetype orderedItemMarker(QStringView line, int& number)
{
    qsizetype i = 0;
    while (i < line.size() && i < 3 && line[i] == u' ')
        ++i;
    const qsizetype digits = i;
    while (i < line.size() && line[i].isDigit() && i - digits < 9)
        ++i;
    if (i == digits || i >= line.size() || (line[i] != u'.' && line[i] != u')'))
        return -1;
    if (i + 1 < line.size() && line[i + 1] != u' ' && line[i + 1] != u'\t')
        return -1;
    number = line.mid(digits, i - digits).toInt();
    return i;
}

// Qt before 6.6 numbers every ordered list from 1 (QTextListFormat has no
// start). A list that the model numbered from elsewhere, typically one
// continued after a code block (which is rendered as its own block), would
// restart at 1. Its items become paragraphs that start with escaped numbers
// instead, so "2. text" shows as written, each in a block quote, which Qt
// draws as nothing but an indent: the items stay indented like a list,
// wrapped lines included. Continuation lines lose their own indent there,
// where four spaces would start a code block; a blank line before each item
// keeps it out of a sub-list above it.
QString keepListNumbers(const QString& markdown)
{
    enum class List { None, FromOne, Renumbered };
    QStringList lines = markdown.split(u'\n');
    List list = List::None;
    bool afterBlank = true;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString& line = lines[i];
        const bool blank = line.trimmed().isEmpty();
        int number = 0;
        const qsizetype marker = orderedItemMarker(line, number);
        if (marker >= 0 && list == List::None && afterBlank)
            list = number == 1 ? List::FromOne : List::Renumbered;
        else if (marker < 0 && afterBlank && !blank && !line.front().isSpace())
            list = List::None;  // a paragraph or another list after a blank line ends it
        if (list == List::Renumbered && !blank) {
            if (marker >= 0)
                line.insert(marker, u'\\');
            line = QStringLiteral("> ") + line.trimmed();
            if (marker >= 0 && !afterBlank && i > 0)
                line.prepend(u'\n');
        }
        afterBlank = blank;
    }
    return lines.join(u'\n');
}

} // namespace

QString markdownCodeSpan(QStringView text)
{
    if (text.isEmpty())
        return {};
    qsizetype longest = 0;
    for (qsizetype i = 0; i < text.size();) {
        const qsizetype run = runLength(text, i, u'`');
        longest = std::max(longest, run);
        i += std::max<qsizetype>(run, 1);
    }
    const QString fence(longest + 1, u'`');
    const bool allSpace = std::all_of(text.begin(), text.end(), [](QChar c) { return c == u' '; });
    const bool pad = !allSpace && (text.front() == u'`' || text.back() == u'`' || text.front() == u' ' ||
                                   text.back() == u' ');
    const QString padding = pad ? QStringLiteral(" ") : QString();
    QString span = fence + padding;
    span += text;
    return span + padding + fence;
}

QString displayMarkdown(QStringView markdown)
{
    QString out;
    out.reserve(markdown.size());
    const qsizetype n = markdown.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = markdown[i];
        if (c == u'`') {
            // A code span is copied as it is; an unmatched run is literal text.
            const qsizetype run = runLength(markdown, i, u'`');
            qsizetype end = -1;
            for (qsizetype j = i + run; j < n;) {
                const qsizetype closing = runLength(markdown, j, u'`');
                if (closing == run) {
                    end = j + closing;
                    break;
                }
                j += std::max<qsizetype>(closing, 1);
            }
            const qsizetype stop = end >= 0 ? end : i + run;
            out += markdown.mid(i, stop - i);
            i = stop;
            continue;
        }
        if (c == u'\\' && i + 1 < n) {
            const QChar next = markdown[i + 1];
            if (next == u'(' || next == u'[') {
                const qsizetype close = markdown.indexOf(next == u'(' ? u"\\)" : u"\\]", i + 2);
                if (close >= 0) {
                    appendMath(out, markdown.mid(i + 2, close - i - 2));
                    i = close + 2;
                    continue;
                }
            } else if (markdown.mid(i).startsWith(kBoxed)) {
                const qsizetype end = matchingBrace(markdown, i + kBoxed.size());
                if (end >= 0) {
                    appendBoxed(out, markdown.mid(i + kBoxed.size(), end - 1 - i - kBoxed.size()));
                    i = end;
                    continue;
                }
            }
            out += markdown.mid(i, 2);  // an escape, or math still streaming
            i += 2;
            continue;
        }
        if (c == u'!' && i + 1 < n && markdown[i + 1] == u'[') {
            out += QStringLiteral("\\!");  // an image becomes a link
            ++i;
            continue;
        }
        if (c == u'<' && i + 1 < n &&
            (markdown[i + 1].isLetter() || markdown[i + 1] == u'/' || markdown[i + 1] == u'!' ||
             markdown[i + 1] == u'?')) {
            out += QStringLiteral("\\<");  // raw HTML shows as text
            ++i;
            continue;
        }
        if (c == u'$' && i + 1 < n && markdown[i + 1] == u'$') {
            const qsizetype close = markdown.indexOf(u"$$", i + 2);
            if (close >= 0 && !markdown.mid(i + 2, close - i - 2).trimmed().isEmpty()) {
                appendMath(out, markdown.mid(i + 2, close - i - 2));
                i = close + 2;
            } else {
                out += u"$$";
                i += 2;
            }
            continue;
        }
        if (c == u'$') {
            const qsizetype close = inlineDollarEnd(markdown, i);
            if (close >= 0) {
                appendMath(out, markdown.mid(i + 1, close - i - 1));
                i = close + 1;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return keepListNumbers(out);
}

} // namespace ponder::app
