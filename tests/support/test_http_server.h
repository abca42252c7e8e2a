// An HTTP/1.1 server on 127.0.0.1 for the download tests. It serves files
// from memory or disk with HEAD, GET and byte ranges (206 with
// Content-Range, 416 past the end), the Hugging Face headers (X-Linked-Etag
// with the content's SHA-256, X-Linked-Size), and faults a test sets per
// path: redirects, error statuses, dropped connections, stalls, throttling
// and a corrupted byte. It records what it was asked, so a test can assert
// that a resume really asked for `bytes=N-`.
//
// Everything is asynchronous on the thread that made it (the test's own
// event loop: QSignalSpy::wait, QTRY_*); every response says
// "Connection: close", so each request has a connection of its own.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

class QTcpServer;

namespace ponder::test {

class TestHttpServer : public QObject {
public:
    static constexpr int kAlways = -1;  // a fault's `times` for every request

    explicit TestHttpServer(QObject* parent = nullptr);
    ~TestHttpServer() override;

    // Listens on 127.0.0.1 on a free port; false when it cannot.
    bool listen();
    quint16 port() const;
    // http://127.0.0.1:<port><path>; `path` starts with '/'.
    QUrl url(const QString& path) const;

    // Content. A path served again replaces the old content and keeps its faults.
    void serve(const QString& path, const QByteArray& data);
    void serveFile(const QString& path, const QString& filePath);
    // Like a Hugging Face resolve URL: `path` answers `status` with Location
    // `target` (on this server), and with the X-Linked-Etag and X-Linked-Size
    // of the target's content.
    void redirect(const QString& path, const QString& target, int status = 302);
    // Whether the file's own answers carry X-Linked-Etag and X-Linked-Size (default true).
    void setLinkedHeaders(const QString& path, bool send);
    // Whether answers carry Content-Length (default true); without it the
    // body ends when the connection closes, as with a server that streams.
    void setSendLength(const QString& path, bool send);
    // Answer Range requests with 200 and the whole file, as some servers do.
    void setIgnoreRange(const QString& path, bool ignore);
    // Sends the body at about this many bytes per second (0: as fast as possible).
    void setRate(const QString& path, qint64 bytesPerSecond);

    // Faults, each for the next `times` requests of `path` (kAlways: every one).
    void failWith(const QString& path, int status, int times = 1);   // e.g. 404, 500
    void dropAfter(const QString& path, qint64 bodyBytes, int times = 1);   // close the connection mid-body
    void stallAfter(const QString& path, qint64 bodyBytes, int times = 1);  // stop sending, keep the socket open
    // Every answer of `path` has the byte at file offset `offset` inverted
    // (X-Linked-Etag still names the true content); -1 turns it off.
    void corruptByte(const QString& path, qint64 offset);
    void clearFaults(const QString& path);

    // What the server saw, per path (query strings ignored).
    int requestCount(const QString& path) const;
    QList<QByteArray> ranges(const QString& path) const;  // each request's Range header; empty when none
    qint64 bodyBytesSent(const QString& path) const;     // bytes of file content written
    static QByteArray sha256Hex(const QByteArray& data);

private:
    class Connection;
    friend class Connection;

    struct Fault {
        int times = 0;      // requests left that it applies to; kAlways for all
        qint64 value = -1;  // a status, or a count of body bytes
        bool take();        // true (and one time fewer) when it applies to this request
    };
    struct Resource {
        QByteArray data;           // the content, when served from memory
        QString filePath;          // the content, when served from disk
        qint64 size = 0;
        QByteArray sha256;         // hex, of the true content
        QString redirectTo;        // non-empty: answer with a redirect instead
        int redirectStatus = 302;
        bool linkedHeaders = true;
        bool ignoreRange = false;
        qint64 rate = 0;
        qint64 corruptAt = -1;
        bool sendLength = true;
        Fault fail;
        Fault drop;
        Fault stall;
    };
    struct Stats {
        int requests = 0;
        QList<QByteArray> ranges;
        qint64 bodyBytes = 0;
    };

    void accept();
    void respond(Connection* connection, const QByteArray& method, const QString& path, const QByteArray& range);

    QTcpServer* m_server;
    QHash<QString, Resource> m_resources;
    QHash<QString, Stats> m_stats;
};

} // namespace ponder::test
