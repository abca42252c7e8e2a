// The response writers: streamed chunks in OpenAI's chat.completion.chunk
// shape, read back by Ponder's own client code (SseReader, parseChatChunk,
// ReasoningJoiner) however the output was cut; reasoning apart as
// reasoning_content or inline with its <think> tags; usage with
// reasoning_tokens; the non-streamed chat.completion; [DONE] last.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "completion_writer.h"
#include "openai_protocol.h"

using namespace ponder;
using namespace ponder::serve;

namespace {

const QString kOutput = QStringLiteral("Let me add: 2 + 2 = 4.\n</think>\n\nThe answer is **4**.");

// The output cut into pieces of `size` characters, token counts one per piece.
QStringList cut(const QString& text, int size)
{
    QStringList pieces;
    for (qsizetype at = 0; at < text.size(); at += size)
        pieces.append(text.mid(at, size));
    return pieces;
}

struct ReadBack {
    QString reasoning;
    QString content;
    QString finishReason;
    std::optional<QVariantMap> usage;
    int done = 0;
    int chunks = 0;
};

ReadBack readBack(const QByteArray& stream)
{
    ReadBack result;
    app::SseReader reader;
    for (const QByteArray& payload : reader.feed(stream)) {
        const app::ChatChunk chunk = app::parseChatChunk(payload);
        if (chunk.kind == app::ChatChunk::Kind::Done) {
            ++result.done;
            continue;
        }
        if (chunk.kind != app::ChatChunk::Kind::Delta)
            qFatal("not a chunk: %s", payload.constData());
        // Every chunk is a chat.completion.chunk with an id.
        const QJsonObject object = QJsonDocument::fromJson(payload).object();
        if (object.value(u"object").toString() != u"chat.completion.chunk" || object.value(u"id").toString().isEmpty())
            qFatal("not a chat.completion.chunk: %s", payload.constData());
        ++result.chunks;
        result.reasoning += chunk.reasoning;
        result.content += chunk.content;
        if (!chunk.finishReason.isEmpty())
            result.finishReason = chunk.finishReason;
        if (chunk.usage)
            result.usage = chunk.usage;
    }
    return result;
}

} // namespace

class TestCompletionWriter : public QObject {
    Q_OBJECT

private slots:
    void streamsReasoningApart_data()
    {
        QTest::addColumn<int>("pieceSize");
        for (int size : {1, 2, 3, 7, 1000})
            QTest::addRow("pieces of %d", size) << size;
    }

    void streamsReasoningApart()
    {
        QFETCH(int, pieceSize);
        CompletionWriter writer(QStringLiteral("chatcmpl-1"), 1700000000, QStringLiteral("tiny"),
                                ReasoningFormat::Separate, true);
        QByteArray stream = writer.streamStart();
        const QStringList pieces = cut(kOutput, pieceSize);
        const qsizetype closing = kOutput.indexOf(u"</think>") + 8;  // the piece that completes the tag
        quint32 tokens = 0;
        quint32 closedAt = 0;
        qsizetype at = 0;
        for (const QString& piece : pieces) {
            stream += writer.streamText(piece, ++tokens);
            at += piece.size();
            if (closedAt == 0 && at >= closing)
                closedAt = tokens;
        }
        stream += writer.streamEnd(QStringLiteral("stop"), Usage{.promptTokens = 12, .completionTokens = tokens,
                                                                 .cachedTokens = 5},
                                   true);
        QVERIFY(stream.endsWith("data: [DONE]\n\n"));
        const ReadBack back = readBack(stream);
        QCOMPARE(back.reasoning, QStringLiteral("Let me add: 2 + 2 = 4."));
        QCOMPARE(back.content, QStringLiteral("The answer is **4**."));
        QCOMPARE(back.finishReason, QStringLiteral("stop"));
        QCOMPARE(back.done, 1);
        QVERIFY(back.usage);
        QCOMPARE(back.usage->value(QStringLiteral("prompt_tokens")).toInt(), 12);
        QCOMPARE(back.usage->value(QStringLiteral("completion_tokens")).toInt(), int(tokens));
        QCOMPARE(back.usage->value(QStringLiteral("total_tokens")).toInt(), 12 + int(tokens));
        QCOMPARE(back.usage->value(QStringLiteral("completion_tokens_details")).toMap().value(QStringLiteral("reasoning_tokens")).toInt(),
                 int(closedAt));
        QCOMPARE(back.usage->value(QStringLiteral("prompt_tokens_details")).toMap().value(QStringLiteral("cached_tokens")).toInt(),
                 5);
        // What Ponder's own client makes of it: the raw form its parser splits.
        app::ReasoningJoiner joiner;
        QString joined = joiner.join(back.reasoning, QString());
        joined += joiner.join(QString(), back.content);
        QCOMPARE(joined,
                 QStringLiteral("<think>\nLet me add: 2 + 2 = 4.\n</think>\n\nThe answer is **4**."));
    }

