// ponder-server's HTTP side: the OpenAI-compatible endpoints over one
// JobQueue (the headless ModelQueue, or the app's engine thread).
//
//   GET  /health               {"status": "ok", and the queue's counters}; no key needed
//   GET  /v1/models            the one served model
//   GET  /v1/models/{id}       it alone (404 for another id)
//   POST /v1/chat/completions  chat_request.h, streamed or not
//
// Built on Qt HttpServer's QAbstractHttpServer (6.4): it parses HTTP and
// leaves each request's socket to us, so a streamed answer is written as it
// is made, the end of a client is a signal (QTcpSocket::disconnected) that
// cancels its generation at once, and nothing blocks a thread: a slow client
// costs a socket and a timer, not a worker. What 6.4 lacks (a bound on a
// request's size, time limits, a cap on connections) GuardedSocket adds in
// front of it. cpp-httplib (Debian's 0.11) was the other candidate: it
// bounds bodies and times out each read, but runs each connection on a
// thread of a fixed pool, so a client trickling one byte a second (never
// idle for a whole read timeout) holds a thread indefinitely and enough of
// them stall everyone, and its stream sink cannot tell a closed client until
// a write fails, which during a long prompt is never.
//
// With an API key set every /v1 request needs "Authorization: Bearer KEY"
// (compared in constant time), else 401.
#pragma once

#include <QHostAddress>
#include <QtHttpServer/QAbstractHttpServer>

#include "chat_request.h"
#include "guarded_socket.h"

namespace ponder::serve {

class JobQueue;
class GuardedSocket;

struct ServerSettings {
    QString modelId;              // what /v1/models lists and requests must name
    QString apiKey;               // empty: none needed
    bool expectReasoning = true;  // the chat format opens the output in the reasoning (R1's)
    qint64 created = 0;           // the model's "created", Unix seconds (the file's time)
    ConnectionLimits connection;
    RequestLimits request;        // contextLength filled from the queue
};

class ChatServer : public QAbstractHttpServer {
    Q_OBJECT

public:
    ChatServer(JobQueue& queue, ServerSettings settings, QObject* parent = nullptr);

    // Listens on `address`:`port` (0: any free port); the port, 0 on failure.
    quint16 listen(const QHostAddress& address, quint16 port);
    quint16 port() const { return m_port; }
    QString errorString() const { return m_error; }
    // Why listen() failed (QAbstractSocket::AddressInUseError: another program has the port).
    QAbstractSocket::SocketError socketError() const { return m_socketError; }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    bool authorized(const QHttpServerRequest& request) const;
    void respond(const QHttpServerRequest& request, GuardedSocket* socket, int status, const QByteArray& body);
    void respondError(const QHttpServerRequest& request, GuardedSocket* socket, const ApiError& error);
    QByteArray health() const;
    QByteArray modelObject() const;
    void completions(const QHttpServerRequest& request, GuardedSocket* socket);

    JobQueue& m_queue;
    ServerSettings m_settings;
    quint16 m_port = 0;
    QString m_error;
    QAbstractSocket::SocketError m_socketError = QAbstractSocket::UnknownSocketError;
};

// Whether `host` (an address or "localhost") can only be reached from this machine.
bool isLoopbackHost(const QString& host);

} // namespace ponder::serve
