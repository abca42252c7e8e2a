// Splits an answer's Markdown into prose and fenced code blocks as the text
// streams in, following CommonMark's rules for fences: a line of at least
// three backticks or tildes, indented by at most three spaces, opens a code
// block (a backtick fence's info string may not contain a backtick); a line
// of the same character, at least as long, indented by at most three spaces
// and followed only by spaces or tabs, closes it. Everything else is prose;
// the prose itself is left to Qt's Markdown renderer.
//
// Streaming contract: appending text changes only the last block or adds new
// ones, and a block's text only ever grows, so a list view can update the
// last row in place. A line that might still turn out to be a fence (an
// unfinished "```py", or "``" that may grow) is held back until its end
// arrives, so half a fence never flashes up as prose. The state after any
// text is the same however that text was cut into chunks.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace ponder::app {

// One block of an answer.
struct MessageBlock {
    enum class Kind { Prose, Code };

    Kind kind = Kind::Prose;
    // Prose: the Markdown source, lines joined by '\n', without trailing blank
    // lines. Code: the lines between the fences joined by '\n' (no final line
    // break), with up to the opening fence's indentation removed from each.
    QString text;
    // Code: the first word of the fence's info string as written ("python",
    // "C++"); empty when the fence has none. Always empty for prose.
    QString language;
    // The block will not change any more: a later block started, a code
    // block's closing fence arrived, or the text finished. An unclosed fence
    // while streaming is an open code block.
    bool closed = false;

    friend bool operator==(const MessageBlock&, const MessageBlock&) = default;
};

class BlockSplitter {
public:
    // Appends answer text (line breaks already normalised to '\n').
    void append(QStringView text);
    // The text is complete: the last line counts even without its '\n', a
    // pending fence line is decided, and every block is closed.
    void finish();
    void clear();

    const QList<MessageBlock>& blocks() const { return m_blocks; }
    bool finished() const { return m_finished; }

    // Index of the first block changed or added since the last call; -1 when
    // none was. Appending changes only the last block and adds new ones, so
    // blocks before this index are untouched.
    int takeFirstChanged();

    // Characters copied because a block's text was shared when it grew:
    // whoever keeps a copy of a growing block (the list, a parser) makes
    // every append copy all of it. Tests check it stays 0 while streaming.
    qsizetype copiedOnAppend() const { return m_copiedOnAppend; }

    // Splits a whole answer at once (a stored message): append + finish.
    static QList<MessageBlock> split(QStringView answer);

private:
    void completeLine(QStringView line);
    void updateTail();
    void removeTail();
    bool proseOpen() const;
    void startBlock(MessageBlock::Kind kind, const QString& language);
    void closeLastBlock();
    void markChanged(qsizetype index);
    QString& lastText();  // the last block's text, about to change

    QList<MessageBlock> m_blocks;
    QString m_partial;        // the line being received, without its '\n'
    qsizetype m_tailLength = 0;  // chars at the end of the last block's text shown from m_partial
    bool m_inCode = false;
    QChar m_fenceChar;        // '`' or '~' of the open code block
    qsizetype m_fenceLength = 0;
    qsizetype m_fenceIndent = 0;  // spaces before the opening fence, removed from content lines
    qsizetype m_lines = 0;    // complete lines in the last block's text
    qsizetype m_blankLines = 0;  // prose: blank lines held back until a non-blank line follows
    int m_firstChanged = -1;
    bool m_finished = false;
    qsizetype m_copiedOnAppend = 0;
};

} // namespace ponder::app
