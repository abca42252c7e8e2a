// The OpenAI-compatible client against a scripted local server: the URL
// rule, server-sent events cut anywhere, reasoning sent apart
// (reasoning_content) or inline (<think> tags), the request it sends, the
// numbers from the usage, and every way an answer can end: done, out of
// tokens, stopped, an HTTP error, an error event, a cut connection, a stall,
// a wrong API key, no server at all.
#include <QtTest>

#include <QJsonArray>
#include <QTcpServer>

#include "fake_openai_server.h"
#include "message_parser.h"
#include "openai_client.h"

using namespace ponder;
using namespace ponder::app;
using test::FakeOpenAiServer;

namespace {

constexpr int kTimeoutMs = 10000;

// Everything one generate() produced. Deleting it disconnects it.
struct Answer : QObject {
    QString text;
    QList<int> tokenCounts;
    std::optional<QVariantMap> stats;
    std::optional<QString> error;
    bool ended() const { return stats || error; }
};

std::unique_ptr<Answer> record(OpenAiClient& client)
{
    auto owned = std::make_unique<Answer>();
    Answer* answer = owned.get();
    QObject::connect(&client, &OpenAiClient::text, answer, [answer](const QString& piece, int tokens) {
        answer->text += piece;
        answer->tokenCounts.append(tokens);
    });
    QObject::connect(&client, &OpenAiClient::finished, answer, [answer](const QVariantMap& s) { answer->stats = s; });
    QObject::connect(&client, &OpenAiClient::failed, answer, [answer](const QString& e) { answer->error = e; });
    return owned;
}

// The bytes of `events` re-cut into pieces of `size` bytes (1: byte by byte).
QList<QByteArray> recut(const QList<QByteArray>& events, int size)
{
    const QByteArray all = events.join();
    QList<QByteArray> pieces;
    for (qsizetype at = 0; at < all.size(); at += size)
        pieces.append(all.mid(at, size));
    return pieces;
}

QList<ChatTurn> question()
{
    return {{MessageRole::User, QStringLiteral("What is 2+2?")}};
}

QJsonObject usage(int prompt, int completion, int reasoning)
{
    return QJsonObject{{QStringLiteral("choices"), QJsonArray{}},
                       {QStringLiteral("usage"),
                        QJsonObject{{QStringLiteral("prompt_tokens"), prompt},
                                    {QStringLiteral("completion_tokens"), completion},
                                    {QStringLiteral("completion_tokens_details"),
                                     QJsonObject{{QStringLiteral("reasoning_tokens"), reasoning}}}}}};
}

} // namespace

class TestOpenAiClient : public QObject {
    Q_OBJECT

    std::unique_ptr<FakeOpenAiServer> m_server;
    std::unique_ptr<OpenAiClient> m_client;

    void connectTo(const QString& model = QStringLiteral("deepseek-r1"), const QString& key = QString())
    {
        m_client->setEndpoint({m_server->url(), model, key});
    }

    // Sends `turns` and waits (up to kTimeoutMs) for the answer to end.
    std::unique_ptr<Answer> ask(const QList<ChatTurn>& turns = question(), const GenerationSettings& settings = {})
    {
        auto answer = record(*m_client);
        m_client->generate(turns, settings);
        // qWait keeps handling events while it waits (qWaitFor sleeps between
        // checks, which slows a stream of many tiny pieces to a crawl).
        for (QDeadlineTimer deadline(kTimeoutMs); !answer->ended() && !deadline.hasExpired();)
            QTest::qWait(5);
        return answer;
    }

private slots:
    void init()
    {
        m_server = std::make_unique<FakeOpenAiServer>();
        QVERIFY(m_server->listen());
        m_client = std::make_unique<OpenAiClient>();
        connectTo();
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void baseUrl_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("base");
        QTest::newRow("host and port") << "http://gpu-box:8000" << "http://gpu-box:8000/v1";
        QTest::newRow("trailing slash") << "http://gpu-box:8000/" << "http://gpu-box:8000/v1";
        QTest::newRow("already /v1") << "https://api.deepseek.com/v1" << "https://api.deepseek.com/v1";
        QTest::newRow("/v1/") << "https://api.deepseek.com/v1/" << "https://api.deepseek.com/v1";
        QTest::newRow("a prefix") << "https://openrouter.ai/api/v1" << "https://openrouter.ai/api/v1";
        QTest::newRow("a path") << "http://box/llm" << "http://box/llm/v1";
        QTest::newRow("no scheme") << "gpu-box:8000" << "";
        QTest::newRow("file") << "file:///etc/passwd" << "";
        QTest::newRow("empty") << "" << "";
    }

