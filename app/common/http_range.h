// Ranged HTTP GETs, shared by the downloader and the remote GGUF header
// reader: building the request, and reading what the server answered
// (status in words, Content-Range, Hugging Face's X-Linked headers, and
// whether a failure is worth another try).
//
// Hugging Face's resolve URLs answer 302 with X-Linked-Size and X-Linked-Etag
// (the file's SHA-256 for LFS files) and redirect to a CDN that serves the
// bytes without them, so these headers are read from whichever response of
// the redirect chain carries them first (FORMATS.md, "Downloads from Hugging
// Face").
#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <optional>

class QNetworkReply;

namespace ponder::app {

// A GET for bytes [first, last] of `url` (last -1: to the end; first 0 and
// last -1: no Range header at all). Redirects are followed unless they lead
// from https to http; the body is asked for without content coding, so
// offsets and lengths are those of the file.
QNetworkRequest rangeRequest(const QUrl& url, qint64 first, qint64 last = -1);

// "Content-Range: bytes 100-199/1000" → {100, 199, 1000}; "bytes */1000"
// (a 416's answer) → {-1, -1, 1000}; a total of "*" → total -1.
struct ContentRange {
    qint64 first = -1;  // offset of the first byte sent; -1 when none were
    qint64 last = -1;   // offset of the last byte sent, inclusive
    qint64 total = -1;  // size of the whole file, bytes; -1 when the server does not say
};
std::optional<ContentRange> parseContentRange(const QByteArray& value);

// The SHA-256 in an ETag-like value: 64 hex digits once quotes and a weak
// "W/" prefix are stripped, as lowercase hex; empty for anything else (a
// git blob's 40-digit SHA-1, say, which is no checksum of the file).
QString sha256FromEtag(const QByteArray& value);

// The X-Linked-Size header as bytes; -1 when absent or not a number.
qint64 linkedSize(const QNetworkReply* reply);

// The status code of the reply's latest response; 0 before one arrived.
int httpStatus(const QNetworkReply* reply);
inline bool isRedirectStatus(int status) { return status >= 300 && status < 400; }

// Why a finished reply failed, for a message: "the server answered 404 Not
// Found", or Qt's words for a network error ("Connection refused").
QString describeFailure(const QNetworkReply* reply);

// Abandons the request `reply` holds, if any: no more of its signals reach
// `receiver`, it is aborted and deleted later, and `reply` is cleared.
void abandonReply(QPointer<QNetworkReply>& reply, const QObject* receiver);

// True when trying again later may succeed: a dropped or refused
// connection, a timeout, 408, 429 and 5xx. Any other 4xx, a TLS failure or
// a bad redirect will fail the same way again.
bool isTransientFailure(const QNetworkReply* reply);

} // namespace ponder::app
