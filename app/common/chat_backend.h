// The one interface the chat talks to, whoever answers: the engine on this
// machine (LocalEngine: a model file on a Vulkan adapter or the CPU) or a
// model served elsewhere (OpenAiClient). ChatController holds one backend
// and never asks which kind it is; a new kind (a split across devices, the
// native CPU engine) is a new ChatBackend.
//
// The lifetime of one backend: open() once (openProgress..., then opened or
// openFailed), then any number of answers, one at a time: generate(), text
// as it is produced, then exactly one of finished or failed. stop() ends an
// answer (finished with stopReason "cancelled") or the opening (openFailed);
// its signal comes later, never from inside stop().
#pragma once

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QVariantMap>

#include "ponder/chat_template.h"
#include "ponder/sampler.h"

namespace ponder::app {

// The one message role (the engine's): system, user, assistant.
using MessageRole = ChatRole;

// "system", "user", "assistant": the names the database and the
// OpenAI-compatible protocol use.
QString roleName(MessageRole role);
// The role named `name`; nullopt for any other name.
std::optional<MessageRole> roleNamed(QStringView name);

// One conversation turn handed to a backend; assistant content may hold
// reasoning (the template drops it).
struct ChatTurn {
    MessageRole role = MessageRole::User;
    QString content;
};

// How one answer is made: the engine's sampler (temperature, top-k, top-p,
// min-p, repetition penalty, seed, greedy) and what the chat adds.
struct GenerationSettings {
    SamplerConfig sampler;
    int maxTokens = 4096;  // tokens in the answer, reasoning included
    // Reasoning tokens after which the reasoning is ended and the model
    // answers from what it has thought (0: no limit). The engine on this
    // machine only: a server cannot be told.
    int thinkingBudget = 0;
};

// The longest context a model is opened with, in tokens: the R1 distills' trained context.
inline constexpr int kMaxContextLength = 131072;

class ChatBackend : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    // Makes the model ready to answer: loads the file on its device, or asks
    // the server whether it serves the model. Emits opened or openFailed.
    virtual void open() = 0;
    // Streams an answer to `turns`: text as it is produced, then finished or failed.
    virtual void generate(const QList<ponder::app::ChatTurn>& turns, const ponder::app::GenerationSettings& settings) = 0;
    // Stops the answer or the opening (see above); nothing when neither runs.
    virtual void stop() = 0;
    // Whether answerNow() does anything: the engine on this machine ends
    // the reasoning itself; a server reasons until it is done.
    virtual bool canAnswerNow() const { return false; }
    // Ends the reasoning of the answer streaming now where it stands ("\n</think>\n\n"
    // into the context), so the model writes its answer from what it has
    // thought. Thread-safe; nothing when no answer reasons. A server cannot
    // be told: by default nothing happens.
    virtual void answerNow() {}

signals:
    // Fraction of the model loaded, 0..1; -1 while unknown.
    void openProgress(double fraction);
    // info: name, device, and what the backend knows besides (chat_engine.h
    // for a local model; remote and serverUrl for a server); expectReasoning
    // is true where the output starts inside the reasoning (R1's format);
    // summary is what the status line says of the model, in the user's words.
    void opened(const QVariantMap& info);
    void openFailed(const QString& error);
    // The model was dropped (its GPU was lost); open a model again to go on.
    void closed();
    // A piece of the answer; `tokens` counts the tokens so far, this piece's
    // included. Text the engine put in itself (the end of a reasoning cut
    // short) brings no token: `tokens` stays where it was.
    void text(const QString& piece, int tokens);
    // stats: promptTokens, generatedTokens, firstTokenSeconds, tokensPerSecond,
    // stopReason ("end of turn", "token limit", "cancelled"), and
    // reasoningTokens where the backend counts them itself; reasoningCutShort
    // (true) when the reasoning was ended by answerNow() or the thinking
    // budget, with reasoningTokens then the tokens before the cut.
    void finished(const QVariantMap& stats);
    void failed(const QString& error);
};

} // namespace ponder::app

Q_DECLARE_METATYPE(ponder::app::ChatTurn)
Q_DECLARE_METATYPE(ponder::app::GenerationSettings)
