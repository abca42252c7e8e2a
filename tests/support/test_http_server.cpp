#include "test_http_server.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace ponder::test {
namespace {

constexpr qint64 kChunkBytes = 16 * 1024;
constexpr qint64 kHighWaterBytes = 128 * 1024;  // socket buffer kept below this
constexpr qint64 kMaxRequestBytes = 64 * 1024;
constexpr int kRateTickMs = 10;
constexpr int kLingerMs = 2000;  // a finished connection the client has not closed is closed after this

QByteArray reasonFor(int status)
{
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 307: return "Temporary Redirect";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 416: return "Range Not Satisfiable";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

enum class RangeKind { None, Satisfiable, Unsatisfiable };

// "bytes=a-b", "bytes=a-" or "bytes=-n" against a file of `size` bytes.
// A header that does not parse is ignored, as RFC 9110 asks.
RangeKind parseRange(const QByteArray& header, qint64 size, qint64* first, qint64* last)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*bytes=(\\d*)-(\\d*)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(header));
    if (header.isEmpty() || !match.hasMatch() || (match.captured(1).isEmpty() && match.captured(2).isEmpty()))
        return RangeKind::None;
    if (match.captured(1).isEmpty()) {  // the last n bytes
        const qint64 n = match.captured(2).toLongLong();
        if (n == 0 || size == 0)
            return RangeKind::Unsatisfiable;
        *first = qMax<qint64>(0, size - n);
        *last = size - 1;
        return RangeKind::Satisfiable;
    }
    *first = match.captured(1).toLongLong();
    *last = match.captured(2).isEmpty() ? size - 1 : qMin(match.captured(2).toLongLong(), size - 1);
    if (*first >= size)
        return RangeKind::Unsatisfiable;
    return *last < *first ? RangeKind::None : RangeKind::Satisfiable;
}

} // namespace

bool TestHttpServer::Fault::take()
{
    if (times == 0)
        return false;
    if (times > 0)
        --times;
    return true;
}

// One client connection: reads one request, writes one response, closes.
class TestHttpServer::Connection : public QObject {
public:
    Connection(TestHttpServer* server, QTcpSocket* socket) : QObject(server), m_server(server), m_socket(socket)
    {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this] { readRequest(); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this] { pump(); });
        connect(socket, &QTcpSocket::disconnected, this, [this] { deleteLater(); });
        m_rateTimer.setInterval(kRateTickMs);
        connect(&m_rateTimer, &QTimer::timeout, this, [this] {
            m_allowance += qMax<qint64>(1, m_rate * kRateTickMs / 1000);
            pump();
        });
    }

    void sendHead(int status, const QList<std::pair<QByteArray, QByteArray>>& headers)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonFor(status) + "\r\n";
        for (const auto& [name, value] : headers)
            head += name + ": " + value + "\r\n";
        head += "Connection: close\r\n\r\n";
        m_socket->write(head);
    }

    void sendSmall(int status, QList<std::pair<QByteArray, QByteArray>> headers, const QByteArray& body)
    {
        headers.emplaceBack("Content-Length", QByteArray::number(body.size()));
        headers.emplaceBack("Content-Type", "text/plain");
        sendHead(status, headers);
        m_socket->write(body);
        finish();
    }

    // Streams file bytes [first, end) of `resource`, applying its faults.
    void sendBody(const QString& path, const Resource& resource, qint64 first, qint64 end, qint64 cut, bool drop)
    {
        m_path = path;
        m_data = resource.data;
        if (!resource.filePath.isEmpty()) {
            m_file.setFileName(resource.filePath);
            m_file.open(QIODevice::ReadOnly);
        }
        m_pos = first;
        m_end = end;
        m_cut = cut;
        m_drop = drop;
        m_corruptAt = resource.corruptAt;
        m_rate = resource.rate;
        m_streaming = true;
        if (m_rate > 0)
            m_rateTimer.start();
        pump();
    }

    // The response is complete. "Connection: close" makes the client close;
    // closing first could race with the client reading a body-less answer
    // (Qt then re-sends the request), so the server only closes a
    // connection the client left open.
    void finish()
    {
        QTimer::singleShot(kLingerMs, m_socket, [socket = m_socket] { socket->disconnectFromHost(); });
    }

