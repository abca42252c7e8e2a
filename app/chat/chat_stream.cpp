// ChatController: streaming one answer, from the request to its last token.
#include "chat_controller.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

#include <utility>

Q_DECLARE_LOGGING_CATEGORY(lcChat)

namespace ponder::app {

bool ChatController::startTurn(qint64 assistantId)
{
    m_streamId = assistantId;
    m_streamConversation = m_conversationId;
    m_streamDeleted = false;
    m_streamContent = new MessageContent(this);
    m_streamContent->setExpectReasoning(expectReasoning());
    m_streamContent->clear();
    m_tracker.reset(expectReasoning());
    m_pending.clear();
    m_finishWhenShown = {};
    m_tokens = 0;
    m_reasoningTokens = -1;
    m_firstPieceMs = -1;
    m_reasoningEndMs = -1;
    m_answerNowAsked = false;
    m_reasoningCut = ReasoningCut::None;
    m_messages.setLiveContent(assistantId, m_streamContent);
    reloadMessages();
    setError(QString());
    m_clock.start();
    m_displayTimer.start();
    emit generatingChanged();
    setThinking(m_streamContent->inReasoning());

    const GenerationSettings settings = m_settings.generationSettings(QRandomGenerator::global()->generate64());
    m_thinkingBudget = m_backend->canAnswerNow() ? settings.thinkingBudget : 0;
    m_backend->generate(promptFor(assistantId), settings);
    return true;
}

void ChatController::stop()
{
    if (m_backend && (generating() || m_loading))
        m_backend->stop();
}

bool ChatController::answerNow()
{
    if (!m_thinking || m_answerNowAsked || !canAnswerNow())
        return false;
    qCInfo(lcChat) << "answer" << m_streamId << "asked to answer now after" << m_tokens << "tokens";
    m_answerNowAsked = true;
    m_backend->answerNow();
    emit thinkingChanged();
    return true;
}

void ChatController::setCatchingUp(bool catchingUp)
{
    if (catchingUp == m_catchingUp)
        return;
    m_catchingUp = catchingUp;
    emit catchingUpChanged();
}

void ChatController::setThinking(bool thinking)
{
    if (thinking == m_thinking)
        return;
    m_thinking = thinking;
    emit thinkingChanged();
}

// Why the engine ended the reasoning itself: it was asked to, unless the
// budget was reached (the generator cuts at exactly the budget).
ReasoningCut ChatController::cutReason(int reasoningTokens) const
{
    return m_thinkingBudget > 0 && reasoningTokens >= m_thinkingBudget ? ReasoningCut::Budget
                                                                       : ReasoningCut::AnswerNow;
}

void ChatController::onText(const QString& piece, int tokens)
{
    if (m_streamId < 0)
        return;
    if (m_firstPieceMs < 0)
        m_firstPieceMs = m_clock.elapsed();
    const int before = m_tokens;
    m_tokens = std::max(m_tokens, tokens);
    m_pending += piece;
    // The tracker only times the reasoning: once the answer began it has
    // nothing left to learn (and would keep a second copy of the answer,
    // split into blocks per piece).
    if (m_tracker.inAnswer())
        return;
    if (m_tracker.append(piece).reasoningClosed && m_reasoningTokens < 0) {
        // A piece without a token of its own (chat_backend.h) is the engine
        // ending a reasoning cut short: every token so far was reasoning.
        // Else `</think>` is one token of its own: the ones before it were.
        const bool cut = m_backend->canAnswerNow() && before > 0 && tokens <= before;
        m_reasoningTokens = cut ? tokens : std::max(0, tokens - 1);
        if (cut)
            m_reasoningCut = cutReason(m_reasoningTokens);
        m_reasoningEndMs = m_clock.elapsed();
    }
}

// The numbers while the answer streams: reasoning runs from the first token
// until `</think>` (or until now while it is still open).
MessageStats ChatController::liveStats() const
{
    MessageStats stats;
    stats.generatedTokens = m_tokens;
    stats.firstTokenMs = std::max<qint64>(0, m_firstPieceMs);
    if (m_reasoningTokens >= 0) {
        stats.reasoningTokens = m_reasoningTokens;
        stats.reasoningMs = m_reasoningEndMs - m_firstPieceMs;
    } else if (m_tracker.hasReasoning()) {
        stats.reasoningTokens = m_tokens;
        stats.reasoningMs = m_firstPieceMs < 0 ? 0 : m_clock.elapsed() - m_firstPieceMs;
    }
    stats.reasoningCut = m_reasoningCut;
    return stats;
}

// The display tick: what arrived since the last one goes to the screen and the store at once.
void ChatController::flushPending()
{
    if (m_streamId < 0)
        return;
    const int row = m_messages.rowOf(m_streamId);
    if (!m_pending.isEmpty()) {
        qsizetype take = std::min(m_pending.size(), kMaxCharsPerTick);
        if (take < m_pending.size() && m_pending[take - 1].isHighSurrogate())
            --take;  // a character is not split between ticks
        const MessageParser::Delta delta = m_streamContent->appendOutput(QStringView(m_pending).left(take));
        m_pending.remove(0, take);
        if (!m_streamDeleted && !m_store.appendToMessage(m_streamId, delta.reasoning, delta.answer))
            setError(m_store.errorString());
        m_messages.contentChanged(row);
    }
    m_messages.setStats(row, liveStats());
    setThinking(m_streamContent->inReasoning());
    setCatchingUp(!m_pending.isEmpty());
    if (m_finishWhenShown && m_pending.size() <= kMaxCharsPerTick)
        std::exchange(m_finishWhenShown, {})();
}

// True when the output that ended is not all shown yet: `finish` runs from
// the display tick that shows the rest.
bool ChatController::finishLater(std::function<void()> finish)
{
    if (m_pending.size() <= kMaxCharsPerTick)
        return false;
    m_finishWhenShown = std::move(finish);
    return true;
}

void ChatController::onFinished(const QVariantMap& result)
{
    if (m_streamId < 0 || finishLater([this, result] { onFinished(result); }))
        return;
    flushPending();
    m_tracker.finish();
    MessageStats stats = liveStats();
    stats.promptTokens = result.value(QStringLiteral("promptTokens")).toInt();
    stats.generatedTokens = result.value(QStringLiteral("generatedTokens")).toInt();
    stats.firstTokenMs = qint64(result.value(QStringLiteral("firstTokenSeconds")).toDouble() * 1000.0);
    stats.tokensPerSecond = result.value(QStringLiteral("tokensPerSecond")).toDouble();
    // A server may count the reasoning itself (usage.completion_tokens_details):
    // better than counting its chunks.
    if (result.contains(QStringLiteral("reasoningTokens")))
        stats.reasoningTokens = result.value(QStringLiteral("reasoningTokens")).toInt();
    stats.reasoningTokens = std::min(stats.reasoningTokens, stats.generatedTokens);
    // The engine's word on a cut is final: a `</think>` that came as the
    // user asked was the model's own.
    const bool cut = result.value(QStringLiteral("reasoningCutShort")).toBool();
    stats.reasoningCut = cut ? cutReason(stats.reasoningTokens) : ReasoningCut::None;
    const bool cancelled = result.value(QStringLiteral("stopReason")).toString() == QLatin1String("cancelled");
    finishStream(cancelled ? MessageStatus::Stopped : MessageStatus::Complete, stats, QString());
}

void ChatController::onFailed(const QString& error)
{
    if (m_streamId < 0 || finishLater([this, error] { onFailed(error); }))
        return;
    flushPending();
    m_tracker.finish();
    finishStream(MessageStatus::Error, liveStats(), error);
}

void ChatController::finishStream(MessageStatus status, const MessageStats& stats, const QString& error)
{
    m_displayTimer.stop();
    m_streamContent->finish();
    // The parser decides held-back text at the end: store the final text whole.
    if (!m_streamDeleted &&
        (!m_store.setMessageText(m_streamId, m_streamContent->reasoning(), m_streamContent->answer()) ||
         !m_store.finishMessage(m_streamId, status, stats, error)))
        setError(m_store.errorString());
    qCInfo(lcChat) << "answer" << m_streamId << statusName(status) << stats.generatedTokens
                   << "tokens," << stats.reasoningTokens << "reasoning," << stats.tokensPerSecond << "tokens/s";

    const int row = m_messages.rowOf(m_streamId);
    if (row >= 0) {
        m_streamContent->setParent(&m_messages);  // the list keeps showing it
        m_messages.setStats(row, stats);
        m_messages.setStatus(row, status, error);
        m_messages.contentChanged(row);
    } else {
        m_streamContent->deleteLater();
    }
    m_messages.setLiveContent(-1, nullptr);
    m_streamContent = nullptr;
    m_streamId = -1;
    setThinking(false);
    setCatchingUp(false);
    m_streamConversation = -1;
    if (!error.isEmpty())
        setError(error);
    emit generatingChanged();
}

} // namespace ponder::app
