#include "markdown_inline.h"

#include <QHash>

#include <algorithm>

namespace ponder::app {
namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The character an entity names ("&amp;", "&#123;", "&#x1F600;"); the
// entity itself when unknown. md4c leaves entities to its caller.
QString decodeEntity(QByteArrayView entity)
{
    static const QHash<QByteArray, char32_t> named{
        {"amp", U'&'},      {"lt", U'<'},       {"gt", U'>'},       {"quot", U'"'},    {"apos", U'\''},
        {"nbsp", U'\u00a0'}, {"copy", U'\u00a9'}, {"reg", U'\u00ae'}, {"deg", U'\u00b0'}, {"plusmn", U'\u00b1'},
        {"times", U'\u00d7'}, {"divide", U'\u00f7'}, {"ndash", U'\u2013'}, {"mdash", U'\u2014'},
        {"hellip", U'\u2026'}, {"le", U'\u2264'},  {"ge", U'\u2265'},  {"ne", U'\u2260'},  {"rarr", U'\u2192'},
        {"larr", U'\u2190'}, {"infin", U'\u221e'}, {"pi", U'\u03c0'}, {"euro", U'\u20ac'}};
    const QByteArrayView body = entity.sliced(1, entity.size() - 2);
    char32_t code = 0;
    if (body.startsWith('#')) {
        bool ok = false;
        const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        const uint value = body.sliced(hex ? 2 : 1).toByteArray().toUInt(&ok, hex ? 16 : 10);
        // CommonMark: 0, surrogates and values past Unicode become U+FFFD.
        code = !ok || value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) ? U'\ufffd' : value;
    } else {
        const auto found = named.constFind(body.toByteArray());
        if (found == named.constEnd())
            return QString::fromUtf8(entity);
        code = *found;
    }
    return QString::fromUcs4(&code, 1);
}

// An MD_ATTRIBUTE's text with its entities decoded.
QString attributeText(const MD_ATTRIBUTE& attribute)
{
    QString out;
    for (int i = 0; attribute.substr_offsets && attribute.substr_offsets[i] < attribute.size; ++i) {
        const QByteArrayView piece(attribute.text + attribute.substr_offsets[i],
                                   attribute.substr_offsets[i + 1] - attribute.substr_offsets[i]);
        switch (attribute.substr_types[i]) {
        case MD_TEXT_ENTITY:
            out += decodeEntity(piece);
            break;
        case MD_TEXT_NULLCHAR:
            out += QChar(0xfffd);
            break;
        default:
            out += QString::fromUtf8(piece);
        }
    }
    return out;
}

// Where a link may go: http and https (and GFM's www. autolinks, on http).
// Empty for anything else, which then shows as text.
QString webTarget(const QString& href)
{
    if (href.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
        href.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
        return href;
    if (href.startsWith(QLatin1String("www."), Qt::CaseInsensitive))
        return QStringLiteral("http://") + href;
    return {};
}

} // namespace

QString formulaSourceFallback(QStringView tex, bool display)
{
    const QString delimiter = display ? QStringLiteral("$$") : QStringLiteral("$");
    return QStringLiteral("<code>") + (delimiter + tex.toString() + delimiter).toHtmlEscaped() + QStringLiteral("</code>");
}

qsizetype ForwardFinder::next(QByteArrayView doc, qsizetype from, qsizetype& work)
{
    if (m_found == -1 || m_found >= from)
        return m_found;  // none after an earlier start, or the one found then
    const qsizetype found = doc.indexOf(m_needle, from);
    work += (found < 0 ? doc.size() : found + m_needle.size()) - from;
    return m_found = found;
}

qsizetype InlineHtml::offsetOf(const MD_CHAR* p) const
{
    const MD_CHAR* begin = m_doc.doc.data();
    return p >= begin && p < begin + m_doc.doc.size() ? p - begin : -1;
}

void InlineHtml::appendSource(QStringView text)
{
    m_html += text.toString().toHtmlEscaped();
    m_plain += text;
    if (!m_otherContent && !text.trimmed().isEmpty())
        m_otherContent = true;
}

void InlineHtml::openTag(const QString& open, const QString& close)
{
    m_html += open;
    m_open.push_back({close, Kind::Tag});
}

void InlineHtml::emitFormula(const QString& tex, bool display)
{
    m_formulas << tex;
    m_html += m_doc.formula ? m_doc.formula(tex, display) : formulaSourceFallback(tex, display);
    m_plain += tex;
    if (display && m_soleDisplay.isEmpty() && !m_otherContent)
        m_soleDisplay = tex;
    else
        m_otherContent = true;
}

