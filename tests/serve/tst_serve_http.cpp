// ponder-server's HTTP side in process, on 127.0.0.1 with an ephemeral port,
// over a scripted backend: Ponder's own OpenAiClient round trip (reasoning
// and answer), the API key, errors end to end, a body over the limit, a
// client trickling a byte at a time, a full queue, a client that leaves
// mid-stream (the backend sees no more tokens), and 64 clients at once,
// some leaving: every one answered or cleanly refused.
#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include "chat_server.h"
#include "message_parser.h"
#include "model_queue.h"
#include "openai_client.h"
#include "scripted_backend.h"

using namespace ponder;
using namespace ponder::serve;

namespace {

constexpr int kTimeoutMs = 20000;
const std::string kOutput = "Two and two make four.</think>\n\nFour.";

QByteArray chatBody(bool stream, const QByteArray& extra = {})
{
    return R"({"model": "tiny", "messages": [{"role": "user", "content": "2+2?"}], "stream": )" +
           QByteArray(stream ? "true" : "false") + extra + "}";
}

QByteArray post(const QByteArray& path, const QByteArray& body, const QByteArray& headers = {})
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n" + headers + "\r\n" + body;
}

QByteArray get(const QByteArray& path, const QByteArray& headers = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
}

// One raw HTTP exchange: what came back once the response is whole (by its
// Content-Length or the last chunk) or the server closed.
struct Raw : QObject {
    QTcpSocket socket;
    QByteArray received;
    bool closed = false;

    explicit Raw(quint16 port)
    {
        connect(&socket, &QTcpSocket::readyRead, this, [this] { received += socket.readAll(); });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { closed = true; });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }
    int status() const { return received.startsWith("HTTP/1.1 ") ? received.mid(9, 3).toInt() : 0; }
    QByteArray body() const { return received.mid(received.indexOf("\r\n\r\n") + 4); }
    bool whole() const
    {
        const qsizetype end = received.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QByteArray head = received.left(end).toLower();
        if (head.contains("transfer-encoding: chunked"))
            return received.endsWith("\r\n0\r\n\r\n");
        const qsizetype at = head.indexOf("content-length: ");
        return at >= 0 && received.size() - end - 4 >= head.mid(at + 16).split('\r').first().toLongLong();
    }
    bool waitWhole() { return QTest::qWaitFor([this] { return whole() || closed; }, kTimeoutMs) && whole(); }
};

QJsonObject errorOf(const Raw& raw)
{
    return QJsonDocument::fromJson(raw.body()).object().value(u"error").toObject();
}

} // namespace

class TestServeHttp : public QObject {
    Q_OBJECT

    std::unique_ptr<test::ScriptedBackend> m_backend;
    std::unique_ptr<ModelQueue> m_queue;
    std::unique_ptr<ChatServer> m_server;

    void start(size_t queueBound = 8, const QString& key = {}, ConnectionLimits limits = {}, uint32_t context = 512)
    {
        m_server.reset();
        m_queue.reset();
        m_backend = std::make_unique<test::ScriptedBackend>(test::scriptFor(kOutput), context);
        m_queue = std::make_unique<ModelQueue>(*m_backend, test::testTokenizer(), ChatFormat::DeepSeekR1, queueBound);
        ServerSettings settings;
        settings.modelId = QStringLiteral("tiny");
        settings.apiKey = key;
        settings.connection = limits;
        m_server = std::make_unique<ChatServer>(*m_queue, settings);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0) != 0);
    }
    quint16 port() const { return m_server->port(); }

