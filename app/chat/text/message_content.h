// The parsed content of one model message for QML: a list model of its answer
// blocks (one row per prose or code block), with its reasoning as
// properties. Rows only change at the end while text streams (see
// block_splitter.h), so a Repeater or ListView over it updates in place.
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <optional>
#include <vector>

#include "message_parser.h"

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
    /// The output is complete: finish() or load() was called.
    Q_PROPERTY(bool finished READ finished NOTIFY stateChanged)

public:
    enum Role {
        KindRole = Qt::UserRole + 1,  // "prose" or "code"
        TextRole,                     // MessageBlock::text
        MarkdownRole,                 // prose: text made safe, math legible (display_markdown.h); code: text
        LanguageRole,                 // code: the fence's language as written; prose: ""
        ClosedRole,                   // MessageBlock::closed
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
    bool finished() const { return m_parser.finished(); }
    const MessageParser& parser() const { return m_parser; }
    /// How many times a prose block was made displayable (displayMarkdown):
    /// once per change of a block's text, however often views read it.
    qint64 markdownPasses() const { return m_markdownPasses; }

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

private:
    struct State {
        bool hasReasoning, inReasoning, reasoningClosed, finished;
        bool operator==(const State&) const = default;
    };
    State state() const;
    QString markdownAt(int row) const;
    void publish(const MessageParser::Delta& delta, const State& before);

    bool m_expectReasoning = true;  // before m_parser, which is built from it
    MessageParser m_parser;
    int m_rows = 0;  // rows the views know of; catches up with the parser in publish()
    // Per row, the MarkdownRole of its text as it is now; empty when not made
    // yet. data() runs for every binding on every update (each 33 ms while
    // streaming), so the clean-up runs once per change instead.
    mutable std::vector<std::optional<QString>> m_markdown;
    mutable qint64 m_markdownPasses = 0;
};

} // namespace ponder::app
