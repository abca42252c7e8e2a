// Request bodies read into generation requests: a table of malformed and
// hostile bodies, each answered with the right status, error type, code and
// the field at fault; and well-formed ones read completely.
#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>

#include "chat_request.h"

using namespace ponder;
using namespace ponder::serve;

namespace {

const QString kModel = QStringLiteral("tiny");

RequestLimits limits()
{
    RequestLimits limits;
    limits.contextLength = 512;
    limits.maxMessages = 8;
    return limits;
}

} // namespace

class TestChatRequest : public QObject {
    Q_OBJECT

private slots:
    void malformed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("code");
        const QByteArray user = R"("messages": [{"role": "user", "content": "hi"}])";
        auto with = [&](const QByteArray& rest) { return "{\"model\": \"tiny\", " + user + rest + "}"; };
        QTest::newRow("empty body") << QByteArray() << 400 << "" << "";
        QTest::newRow("not JSON") << QByteArray("hello") << 400 << "" << "";
        QTest::newRow("cut JSON") << QByteArray(R"({"model": "tiny", "messages": [)") << 400 << "" << "";
        QTest::newRow("array body") << QByteArray("[1, 2]") << 400 << "" << "";
        QTest::newRow("string body") << QByteArray("\"tiny\"") << 400 << "" << "";
        QTest::newRow("no model") << QByteArray("{" + user + "}") << 400 << "model" << "";
        QTest::newRow("model a number") << QByteArray("{\"model\": 7, " + user + "}") << 400 << "model" << "";
        QTest::newRow("unknown model") << QByteArray("{\"model\": \"gpt-4o\", " + user + "}") << 404 << "model"
                                       << "model_not_found";
        QTest::newRow("no messages") << QByteArray(R"({"model": "tiny"})") << 400 << "messages" << "";
        QTest::newRow("messages an object")
            << QByteArray(R"({"model": "tiny", "messages": {"role": "user"}})") << 400 << "messages" << "";
        QTest::newRow("messages empty") << QByteArray(R"({"model": "tiny", "messages": []})") << 400 << "messages"
                                        << "";
        QTest::newRow("too many messages")
            << QByteArray(R"({"model": "tiny", "messages": [)" +
                          QByteArray(R"({"role": "user", "content": "a"},)").repeated(9).chopped(1) + "]}")
            << 400 << "messages" << "";
        QTest::newRow("message a string") << QByteArray(R"({"model": "tiny", "messages": ["hi"]})") << 400
                                          << "messages[0]" << "";
        QTest::newRow("role missing") << QByteArray(R"({"model": "tiny", "messages": [{"content": "hi"}]})") << 400
                                      << "messages[0].role" << "";
        QTest::newRow("role unknown")
            << QByteArray(R"({"model": "tiny", "messages": [{"role": "tool", "content": "hi"}]})") << 400
            << "messages[0].role" << "";
        QTest::newRow("content a number")
            << QByteArray(R"({"model": "tiny", "messages": [{"role": "user", "content": 5}]})") << 400
            << "messages[0].content" << "";
        QTest::newRow("content an image part")
            << QByteArray(R"({"model": "tiny", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]})")
            << 400 << "messages[0].content[0]" << "";
        QTest::newRow("temperature a string") << with(R"(, "temperature": "hot")") << 400 << "temperature" << "";
        QTest::newRow("temperature too high") << with(R"(, "temperature": 2.5)") << 400 << "temperature" << "";
        QTest::newRow("temperature negative") << with(R"(, "temperature": -1)") << 400 << "temperature" << "";
        QTest::newRow("top_p above 1") << with(R"(, "top_p": 1.5)") << 400 << "top_p" << "";
        QTest::newRow("top_p a bool") << with(R"(, "top_p": true)") << 400 << "top_p" << "";
        QTest::newRow("max_tokens zero") << with(R"(, "max_tokens": 0)") << 400 << "max_tokens" << "";
        QTest::newRow("max_tokens a fraction") << with(R"(, "max_tokens": 2.5)") << 400 << "max_tokens" << "";
        QTest::newRow("max_tokens a string") << with(R"(, "max_tokens": "10")") << 400 << "max_tokens" << "";
        QTest::newRow("max_completion_tokens negative")
            << with(R"(, "max_completion_tokens": -3)") << 400 << "max_completion_tokens" << "";
        QTest::newRow("stop a number") << with(R"(, "stop": 3)") << 400 << "stop" << "";
        QTest::newRow("stop five strings") << with(R"(, "stop": ["a", "b", "c", "d", "e"])") << 400 << "stop" << "";
        QTest::newRow("stop holds a number") << with(R"(, "stop": ["a", 1])") << 400 << "stop" << "";
        QTest::newRow("stop too long") << with(", \"stop\": \"" + QByteArray(300, 'x') + "\"") << 400 << "stop"
                                       << "";
        QTest::newRow("seed a string") << with(R"(, "seed": "42")") << 400 << "seed" << "";
        QTest::newRow("seed a fraction") << with(R"(, "seed": 4.2)") << 400 << "seed" << "";
        QTest::newRow("stream a string") << with(R"(, "stream": "yes")") << 400 << "stream" << "";
        QTest::newRow("stream_options a list") << with(R"(, "stream_options": [])") << 400 << "stream_options"
                                               << "";
        QTest::newRow("include_usage a number")
            << with(R"(, "stream_options": {"include_usage": 1})") << 400 << "stream_options.include_usage" << "";
        QTest::newRow("n two") << with(R"(, "n": 2)") << 400 << "n" << "";
        QTest::newRow("reasoning_format unknown") << with(R"(, "reasoning_format": "hidden")") << 400
                                                  << "reasoning_format" << "";
        QTest::newRow("deep nesting") << QByteArray(100000, '[') << 400 << "" << "";
    }

    void malformed()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, param);
        QFETCH(QString, code);
        const auto parsed = parseChatRequest(body, kModel, limits());
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().status, status);
        QCOMPARE(parsed.error().param, param);
        QCOMPARE(parsed.error().code, code);
        QVERIFY(!parsed.error().message.isEmpty());
        QVERIFY2(parsed.error().message.size() < 300, qPrintable(parsed.error().message));
        // OpenAI's error shape, which the openai client reads.
        const QJsonObject error = QJsonDocument::fromJson(errorBody(parsed.error())).object().value(u"error").toObject();
        QCOMPARE(error.value(u"message").toString(), parsed.error().message);
        QVERIFY(error.contains(u"type"));
        QCOMPARE(error.value(u"param").toString(), param);
        QCOMPARE(error.value(u"param").isNull(), param.isEmpty());
        QCOMPARE(error.value(u"code").isNull(), code.isEmpty());
    }

    void wellFormed()
    {
        const QByteArray body = R"({"model": "tiny", "stream": true, "stream_options": {"include_usage": true},
            "messages": [{"role": "developer", "content": "Be brief."},
                         {"role": "user", "content": [{"type": "text", "text": "2+"}, {"type": "text", "text": "2?"}]},
                         {"role": "assistant", "content": null}, {"role": "user", "content": "again"}],
            "temperature": 0, "top_p": 0.5, "max_tokens": 9, "max_completion_tokens": 7, "seed": 42,
            "stop": ["END", ""], "frequency_penalty": 0.5, "user": "someone", "reasoning_format": "none"})";
        const auto parsed = parseChatRequest(body, kModel, limits());
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        const ChatRequest& request = *parsed;
        QCOMPARE(request.generation.messages.size(), size_t(4));
        QCOMPARE(request.generation.messages[0].role, ChatRole::System);
        QCOMPARE(request.generation.messages[1].content, std::string("2+2?"));
        QCOMPARE(request.generation.messages[2].role, ChatRole::Assistant);
        QCOMPARE(request.generation.messages[2].content, std::string());
        QVERIFY(request.generation.sampler.greedy);
        QCOMPARE(request.generation.sampler.topP, 0.5f);
        QCOMPARE(request.generation.sampler.seed, uint64_t(42));
        QCOMPARE(request.generation.maxTokens, 7u);  // max_completion_tokens wins
        QCOMPARE(request.stop, std::vector<std::string>{"END"});  // the empty one dropped
        QVERIFY(request.stream);
        QVERIFY(request.includeUsage);
        QCOMPARE(request.reasoning, ReasoningFormat::Inline);
    }

    void defaults()
    {
        const auto parsed =
            parseChatRequest(R"({"model": "tiny", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 99999})",
                             kModel, limits());
        QVERIFY(parsed);
        QCOMPARE(parsed->generation.maxTokens, 512u);  // no more than the context
        QVERIFY(!parsed->stream);
        QVERIFY(!parsed->generation.sampler.greedy);
        QCOMPARE(parsed->reasoning, ReasoningFormat::Separate);
        // No seed: a fresh one per request.
        const auto other =
            parseChatRequest(R"({"model": "tiny", "messages": [{"role": "user", "content": "hi"}]})", kModel, limits());
        QVERIFY(other);
        QVERIFY(other->generation.sampler.seed != parsed->generation.sampler.seed);
        QCOMPARE(other->generation.maxTokens, 512u);
    }
};

QTEST_GUILESS_MAIN(TestChatRequest)
#include "tst_chat_request.moc"