private:
    void readRequest()
    {
        if (m_answered)
            return;
        m_in += m_socket->readAll();
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_in.size() > kMaxRequestBytes)
                m_socket->abort();
            return;
        }
        m_answered = true;
        const QList<QByteArray> lines = m_in.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() < 2) {
            sendSmall(400, {}, "Bad Request\n");
            return;
        }
        QByteArray range;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].left(colon).trimmed().toLower() == "range")
                range = lines[i].mid(colon + 1).trimmed();
        }
        const QString path = QString::fromLatin1(requestLine[1].split('?').first());
        m_server->respond(this, requestLine[0], path, range);
    }

    QByteArray read(qint64 offset, qint64 bytes)
    {
        if (!m_file.isOpen())
            return m_data.mid(offset, bytes);
        m_file.seek(offset);
        return m_file.read(bytes);
    }

    void pump()
    {
        if (!m_streaming)
            return;
        while (m_socket->bytesToWrite() < kHighWaterBytes && m_pos < m_end) {
            qint64 n = qMin(kChunkBytes, m_end - m_pos);
            if (m_cut >= 0)
                n = qMin(n, m_cut - m_sent);
            if (m_rate > 0)
                n = qMin(n, m_allowance);
            if (n <= 0)
                break;
            QByteArray chunk = read(m_pos, n);
            if (m_corruptAt >= m_pos && m_corruptAt < m_pos + n)
                chunk[m_corruptAt - m_pos] = char(~chunk[m_corruptAt - m_pos]);
            m_socket->write(chunk);
            m_pos += n;
            m_sent += n;
            m_allowance -= m_rate > 0 ? n : 0;
            m_server->m_stats[m_path].bodyBytes += n;
        }
        if (m_pos < m_end && m_cut >= 0 && m_sent >= m_cut) {
            m_streaming = false;
            m_rateTimer.stop();
            if (m_drop)
                m_socket->disconnectFromHost();  // what was written still goes out, then FIN
            return;  // a stall: the socket stays open and silent
        }
        if (m_pos >= m_end) {
            m_streaming = false;
            m_rateTimer.stop();
            finish();
        }
    }

    TestHttpServer* m_server;
    QTcpSocket* m_socket;
    QByteArray m_in;
    bool m_answered = false;
    bool m_streaming = false;
    QString m_path;
    QByteArray m_data;
    QFile m_file;
    qint64 m_pos = 0;
    qint64 m_end = 0;
    qint64 m_sent = 0;
    qint64 m_cut = -1;
    bool m_drop = false;
    qint64 m_corruptAt = -1;
    qint64 m_rate = 0;
    qint64 m_allowance = 0;
    QTimer m_rateTimer;
};

TestHttpServer::TestHttpServer(QObject* parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &TestHttpServer::accept);
}

TestHttpServer::~TestHttpServer() = default;

bool TestHttpServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 TestHttpServer::port() const
{
    return m_server->serverPort();
}

QUrl TestHttpServer::url(const QString& path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
}

