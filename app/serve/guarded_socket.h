// The connection-level limits Qt HttpServer 6.4 lacks, kept on each socket
// before the server sees it (GuardedTcpServer makes every connection a
// GuardedSocket):
// - a deadline for each whole request, headers and body, from its first
//   byte (from the connection, for the first): a client that trickles a
//   byte a second is dropped when it passes, however steadily it sends;
// - an idle limit between requests on a kept-alive connection;
// - a bound on the bytes of one request: past it the client gets 413 and the
//   connection ends (what it still sends is read and dropped for a moment,
//   so it can read the answer instead of a reset);
// - a bound on bytes queued for a client that does not read (writeBlocked()),
//   so a stalled reader cannot grow our memory or hold the model;
// - a bound on open connections: one more gets 503 at once.
// The server calls requestStarted() when it has a whole request and
// responseFinished() when the answer is out; the deadline does not run
// while an answer is produced (the model's time is not the client's).
#pragma once

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace ponder::serve {

struct ConnectionLimits {
    qint64 maxRequestBytes = 4 << 20;  // headers and body of one request
    int requestTimeoutMs = 10000;      // to receive one whole request
    int idleTimeoutMs = 30000;         // between requests on a kept-alive connection
    qint64 maxUnsentBytes = 8 << 20;   // queued for a client that does not read
    int maxConnections = 256;
};

class GuardedSocket : public QTcpSocket {
    Q_OBJECT

public:
    GuardedSocket(const ConnectionLimits& limits, QObject* parent);

    void requestStarted();   // a whole request arrived: stop the clock
    void responseFinished(); // the answer is written: idle clock for the next
    // A request is being answered on this connection (only one at a time).
    bool answering() const { return m_answering; }
    // More is queued for the client than the limit allows.
    bool writeBlocked() const { return bytesToWrite() > m_limits.maxUnsentBytes; }

private:
    void onReadyRead();
    void onDeadline();
    void refuseTooLarge();

    ConnectionLimits m_limits;
    QTimer m_deadline;
    qint64 m_requestBytes = 0;
    bool m_answering = false;
    bool m_requestOpen = false;  // bytes of a request arrived, the request is not whole yet
    bool m_discarding = false;   // refused: reading and dropping until the close
};

class GuardedTcpServer : public QTcpServer {
    Q_OBJECT

public:
    explicit GuardedTcpServer(const ConnectionLimits& limits, QObject* parent = nullptr);
    int openConnections() const { return m_open; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionLimits m_limits;
    int m_open = 0;
};

// One whole HTTP/1.1 response with a JSON body and "Connection: close",
// written straight to a socket the HTTP server does not hold (refusals
// before any request was read).
QByteArray closingJsonResponse(int status, const QByteArray& reason, const QByteArray& body);

} // namespace ponder::serve
