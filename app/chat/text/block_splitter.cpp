#include "block_splitter.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace ponder::app {
namespace {

struct Fence {
    QChar character;
    qsizetype length = 0;
    qsizetype indent = 0;
    QString language;
};

qsizetype leadingSpaces(QStringView line)
{
    qsizetype n = 0;
    while (n < line.size() && line[n] == u' ')
        ++n;
    return n;
}

qsizetype runLength(QStringView text, qsizetype from, QChar c)
{
    qsizetype end = from;
    while (end < text.size() && text[end] == c)
        ++end;
    return end - from;
}

bool isBlank(QStringView line)
{
    return std::all_of(line.begin(), line.end(), [](QChar c) { return c.isSpace(); });
}

bool onlySpacesOrTabs(QStringView text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c == u' ' || c == u'\t'; });
}

// CommonMark's opening code fence. Tabs are not indentation here: a tab is
// four columns, which already makes the line an indented code block.
std::optional<Fence> openingFence(QStringView line)
{
    const qsizetype indent = leadingSpaces(line);
    if (indent > 3 || indent == line.size())
        return std::nullopt;
    const QChar c = line[indent];
    if (c != u'`' && c != u'~')
        return std::nullopt;
    const qsizetype length = runLength(line, indent, c);
    if (length < 3)
        return std::nullopt;
    const QStringView info = line.mid(indent + length).trimmed();
    if (c == u'`' && info.contains(u'`'))
        return std::nullopt;
    qsizetype wordEnd = 0;
    while (wordEnd < info.size() && !info[wordEnd].isSpace())
        ++wordEnd;
    return Fence{c, length, indent, info.left(wordEnd).toString()};
}

bool isClosingFence(QStringView line, QChar c, qsizetype minLength)
{
    const qsizetype indent = leadingSpaces(line);
    if (indent > 3)
        return false;
    const qsizetype length = runLength(line, indent, c);
    return length >= minLength && onlySpacesOrTabs(line.mid(indent + length));
}

// Whether an unfinished line could still become an opening fence. Once false
// it stays false as characters are added, so text shown is never retracted.
bool mayBecomeOpeningFence(QStringView partial)
{
    const qsizetype indent = leadingSpaces(partial);
    if (indent > 3)
        return false;
    if (indent == partial.size())
        return true;
    const QChar c = partial[indent];
    if (c != u'`' && c != u'~')
        return false;
    const qsizetype length = runLength(partial, indent, c);
    if (indent + length == partial.size())
        return true;
    if (length < 3)
        return false;
    return c == u'~' || !partial.mid(indent + length).contains(u'`');
}

// Whether an unfinished line inside a code block could still become its
// closing fence; monotonic like mayBecomeOpeningFence().
bool mayBecomeClosingFence(QStringView partial, QChar c, qsizetype minLength)
{
    const qsizetype indent = leadingSpaces(partial);
    if (indent > 3)
        return false;
    const qsizetype length = runLength(partial, indent, c);
    if (indent + length == partial.size())
        return true;
    return length >= minLength && onlySpacesOrTabs(partial.mid(indent + length));
}

QStringView stripIndent(QStringView line, qsizetype maxSpaces)
{
    return line.mid(std::min(leadingSpaces(line), maxSpaces));
}

} // namespace

void BlockSplitter::append(QStringView text)
{
    if (m_finished || text.isEmpty())
        return;
    removeTail();
    qsizetype start = 0;
    for (qsizetype newline = text.indexOf(u'\n'); newline >= 0; newline = text.indexOf(u'\n', start)) {
        if (m_partial.isEmpty()) {
            completeLine(text.mid(start, newline - start));
        } else {
            m_partial += text.mid(start, newline - start);
            const QString line = std::exchange(m_partial, QString());
            completeLine(line);
        }
        start = newline + 1;
    }
    m_partial += text.mid(start);
    updateTail();
}

void BlockSplitter::finish()
{
    if (m_finished)
        return;
    removeTail();
    if (!m_partial.isEmpty()) {
        const QString line = std::exchange(m_partial, QString());
        completeLine(line);
    }
    m_inCode = false;
    if (!m_blocks.isEmpty() && !m_blocks.last().closed)
        closeLastBlock();
    m_finished = true;
}

