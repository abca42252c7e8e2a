// The parsed content of one model message for QML: a list model of its
// answer's blocks (paragraphs, headings, list items, tables, rules, display
// math from the prose, markdown_blocks.h; fenced code blocks from
// block_splitter.h), with its reasoning as properties. Rows only change at
// the end while text streams, and only the last piece of prose is parsed
// again (markdown_stream.h), so a Repeater over it updates in place and each
// update costs in proportion to the new text.
#pragma once

#include <QAbstractListModel>
#include <QSet>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

#include "markdown_stream.h"
#include "message_parser.h"
#include "reasoning_pieces.h"

namespace ponder::app {

class MessageContent : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT

    /// Whether text before `</think>` is reasoning: true for DeepSeek-R1's chat
    /// format, false for formats whose models answer directly (message_parser.h).
    /// A change applies from the next clear().
    Q_PROPERTY(bool expectReasoning READ expectReasoning WRITE setExpectReasoning NOTIFY expectReasoningChanged)
    /// The reasoning without its tags, trimmed; grows while it streams.
    Q_PROPERTY(QString reasoning READ reasoning NOTIFY reasoningChanged)
    /// The message has a reasoning section (possibly empty).
    Q_PROPERTY(bool hasReasoning READ hasReasoning NOTIFY stateChanged)
    /// The reasoning is still streaming: no `</think>` yet and not finished.
    Q_PROPERTY(bool inReasoning READ inReasoning NOTIFY stateChanged)
    /// `</think>` arrived; false for reasoning cut off by a stop or the token limit.
    Q_PROPERTY(bool reasoningClosed READ reasoningClosed NOTIFY stateChanged)
    /// The answer's Markdown source after `</think>`, as stored; grows while it streams.
    Q_PROPERTY(QString answer READ answer NOTIFY answerChanged)
    /// Characters of reasoning and of answer: for QML that asks only whether
    /// there is any (binding the text would keep a copy of it).
    Q_PROPERTY(int reasoningLength READ reasoningLength NOTIFY reasoningChanged)
    Q_PROPERTY(int answerLength READ answerLength NOTIFY answerChanged)
    /// The output is complete: finish() or load() was called.
    Q_PROPERTY(bool finished READ finished NOTIFY stateChanged)

public:
    enum Role {
        KindRole = Qt::UserRole + 1,  // "paragraph", "heading", "item", "code", "table", "rule" or "math"
        TextRole,                     // plain text; code: the code; math: the TeX (MarkdownBlock::text)
        HtmlRole,                     // paragraph, heading, item: the inline content as safe rich text
        LanguageRole,                 // code: the fence's language as written; else ""
        ClosedRole,                   // the block will not change any more
        LevelRole,                    // heading: 1 to 6
        ListDepthRole,                // lists the block is inside
        QuoteDepthRole,               // block quotes the block is inside
        MarkerRole,                   // item: "3.", "•"; "" for a task
        TaskRole,                     // item: "", "unchecked" or "checked"
        CellsRole,                    // table: rows (header first) of cells' rich text
        AlignmentsRole,               // table: per column "left", "center", "right" or ""
    };
    Q_ENUM(Role)

    explicit MessageContent(QObject* parent = nullptr);

    bool expectReasoning() const { return m_expectReasoning; }
    void setExpectReasoning(bool expect);
    QString reasoning() const { return m_parser.reasoning(); }
    bool hasReasoning() const { return m_parser.hasReasoning(); }
    bool inReasoning() const { return m_parser.inReasoning(); }
    bool reasoningClosed() const { return m_parser.reasoningClosed(); }
    QString answer() const { return m_parser.answer(); }
    int reasoningLength() const { return int(m_parser.reasoning().size()); }
    int answerLength() const { return int(m_parser.answer().size()); }
    bool finished() const { return m_parser.finished(); }
    const MessageParser& parser() const { return m_parser; }
    /// The reasoning in pieces, each shown as a row of the chat's list (reasoning_pieces.h).
    int reasoningPieceCount() const { return m_pieces.count(); }
    /// Piece `i`'s text: a copy of the piece only (a view of the whole
    /// reasoning kept by QML would make every append copy all of it).
    QString reasoningPiece(int i) const;
    /// Characters the prose's parsing has read so far (markdown_stream.h): a
    /// measure of the work, for tests that it stays linear in the text.
    qint64 parseWork() const;

    /// Adds streamed model output; returns what changed, for storing the differences.
    MessageParser::Delta appendOutput(QStringView chunk);
    Q_INVOKABLE void append(const QString& chunk) { appendOutput(chunk); }
    /// The output ended (complete, stopped or failed).
    Q_INVOKABLE void finish();
    /// Empties the content for a new message.
    Q_INVOKABLE void clear();
    /// Shows a stored message.
    Q_INVOKABLE void load(const QString& reasoning, bool reasoningClosed, const QString& answer);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void expectReasoningChanged();
    void reasoningChanged();
    void answerChanged();
    void stateChanged();
    /// Reasoning pieces from `firstChanged` on have new text, are new, or
    /// went (the count was `countBefore`; clear() and load() change them all).
    void reasoningPiecesChanged(int firstChanged, int countBefore);

private:
    struct State {
        bool hasReasoning, inReasoning, reasoningClosed, finished;
        bool operator==(const State&) const = default;
    };
    State state() const;
    // One row: a block of prose or a code block, and whether it is final.
    struct Row {
        MarkdownBlock block;
        bool closed = false;
        bool operator==(const Row&) const = default;
    };
    void publish(const MessageParser::Delta& delta, const State& before);
    void resetPieces();
    void rebuildFrom(int firstSplitBlock, bool notify);
    void setRows(int firstRow, std::vector<Row> rows);
    void formulaReady(const QString& tex);
    void refreshReadyFormulas();
    void refreshAllFormulas();

    bool m_expectReasoning = true;  // before m_parser, which is built from it
    MessageParser m_parser;
    ReasoningPieces m_pieces;  // of m_parser.reasoning()
    // Per block of the splitter: its prose's stream (null for code), and its first row.
    std::vector<std::unique_ptr<MarkdownStream>> m_streams;
    std::vector<int> m_firstRow;
    std::vector<Row> m_rows;  // what the views know of; catches up with the parser in publish()
    qint64 m_finishedWork = 0;  // work of streams dropped by clear() or load()
    // Formulas rendered since the last refresh: a hostile answer has
    // thousands, and each piece is parsed again once for all of them.
    QSet<QString> m_readyFormulas;
    static constexpr int kFormulaRefreshMs = 100;
};

} // namespace ponder::app
