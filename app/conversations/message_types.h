// What the store keeps about an answer beside its text: how it ended and
// the numbers shown under it. Shared by the store and its text writer.
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace ponder::app {

enum class MessageStatus { Streaming, Complete, Stopped, Error };

// "streaming", "complete", "stopped", "error": in the database and the message list.
QString statusName(MessageStatus status);
std::optional<MessageStatus> statusNamed(QStringView name);

// Why an answer's reasoning ended before the model ended it itself: the
// user asked it to answer now, or the thinking budget was reached.
enum class ReasoningCut { None, AnswerNow, Budget };

// "", "answer now", "budget": in the database.
QString reasoningCutName(ReasoningCut cut);
// The cut `name` names; None for any other name (a newer Ponder's reason).
ReasoningCut reasoningCutNamed(QStringView name);

// The numbers shown under an answer.
struct MessageStats {
    int promptTokens = 0;         // tokens of the prompt the answer continued
    int generatedTokens = 0;      // tokens generated, reasoning included
    int reasoningTokens = 0;      // of those, the ones inside the reasoning
    qint64 firstTokenMs = 0;      // time to first token, ms
    qint64 reasoningMs = 0;       // time spent reasoning, ms
    double tokensPerSecond = 0;   // generation speed, tokens/s
    ReasoningCut reasoningCut = ReasoningCut::None;  // the reasoning was cut short (reasoningTokens before the cut)
    bool operator==(const MessageStats&) const = default;
};

} // namespace ponder::app
