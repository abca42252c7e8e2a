// What a download is, as plain data: the request (one or several URLs, each
// to its own file) and the small JSON sidecar that lets a later run resume a
// part where this one stopped.
//
// A part downloading to <dest> writes its bytes to <dest>.part and its state
// to <dest>.part.json:
//
//   { "version": 1, "url": "https://…", "size": 4683073248, "sha256": "…",
//     "bytesDone": 1048576, "download": { "id": …, "name": …, "parts": [ … ] } }
//
// `size` and `sha256` are what the file must turn out to be (from the caller
// or the server; -1 and "" while unknown). `bytesDone` counts the leading
// bytes of the .part that were written and flushed when the state was saved:
// a later run trusts no more than that, and re-hashes even those. `download`
// describes the whole logical download (all parts, file names relative to
// the sidecar's folder) so DownloadManager::restore() can list it again.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace ponder::app {

struct DownloadPart {
    QUrl url;
    QString destination;       // the final file: absolute, or relative to the models folder
    qint64 expectedSize = -1;  // bytes; -1 when unknown
    QString expectedSha256;    // lowercase hex; empty: the server's X-Linked-Etag, if it has one
};

struct DownloadRequest {
    QString id;    // empty: made from the first file's name
    QString name;  // for messages; empty: the id
    QList<DownloadPart> parts;  // in order; a multi-part GGUF's -00001-of-0000N files

    // Why the request is unusable (no parts, a URL that is not http(s), an
    // empty destination, a malformed SHA-256, two parts to one file), or
    // nullopt when it is fine.
    std::optional<QString> problem() const;
    // The same request with relative destinations placed in `folder`.
    DownloadRequest resolvedIn(const QString& folder) const;
    QJsonObject toJson(const QString& folder) const;  // destinations relative to `folder` when inside it
    // A request read back from a sidecar, which anyone who can write to the
    // models folder can forge: nullopt unless every file is a plain name in
    // `folder` (no path, no "..") and every URL is https, or http to one of
    // `httpOrigins` (loopback test servers and mirrors; see isAllowedHttpOrigin).
    static std::optional<DownloadRequest> fromJson(const QJsonObject& json, const QString& folder,
                                                   const QStringList& httpOrigins = {});
};

struct DownloadState {
    static constexpr int kVersion = 1;

    QString url;
    qint64 size = -1;      // bytes the finished file has; -1 unknown
    QString sha256;        // lowercase hex the finished file hashes to; empty unknown
    qint64 bytesDone = 0;  // leading bytes of the .part written and flushed
    QJsonObject download;  // DownloadRequest::toJson() of the logical download

    static QString partPath(const QString& destination) { return destination + QStringLiteral(".part"); }
    static QString statePath(const QString& destination) { return destination + QStringLiteral(".part.json"); }

    // nullopt for a missing, unreadable, malformed or newer-version file.
    static std::optional<DownloadState> read(const QString& path);
    // Atomically (QSaveFile): a crash leaves the old state or the new one.
    // On failure returns false and sets `error`.
    bool write(const QString& path, QString* error = nullptr) const;
};

// True for 64 hex digits (any case).
bool isSha256Hex(const QString& text);
// "http://127.0.0.1:8080" for any URL on that origin; empty for one without a host.
QString urlOrigin(const QUrl& url);
// True for an http origin whose host is a loopback address (127.0.0.0/8, ::1,
// localhost): the only plain-http servers a restored download may talk to.
bool isLoopbackHttpOrigin(const QUrl& url);

} // namespace ponder::app
