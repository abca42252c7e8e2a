#include "chat_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtHttpServer/QHttpServerRequest>
#include <QtHttpServer/QHttpServerResponder>

#include "completion_exchange.h"
#include "guarded_socket.h"
#include "job_queue.h"

namespace ponder::serve {
namespace {

using Method = QHttpServerRequest::Method;

// Equal bytes, in a time that depends on the lengths only.
bool sameBytes(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

QByteArray headerValue(const QHttpServerRequest& request, QByteArrayView name)
{
    for (const auto& [key, value] : request.headers())
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

} // namespace

bool isLoopbackHost(const QString& host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

ChatServer::ChatServer(JobQueue& queue, ServerSettings settings, QObject* parent)
    : QAbstractHttpServer(parent), m_queue(queue), m_settings(std::move(settings))
{
    m_settings.request.contextLength = queue.contextLength();
}

quint16 ChatServer::listen(const QHostAddress& address, quint16 port)
{
    auto* server = new GuardedTcpServer(m_settings.connection, this);
    if (!server->listen(address, port)) {
        m_error = server->errorString();
        m_socketError = server->serverError();
        delete server;
        return 0;
    }
    bind(server);
    m_port = server->serverPort();
    return m_port;
}

bool ChatServer::authorized(const QHttpServerRequest& request) const
{
    if (m_settings.apiKey.isEmpty())
        return true;
    return sameBytes(headerValue(request, "authorization"), "Bearer " + m_settings.apiKey.toUtf8());
}

void ChatServer::respond(const QHttpServerRequest& request, GuardedSocket* socket, int status, const QByteArray& body)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.write(body, {{"Content-Type", "application/json"}}, QHttpServerResponder::StatusCode(status));
    socket->responseFinished();
}

void ChatServer::respondError(const QHttpServerRequest& request, GuardedSocket* socket, const ApiError& error)
{
    respond(request, socket, error.status, errorBody(error));
}

QByteArray ChatServer::health() const
{
    const QueueCounters counters = m_queue.counters();
    const QJsonObject body{{QStringLiteral("status"), QStringLiteral("ok")},
                           {QStringLiteral("busy"), counters.busy},
                           {QStringLiteral("waiting"), qint64(counters.waiting)},
                           {QStringLiteral("completed"), qint64(counters.completed)},
                           {QStringLiteral("cancelled"), qint64(counters.cancelled)},
                           {QStringLiteral("decoded_tokens"), qint64(counters.decodedTokens)}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray ChatServer::modelObject() const
{
    const QJsonObject model{{QStringLiteral("id"), m_settings.modelId},
                            {QStringLiteral("object"), QStringLiteral("model")},
                            {QStringLiteral("created"), m_settings.created},
                            {QStringLiteral("owned_by"), QStringLiteral("ponder")},
                            {QStringLiteral("context_length"), qint64(m_settings.request.contextLength)}};
    return QJsonDocument(model).toJson(QJsonDocument::Compact);
}

bool ChatServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* tcpSocket)
{
    auto* socket = qobject_cast<GuardedSocket*>(tcpSocket);
    if (!socket)
        return false;
    if (socket->answering()) {
        // A request sent before the last answer ended (pipelining): one at a time.
        socket->abort();
        return true;
    }
    socket->requestStarted();
    const QString path = request.url().path();
    const Method method = request.method();

    if (path == u"/health") {
        if (method != Method::Get)
            respondError(request, socket, methodNotAllowed(QString::number(int(method)), path));
        else
            respond(request, socket, 200, health());
        return true;
    }
    if (!path.startsWith(u"/v1/")) {
        respondError(request, socket, notFound(path));
        return true;
    }
    if (!authorized(request)) {
        respondError(request, socket, unauthorized());
        return true;
    }
    if (path == u"/v1/models") {
        if (method != Method::Get)
            return respondError(request, socket, methodNotAllowed(QStringLiteral("this method"), path)), true;
        const QJsonObject list{
            {QStringLiteral("object"), QStringLiteral("list")},
            {QStringLiteral("data"), QJsonArray{QJsonDocument::fromJson(modelObject()).object()}}};
        respond(request, socket, 200, QJsonDocument(list).toJson(QJsonDocument::Compact));
        return true;
    }
    if (path.startsWith(u"/v1/models/")) {
        const QString id = path.mid(11);
        if (method != Method::Get)
            respondError(request, socket, methodNotAllowed(QStringLiteral("this method"), path));
        else if (id != m_settings.modelId)
            respondError(request, socket, modelNotFound(id));
        else
            respond(request, socket, 200, modelObject());
        return true;
    }
    if (path == u"/v1/chat/completions") {
        if (method != Method::Post)
            respondError(request, socket, methodNotAllowed(QStringLiteral("this method"), path));
        else
            completions(request, socket);
        return true;
    }
    respondError(request, socket, notFound(path));
    return true;
}

void ChatServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* tcpSocket)
{
    if (auto* socket = qobject_cast<GuardedSocket*>(tcpSocket))
        respondError(request, socket, notFound(request.url().path()));
}

void ChatServer::completions(const QHttpServerRequest& request, GuardedSocket* socket)
{
    auto parsed = parseChatRequest(request.body(), m_settings.modelId, m_settings.request);
    if (!parsed)
        return respondError(request, socket, parsed.error());
    const CompletionExchange::Context context{.modelId = m_settings.modelId,
                                              .expectReasoning = m_settings.expectReasoning,
                                              .contextLength = m_settings.request.contextLength};
    auto* exchange = new CompletionExchange(socket, makeResponder(request, socket), std::move(*parsed), context);
    if (!exchange->submit(m_queue)) {
        delete exchange;
        respondError(request, socket,
                     tooManyRequests(QStringLiteral("The model is busy and its queue is full; try again later.")));
    }
}

} // namespace ponder::serve