void InlineHtml::enterSpan(MD_SPANTYPE type, const void* detail)
{
    if (m_skipUntil > m_lastEnd) {
        m_open.push_back({QString(), Kind::Skipped});  // inside a formula already written
        return;
    }
    switch (type) {
    case MD_SPAN_EM:
        openTag(QStringLiteral("<i>"), QStringLiteral("</i>"));
        break;
    case MD_SPAN_STRONG:
        openTag(QStringLiteral("<b>"), QStringLiteral("</b>"));
        break;
    case MD_SPAN_DEL:
        openTag(QStringLiteral("<s>"), QStringLiteral("</s>"));
        break;
    case MD_SPAN_U:
        openTag(QStringLiteral("<u>"), QStringLiteral("</u>"));
        break;
    case MD_SPAN_CODE:
        openTag(QStringLiteral("<code>"), QStringLiteral("</code>"));
        break;
    case MD_SPAN_A: {
        // No link inside a link (GFM autolinks a URL written as a link's text): the outer one counts.
        const bool inLink = std::any_of(m_open.begin(), m_open.end(),
                                        [](const Open& open) { return open.close == QLatin1String("</a>"); });
        const QString target = webTarget(attributeText(static_cast<const MD_SPAN_A_DETAIL*>(detail)->href));
        if (target.isEmpty() || inLink)
            m_open.push_back({QString(), Kind::Skipped});
        else
            openTag(QStringLiteral("<a href=\"%1\">").arg(target.toHtmlEscaped()), QStringLiteral("</a>"));
        break;
    }
    case MD_SPAN_IMG:
        m_open.push_back({attributeText(static_cast<const MD_SPAN_IMG_DETAIL*>(detail)->src), Kind::Image});
        break;
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
        m_inDollarMath = true;
        m_dollarDisplay = type == MD_SPAN_LATEXMATH_DISPLAY;
        m_dollarTex.clear();
        m_dollarStart = m_dollarEnd = -1;
        m_dollarMultiLine = false;
        m_open.push_back({QString(), Kind::Dollar});
        break;
    default:
        m_open.push_back({QString(), Kind::Skipped});
    }
}

void InlineHtml::leaveSpan(MD_SPANTYPE)
{
    if (m_open.empty())
        return;
    const Open open = m_open.back();
    m_open.pop_back();
    switch (open.kind) {
    case Kind::Tag:
        m_html += open.close;
        break;
    case Kind::Dollar:
        finishDollarMath();
        break;
    case Kind::Image:
        // Never loaded: the address as text after the alt text.
        if (!open.close.isEmpty())
            appendSource(QStringLiteral(" (%1)").arg(open.close));
        break;
    case Kind::Skipped:
        break;
    }
}

// `$…$` under Pandoc's rule, `$$…$$` when not blank; else the dollars and
// the source as text.
void InlineHtml::finishDollarMath()
{
    m_inDollarMath = false;
    const QByteArrayView doc = m_doc.doc;
    bool valid = !m_dollarTex.trimmed().isEmpty();
    if (valid && !m_dollarDisplay) {
        valid = m_dollarStart >= 1 && !m_dollarMultiLine && !isSpace(doc[m_dollarStart]) &&
                !isSpace(doc[m_dollarEnd - 1]) &&
                !(m_dollarEnd + 1 < doc.size() && doc[m_dollarEnd + 1] >= '0' && doc[m_dollarEnd + 1] <= '9');
    }
    if (valid) {
        emitFormula(m_dollarDisplay ? m_dollarTex.trimmed() : m_dollarTex, m_dollarDisplay);
        return;
    }
    const QString delimiter = m_dollarDisplay ? QStringLiteral("$$") : QStringLiteral("$");
    appendSource(delimiter + m_dollarTex + delimiter);
}

// An escaped `(` or `[` at `offset` opens \(…\) or \[…\] when its closer
// follows before a blank line.
bool InlineHtml::startsBracketMath(qsizetype offset, char bracket)
{
    ForwardFinder& closer = bracket == '(' ? m_doc.parenClose : m_doc.bracketClose;
    const qsizetype close = closer.next(m_doc.doc, offset + 1, m_doc.work);
    if (close < 0)
        return false;
    const qsizetype blank = m_doc.blankLine.next(m_doc.doc, offset + 1, m_doc.work);
    if (blank >= 0 && blank < close)
        return false;
    QString tex = QString::fromUtf8(m_doc.doc.sliced(offset + 1, close - offset - 1));
    tex.replace(u'\n', u' ');
    if (tex.trimmed().isEmpty())
        return false;
    emitFormula(tex.trimmed(), bracket == '[');
    m_skipUntil = close + 2;
    return true;
}

