// A stand-in for vLLM / SGLang / llama.cpp's server on 127.0.0.1, for the
// OpenAI client's tests: GET /v1/models and a streamed POST
// /v1/chat/completions, answered with the server-sent events a test scripts,
// piece by piece at an interval (cut anywhere, to test reassembly). It can
// require an API key, answer with an HTTP error, close the stream early, or
// keep it open without sending more (to test stop and stalls).
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace ponder::test {

class FakeOpenAiServer : public QObject {
public:
    explicit FakeOpenAiServer(QObject* parent = nullptr);
    ~FakeOpenAiServer() override;

    bool listen();
    QUrl url() const;  // http://127.0.0.1:<port> (no /v1: the client adds it)

    void setModels(const QStringList& ids) { m_models = ids; }
    void requireApiKey(const QString& key) { m_apiKey = key; }
    // The bytes of the answer's body, written one piece per interval.
    void setStream(const QList<QByteArray>& pieces, int intervalMs = 5) { m_pieces = pieces; m_intervalMs = intervalMs; }
    // After the last piece: close (the default), or keep the connection open.
    void setHoldOpen(bool hold) { m_holdOpen = hold; }
    // Answer every request with this status and JSON body instead.
    void failWith(int status, const QByteArray& body) { m_failStatus = status; m_failBody = body; }

    // One data event per JSON object, "data: [DONE]" last (when `done`).
    static QList<QByteArray> events(const QList<QJsonObject>& chunks, bool done = true);
    // A chat.completion.chunk whose delta holds `field`: `text`.
    static QJsonObject delta(const QString& field, const QString& text, const QString& finishReason = QString());

    QJsonObject lastRequest() const { return m_lastRequest; }  // the last POST's JSON body
    QByteArray lastAuthorization() const { return m_lastAuthorization; }
    QString lastPath() const { return m_lastPath; }
    int requestCount() const { return m_requestCount; }
    bool clientClosed() const { return m_clientClosed; }  // the client hung up on a held stream

private:
    void accept();
    void read(QTcpSocket* socket);
    void answer(QTcpSocket* socket, const QByteArray& method, const QString& path, const QByteArray& authorization,
                const QByteArray& body);
    void writePieces(QTcpSocket* socket, int index);

    QTcpServer* m_server;
    QStringList m_models{QStringLiteral("deepseek-r1")};
    QString m_apiKey;
    QList<QByteArray> m_pieces;
    int m_intervalMs = 5;
    bool m_holdOpen = false;
    int m_failStatus = 0;
    QByteArray m_failBody;
    QJsonObject m_lastRequest;
    QByteArray m_lastAuthorization;
    QString m_lastPath;
    int m_requestCount = 0;
    bool m_clientClosed = false;
};

} // namespace ponder::test
