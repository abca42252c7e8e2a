// Reads a GGUF file's header over HTTP without downloading the file, so the
// model picker can show a model's architecture, size and fit (via
// ponder::readModelInfo()) before the user commits gigabytes to it.
//
// The first request asks for bytes 0 to 1 MiB - 1; the 206's Content-Range
// tells the file's size (else X-Linked-Size from a redirect, or a 200's
// Content-Length). The bytes go to ponder::parseGgufPrefix(); while it
// answers NeedMoreData, the next request fetches only the missing bytes, up
// to at least double what is held (its neededBytes is a lower bound that can
// grow one token at a time inside a vocabulary). A server that ignores Range
// and sends the whole file is read only until the header parses, then cut
// off. Redirects are followed (https never to http).
//
// One URL per object and fetch; a split model's caller reads each part's
// header and combines them.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include "ponder/gguf.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace ponder::app {

class RemoteGgufHeader : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// The file being read, or last read.
    Q_PROPERTY(QUrl url READ url NOTIFY busyChanged)
    /// True while requests are out.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// Size of the remote file in bytes; -1 until known.
    Q_PROPERTY(qint64 fileSize READ fileSize NOTIFY finished)
    /// Bytes of the file received so far for the header.
    Q_PROPERTY(qint64 bytesFetched READ bytesFetched NOTIFY finished)
    /// True after a successful fetch: header() holds the header (C++ only).
    Q_PROPERTY(bool hasHeader READ hasHeader NOTIFY finished)
    /// Why the last fetch failed, in words for the user; empty after a success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY finished)
    /// Longest time a request may bring no data, in ms.
    Q_PROPERTY(int timeoutMs READ timeoutMs WRITE setTimeoutMs NOTIFY timeoutMsChanged)

public:
    static constexpr qint64 kFirstFetchBytes = 1024 * 1024;
    // A 150k-token vocabulary makes a header of 5-10 MB; far beyond that is not a model header.
    static constexpr qint64 kMaxHeaderBytes = 64 * 1024 * 1024;

    explicit RemoteGgufHeader(QObject* parent = nullptr);
    ~RemoteGgufHeader() override;

    // Uses `network` (e.g. DownloadManager::network()) instead of an own one.
    void setNetworkAccessManager(QNetworkAccessManager* network);

    QUrl url() const { return m_url; }
    bool busy() const { return !m_reply.isNull(); }
    qint64 fileSize() const { return m_fileSize; }
    qint64 bytesFetched() const { return m_fetched; }
    QString errorString() const { return m_error; }
    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms);

    // After finished(true): the parsed header, valid until the next fetch().
    bool hasHeader() const { return m_hasHeader; }
    const ponder::GgufHeader& header() const { return m_header; }

    /// Starts reading the header of the GGUF file at `url`, abandoning any fetch in progress.
    Q_INVOKABLE void fetch(const QUrl& url);
    /// Stops the fetch in progress without a finished() signal.
    Q_INVOKABLE void abort();

signals:
    // Once per fetch(): `ok` with header() set, else errorString says why.
    void finished(bool ok);
    void busyChanged();
    void timeoutMsChanged();

private:
    void request(qint64 first, qint64 last);
    void metaDataChanged();
    void readyRead();
    void replyFinished();
    bool tryParse();
    bool parseHeld();
    void succeed();
    void failWith(const QString& reason);
    void dropReply();

    QNetworkAccessManager* m_network = nullptr;
    bool m_ownNetwork = false;
    int m_timeoutMs = 30000;
    QUrl m_url;
    QPointer<QNetworkReply> m_reply;
    bool m_bodyAccepted = false;  // the current response's body continues m_bytes
    qint64 m_linkedSize = -1;     // X-Linked-Size seen in the current redirect chain
    qint64 m_fileSize = -1;
    qint64 m_want = 0;            // bytes to hold before parsing again
    qint64 m_fetched = 0;
    qint64 m_replyBytes = 0;      // body bytes of the current response
    QByteArray m_bytes;           // the file's first bytes
    QString m_error;
    bool m_hasHeader = false;
    ponder::GgufHeader m_header;
};

} // namespace ponder::app
