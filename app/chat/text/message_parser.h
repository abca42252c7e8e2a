// Splits a model's streamed output into its reasoning and its answer, and the
// answer into prose and code blocks (block_splitter.h), as the text arrives.
//
// The R1 chat template pre-fills `<think>\n`, so R1's output usually holds
// only the closing `</think>`: everything before it is reasoning. Output that
// begins with `<think>` (after white space) has that tag dropped too. Tags may
// arrive cut anywhere (`</th` + `ink>`): a possible partial tag is held back
// until the next text decides it, so half a tag is never shown. Reasoning
// that never closes (stopped, out of tokens) stays reasoning, with
// reasoningClosed() false.
//
// expectReasoning (set from the chat format: true for DeepSeek-R1's) decides
// what text before any `</think>` is. True: reasoning, as above. False (ChatML
// or Llama 3 models, which answer directly): it is answer, unless the output
// opens with `<think>`, in which case that section is reasoning until
// `</think>`. A model without reasoning then shows its answer at once instead
// of an endless "Thinking…".
//
// Clean-up, so stored and displayed text is the same whatever the chunking:
// line breaks are normalised to '\n' (CRLF and lone CR); reasoning is trimmed
// (leading white space dropped, trailing white space held back until more
// text follows it); the answer loses its leading blank lines. reasoning() and
// answer() only ever grow while streaming, so a caller can store the
// differences (see Delta). The state after any text is the same however that
// text was cut into chunks.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include "block_splitter.h"

namespace ponder::app {

class MessageParser {
public:
    // What one append() or finish() changed.
    struct Delta {
        QString reasoning;          // text added to reasoning()
        QString answer;             // text added to answer()
        int firstChangedBlock = -1; // blocks from this index on changed or are new; -1: none
        bool reasoningClosed = false;  // the reasoning section closed during this call
    };

    explicit MessageParser(bool expectReasoning = true);

    Delta append(QStringView chunk);
    // End of the output: held-back text is decided (a partial tag at the end
    // is ordinary text), unclosed reasoning stays unclosed, every block closes.
    Delta finish();
    // Forgets everything and starts a new message.
    void reset(bool expectReasoning);
    // Shows a stored message: the parts as append() and finish() had produced them.
    void load(const QString& reasoning, bool reasoningClosed, const QString& answer);

    bool expectReasoning() const { return m_expectReasoning; }
    bool finished() const { return m_finished; }
    // The output has a reasoning section (expected, or opened by `<think>`).
    bool hasReasoning() const { return m_hadReasoning || (m_state == State::Start && m_expectReasoning); }
    // Still inside the reasoning section; false once `</think>` arrived or the output finished.
    bool inReasoning() const { return hasReasoning() && !m_reasoningClosed && !m_finished; }
    bool reasoningClosed() const { return m_reasoningClosed; }
    // Whatever follows is answer: the reasoning, if any, is closed or was never there.
    bool inAnswer() const { return m_state == State::Answer; }
    const QString& reasoning() const { return m_reasoning; }
    const QString& answer() const { return m_answer; }
    const QList<MessageBlock>& blocks() const { return m_blocks.blocks(); }
    // Characters copied because the reasoning, the answer or a block was
    // shared when it grew (a second holder of a growing string makes each
    // append copy all of it): for tests that streaming stays linear.
    qsizetype copiedOnAppend() const { return m_copiedOnAppend + m_blocks.copiedOnAppend(); }

private:
    enum class State { Start, Reasoning, Answer };

    void feed(QString text, Delta& delta);
    void feedStart(Delta& delta);
    void feedReasoning(Delta& delta);
    void feedAnswer(QStringView text, Delta& delta);
    void addReasoning(QStringView text, Delta& delta);
    void grow(QString& target, QStringView text);

    bool m_expectReasoning = true;
    State m_state = State::Start;
    bool m_pendingCr = false;   // a '\r' ended the last chunk: it may be half of a CRLF
    QString m_held;             // undecided text: a possible tag, trailing white space of the reasoning
    QString m_reasoning;
    bool m_hadReasoning = false;
    bool m_reasoningClosed = false;
    QString m_answer;
    QString m_answerHead;       // leading white space of the answer, until its first visible character
    BlockSplitter m_blocks;
    bool m_finished = false;
    qsizetype m_copiedOnAppend = 0;
};

} // namespace ponder::app