void BlockSplitter::clear()
{
    *this = BlockSplitter();
}

int BlockSplitter::takeFirstChanged()
{
    return std::exchange(m_firstChanged, -1);
}

QList<MessageBlock> BlockSplitter::split(QStringView answer)
{
    BlockSplitter splitter;
    splitter.append(answer);
    splitter.finish();
    return splitter.m_blocks;
}

void BlockSplitter::completeLine(QStringView line)
{
    if (m_inCode) {
        if (isClosingFence(line, m_fenceChar, m_fenceLength)) {
            m_inCode = false;
            closeLastBlock();
            return;
        }
        QString& text = lastText();
        if (m_lines > 0)
            text += u'\n';
        text += stripIndent(line, m_fenceIndent);
        ++m_lines;
        markChanged(m_blocks.size() - 1);
        return;
    }
    if (const auto fence = openingFence(line)) {
        startBlock(MessageBlock::Kind::Code, fence->language);
        m_inCode = true;
        m_fenceChar = fence->character;
        m_fenceLength = fence->length;
        m_fenceIndent = fence->indent;
        return;
    }
    if (isBlank(line)) {
        if (proseOpen())
            ++m_blankLines;  // kept only if more prose follows
        return;
    }
    if (!proseOpen())
        startBlock(MessageBlock::Kind::Prose, QString());
    QString& text = lastText();
    if (m_lines > 0)
        text += QString(1 + m_blankLines, u'\n');
    text += line;
    ++m_lines;
    m_blankLines = 0;
    markChanged(m_blocks.size() - 1);
}

// Shows the unfinished line at the end of the last block where it can no
// longer change what kind of line it is.
void BlockSplitter::updateTail()
{
    if (m_partial.isEmpty())
        return;
    QString tail;
    if (m_inCode) {
        if (mayBecomeClosingFence(m_partial, m_fenceChar, m_fenceLength))
            return;
        if (m_lines > 0)
            tail += u'\n';
        tail += stripIndent(m_partial, m_fenceIndent);
    } else {
        if (isBlank(m_partial) || mayBecomeOpeningFence(m_partial))
            return;
        // A non-blank line that cannot open a fence is prose, whatever follows.
        if (!proseOpen())
            startBlock(MessageBlock::Kind::Prose, QString());
        if (m_lines > 0)
            tail += QString(1 + m_blankLines, u'\n');
        tail += m_partial;
    }
    // As a view: a block's empty text would otherwise share tail's buffer,
    // which shares m_partial's, and the next change would copy it.
    lastText() += QStringView(tail);
    m_tailLength = tail.size();
    markChanged(m_blocks.size() - 1);
}

void BlockSplitter::removeTail()
{
    if (m_tailLength == 0)
        return;
    lastText().chop(m_tailLength);
    m_tailLength = 0;
}

bool BlockSplitter::proseOpen() const
{
    return !m_blocks.isEmpty() && m_blocks.last().kind == MessageBlock::Kind::Prose && !m_blocks.last().closed;
}

void BlockSplitter::startBlock(MessageBlock::Kind kind, const QString& language)
{
    if (!m_blocks.isEmpty() && !m_blocks.last().closed)
        closeLastBlock();
    m_blocks.append(MessageBlock{kind, QString(), language, false});
    m_lines = 0;
    m_blankLines = 0;
    markChanged(m_blocks.size() - 1);
}

QString& BlockSplitter::lastText()
{
    // Asked before m_blocks.last(), which would itself detach a shared list.
    const QString& text = std::as_const(m_blocks).last().text;
    if (!m_blocks.isDetached() || !text.isDetached())
        m_copiedOnAppend += text.size();
    return m_blocks.last().text;
}

void BlockSplitter::closeLastBlock()
{
    m_blocks.last().closed = true;
    m_blankLines = 0;
    markChanged(m_blocks.size() - 1);
}

void BlockSplitter::markChanged(qsizetype index)
{
    if (m_firstChanged < 0 || index < m_firstChanged)
        m_firstChanged = int(index);
}

} // namespace ponder::app