QByteArray TestHttpServer::sha256Hex(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

void TestHttpServer::serve(const QString& path, const QByteArray& data)
{
    Resource& r = m_resources[path];
    r.data = data;
    r.filePath.clear();
    r.size = data.size();
    r.sha256 = sha256Hex(data);
    r.redirectTo.clear();
}

void TestHttpServer::serveFile(const QString& path, const QString& filePath)
{
    Resource& r = m_resources[path];
    r.data.clear();
    r.filePath = filePath;
    r.redirectTo.clear();
    QFile file(filePath);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (file.open(QIODevice::ReadOnly) && hash.addData(&file))
        r.sha256 = hash.result().toHex();
    r.size = file.size();
}

void TestHttpServer::redirect(const QString& path, const QString& target, int status)
{
    Resource& r = m_resources[path];
    r.redirectTo = target;
    r.redirectStatus = status;
}

void TestHttpServer::setLinkedHeaders(const QString& path, bool send) { m_resources[path].linkedHeaders = send; }
void TestHttpServer::setSendLength(const QString& path, bool send) { m_resources[path].sendLength = send; }
void TestHttpServer::setIgnoreRange(const QString& path, bool ignore) { m_resources[path].ignoreRange = ignore; }
void TestHttpServer::setRate(const QString& path, qint64 bytesPerSecond) { m_resources[path].rate = bytesPerSecond; }
void TestHttpServer::failWith(const QString& path, int status, int times) { m_resources[path].fail = {times, status}; }
void TestHttpServer::dropAfter(const QString& path, qint64 bodyBytes, int times) { m_resources[path].drop = {times, bodyBytes}; }
void TestHttpServer::stallAfter(const QString& path, qint64 bodyBytes, int times) { m_resources[path].stall = {times, bodyBytes}; }
void TestHttpServer::corruptByte(const QString& path, qint64 offset) { m_resources[path].corruptAt = offset; }

void TestHttpServer::clearFaults(const QString& path)
{
    Resource& r = m_resources[path];
    r.fail = {};
    r.drop = {};
    r.stall = {};
    r.corruptAt = -1;
}

int TestHttpServer::requestCount(const QString& path) const { return m_stats.value(path).requests; }
QList<QByteArray> TestHttpServer::ranges(const QString& path) const { return m_stats.value(path).ranges; }
qint64 TestHttpServer::bodyBytesSent(const QString& path) const { return m_stats.value(path).bodyBytes; }

void TestHttpServer::accept()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection())
        new Connection(this, socket);
}

void TestHttpServer::respond(Connection* connection, const QByteArray& method, const QString& path,
                             const QByteArray& range)
{
    Stats& stats = m_stats[path];
    ++stats.requests;
    stats.ranges.append(range);
    const auto found = m_resources.find(path);
    if (found == m_resources.end()) {
        connection->sendSmall(404, {}, "404 Not Found\n");
        return;
    }
    Resource& r = *found;
    if (r.fail.take()) {
        const int status = int(r.fail.value);
        connection->sendSmall(status, {}, QByteArray::number(status) + ' ' + reasonFor(status) + '\n');
        return;
    }
    if (!r.redirectTo.isEmpty()) {
        QList<std::pair<QByteArray, QByteArray>> headers{{"Location", url(r.redirectTo).toEncoded()}};
        const auto target = m_resources.constFind(r.redirectTo);
        if (target != m_resources.constEnd() && target->redirectTo.isEmpty()) {
            headers.emplaceBack("X-Linked-Etag", '"' + target->sha256 + '"');
            headers.emplaceBack("X-Linked-Size", QByteArray::number(target->size));
        }
        connection->sendSmall(r.redirectStatus, headers, "Found. Redirecting to " + r.redirectTo.toUtf8() + '\n');
        return;
    }

    qint64 first = 0;
    qint64 last = r.size - 1;
    const RangeKind kind = r.ignoreRange ? RangeKind::None : parseRange(range, r.size, &first, &last);
    if (kind == RangeKind::Unsatisfiable) {
        connection->sendSmall(416, {{"Content-Range", "bytes */" + QByteArray::number(r.size)}}, "");
        return;
    }
    QList<std::pair<QByteArray, QByteArray>> headers{
        {"Content-Type", "application/octet-stream"},
        {"Content-Length", QByteArray::number(last - first + 1)},
        {"Accept-Ranges", "bytes"},
    };
    if (!r.sendLength)
        headers.removeIf([](const auto& header) { return header.first == "Content-Length"; });
    if (kind == RangeKind::Satisfiable)
        headers.emplaceBack("Content-Range", "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) + '/' +
                                             QByteArray::number(r.size));
    if (r.linkedHeaders) {
        headers.emplaceBack("X-Linked-Etag", '"' + r.sha256 + '"');
        headers.emplaceBack("X-Linked-Size", QByteArray::number(r.size));
    }
    connection->sendHead(kind == RangeKind::Satisfiable ? 206 : 200, headers);
    if (method == "HEAD") {
        connection->finish();
        return;
    }
    qint64 cut = -1;
    bool drop = false;
    if (r.drop.take()) {
        cut = r.drop.value;
        drop = true;
    } else if (r.stall.take()) {
        cut = r.stall.value;
    }
    connection->sendBody(path, r, first, last + 1, cut, drop);
}

} // namespace ponder::test
