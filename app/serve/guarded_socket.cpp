#include "guarded_socket.h"

#include <sys/socket.h>

#include "api_error.h"

namespace ponder::serve {
namespace {

// How long a refused client may go on sending before the connection is cut.
constexpr int kLingerMs = 2000;

} // namespace

QByteArray closingJsonResponse(int status, const QByteArray& reason, const QByteArray& body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

GuardedSocket::GuardedSocket(const ConnectionLimits& limits, QObject* parent) : QTcpSocket(parent), m_limits(limits)
{
    // Connected before the HTTP server connects its own reader, so this sees
    // each arrival's bytes before the server takes them.
    connect(this, &QTcpSocket::readyRead, this, &GuardedSocket::onReadyRead);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &GuardedSocket::onDeadline);
    m_deadline.start(m_limits.requestTimeoutMs);
}

void GuardedSocket::onReadyRead()
{
    if (m_discarding) {
        readAll();
        return;
    }
    if (!m_requestOpen && !m_answering) {
        // The first bytes of a request: its own deadline starts.
        m_requestOpen = true;
        m_deadline.start(m_limits.requestTimeoutMs);
    }
    // Inside the server's read transaction bytesAvailable() counts only what
    // arrived since the server last read.
    m_requestBytes += bytesAvailable();
    if (m_requestBytes > m_limits.maxRequestBytes)
        refuseTooLarge();
}

void GuardedSocket::refuseTooLarge()
{
    m_discarding = true;
    // The server reads no more of this connection.
    disconnect(this, &QTcpSocket::readyRead, nullptr, nullptr);
    connect(this, &QTcpSocket::readyRead, this, &GuardedSocket::onReadyRead);
    readAll();
    write(closingJsonResponse(413, "Payload Too Large", errorBody(bodyTooLarge(m_limits.maxRequestBytes))));
    flush();
    // Half-close: the client reads the answer and its end while what it still
    // sends is read and dropped, until the linger ends.
    ::shutdown(int(socketDescriptor()), SHUT_WR);
    m_deadline.start(kLingerMs);
}

void GuardedSocket::onDeadline()
{
    if (m_answering)
        return;
    abort();
}

void GuardedSocket::requestStarted()
{
    m_deadline.stop();
    m_requestBytes = 0;
    m_requestOpen = false;
    m_answering = true;
}

void GuardedSocket::responseFinished()
{
    m_answering = false;
    m_requestOpen = bytesAvailable() > 0;
    m_deadline.start(m_requestOpen ? m_limits.requestTimeoutMs : m_limits.idleTimeoutMs);
}

GuardedTcpServer::GuardedTcpServer(const ConnectionLimits& limits, QObject* parent)
    : QTcpServer(parent), m_limits(limits)
{
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto* socket = new GuardedSocket(m_limits, this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_open >= m_limits.maxConnections) {
        // Never handed to the HTTP server: answered and closed here.
        socket->write(closingJsonResponse(
            503, "Service Unavailable",
            errorBody(ApiError{503, QStringLiteral("server_error"),
                               QStringLiteral("Too many open connections; try again later."), {},
                               QStringLiteral("too_many_connections")})));
        socket->disconnectFromHost();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
    addPendingConnection(socket);
}

} // namespace ponder::serve
