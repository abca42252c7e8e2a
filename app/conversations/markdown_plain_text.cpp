// Markdown to plain text with md4c: a writer that follows the block tree,
// keeping for each open container (quote, list, item) what its lines begin with.
#include "markdown_plain_text.h"

#include <QHash>
#include <QList>

#include <md4c.h>

namespace ponder::app {

namespace {

QString decodedEntity(const QString& entity)
{
    static const QHash<QString, QString> named = {
        {QStringLiteral("&amp;"), QStringLiteral("&")},     {QStringLiteral("&lt;"), QStringLiteral("<")},
        {QStringLiteral("&gt;"), QStringLiteral(">")},      {QStringLiteral("&quot;"), QStringLiteral("\"")},
        {QStringLiteral("&apos;"), QStringLiteral("'")},    {QStringLiteral("&nbsp;"), QStringLiteral("\u00a0")},
        {QStringLiteral("&copy;"), QStringLiteral("©")},    {QStringLiteral("&reg;"), QStringLiteral("®")},
        {QStringLiteral("&trade;"), QStringLiteral("™")},   {QStringLiteral("&hellip;"), QStringLiteral("…")},
        {QStringLiteral("&mdash;"), QStringLiteral("—")},   {QStringLiteral("&ndash;"), QStringLiteral("–")},
        {QStringLiteral("&times;"), QStringLiteral("×")},   {QStringLiteral("&rarr;"), QStringLiteral("→")},
    };
    if (const auto found = named.constFind(entity); found != named.constEnd())
        return *found;
    if (entity.startsWith(QStringLiteral("&#"))) {
        const bool hex = entity.size() > 2 && (entity[2] == u'x' || entity[2] == u'X');
        bool ok = false;
        const uint code = entity.mid(hex ? 3 : 2, entity.size() - (hex ? 4 : 3)).toUInt(&ok, hex ? 16 : 10);
        if (ok && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
            const char32_t c = code;
            return QString::fromUcs4(&c, 1);
        }
        return QString(QChar(QChar::ReplacementCharacter));
    }
    return entity;  // a name md4c knows and this table does not: as written
}

QString attributeText(const MD_ATTRIBUTE& attribute)
{
    QString text;
    for (int i = 0; attribute.substr_offsets[i] < attribute.size; ++i) {
        const MD_OFFSET begin = attribute.substr_offsets[i];
        const MD_OFFSET end = attribute.substr_offsets[i + 1];
        const QString part = QString::fromUtf8(attribute.text + begin, qsizetype(end - begin));
        switch (attribute.substr_types[i]) {
        case MD_TEXT_ENTITY: text += decodedEntity(part); break;
        case MD_TEXT_NULLCHAR: text += QChar(QChar::ReplacementCharacter); break;
        default: text += part; break;
        }
    }
    return text;
}

class PlainTextWriter {
public:
    QString text() const
    {
        QString result = m_out;
        qsizetype end = result.size();
        while (end > 0 && result[end - 1].isSpace())
            --end;
        result.truncate(end);
        return result;
    }

    void enterBlock(MD_BLOCKTYPE type, void* detail)
    {
        switch (type) {
        case MD_BLOCK_DOC:
        case MD_BLOCK_THEAD:
        case MD_BLOCK_TBODY:
        case MD_BLOCK_HR:  // a rule says nothing in words
            break;
        case MD_BLOCK_QUOTE:
            startBlock();
            m_out += QStringLiteral("> ");
            m_stack.append({Container::Quote, QStringLiteral("> ")});
            m_lineOpened = true;
            break;
        case MD_BLOCK_UL: {
            Container list{Container::List};
            list.tight = static_cast<MD_BLOCK_UL_DETAIL*>(detail)->is_tight;
            m_stack.append(list);
            break;
        }
        case MD_BLOCK_OL: {
            const auto* ol = static_cast<MD_BLOCK_OL_DETAIL*>(detail);
            Container list{Container::List};
            list.tight = ol->is_tight;
            list.ordered = true;
            list.next = ol->start;
            list.delimiter = QChar::fromLatin1(ol->mark_delimiter);
            m_stack.append(list);
            break;
        }
        case MD_BLOCK_LI: {
            // The first item parts from what came before as its list does;
            // the items after it by the list's tightness.
            const bool first = !m_stack.isEmpty() && m_stack.last().items++ == 0;
            startBlock(first ? 1 : 0);
            QString marker = QStringLiteral("- ");
            if (!m_stack.isEmpty() && m_stack.last().ordered)
                marker = QString::number(m_stack.last().next++) + m_stack.last().delimiter + u' ';
            m_out += marker;
            const auto* li = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
            if (li->is_task)
                m_out += li->task_mark == ' ' ? QStringLiteral("[ ] ") : QStringLiteral("[x] ");
            m_stack.append({Container::Item, QString(marker.size(), u' ')});
            m_lineOpened = true;
            break;
        }
        case MD_BLOCK_CODE:
        case MD_BLOCK_HTML:
            startBlock();
            m_verbatim = true;
            m_block.clear();
            break;
        case MD_BLOCK_TABLE:
            startBlock();
            m_firstRow = true;
            break;
        case MD_BLOCK_TR:
            if (!m_firstRow)
                newLine();
            m_firstRow = false;
            m_cell = 0;
            break;
        case MD_BLOCK_TH:
        case MD_BLOCK_TD:
            if (m_cell++ > 0)
                m_out += u'\t';
            break;
        case MD_BLOCK_H:
        case MD_BLOCK_P:
            startBlock();
            break;
        }
    }

