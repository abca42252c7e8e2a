// One answer written out in OpenAI's formats: server-sent events of
// chat.completion.chunk objects while it streams, or one chat.completion
// object at the end. R1's raw output is split into reasoning and answer by
// the chat's own MessageParser (app/chat/text), so the server and the app
// read `<think>` the same way: with ReasoningFormat::Separate reasoning goes
// out as delta.reasoning_content (message.reasoning_content), as DeepSeek's
// API sends it; with Inline the raw text goes out as content, the `<think>\n`
// the R1 template pre-fills put back in front so the tags balance.
//
// usage: prompt_tokens, completion_tokens (reasoning included),
// completion_tokens_details.reasoning_tokens (the tokens up to and including
// the one that closes the reasoning; all of them while it never closes),
// prompt_tokens_details.cached_tokens (reused from the previous request).
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "chat_request.h"
#include "message_parser.h"

namespace ponder::serve {

struct Usage {
    quint32 promptTokens = 0;
    quint32 completionTokens = 0;
    quint32 reasoningTokens = 0;
    quint32 cachedTokens = 0;
};
QJsonObject usageJson(const Usage& usage);

// "data: {json}\n\n"
QByteArray sseEvent(const QJsonObject& object);
// "data: [DONE]\n\n": the end of every stream.
QByteArray sseDone();
// OpenAI's finish_reason for how a generation ended: "stop" (its own end or
// a stop string), "length" (max_tokens or a full context).
QString finishReason(StopReason reason, bool stopString);

class CompletionWriter {
public:
    // `expectReasoning`: the chat format opens the output inside the
    // reasoning (DeepSeek-R1's). `id` like "chatcmpl-...", `created` in Unix seconds.
    CompletionWriter(QString id, qint64 created, QString model, ReasoningFormat format, bool expectReasoning);

    // Streaming: the first event (the assistant role), one or two events per
    // piece (none while the parser holds text back), and the end: the
    // held-back text, the finish reason, the usage when asked, [DONE].
    QByteArray streamStart() const;
    QByteArray streamText(const QString& piece, quint32 tokens);
    QByteArray streamEnd(const QString& finish, Usage usage, bool includeUsage);

    // Not streaming: collect the pieces, then the whole chat.completion.
    void addText(const QString& piece, quint32 tokens);
    QByteArray completion(const QString& finish, Usage usage);

    // reasoning_tokens for an answer of `completionTokens` tokens.
    quint32 reasoningTokens(quint32 completionTokens) const;

private:
    struct Delta {
        QString reasoning;
        QString content;
    };
    Delta feed(const QString& piece, quint32 tokens);
    Delta close();
    Delta takeNew();
    QByteArray deltaEvents(const Delta& delta) const;
    QJsonObject chunk(const QJsonObject& delta, const QJsonValue& finish) const;

    QString m_id;
    qint64 m_created;
    QString m_model;
    ReasoningFormat m_format;
    bool m_expectReasoning;
    app::MessageParser m_parser;
    qsizetype m_sentReasoning = 0;  // of the parser's reasoning() and answer(), what went out
    qsizetype m_sentAnswer = 0;
    bool m_started = false;        // inline: "<think>\n" has been put in front
    qint64 m_reasoningEnd = -1;    // tokens when the reasoning closed; -1: not (yet)
    QString m_reasoning;           // not streaming: the whole answer so far
    QString m_content;
};

} // namespace ponder::serve
