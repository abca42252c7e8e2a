#include "range_highlighter.h"

#include <QSyntaxHighlighter>
#include <QTextDocument>

namespace ponder::app {

class RangeHighlighter::Highlighter : public QSyntaxHighlighter {
public:
    Highlighter(QTextDocument* document, const RangeHighlighter& owner) : QSyntaxHighlighter(document), m_owner(owner) {}

protected:
    void highlightBlock(const QString& text) override
    {
        if (m_owner.m_start < 0 || m_owner.m_length <= 0)
            return;
        const int blockStart = currentBlock().position();
        const int from = std::max(m_owner.m_start, blockStart);
        const int to = std::min(m_owner.m_start + m_owner.m_length, blockStart + int(text.size()));
        if (from >= to)
            return;
        QTextCharFormat format;
        format.setBackground(m_owner.m_color);
        format.setFontUnderline(true);
        setFormat(from - blockStart, to - from, format);
    }

private:
    const RangeHighlighter& m_owner;
};

RangeHighlighter::RangeHighlighter(QObject* parent) : QObject(parent) {}

RangeHighlighter::~RangeHighlighter()
{
    delete m_highlighter.data();
}

void RangeHighlighter::setDocument(QQuickTextDocument* document)
{
    if (m_document == document)
        return;
    delete m_highlighter.data();
    m_document = document;
    if (m_document && m_document->textDocument())
        m_highlighter = new Highlighter(m_document->textDocument(), *this);
    emit changed();
}

void RangeHighlighter::rehighlight()
{
    if (m_highlighter)
        static_cast<Highlighter*>(m_highlighter.data())->rehighlight();
}

void RangeHighlighter::setStart(int start)
{
    if (m_start == start)
        return;
    m_start = start;
    rehighlight();
    emit changed();
}

void RangeHighlighter::setLength(int length)
{
    if (m_length == length)
        return;
    m_length = length;
    rehighlight();
    emit changed();
}

void RangeHighlighter::setColor(const QColor& color)
{
    if (m_color == color)
        return;
    m_color = color;
    rehighlight();
    emit changed();
}

} // namespace ponder::app