    void leaveBlock(MD_BLOCKTYPE type)
    {
        switch (type) {
        case MD_BLOCK_QUOTE:
        case MD_BLOCK_UL:
        case MD_BLOCK_OL:
        case MD_BLOCK_LI:
            m_stack.removeLast();
            m_lineOpened = false;
            break;
        case MD_BLOCK_CODE:
        case MD_BLOCK_HTML: {
            m_verbatim = false;
            while (m_block.endsWith(u'\n'))
                m_block.chop(1);
            const QStringList lines = m_block.split(u'\n');
            for (qsizetype i = 0; i < lines.size(); ++i) {
                if (i > 0)
                    newLine();
                m_out += lines[i];
            }
            break;
        }
        default:
            break;
        }
    }

    void enterSpan(MD_SPANTYPE type, void* detail)
    {
        if (type == MD_SPAN_A)
            m_links.append({m_out.size(), attributeText(static_cast<MD_SPAN_A_DETAIL*>(detail)->href)});
        else if (type == MD_SPAN_LATEXMATH)
            write(QStringLiteral("$"));
        else if (type == MD_SPAN_LATEXMATH_DISPLAY)
            write(QStringLiteral("$$"));
    }

    void leaveSpan(MD_SPANTYPE type)
    {
        if (type == MD_SPAN_LATEXMATH)
            write(QStringLiteral("$"));
        else if (type == MD_SPAN_LATEXMATH_DISPLAY)
            write(QStringLiteral("$$"));
        if (type != MD_SPAN_A || m_links.isEmpty())
            return;
        const Link link = m_links.takeLast();
        const QString shown = m_out.mid(link.start);
        // An address shown as itself (an autolink) needs no repeating.
        for (const QString& scheme : {QString(), QStringLiteral("mailto:"), QStringLiteral("http://"),
                                      QStringLiteral("https://")})
            if (link.href == scheme + shown)
                return;
        if (!link.href.isEmpty())
            m_out += QStringLiteral(" (%1)").arg(link.href);
    }

    void text(MD_TEXTTYPE type, const QString& text)
    {
        switch (type) {
        case MD_TEXT_BR:
        case MD_TEXT_SOFTBR:
            newLine();
            break;
        case MD_TEXT_NULLCHAR: write(QString(QChar(QChar::ReplacementCharacter))); break;
        case MD_TEXT_ENTITY: write(decodedEntity(text)); break;
        default: write(text); break;
        }
    }

private:
    struct Container {
        enum Kind { Quote, List, Item } kind;
        QString prefix;      // what its lines after the first begin with
        bool tight = false;  // a list: its items without blank lines between
        bool ordered = false;
        unsigned next = 1;   // an ordered list: the next item's number
        int items = 0;       // a list: its items begun so far
        QChar delimiter = u'.';
    };
    struct Link {
        qsizetype start;  // where its text begins in m_out
        QString href;
    };

    QString prefix() const
    {
        QString prefix;
        for (const Container& container : m_stack)
            prefix += container.prefix;
        return prefix;
    }

    // Inside a tight list, blocks follow line by line; elsewhere a blank
    // line parts them. `skip`: innermost containers not to count.
    bool tight(qsizetype skip) const
    {
        for (qsizetype i = m_stack.size() - 1 - skip; i >= 0; --i)
            if (m_stack[i].kind != Container::Item)
                return m_stack[i].kind == Container::List && m_stack[i].tight;
        return false;
    }

    void newLine() { m_out += u'\n' + prefix(); }

    void startBlock(qsizetype skip = 0)
    {
        if (m_lineOpened) {  // a list item's or quote's marker is on this line already
            m_lineOpened = false;
            return;
        }
        if (m_out.isEmpty()) {
            m_out += prefix();
            return;
        }
        if (!tight(skip)) {
            QString blank = prefix();
            while (blank.endsWith(u' '))
                blank.chop(1);
            m_out += u'\n' + blank;
        }
        newLine();
    }

    void write(const QString& text)
    {
        m_lineOpened = false;
        if (m_verbatim)
            m_block += text;
        else
            m_out += text;
    }

    QString m_out;
    QList<Container> m_stack;
    QList<Link> m_links;
    bool m_lineOpened = false;  // the next block starts on the current line
    bool m_verbatim = false;    // in a code or HTML block: its text is collected in m_block
    QString m_block;
    bool m_firstRow = false;
    int m_cell = 0;
};

PlainTextWriter* writer(void* data)
{
    return static_cast<PlainTextWriter*>(data);
}

} // namespace

QString markdownToPlainText(const QString& markdown)
{
    const QByteArray utf8 = markdown.toUtf8();
    PlainTextWriter plain;
    MD_PARSER parser{};
    parser.flags = MD_DIALECT_GITHUB | MD_FLAG_LATEXMATHSPANS;
    parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* data) {
        writer(data)->enterBlock(type, detail);
        return 0;
    };
    parser.leave_block = [](MD_BLOCKTYPE type, void*, void* data) {
        writer(data)->leaveBlock(type);
        return 0;
    };
    parser.enter_span = [](MD_SPANTYPE type, void* detail, void* data) {
        writer(data)->enterSpan(type, detail);
        return 0;
    };
    parser.leave_span = [](MD_SPANTYPE type, void*, void* data) {
        writer(data)->leaveSpan(type);
        return 0;
    };
    parser.text = [](MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* data) {
        writer(data)->text(type, QString::fromUtf8(text, qsizetype(size)));
        return 0;
    };
    if (md_parse(utf8.constData(), MD_SIZE(utf8.size()), &parser, &plain) != 0)
        return markdown;
    return plain.text();
}

} // namespace ponder::app
