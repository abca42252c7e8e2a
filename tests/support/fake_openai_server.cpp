#include "fake_openai_server.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace ponder::test {

FakeOpenAiServer::FakeOpenAiServer(QObject* parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeOpenAiServer::accept);
}

FakeOpenAiServer::~FakeOpenAiServer() = default;

bool FakeOpenAiServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl FakeOpenAiServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()));
}

QList<QByteArray> FakeOpenAiServer::events(const QList<QJsonObject>& chunks, bool done)
{
    QList<QByteArray> out;
    for (const QJsonObject& chunk : chunks)
        out.append("data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n");
    if (done)
        out.append("data: [DONE]\n\n");
    return out;
}

QJsonObject FakeOpenAiServer::delta(const QString& field, const QString& text, const QString& finishReason)
{
    QJsonObject choice{{QStringLiteral("index"), 0},
                       {QStringLiteral("delta"), QJsonObject{{field, text}}},
                       {QStringLiteral("finish_reason"), finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason)}};
    return QJsonObject{{QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                       {QStringLiteral("choices"), QJsonArray{choice}}};
}

void FakeOpenAiServer::accept()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

// Waits for the whole request (headers, then Content-Length bytes), then answers it.
void FakeOpenAiServer::read(QTcpSocket* socket)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    socket->setProperty("buffer", buffer);
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0 || socket->property("answered").toBool())
        return;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    qsizetype length = 0;
    QByteArray authorization;
    for (const QByteArray& line : lines.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "authorization")
            authorization = value;
    }
    const QByteArray body = buffer.mid(headerEnd + 4);
    if (body.size() < length)
        return;
    socket->setProperty("answered", true);
    answer(socket, requestLine.value(0), QString::fromLatin1(requestLine.value(1)), authorization, body.left(length));
}

void FakeOpenAiServer::answer(QTcpSocket* socket, const QByteArray& method, const QString& path,
                              const QByteArray& authorization, const QByteArray& body)
{
    ++m_requestCount;
    m_lastPath = path;
    m_lastAuthorization = authorization;
    const auto respond = [socket](int status, const QByteArray& reason, const QByteArray& json) {
        socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                      "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) +
                      "\r\nConnection: close\r\n\r\n" + json);
        socket->disconnectFromHost();
    };
    if (m_failStatus) {
        respond(m_failStatus, "Error", m_failBody);
        return;
    }
    if (!m_apiKey.isEmpty() && authorization != "Bearer " + m_apiKey.toUtf8()) {
        respond(401, "Unauthorized", "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"invalid_request_error\"}}");
        return;
    }
    if (method == "GET" && path == QLatin1String("/v1/models")) {
        QJsonArray data;
        for (const QString& id : m_models)
            data.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("object"), QStringLiteral("model")}});
        respond(200, "OK", QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                                     {QStringLiteral("data"), data}})
                               .toJson(QJsonDocument::Compact));
        return;
    }
    if (method == "POST" && path == QLatin1String("/v1/chat/completions")) {
        m_lastRequest = QJsonDocument::fromJson(body).object();
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                      "Connection: close\r\n\r\n");
        connect(socket, &QTcpSocket::disconnected, this, [this] { m_clientClosed = true; });
        writePieces(socket, 0);
        return;
    }
    respond(404, "Not Found", "{\"detail\":\"Not Found\"}");
}

void FakeOpenAiServer::writePieces(QTcpSocket* socket, int index)
{
    if (index >= m_pieces.size()) {
        if (!m_holdOpen)
            socket->disconnectFromHost();
        return;
    }
    socket->write(m_pieces[index]);
    socket->flush();
    QPointer<QTcpSocket> alive(socket);
    QTimer::singleShot(m_intervalMs, this, [this, alive, index] {
        if (alive && alive->state() == QAbstractSocket::ConnectedState)
            writePieces(alive, index + 1);
    });
}

} // namespace ponder::test