private slots:
    void cleanup()
    {
        if (m_backend)
            m_backend->setGated(false);
        m_server.reset();
        m_queue.reset();
        m_backend.reset();
    }

    void openAiClientRoundTrip()
    {
        start();
        app::OpenAiClient client;
        client.setEndpoint({QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port())), QStringLiteral("tiny"), {}});
        QSignalSpy opened(&client, &app::ChatBackend::opened);
        QSignalSpy openFailed(&client, &app::ChatBackend::openFailed);
        client.open();
        QVERIFY(QTest::qWaitFor([&] { return !opened.isEmpty() || !openFailed.isEmpty(); }, kTimeoutMs));
        QVERIFY2(openFailed.isEmpty(), openFailed.isEmpty() ? "" : qPrintable(openFailed.first().first().toString()));

        QString text;
        connect(&client, &app::ChatBackend::text, this, [&](const QString& piece, int) { text += piece; });
        QSignalSpy finished(&client, &app::ChatBackend::finished);
        QSignalSpy failed(&client, &app::ChatBackend::failed);
        app::GenerationSettings settings;
        settings.sampler.greedy = true;
        settings.maxTokens = 100;
        client.generate({{app::MessageRole::User, QStringLiteral("2+2?")}}, settings);
        QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty() || !failed.isEmpty(); }, kTimeoutMs));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString() + QStringLiteral(" after: ") + text));
        // Reasoning came apart (reasoning_content) and the client joined it back into R1's form.
        app::MessageParser parser(true);
        parser.append(text);
        parser.finish();
        QCOMPARE(parser.reasoning(), QStringLiteral("Two and two make four."));
        QCOMPARE(parser.answer(), QStringLiteral("Four."));
        QVERIFY(parser.reasoningClosed());
        const QVariantMap stats = finished.first().first().toMap();
        QCOMPARE(stats.value(QStringLiteral("stopReason")).toString(), QStringLiteral("end of turn"));
        const int generated = stats.value(QStringLiteral("generatedTokens")).toInt();
        QCOMPARE(generated, int(test::scriptFor(kOutput).size() - 1));
        const int reasoning = stats.value(QStringLiteral("reasoningTokens")).toInt();
        QVERIFY(reasoning > 0 && reasoning < generated);
    }

    void apiKey()
    {
        start(8, QStringLiteral("s3cret"));
        Raw none(port()), wrong(port()), right(port()), health(port());
        none.socket.write(get("/v1/models"));
        wrong.socket.write(get("/v1/models", "Authorization: Bearer s3cre\r\n"));
        right.socket.write(get("/v1/models", "authorization: Bearer s3cret\r\n"));
        health.socket.write(get("/health"));
        for (Raw* raw : {&none, &wrong, &right, &health})
            QVERIFY(raw->waitWhole());
        QCOMPARE(none.status(), 401);
        QCOMPARE(errorOf(none).value(u"type").toString(), QStringLiteral("authentication_error"));
        QCOMPARE(wrong.status(), 401);
        QCOMPARE(right.status(), 200);
        QVERIFY(right.body().contains("\"id\":\"tiny\""));
        QCOMPARE(health.status(), 200);
    }

    void errorsEndToEnd_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("not JSON") << post("/v1/chat/completions", "{nope") << 400 << "";
        QTest::newRow("wrong type") << post("/v1/chat/completions", chatBody(false, R"(, "temperature": "x")")) << 400
                                    << "";
        QTest::newRow("unknown model")
            << post("/v1/chat/completions", R"({"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]})")
            << 404 << "model_not_found";
        QTest::newRow("prompt too long")
            << post("/v1/chat/completions", chatBody(false).replace("2+2?", QByteArray("many words ").repeated(300)))
            << 400 << "context_length_exceeded";
        QTest::newRow("unknown path") << get("/v2/anything") << 404 << "unknown_url";
        QTest::newRow("wrong method") << get("/v1/chat/completions") << 405 << "method_not_allowed";
        QTest::newRow("unknown model id") << get("/v1/models/other") << 404 << "model_not_found";
    }

    void errorsEndToEnd()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QString, code);
        start(8, {}, {}, 256);
        Raw raw(port());
        raw.socket.write(request);
        QVERIFY(raw.waitWhole());
        QCOMPARE(raw.status(), status);
        const QJsonObject error = errorOf(raw);
        QVERIFY(!error.value(u"message").toString().isEmpty());
        if (!code.isEmpty())
            QCOMPARE(error.value(u"code").toString(), code);
        // The same connection goes on serving.
        raw.received.clear();
        raw.socket.write(get("/health"));
        QVERIFY(raw.waitWhole());
        QCOMPARE(raw.status(), 200);
    }

    void bodyOverTheLimit()
    {
        ConnectionLimits limits;
        limits.maxRequestBytes = 64 * 1024;
        start(8, {}, limits);
        Raw raw(port());
        const QByteArray body = chatBody(false, ", \"pad\": \"" + QByteArray(300 * 1024, 'x') + "\"");
        raw.socket.write(post("/v1/chat/completions", body));
        QVERIFY(QTest::qWaitFor([&] { return raw.closed; }, kTimeoutMs));
        QCOMPARE(raw.status(), 413);
        QCOMPARE(errorOf(raw).value(u"code").toString(), QStringLiteral("request_too_large"));
        QCOMPARE(m_backend->prompts(), uint64_t(0));
        Raw next(port());
        next.socket.write(get("/health"));
        QVERIFY(next.waitWhole());
        QCOMPARE(next.status(), 200);
    }

    // One byte every 100 ms: steady, but the whole request takes far longer than its 1 s.
    void tricklingClientIsDropped()
    {
        ConnectionLimits limits;
        limits.requestTimeoutMs = 1000;
        start(8, {}, limits);
        Raw raw(port());
        const QByteArray request = post("/v1/chat/completions", chatBody(false));
        QVERIFY(raw.socket.waitForConnected(kTimeoutMs));
        qsizetype sent = 0;
        while (!raw.closed && sent < request.size()) {
            raw.socket.write(request.mid(sent++, 1));
            QTest::qWait(100);
        }
        QVERIFY2(raw.closed, "the trickling client was served to the end");
        QVERIFY(sent < request.size());
        QCOMPARE(m_backend->prompts(), uint64_t(0));
    }

    void fullQueueRefuses()
    {
        start(1);
        m_backend->setGated(true);
        Raw running(port()), waiting(port()), refused(port());
        running.socket.write(post("/v1/chat/completions", chatBody(true)));
        QVERIFY(QTest::qWaitFor([&] { return m_queue->counters().busy; }, kTimeoutMs));
        waiting.socket.write(post("/v1/chat/completions", chatBody(true)));
        QVERIFY(QTest::qWaitFor([&] { return m_queue->counters().waiting == 1; }, kTimeoutMs));
        refused.socket.write(post("/v1/chat/completions", chatBody(true)));
        QVERIFY(refused.waitWhole());
        QCOMPARE(refused.status(), 429);
        QCOMPARE(errorOf(refused).value(u"type").toString(), QStringLiteral("rate_limit_error"));
        m_backend->release(1000);
        QVERIFY(running.waitWhole());
        QVERIFY(waiting.waitWhole());
        QCOMPARE(running.status(), 200);
        QVERIFY(running.body().contains("data: [DONE]"));
        QVERIFY(waiting.body().contains("\"reasoning_content\""));
    }

    void leavingClientStopsTheModel()
    {
        start();
        m_backend->setGated(true);
        Raw raw(port());
        raw.socket.write(post("/v1/chat/completions", chatBody(true)));
        m_backend->release(3);
        QVERIFY(QTest::qWaitFor([&] { return raw.received.count("reasoning_content") >= 3; }, kTimeoutMs));
        const uint64_t steps = m_backend->decodeSteps();
        raw.socket.abort();
        QVERIFY(QTest::qWaitFor([&] { return m_queue->counters().cancelled == 1; }, kTimeoutMs));
        m_backend->release(1000);
        QTest::qWait(50);
        QVERIFY(m_backend->decodeSteps() <= steps + 1);
        QCOMPARE(m_queue->counters().completed, uint64_t(0));
        QVERIFY(m_backend->decodeSteps() < test::scriptFor(kOutput).size() - 1);
    }

    void sixtyFourClients()
    {
        start(16);
        std::vector<std::unique_ptr<Raw>> clients;
        for (int i = 0; i < 64; ++i) {
            clients.push_back(std::make_unique<Raw>(port()));
            clients.back()->socket.write(post("/v1/chat/completions", chatBody(i % 2 == 0)));
        }
        // Every fourth leaves once its answer has begun (or at once, if refused).
        for (int i = 0; i < 64; i += 4) {
            Raw& raw = *clients[size_t(i)];
            QVERIFY(QTest::qWaitFor([&] { return !raw.received.isEmpty() || raw.closed; }, kTimeoutMs));
            raw.socket.abort();
        }
        int answered = 0, refused = 0;
        for (int i = 0; i < 64; ++i) {
            if (i % 4 == 0)
                continue;
            Raw& raw = *clients[size_t(i)];
            QVERIFY2(raw.waitWhole(), qPrintable(QStringLiteral("client %1 got no whole answer").arg(i)));
            if (raw.status() == 200) {
                ++answered;
                QVERIFY(raw.body().contains(i % 2 == 0 ? "data: [DONE]" : "\"chat.completion\""));
            } else {
                QCOMPARE(raw.status(), 429);
                ++refused;
            }
        }
        QCOMPARE(answered + refused, 48);
        QVERIFY(answered >= 16);
        Raw health(port());
        health.socket.write(get("/health"));
        QVERIFY(health.waitWhole());
        QCOMPARE(health.status(), 200);
        QVERIFY(QTest::qWaitFor([&] { return !m_queue->counters().busy && m_queue->counters().waiting == 0; },
                                kTimeoutMs));
    }
};

QTEST_GUILESS_MAIN(TestServeHttp)
#include "tst_serve_http.moc"