    void streamsReasoningInline()
    {
        CompletionWriter writer(QStringLiteral("chatcmpl-2"), 1700000000, QStringLiteral("tiny"),
                                ReasoningFormat::Inline, true);
        QByteArray stream = writer.streamStart();
        quint32 tokens = 0;
        for (const QString& piece : cut(kOutput, 3))
            stream += writer.streamText(piece, ++tokens);
        stream += writer.streamEnd(QStringLiteral("length"), Usage{.promptTokens = 3, .completionTokens = tokens},
                                   false);
        const ReadBack back = readBack(stream);
        QCOMPARE(back.reasoning, QString());
        QCOMPARE(back.content, QStringLiteral("<think>\n") + kOutput);
        QCOMPARE(back.finishReason, QStringLiteral("length"));
        QVERIFY(!back.usage);  // not asked for
        QCOMPARE(back.done, 1);
    }

    void withoutReasoning()
    {
        // A ChatML model answers directly: everything is content, no reasoning tokens.
        CompletionWriter writer(QStringLiteral("chatcmpl-3"), 1, QStringLiteral("m"), ReasoningFormat::Separate, false);
        // One statement per call: the order of operands of + is unspecified.
        QByteArray stream = writer.streamStart();
        stream += writer.streamText(QStringLiteral("Hello"), 1);
        stream += writer.streamText(QStringLiteral(" there"), 2);
        stream += writer.streamEnd(QStringLiteral("stop"), Usage{.promptTokens = 3, .completionTokens = 2}, true);
        const ReadBack back = readBack(stream);
        QCOMPARE(back.content, QStringLiteral("Hello there"));
        QCOMPARE(back.reasoning, QString());
        QCOMPARE(back.usage->value(QStringLiteral("completion_tokens_details")).toMap().value(QStringLiteral("reasoning_tokens")).toInt(), 0);
    }

    void unclosedReasoningCountsEveryToken()
    {
        CompletionWriter writer(QStringLiteral("chatcmpl-4"), 1, QStringLiteral("m"), ReasoningFormat::Separate, true);
        QByteArray stream = writer.streamStart();
        stream += writer.streamText(QStringLiteral("Hmm, let"), 1);
        stream += writer.streamText(QStringLiteral(" me see"), 2);
        stream += writer.streamEnd(QStringLiteral("length"), Usage{.promptTokens = 3, .completionTokens = 2}, true);
        const ReadBack back = readBack(stream);
        QCOMPARE(back.reasoning, QStringLiteral("Hmm, let me see"));
        QCOMPARE(back.content, QString());
        QCOMPARE(back.usage->value(QStringLiteral("completion_tokens_details")).toMap().value(QStringLiteral("reasoning_tokens")).toInt(), 2);
    }

    void wholeCompletion()
    {
        CompletionWriter writer(QStringLiteral("chatcmpl-5"), 1700000000, QStringLiteral("tiny"),
                                ReasoningFormat::Separate, true);
        quint32 tokens = 0;
        for (const QString& piece : cut(kOutput, 4))
            writer.addText(piece, ++tokens);
        const QJsonObject body =
            QJsonDocument::fromJson(writer.completion(QStringLiteral("stop"),
                                                      Usage{.promptTokens = 7, .completionTokens = tokens}))
                .object();
        QCOMPARE(body.value(u"object").toString(), QStringLiteral("chat.completion"));
        QCOMPARE(body.value(u"model").toString(), QStringLiteral("tiny"));
        const QJsonObject choice = body.value(u"choices").toArray().first().toObject();
        QCOMPARE(choice.value(u"finish_reason").toString(), QStringLiteral("stop"));
        const QJsonObject message = choice.value(u"message").toObject();
        QCOMPARE(message.value(u"role").toString(), QStringLiteral("assistant"));
        QCOMPARE(message.value(u"reasoning_content").toString(), QStringLiteral("Let me add: 2 + 2 = 4."));
        QCOMPARE(message.value(u"content").toString(), QStringLiteral("The answer is **4**."));
        const QJsonObject usage = body.value(u"usage").toObject();
        QCOMPARE(usage.value(u"completion_tokens").toInt(), int(tokens));
        QVERIFY(usage.value(u"completion_tokens_details").toObject().value(u"reasoning_tokens").toInt() > 0);
        QVERIFY(usage.value(u"completion_tokens_details").toObject().value(u"reasoning_tokens").toInt() < int(tokens));
    }

    void finishReasons()
    {
        QCOMPARE(finishReason(StopReason::EndOfTurn, false), QStringLiteral("stop"));
        QCOMPARE(finishReason(StopReason::Cancelled, true), QStringLiteral("stop"));
        QCOMPARE(finishReason(StopReason::MaxTokens, false), QStringLiteral("length"));
        QCOMPARE(finishReason(StopReason::ContextFull, false), QStringLiteral("length"));
    }
};

QTEST_GUILESS_MAIN(TestCompletionWriter)
#include "tst_completion_writer.moc"
