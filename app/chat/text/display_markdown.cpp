#include "display_markdown.h"

#include <QHash>
#include <QStringList>

#include <algorithm>
#include <vector>

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

bool isAsciiPunct(QChar c)
{
    return c.unicode() < 128 && (c.isPunct() || c.isSymbol());
}

// A code span's content as CommonMark reads it: line endings become spaces,
// and one space goes from each end when both ends have one.
QString spanContent(QStringView raw)
{
    QString content = raw.toString();
    content.replace(u'\n', u' ');
    const bool allSpace = std::all_of(content.begin(), content.end(), [](QChar c) { return c == u' '; });
    if (!allSpace && content.size() >= 2 && content.front() == u' ' && content.back() == u' ')
        content = content.mid(1, content.size() - 2);
    return content;
}

// The next occurrence of a needle at or after a position that only grows
// between calls, so all searches together read the text once.
class Finder {
public:
    explicit Finder(QStringView needle) : m_needle(needle) {}

    qsizetype next(QStringView text, qsizetype from, qsizetype& examined)
    {
        if (m_found == kNone || m_found >= from)
            return m_found;  // none after an earlier start, or the one found then
        for (qsizetype i = from; i + m_needle.size() <= text.size(); ++i) {
            ++examined;
            if (text.sliced(i).startsWith(m_needle))
                return m_found = i;
        }
        return m_found = kNone;
    }

private:
    static constexpr qsizetype kNone = -1;
    static constexpr qsizetype kUnknown = -2;
    QStringView m_needle;
    qsizetype m_found = kUnknown;
};

// One pass over a prose block (plus one to pair backtick runs and, when
// there is a \boxed{, one to pair braces): every position is examined a
// bounded number of times, so an answer full of unmatched openers costs as
// much as any other of its length.
//
// Safe by construction: the output holds backticks only as the fences of
// code spans this class writes (one line each, fences longer than any run
// inside, never adjacent to another backtick or after a backslash), so Qt's
// reader pairs them exactly as written; outside those spans every `!`, `<`,
// `&` and backtick is backslash-escaped, so no image, raw HTML, entity or
// other code span can start, however the source pairs its backticks.
class Cleaner {
public:
    explicit Cleaner(QStringView text) : m_text(text) { pairBacktickRuns(); }

    QString run();
    qsizetype examined() const { return m_examined; }

private:
    void pairBacktickRuns();
    void pairBraces();
    qsizetype braceEnd(qsizetype open, qsizetype limit);
    void appendCodeSpan(QString& out, QStringView content);
    void appendBoxed(QString& out, QStringView inner);
    void appendMath(QString& out, qsizetype from, qsizetype to);
    qsizetype inlineDollarEnd(qsizetype open);

    QStringView m_text;
    qsizetype m_examined = 0;
    QHash<qsizetype, qsizetype> m_spanClose;  // opening run's start -> closing run's start
    std::vector<qsizetype> m_braceEnd;        // per `{`: index past its `}`, -1 when unclosed; empty until needed
    Finder m_parenClose{u"\\)"};
    Finder m_bracketClose{u"\\]"};
    Finder m_dollarsClose{u"$$"};
};

// Pairs each backtick run with the next run of the same length in the same
// paragraph (no blank line between), as Qt's reader does; escaped backticks
// are no runs.
void Cleaner::pairBacktickRuns()
{
    struct Run {
        qsizetype start, length;
        int paragraph;
    };
    std::vector<Run> runs;
    int paragraph = 0;
    bool blankLine = true;
    for (qsizetype i = 0; i < m_text.size();) {
        ++m_examined;
        const QChar c = m_text[i];
        if (c == u'\n') {
            paragraph += blankLine ? 1 : 0;
            blankLine = true;
            ++i;
            continue;
        }
        if (!c.isSpace())
            blankLine = false;
        if (c == u'\\' && i + 1 < m_text.size() && isAsciiPunct(m_text[i + 1])) {
            i += 2;
        } else if (c == u'`') {
            const qsizetype length = runLength(m_text, i, c);
            runs.push_back({i, length, paragraph});
            m_examined += length;
            i += length;
        } else {
            ++i;
        }
    }
    QHash<qsizetype, qsizetype> nextOfLength;  // run length -> index in runs of the next such run
    for (qsizetype r = qsizetype(runs.size()) - 1; r >= 0; --r) {
        const auto next = nextOfLength.constFind(runs[r].length);
        if (next != nextOfLength.constEnd() && runs[*next].paragraph == runs[r].paragraph)
            m_spanClose.insert(runs[r].start, runs[*next].start);
        nextOfLength.insert(runs[r].length, r);
    }
}

void Cleaner::pairBraces()
{
    m_braceEnd.assign(m_text.size(), -1);
    std::vector<qsizetype> open;
    for (qsizetype i = 0; i < m_text.size(); ++i) {
        ++m_examined;
        if (m_text[i] == u'\\') {
            ++i;
        } else if (m_text[i] == u'{') {
            open.push_back(i);
        } else if (m_text[i] == u'}' && !open.empty()) {
            m_braceEnd[open.back()] = i + 1;
            open.pop_back();
        }
    }
}

// Index just past the `}` matching the `{` at `open`, when it lies before
// `limit`; -1 otherwise.
qsizetype Cleaner::braceEnd(qsizetype open, qsizetype limit)
{
    if (m_braceEnd.empty())
        pairBraces();
    const qsizetype end = m_braceEnd[open];
    return end >= 0 && end <= limit ? end : -1;
}

