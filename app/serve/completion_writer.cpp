#include "completion_writer.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ponder::serve {

QJsonObject usageJson(const Usage& usage)
{
    return QJsonObject{
        {QStringLiteral("prompt_tokens"), qint64(usage.promptTokens)},
        {QStringLiteral("completion_tokens"), qint64(usage.completionTokens)},
        {QStringLiteral("total_tokens"), qint64(usage.promptTokens) + usage.completionTokens},
        {QStringLiteral("prompt_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), qint64(usage.cachedTokens)}}},
        {QStringLiteral("completion_tokens_details"),
         QJsonObject{{QStringLiteral("reasoning_tokens"), qint64(usage.reasoningTokens)}}},
    };
}

QByteArray sseEvent(const QJsonObject& object)
{
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

QByteArray sseDone()
{
    return QByteArrayLiteral("data: [DONE]\n\n");
}

QString finishReason(StopReason reason, bool stopString)
{
    if (stopString)
        return QStringLiteral("stop");
    switch (reason) {
    case StopReason::EndOfTurn:
    case StopReason::Cancelled: return QStringLiteral("stop");
    case StopReason::MaxTokens:
    case StopReason::ContextFull: return QStringLiteral("length");
    }
    return QStringLiteral("stop");
}

CompletionWriter::CompletionWriter(QString id, qint64 created, QString model, ReasoningFormat format,
                                   bool expectReasoning)
    : m_id(std::move(id)), m_created(created), m_model(std::move(model)), m_format(format),
      m_expectReasoning(expectReasoning), m_parser(expectReasoning)
{
}

CompletionWriter::Delta CompletionWriter::feed(const QString& piece, quint32 tokens)
{
    const auto parsed = m_parser.append(piece);
    if (parsed.reasoningClosed && m_reasoningEnd < 0)
        m_reasoningEnd = tokens;
    if (m_format == ReasoningFormat::Separate)
        return takeNew();
    QString raw = piece;
    if (!m_started && m_expectReasoning)
        raw.prepend(QStringLiteral("<think>\n"));
    m_started = true;
    return {QString(), raw};
}

CompletionWriter::Delta CompletionWriter::close()
{
    m_parser.finish();
    if (m_format == ReasoningFormat::Separate)
        return takeNew();
    return {};
}

CompletionWriter::Delta CompletionWriter::takeNew()
{
    // What the parser's reasoning and answer grew by since the last call.
    Delta delta{m_parser.reasoning().mid(m_sentReasoning), m_parser.answer().mid(m_sentAnswer)};
    m_sentReasoning = m_parser.reasoning().size();
    m_sentAnswer = m_parser.answer().size();
    return delta;
}

quint32 CompletionWriter::reasoningTokens(quint32 completionTokens) const
{
    if (m_reasoningEnd >= 0)
        return std::min(quint32(m_reasoningEnd), completionTokens);
    return m_parser.hasReasoning() ? completionTokens : 0;
}

QJsonObject CompletionWriter::chunk(const QJsonObject& delta, const QJsonValue& finish) const
{
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("delta"), delta},
                             {QStringLiteral("logprobs"), QJsonValue()},
                             {QStringLiteral("finish_reason"), finish}};
    return QJsonObject{{QStringLiteral("id"), m_id},
                       {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                       {QStringLiteral("created"), m_created},
                       {QStringLiteral("model"), m_model},
                       {QStringLiteral("choices"), QJsonArray{choice}}};
}

QByteArray CompletionWriter::deltaEvents(const Delta& delta) const
{
    QByteArray events;
    if (!delta.reasoning.isEmpty())
        events += sseEvent(chunk(QJsonObject{{QStringLiteral("reasoning_content"), delta.reasoning}}, QJsonValue()));
    if (!delta.content.isEmpty())
        events += sseEvent(chunk(QJsonObject{{QStringLiteral("content"), delta.content}}, QJsonValue()));
    return events;
}

QByteArray CompletionWriter::streamStart() const
{
    return sseEvent(chunk(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                      {QStringLiteral("content"), QString()}},
                          QJsonValue()));
}

QByteArray CompletionWriter::streamText(const QString& piece, quint32 tokens)
{
    return deltaEvents(feed(piece, tokens));
}

QByteArray CompletionWriter::streamEnd(const QString& finish, Usage usage, bool includeUsage)
{
    QByteArray events = deltaEvents(close());
    events += sseEvent(chunk(QJsonObject{}, finish));
    if (includeUsage) {
        usage.reasoningTokens = reasoningTokens(usage.completionTokens);
        QJsonObject last = chunk(QJsonObject{}, QJsonValue());
        last.insert(QStringLiteral("choices"), QJsonArray{});
        last.insert(QStringLiteral("usage"), usageJson(usage));
        events += sseEvent(last);
    }
    return events + sseDone();
}

void CompletionWriter::addText(const QString& piece, quint32 tokens)
{
    const Delta delta = feed(piece, tokens);
    m_reasoning += delta.reasoning;
    m_content += delta.content;
}

QByteArray CompletionWriter::completion(const QString& finish, Usage usage)
{
    const Delta rest = close();
    m_reasoning += rest.reasoning;
    m_content += rest.content;
    usage.reasoningTokens = reasoningTokens(usage.completionTokens);
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), m_content}};
    if (m_format == ReasoningFormat::Separate && m_parser.hasReasoning())
        message.insert(QStringLiteral("reasoning_content"), m_reasoning);
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("message"), message},
                             {QStringLiteral("logprobs"), QJsonValue()},
                             {QStringLiteral("finish_reason"), finish}};
    const QJsonObject body{{QStringLiteral("id"), m_id},
                           {QStringLiteral("object"), QStringLiteral("chat.completion")},
                           {QStringLiteral("created"), m_created},
                           {QStringLiteral("model"), m_model},
                           {QStringLiteral("choices"), QJsonArray{choice}},
                           {QStringLiteral("usage"), usageJson(usage)}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace ponder::serve
