// A chat with a model served elsewhere, over the OpenAI-compatible protocol
// that vLLM, SGLang, llama.cpp's server and the DeepSeek API speak: for
// models beyond one machine's GPU. A ChatBackend like the in-process engine,
// so ChatController treats both alike: open() lists the server's models and
// checks that the one asked for is among them.
//
// The protocol: GET {base}/models lists what the server serves; POST
// {base}/chat/completions with "stream": true answers as server-sent events,
// one JSON chunk per "data:" line, then "data: [DONE]". {base} is the URL the
// user gives, with "/v1" appended unless it already ends with it.
//
// Reasoning: servers run with a reasoning parser (vLLM's and SGLang's
// deepseek_r1, llama.cpp's default, the DeepSeek API) send it apart from the
// answer, as delta.reasoning_content (or delta.reasoning); servers without
// one send R1's raw text with its tags in delta.content. Either way the text
// emitted here is the raw form, "<think>reasoning</think>answer", which
// MessageParser already splits; so reasoning shows the same whichever server
// runs the model.
//
// Reasoning is never sent back: earlier answers go out without it (the
// caller's messages hold answers only), as DeepSeek asks.
//
// Redirects: Qt sends a redirected request on with all its headers (the API
// key) and its body (the conversation). So a redirect is followed only
// within the origin (scheme, host and port) of the address the user gave;
// one to another origin, or from https to http, is refused, and the request
// fails saying where the server pointed, for the user to use that address
// if it is right. Dropping the key and following instead would still hand
// the conversation to a host the user never named.
#pragma once

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QVariantMap>

#include "chat_backend.h"
#include "openai_protocol.h"

class QNetworkAccessManager;

namespace ponder::app {

struct ServerEndpoint {
    QUrl url;        // as the user typed it: "http://gpu-box:8000" or ".../v1"
    QString model;   // the served model's id; empty: the server's first
    QString apiKey;  // sent as a bearer token when not empty
};

class OpenAiClient : public ChatBackend {
    Q_OBJECT

public:
    // What a server's reply may hold before it is read: an error's body
    // (JSON with a message) and the model list. A hostile or broken server
    // sending without end is cut off with an error, not kept in memory.
    static constexpr qint64 kMaxErrorBodyBytes = 1024 * 1024;
    static constexpr qint64 kMaxModelListBytes = 8 * 1024 * 1024;

    explicit OpenAiClient(QObject* parent = nullptr);
    ~OpenAiClient() override;

    void setEndpoint(const ServerEndpoint& endpoint);
    ServerEndpoint endpoint() const { return m_endpoint; }
    // Abandon a request that brings no byte for this long (default 5 minutes:
    // a busy server may queue a request for long before its first token).
    void setStallTimeoutMs(int ms) { m_stallTimeoutMs = ms; }

    // Connects: lists the served models and takes the endpoint's model, or
    // the first listed when it names none; opened (name, device: the host,
    // remote, serverUrl, expectReasoning, summary) or openFailed.
    void open() override;
    // Lists the served models: emits modelsListed or listFailed.
    void listModels();
    // True from listModels() until its signal; cancelListing() ends it with neither.
    bool listing() const { return !m_listReply.isNull(); }
    void cancelListing();
    // Streams an answer to `turns`: text as it arrives, one count per chunk
    // (one token each on the servers above; the final count comes from the
    // usage), then finished or failed.
    void generate(const QList<ChatTurn>& turns, const GenerationSettings& settings) override;
    // Ends the answer now (closing the request, so the server stops too);
    // finished follows from the event loop, as the engine's does, with
    // stopReason "cancelled": the caller is never re-entered from stop().
    // While open() waits for the list, cancels it: openFailed, at once.
    void stop() override;
    bool busy() const { return m_reply != nullptr; }

signals:
    void modelsListed(const QStringList& ids);
    void listFailed(const QString& error);

private:
    void onListedForOpen(const QStringList& ids);
    QNetworkRequest request(const QString& path) const;
    void checkRedirects(QNetworkReply* reply);
    QString addressProblem() const;  // why m_endpoint.url is unusable; empty when it is fine
    void readEvents();
    bool handleEvent(const QByteArray& payload);
    void emitPiece(const QString& piece);
    void complete(const QString& stopReason, bool later = false);
    void fail(const QString& error);
    void dropReply();
    QString describeError(QNetworkReply* reply, const QByteArray& body) const;

    QNetworkAccessManager* m_network;
    ServerEndpoint m_endpoint;
    int m_stallTimeoutMs = 5 * 60 * 1000;
    QPointer<QNetworkReply> m_reply;
    QPointer<QNetworkReply> m_listReply;
    bool m_opening = false;  // open() waits for the list

    // The answer streaming now.
    SseReader m_events;
    QElapsedTimer m_clock;
    qint64 m_firstPieceNs = -1;
    int m_chunks = 0;
    ReasoningJoiner m_joiner;
    QString m_finishReason;
    QVariantMap m_usage;
    bool m_done = false;
};

} // namespace ponder::app
