#include "message_parser.h"

#include <algorithm>
#include <utility>

namespace ponder::app {
namespace {

constexpr QStringView kOpenTag = u"<think>";
constexpr QStringView kCloseTag = u"</think>";

qsizetype leadingSpace(QStringView text)
{
    qsizetype n = 0;
    while (n < text.size() && text[n].isSpace())
        ++n;
    return n;
}

qsizetype withoutTrailingSpace(QStringView text)
{
    qsizetype n = text.size();
    while (n > 0 && text[n - 1].isSpace())
        --n;
    return n;
}

// Length of the longest end of `text` that is the start of `tag` but not all of it.
qsizetype partialTagAtEnd(QStringView text, QStringView tag)
{
    for (qsizetype n = std::min(text.size(), tag.size() - 1); n > 0; --n)
        if (tag.startsWith(text.right(n)))
            return n;
    return 0;
}

} // namespace

MessageParser::MessageParser(bool expectReasoning) : m_expectReasoning(expectReasoning) {}

MessageParser::Delta MessageParser::append(QStringView chunk)
{
    Delta delta;
    if (m_finished || chunk.isEmpty())
        return delta;
    QString text;
    text.reserve(chunk.size() + 1);
    qsizetype i = 0;
    if (m_pendingCr) {
        m_pendingCr = false;
        text += u'\n';
        if (chunk[0] == u'\n')
            i = 1;
    }
    for (; i < chunk.size(); ++i) {
        if (chunk[i] != u'\r') {
            text += chunk[i];
        } else if (i + 1 == chunk.size()) {
            m_pendingCr = true;  // decided by the next chunk
        } else {
            text += u'\n';
            if (chunk[i + 1] == u'\n')
                ++i;
        }
    }
    feed(std::move(text), delta);
    delta.firstChangedBlock = m_blocks.takeFirstChanged();
    return delta;
}

MessageParser::Delta MessageParser::finish()
{
    Delta delta;
    if (m_finished)
        return delta;
    if (std::exchange(m_pendingCr, false))
        feed(QStringLiteral("\n"), delta);
    if (m_state == State::Start) {
        // Output too short to tell whether it opened with a tag: it is text.
        m_state = m_expectReasoning ? State::Reasoning : State::Answer;
        m_hadReasoning = m_expectReasoning;
        if (m_state == State::Answer)
            feedAnswer(std::exchange(m_held, QString()), delta);
    }
    if (m_state == State::Reasoning) {
        addReasoning(QStringView(m_held).left(withoutTrailingSpace(m_held)), delta);
        m_held.clear();
    }
    m_blocks.finish();
    m_finished = true;
    delta.firstChangedBlock = m_blocks.takeFirstChanged();
    return delta;
}

void MessageParser::reset(bool expectReasoning)
{
    *this = MessageParser(expectReasoning);
}

void MessageParser::load(const QString& reasoning, bool reasoningClosed, const QString& answer)
{
    reset(m_expectReasoning);
    m_state = State::Answer;
    m_reasoning = reasoning;
    m_hadReasoning = !reasoning.isEmpty() || reasoningClosed;
    m_reasoningClosed = reasoningClosed;
    m_answer = answer;
    m_blocks.append(answer);
    m_blocks.finish();
    m_blocks.takeFirstChanged();
    m_finished = true;
}

void MessageParser::feed(QString text, Delta& delta)
{
    switch (m_state) {
    case State::Start:
        m_held += text;
        feedStart(delta);
        break;
    case State::Reasoning:
        m_held += text;
        feedReasoning(delta);
        break;
    case State::Answer:
        feedAnswer(text, delta);
        break;
    }
}

// At the very start: waits until the output either opens with `<think>` or
// cannot any more.
void MessageParser::feedStart(Delta& delta)
{
    const qsizetype space = leadingSpace(m_held);
    const QStringView rest = QStringView(m_held).mid(space);
    if (rest.size() < kOpenTag.size() && kOpenTag.startsWith(rest))
        return;
    if (rest.startsWith(kOpenTag)) {
        m_held.remove(0, space + kOpenTag.size());
        m_state = State::Reasoning;
    } else {
        m_state = m_expectReasoning ? State::Reasoning : State::Answer;
    }
    if (m_state == State::Reasoning) {
        m_hadReasoning = true;
        feedReasoning(delta);
    } else {
        feedAnswer(std::exchange(m_held, QString()), delta);
    }
}

void MessageParser::feedReasoning(Delta& delta)
{
    const qsizetype close = m_held.indexOf(kCloseTag);
    if (close >= 0) {
        const QString rest = m_held.mid(close + kCloseTag.size());
        addReasoning(QStringView(m_held).left(withoutTrailingSpace(QStringView(m_held).left(close))), delta);
        m_held.clear();
        m_state = State::Answer;
        m_reasoningClosed = true;
        delta.reasoningClosed = true;
        feedAnswer(rest, delta);
        return;
    }
    // Release everything but a possible partial tag and the white space
    // before it, which is only shown once more reasoning follows it.
    const QStringView beforeTag = QStringView(m_held).left(m_held.size() - partialTagAtEnd(m_held, kCloseTag));
    const qsizetype release = withoutTrailingSpace(beforeTag);
    addReasoning(QStringView(m_held).left(release), delta);
    m_held.remove(0, release);
}

void MessageParser::feedAnswer(QStringView text, Delta& delta)
{
    if (text.isEmpty())
        return;
    QString visible;
    if (m_answer.isEmpty()) {
        // Drop leading blank lines, but keep the first line's indentation.
        m_answerHead += text;
        const qsizetype first = leadingSpace(m_answerHead);
        if (first == m_answerHead.size())
            return;
        const qsizetype lineStart = first == 0 ? 0 : m_answerHead.lastIndexOf(u'\n', first - 1) + 1;
        visible = m_answerHead.mid(lineStart);
        m_answerHead.clear();
        text = visible;
    }
    grow(m_answer, text);
    delta.answer += text;
    m_blocks.append(text);
}

void MessageParser::grow(QString& target, QStringView text)
{
    if (!target.isDetached())
        m_copiedOnAppend += target.size();
    target += text;
}

void MessageParser::addReasoning(QStringView text, Delta& delta)
{
    if (m_reasoning.isEmpty())
        text = text.mid(leadingSpace(text));
    if (text.isEmpty())
        return;
    grow(m_reasoning, text);
    delta.reasoning += text;
}

} // namespace ponder::app