// A space keeps a span's fence from touching a fence just written.
void Cleaner::appendCodeSpan(QString& out, QStringView content)
{
    m_examined += content.size();
    if (content.isEmpty())
        return;
    if (out.endsWith(u'`'))
        out += u' ';
    out += markdownCodeSpan(content);
}

// Bold, not a bold code span: Qt's Markdown importer drops the bold from a
// code span inside `**`. Escaping every ASCII punctuation character keeps the
// TeX literal instead.
void Cleaner::appendBoxed(QString& out, QStringView inner)
{
    m_examined += inner.size();
    const QString tex = inner.toString().simplified();
    if (tex.isEmpty())
        return;
    out += QStringLiteral("**");
    for (const QChar c : tex) {
        if (isAsciiPunct(c))
            out += u'\\';
        out += c;
    }
    out += QStringLiteral("**");
}

// TeX source of the formula in [from, to): code spans, with each \boxed{} in
// it in bold.
void Cleaner::appendMath(QString& out, qsizetype from, qsizetype to)
{
    const QStringView tex = m_text.sliced(from, to - from);
    qsizetype done = 0;
    for (qsizetype box = tex.indexOf(kBoxed); box >= 0; box = tex.indexOf(kBoxed, done)) {
        m_examined += box + kBoxed.size() - done;
        const qsizetype end = braceEnd(from + box + kBoxed.size() - 1, to);
        if (end < 0)
            break;
        const QString before = tex.sliced(done, box - done).toString().simplified();
        if (!before.isEmpty()) {
            appendCodeSpan(out, before);
            out += u' ';
        }
        const qsizetype inner = box + kBoxed.size();
        appendBoxed(out, tex.sliced(inner, end - from - 1 - inner));
        done = end - from;
    }
    m_examined += tex.size() - done;
    const QString rest = tex.sliced(done).toString().simplified();
    if (rest.isEmpty())
        return;
    if (done > 0)
        out += u' ';
    appendCodeSpan(out, rest);
}

// End of the inline `$…$` starting at `open` (index of its closing `$`), or
// -1. It reads up to the next `$` or line end only, so the characters it
// reads are read again at most once by the main loop.
qsizetype Cleaner::inlineDollarEnd(qsizetype open)
{
    const qsizetype n = m_text.size();
    if (open + 1 >= n || m_text[open + 1].isSpace())
        return -1;
    for (qsizetype i = open + 1; i < n && m_text[i] != u'\n'; ++i) {
        ++m_examined;
        if (m_text[i] == u'\\') {
            ++i;
            continue;
        }
        if (m_text[i] != u'$')
            continue;
        const bool digitAfter = i + 1 < n && m_text[i + 1].isDigit();
        if (i > open + 1 && !m_text[i - 1].isSpace() && !digitAfter)
            return i;
        return -1;
    }
    return -1;
}

QString Cleaner::run()
{
    QString out;
    out.reserve(m_text.size() + m_text.size() / 8);
    const qsizetype n = m_text.size();
    qsizetype i = 0;
    while (i < n) {
        ++m_examined;
        const QChar c = m_text[i];
        if (c == u'`') {
            const qsizetype run = runLength(m_text, i, c);
            const auto close = m_spanClose.constFind(i);
            if (close != m_spanClose.constEnd() && runLength(m_text, *close, c) == run) {
                appendCodeSpan(out, spanContent(m_text.sliced(i + run, *close - i - run)));
                i = *close + run;
            } else {
                for (qsizetype k = 0; k < run; ++k)
                    out += QStringLiteral("\\`");  // literal, never a fence
                i += run;
            }
            continue;
        }
        if (c == u'\\' && i + 1 < n) {
            const QChar next = m_text[i + 1];
            if (next == u'(' || next == u'[') {
                Finder& finder = next == u'(' ? m_parenClose : m_bracketClose;
                const qsizetype close = finder.next(m_text, i + 2, m_examined);
                if (close >= 0) {
                    appendMath(out, i + 2, close);
                    i = close + 2;
                    continue;
                }
            } else if (m_text.sliced(i).startsWith(kBoxed)) {
                const qsizetype end = braceEnd(i + kBoxed.size() - 1, n);
                if (end >= 0) {
                    appendBoxed(out, m_text.sliced(i + kBoxed.size(), end - 1 - i - kBoxed.size()));
                    i = end;
                    continue;
                }
            }
            if (isAsciiPunct(next)) {
                out += m_text.sliced(i, 2);  // an escape, or math still streaming
                i += 2;
                continue;
            }
            out += c;  // a literal backslash: what follows is no punctuation
            ++i;
            continue;
        }
        if (c == u'!' || c == u'<' || c == u'&') {
            out += u'\\';  // no image, raw HTML or entity: shown as the character
            out += c;
            ++i;
            continue;
        }
        if (c == u'$' && i + 1 < n && m_text[i + 1] == u'$') {
            const qsizetype close = m_dollarsClose.next(m_text, i + 2, m_examined);
            if (close >= 0 && !m_text.sliced(i + 2, close - i - 2).trimmed().isEmpty()) {
                appendMath(out, i + 2, close);
                i = close + 2;
            } else {
                out += u"$$";
                i += 2;
            }
            continue;
        }
        if (c == u'$') {
            const qsizetype close = inlineDollarEnd(i);
            if (close >= 0) {
                appendMath(out, i + 1, close);
                i = close + 1;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
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

QString displayMarkdown(QStringView markdown, qsizetype* examined)
{
    Cleaner cleaner(markdown);
    QString out = keepListNumbers(cleaner.run());
    if (examined)
        *examined = cleaner.examined() + out.size();
    return out;
}

} // namespace ponder::app