// `\boxed{` at `offset` whose brace closes before a blank line: its content
// in bold, literally.
bool InlineHtml::startsBoxed(qsizetype offset)
{
    const QByteArrayView doc = m_doc.doc;
    if (m_doc.braceEnd.empty()) {
        m_doc.braceEnd.assign(doc.size(), -1);
        std::vector<qsizetype> open;
        for (qsizetype i = 0; i < doc.size(); ++i) {
            ++m_doc.work;
            if (doc[i] == '\\')
                ++i;
            else if (doc[i] == '{')
                open.push_back(i);
            else if (doc[i] == '}' && !open.empty()) {
                m_doc.braceEnd[open.back()] = i + 1;
                open.pop_back();
            }
        }
    }
    const qsizetype brace = offset + 6;
    const qsizetype end = m_doc.braceEnd[brace];
    if (end < 0)
        return false;
    const qsizetype blank = m_doc.blankLine.next(doc, offset, m_doc.work);
    if (blank >= 0 && blank < end)
        return false;
    const QString inner = QString::fromUtf8(doc.sliced(brace + 1, end - brace - 2)).simplified();
    m_html += QStringLiteral("<b>") + inner.toHtmlEscaped() + QStringLiteral("</b>");
    m_plain += inner;
    m_otherContent = true;
    m_skipUntil = end;
    return true;
}

// Normal text from the source at `offset`: math and \boxed{ openers, the rest escaped.
void InlineHtml::appendNormal(qsizetype offset, QByteArrayView bytes)
{
    const QByteArrayView doc = m_doc.doc;
    if (offset > 0 && (bytes[0] == '(' || bytes[0] == '[')) {
        qsizetype backslashes = 0;
        while (offset - 1 - backslashes >= 0 && doc[offset - 1 - backslashes] == '\\')
            ++backslashes;
        if (backslashes % 2 == 1 && startsBracketMath(offset, bytes[0]))
            return text(MD_TEXT_NORMAL, bytes.data(), MD_SIZE(bytes.size()));  // what follows the formula
    }
    qsizetype done = 0;
    for (qsizetype box = bytes.indexOf("\\boxed{"); box >= 0; box = bytes.indexOf("\\boxed{", done)) {
        appendSource(QString::fromUtf8(bytes.sliced(done, box - done)));
        if (startsBoxed(offset + box)) {
            const qsizetype rest = box + 1;  // trimmed to m_skipUntil by text()
            return text(MD_TEXT_NORMAL, bytes.data() + rest, MD_SIZE(bytes.size() - rest));
        }
        appendSource(u"\\boxed{");
        done = box + 7;
    }
    appendSource(QString::fromUtf8(bytes.sliced(done)));
}

void InlineHtml::text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size)
{
    qsizetype offset = offsetOf(text);
    QByteArrayView bytes(text, size);
    m_doc.work += size;
    if (offset >= 0) {
        if (offset + qsizetype(size) <= m_skipUntil)
            return;
        if (offset < m_skipUntil) {
            bytes = bytes.sliced(m_skipUntil - offset);
            offset = m_skipUntil;
        }
        m_lastEnd = offset + bytes.size();
    } else if (m_skipUntil > m_lastEnd) {
        return;  // a line break inside a formula already written
    }
    if (m_inDollarMath) {
        if (offset >= 0) {
            if (m_dollarStart < 0)
                m_dollarStart = offset;
            m_dollarEnd = offset + bytes.size();
        } else {
            m_dollarMultiLine = true;
        }
        m_dollarTex += QString::fromUtf8(bytes);
        return;
    }
    if (bytes.isEmpty())
        return;
    switch (type) {
    case MD_TEXT_NORMAL:
        if (offset >= 0)
            appendNormal(offset, bytes);
        else
            appendSource(QString::fromUtf8(bytes));
        break;
    case MD_TEXT_NULLCHAR:
        appendSource(QString(QChar(0xfffd)));
        break;
    case MD_TEXT_BR:
        m_html += QStringLiteral("<br>");
        m_plain += u'\n';
        break;
    case MD_TEXT_SOFTBR:
        m_html += u' ';
        m_plain += u'\n';
        break;
    case MD_TEXT_ENTITY:
        appendSource(decodeEntity(bytes));
        break;
    default:  // code span text, raw HTML (shown as text), stray math text
        appendSource(QString::fromUtf8(bytes));
    }
}

QString InlineHtml::takeHtml()
{
    while (!m_open.empty())
        leaveSpan(MD_SPAN_EM);
    m_skipUntil = -1;
    m_soleDisplay.clear();
    m_otherContent = false;
    return std::exchange(m_html, QString());
}

QString InlineHtml::takePlainText()
{
    return std::exchange(m_plain, QString());
}

QStringList InlineHtml::takeFormulas()
{
    return std::exchange(m_formulas, QStringList());
}

} // namespace ponder::app