    void baseUrl()
    {
        QFETCH(QString, typed);
        QFETCH(QString, base);
        QCOMPARE(apiBaseUrl(QUrl(typed)).toString(), base);
    }

    void eventsCutAnywhere()
    {
        const QByteArray stream = ": keep-alive\r\n\r\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: line one\ndata: line two\n\n"
                                  "data:no-space\n\ndata: [DONE]\n\n";
        const QList<QByteArray> expected{"{\"a\":1}", "line one\nline two", "no-space", "[DONE]"};
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            SseReader reader;
            QList<QByteArray> got = reader.feed(stream.left(cut));
            got += reader.feed(stream.mid(cut));
            QCOMPARE(got, expected);
        }
        SseReader bytewise;
        QList<QByteArray> got;
        for (char c : stream)
            got += bytewise.feed(QByteArray(1, c));
        QCOMPARE(got, expected);
    }

    // A line that never ends, a few bytes at a time: each byte is searched
    // once (counted, not timed), and past kMaxEventBytes the reader stops.
    void eventsReadOnceAndBounded()
    {
        SseReader reader;
        const QByteArray piece = QByteArray("data: ") + QByteArray(1000, 'x');
        const QByteArray first = "data: {\"a\":1}\n\n";
        QVERIFY(reader.feed(first) == QList<QByteArray>{"{\"a\":1}"});
        qint64 fed = first.size();
        for (int i = 0; i < 4000; ++i) {  // 4 MB in pieces of 7 bytes
            for (qsizetype at = 0; at < piece.size(); at += 7) {
                QVERIFY(reader.feed(piece.mid(at, 7)).isEmpty());
                fed += piece.mid(at, 7).size();
            }
        }
        QVERIFY2(reader.bytesExamined() <= fed, qPrintable(QString::number(reader.bytesExamined())));
        QVERIFY(!reader.overflowed());
        for (int i = 0; i < 5000 && !reader.overflowed(); ++i)
            reader.feed(piece);
        QVERIFY(reader.overflowed());
        QVERIFY(reader.feed("\n\ndata: [DONE]\n\n").isEmpty());  // nothing after

        // Many data lines of one event count together.
        SseReader lines;
        const QByteArray line = QByteArray("data: ") + QByteArray(1000, 'y') + '\n';
        for (int i = 0; i < 9000 && !lines.overflowed(); ++i)
            QVERIFY(lines.feed(line).isEmpty());
        QVERIFY(lines.overflowed());
    }

    void endlessEventIsAnError()
    {
        QList<QByteArray> events = FakeOpenAiServer::events(
            {FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("Four"))}, false);
        events.append(QByteArray("data: ") + QByteArray(SseReader::kMaxEventBytes + 1024, 'z'));
        m_server->setStream(events);
        auto answer = ask();
        QVERIFY(answer->ended());
        QVERIFY2(answer->error && answer->error->contains(QStringLiteral("without its end")),
                 qPrintable(answer->error.value_or(QString())));
        QCOMPARE(answer->text, QStringLiteral("Four"));  // the text before it stays
    }

    // Replies that never end are cut off: an error's body, the model list.
    void oversizedRepliesAreErrors()
    {
        m_server->failWith(500, "{\"error\":{\"message\":\"" +
                                    QByteArray(OpenAiClient::kMaxErrorBodyBytes + 4096, 'e') + "\"}}");
        auto answer = ask();
        QVERIFY(answer->ended());
        QVERIFY2(answer->error && answer->error->contains(QStringLiteral("500")) &&
                     answer->error->contains(QStringLiteral("larger than 1 MB")),
                 qPrintable(answer->error.value_or(QString()).left(300)));
        m_server->failWith(0, {});

        QStringList many;
        for (qint64 bytes = 0; bytes < OpenAiClient::kMaxModelListBytes; bytes += many.last().size())
            many << QStringLiteral("model-%1-").arg(many.size()) + QString(200, u'm');
        m_server->setModels(many);
        QSignalSpy refused(m_client.get(), &OpenAiClient::listFailed);
        QSignalSpy listed(m_client.get(), &OpenAiClient::modelsListed);
        m_client->listModels();
        QVERIFY(refused.wait(kTimeoutMs));
        QVERIFY2(refused.first().first().toString().contains(QStringLiteral("larger than 8 MB")),
                 qPrintable(refused.first().first().toString()));
        QTest::qWait(100);
        QCOMPARE(listed.size(), 0);
        QCOMPARE(refused.size(), 1);
    }

    void listsModels()
    {
        m_server->setModels({QStringLiteral("deepseek-ai/DeepSeek-R1"), QStringLiteral("other")});
        QSignalSpy listed(m_client.get(), &OpenAiClient::modelsListed);
        m_client->listModels();
        QVERIFY(listed.wait(kTimeoutMs));
        QCOMPARE(listed.first().first().toStringList(),
                 (QStringList{QStringLiteral("deepseek-ai/DeepSeek-R1"), QStringLiteral("other")}));
        QCOMPARE(m_server->lastPath(), QStringLiteral("/v1/models"));
        QVERIFY(m_server->lastAuthorization().isEmpty());
    }

    void apiKeyIsSentAndAWrongOneExplained()
    {
        m_server->requireApiKey(QStringLiteral("sk-right"));
        connectTo(QStringLiteral("deepseek-r1"), QStringLiteral("sk-wrong"));
        QSignalSpy refused(m_client.get(), &OpenAiClient::listFailed);
        m_client->listModels();
        QVERIFY(refused.wait(kTimeoutMs));
        const QString error = refused.first().first().toString();
        QVERIFY2(error.contains(QStringLiteral("401")) && error.contains(QStringLiteral("Invalid API key")) &&
                     error.contains(QStringLiteral("check the API key")),
                 qPrintable(error));

        connectTo(QStringLiteral("deepseek-r1"), QStringLiteral("sk-right"));
        QSignalSpy listed(m_client.get(), &OpenAiClient::modelsListed);
        m_client->listModels();
        QVERIFY(listed.wait(kTimeoutMs));
        QCOMPARE(m_server->lastAuthorization(), QByteArray("Bearer sk-right"));
    }

    void noServerIsAClearError()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();  // nothing listens there now
        m_client->setEndpoint({QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), QString(), QString()});
        QSignalSpy refused(m_client.get(), &OpenAiClient::listFailed);
        m_client->listModels();
        QVERIFY(refused.wait(kTimeoutMs));
        QVERIFY2(refused.first().first().toString().startsWith(QStringLiteral("could not reach 127.0.0.1:")),
                 qPrintable(refused.first().first().toString()));

        m_client->setEndpoint({QUrl(QStringLiteral("gpu-box:8000")), QString(), QString()});
        QSignalSpy invalid(m_client.get(), &OpenAiClient::listFailed);
        m_client->listModels();
        QCOMPARE(invalid.size(), 1);
        QVERIFY(invalid.first().first().toString().contains(QStringLiteral("not a server address")));
    }

    // vLLM / SGLang / llama.cpp with a reasoning parser: reasoning apart,
    // re-joined as R1's raw text, whatever the byte cuts.
    void reasoningSentApart_data()
    {
        QTest::addColumn<int>("pieceBytes");
        QTest::newRow("whole events") << 0;
        QTest::newRow("7-byte pieces") << 7;
        QTest::newRow("byte by byte") << 1;
    }

    void reasoningSentApart()
    {
        QFETCH(int, pieceBytes);
        const QList<QByteArray> events = FakeOpenAiServer::events({
            FakeOpenAiServer::delta(QStringLiteral("reasoning_content"), QStringLiteral("Two plus two")),
            FakeOpenAiServer::delta(QStringLiteral("reasoning_content"), QStringLiteral(" is four.")),
            FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("**4**")),
            FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral(" — é"), QStringLiteral("stop")),
            usage(12, 9, 5),
        });
        m_server->setStream(pieceBytes ? recut(events, pieceBytes) : events, pieceBytes == 1 ? 0 : 5);
        auto answer = ask();
        QVERIFY(answer->ended());
        QVERIFY2(!answer->error, qPrintable(answer->error.value_or(QString())));
        QCOMPARE(answer->text, QStringLiteral("<think>\nTwo plus two is four.\n</think>\n\n**4** — é"));
        QCOMPARE(answer->tokenCounts, (QList<int>{1, 2, 3, 4}));
        QCOMPARE(answer->stats->value(QStringLiteral("stopReason")).toString(), QStringLiteral("end of turn"));
        QCOMPARE(answer->stats->value(QStringLiteral("promptTokens")).toInt(), 12);
        QCOMPARE(answer->stats->value(QStringLiteral("generatedTokens")).toInt(), 9);
        QCOMPARE(answer->stats->value(QStringLiteral("reasoningTokens")).toInt(), 5);
        QVERIFY(answer->stats->value(QStringLiteral("firstTokenSeconds")).toDouble() > 0);

        // The chat's parser sees R1's reasoning and answer in it, for either chat format.
        for (bool expectReasoning : {true, false}) {
            MessageParser parser(expectReasoning);
            parser.append(answer->text);
            parser.finish();
            QCOMPARE(parser.reasoning(), QStringLiteral("Two plus two is four."));
            QCOMPARE(parser.answer(), QStringLiteral("**4** — é"));
        }
    }

    // OpenRouter's name for it.
    void reasoningFieldNamedReasoning()
    {
        m_server->setStream(FakeOpenAiServer::events({
            FakeOpenAiServer::delta(QStringLiteral("reasoning"), QStringLiteral("hmm")),
            FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("yes"), QStringLiteral("stop")),
        }));
        auto answer = ask();
        QVERIFY(answer->ended());
        QCOMPARE(answer->text, QStringLiteral("<think>\nhmm\n</think>\n\nyes"));
    }

    // A server without a reasoning parser passes R1's text through, tags and all.
    void reasoningInlinePassesThrough()
    {
        m_server->setStream(FakeOpenAiServer::events({
            FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("Let me see.</th")),
            FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("ink>\n\nFour."), QStringLiteral("stop")),
        }));
        auto answer = ask();
        QVERIFY(answer->ended());
        QCOMPARE(answer->text, QStringLiteral("Let me see.</think>\n\nFour."));
        // Without usage, the count is the chunks.
        QCOMPARE(answer->stats->value(QStringLiteral("generatedTokens")).toInt(), 2);
        QVERIFY(!answer->stats->contains(QStringLiteral("reasoningTokens")));
    }

    void requestCarriesTheConversationAndSettings()
    {
        m_server->setStream(FakeOpenAiServer::events(
            {FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("ok"), QStringLiteral("stop"))}));
        connectTo(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Llama-70B"), QStringLiteral("sk-1"));
        GenerationSettings settings;
        settings.sampler.temperature = 0.6;
        settings.sampler.topP = 0.95;
        settings.maxTokens = 1234;
        settings.sampler.seed = 0x1234567890ull;
        const QList<ChatTurn> turns{{MessageRole::System, QStringLiteral("Be brief.")},
                                         {MessageRole::User, QStringLiteral("Hi")},
                                         {MessageRole::Assistant, QStringLiteral("Hello!")},
                                         {MessageRole::User, QStringLiteral("2+2?")}};
        auto answer = ask(turns, settings);
        QVERIFY(answer->ended());
        const QJsonObject body = m_server->lastRequest();
        QCOMPARE(m_server->lastPath(), QStringLiteral("/v1/chat/completions"));
        QCOMPARE(m_server->lastAuthorization(), QByteArray("Bearer sk-1"));
        QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Llama-70B"));
        QCOMPARE(body.value(QLatin1String("stream")).toBool(), true);
        QCOMPARE(body.value(QLatin1String("max_tokens")).toInt(), 1234);
        QCOMPARE(body.value(QLatin1String("temperature")).toDouble(), 0.6);
        QCOMPARE(body.value(QLatin1String("top_p")).toDouble(), 0.95);
        QCOMPARE(body.value(QLatin1String("seed")).toInteger(), qint64(0x1234567890ull & 0x7fffffff));
        const QJsonArray messages = body.value(QLatin1String("messages")).toArray();
        QCOMPARE(messages.size(), 4);
        QCOMPARE(messages[2].toObject().value(QLatin1String("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(messages[2].toObject().value(QLatin1String("content")).toString(), QStringLiteral("Hello!"));
        // Parameters beyond OpenAI's only when set.
        QVERIFY(!body.contains(QLatin1String("top_k")));
        QVERIFY(!body.contains(QLatin1String("min_p")));
        QVERIFY(!body.contains(QLatin1String("repetition_penalty")));

        settings.sampler.topK = 40;
        settings.sampler.minP = 0.05;
        settings.sampler.repetitionPenalty = 1.1;
        settings.sampler.greedy = true;
        answer = ask(turns, settings);
        QVERIFY(answer->ended());
        const QJsonObject second = m_server->lastRequest();
        QCOMPARE(second.value(QLatin1String("top_k")).toInt(), 40);
        QCOMPARE(second.value(QLatin1String("min_p")).toDouble(), 0.05);
        QCOMPARE(second.value(QLatin1String("repetition_penalty")).toDouble(), 1.1);
        QCOMPARE(second.value(QLatin1String("temperature")).toDouble(), 0.0);
    }

    void outOfTokens()
    {
        m_server->setStream(FakeOpenAiServer::events({
            FakeOpenAiServer::delta(QStringLiteral("reasoning_content"), QStringLiteral("still thinking")),
            FakeOpenAiServer::delta(QStringLiteral("reasoning_content"), QStringLiteral("..."), QStringLiteral("length")),
        }));
        auto answer = ask();
        QVERIFY(answer->ended());
        QCOMPARE(answer->stats->value(QStringLiteral("stopReason")).toString(), QStringLiteral("token limit"));
        QCOMPARE(answer->text, QStringLiteral("<think>\nstill thinking..."));  // never closed
    }

    void stopEndsTheRequest()
    {
        m_server->setStream(FakeOpenAiServer::events(
                                {FakeOpenAiServer::delta(QStringLiteral("reasoning_content"), QStringLiteral("first"))},
                                false),
                            5);
        m_server->setHoldOpen(true);
        auto answer = record(*m_client);
        m_client->generate(question(), GenerationSettings{});
        QTRY_COMPARE_WITH_TIMEOUT(answer->tokenCounts.size(), 1, kTimeoutMs);
        QVERIFY(m_client->busy());
        m_client->stop();
        QVERIFY(!m_client->busy());  // the request is closed at once
        QVERIFY(!answer->stats);     // the signal comes from the event loop, not from inside stop()
        QTRY_VERIFY_WITH_TIMEOUT(answer->stats, kTimeoutMs);
        QCOMPARE(answer->stats->value(QStringLiteral("stopReason")).toString(), QStringLiteral("cancelled"));
        QTRY_VERIFY_WITH_TIMEOUT(m_server->clientClosed(), kTimeoutMs);  // the server can stop generating
    }

    void stallIsAnError()
    {
        m_server->setStream(FakeOpenAiServer::events(
            {FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("partial"))}, false));
        m_server->setHoldOpen(true);
        m_client->setStallTimeoutMs(300);
        auto answer = ask();
        QVERIFY(answer->ended());
        QVERIFY(answer->error);
        QVERIFY2(answer->error->contains(QStringLiteral("sent nothing for")), qPrintable(*answer->error));
        QCOMPARE(answer->text, QStringLiteral("partial"));
    }

    void httpErrorIsExplained()
    {
        m_server->failWith(400, "{\"object\":\"error\",\"message\":\"x\",\"error\":{\"message\":\"This model's maximum context length is 4096 tokens\"}}");
        auto answer = ask();
        QVERIFY(answer->ended());
        QVERIFY(answer->error);
        QVERIFY2(answer->error->contains(QStringLiteral("400")) &&
                     answer->error->contains(QStringLiteral("maximum context length is 4096")),
                 qPrintable(*answer->error));

        // FastAPI's {"detail": ...} (vLLM and SGLang for a wrong path or model).
        m_server->failWith(404, "{\"detail\":\"The model `x` does not exist.\"}");
        answer = ask();
        QVERIFY(answer->ended());
        QVERIFY2(answer->error->contains(QStringLiteral("does not exist")) &&
                     answer->error->contains(QStringLiteral("model's name")),
                 qPrintable(*answer->error));
    }

    void errorEventMidStream()
    {
        QList<QByteArray> events = FakeOpenAiServer::events(
            {FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("Four"))}, false);
        events.append("data: {\"error\":{\"message\":\"CUDA out of memory\"}}\n\n");
        m_server->setStream(events);
        auto answer = ask();
        QVERIFY(answer->ended());
        QVERIFY2(answer->error && answer->error->contains(QStringLiteral("CUDA out of memory")),
                 qPrintable(answer->error.value_or(QString())));
        QCOMPARE(answer->text, QStringLiteral("Four"));
    }

    void cutConnectionIsAnError()
    {
        m_server->setStream(FakeOpenAiServer::events(
            {FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("Fo"))}, false));  // closes, no [DONE]
        auto answer = ask();
        QVERIFY(answer->ended());
        QVERIFY(answer->error);
        QVERIFY2(answer->error->contains(QStringLiteral("in the middle of the answer")), qPrintable(*answer->error));

        m_server->setStream(FakeOpenAiServer::events(
            {FakeOpenAiServer::delta(QStringLiteral("content"), QStringLiteral("Four."), QStringLiteral("stop"))},
            false));  // said why it stopped: complete, [DONE] or not
        answer = ask();
        QVERIFY(answer->ended());
        QVERIFY(answer->stats);
    }

    void notJsonIsAnError()
    {
        m_server->setStream({"data: <html>502 Bad Gateway</html>\n\n"});
        auto answer = ask();
        QVERIFY(answer->ended());
        QVERIFY2(answer->error && answer->error->contains(QStringLiteral("not JSON")),
                 qPrintable(answer->error.value_or(QString())));
    }
};

QTEST_GUILESS_MAIN(TestOpenAiClient)
#include "tst_openai_client.moc"
