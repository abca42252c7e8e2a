// DownloadTask, the HTTP side: one request per try, for the bytes from
// m_done on; what the answer says about the file; retries with back-off.
#include "download_task.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include "http_range.h"

namespace ponder::app {

// Starts (or restarts) the transfer from m_done, once the hash covers it.
void DownloadTask::begin()
{
    if (m_size >= 0 && m_done > m_size)
        startOver();
    if (m_size >= 0 && m_done == m_size) {
        finishFile();  // every byte was already there: an earlier run stopped just before verifying
        return;
    }
    if (m_size >= 0 && !hasRoomFor(m_size - m_done + m_laterBytes))
        return;
    sendRequest();
}

void DownloadTask::sendRequest()
{
    m_bodyAccepted = false;
    m_tryReceived = 0;
    m_chainSha.clear();
    m_chainSize = -1;
    m_reply = m_network->get(rangeRequest(m_part.url, m_done));
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &DownloadTask::metaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &DownloadTask::readyRead);
    connect(m_reply, &QNetworkReply::finished, this, &DownloadTask::finished);
    m_stallTimer.start(m_policy.stallTimeoutMs);
    setPhase(Phase::Transferring);  // last: a slot may pause us
}

// Called for every response of the redirect chain: the first X-Linked-*
// headers are noted (Hugging Face sends them with its 302), and the final
// response is checked before any of its body is taken.
void DownloadTask::metaDataChanged()
{
    m_stallTimer.start(m_policy.stallTimeoutMs);
    if (m_chainSha.isEmpty())
        m_chainSha = sha256FromEtag(m_reply->rawHeader("X-Linked-Etag"));
    if (m_chainSize < 0)
        m_chainSize = linkedSize(m_reply);
    const int status = httpStatus(m_reply);
    if ((status == 200 || status == 206) && !m_bodyAccepted)
        acceptResponse(status);
}

bool DownloadTask::acceptResponse(int status)
{
    qint64 first = 0;
    qint64 total = -1;
    if (status == 206) {
        const std::optional<ContentRange> range = parseContentRange(m_reply->rawHeader("Content-Range"));
        if (!range || range->first < 0) {
            dropReply();
            retry(tr("the server sent a part of the file without saying which"));
            return false;
        }
        first = range->first;
        total = range->total;
    } else {
        const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
        total = length.isValid() ? length.toLongLong() : -1;
    }
    if (total < 0)
        total = m_chainSize;
    const qint64 sizeBefore = m_size;

    // Is it the file the caller asked for?
    if (m_part.expectedSize >= 0 && total >= 0 && total != m_part.expectedSize) {
        fail(tr("the server's file has %1 bytes, but %2 were expected").arg(total).arg(m_part.expectedSize));
        return false;
    }
    const QString expectedSha = m_part.expectedSha256.toLower();
    if (!expectedSha.isEmpty() && !m_chainSha.isEmpty() && m_chainSha != expectedSha) {
        fail(tr("the server offers a file with SHA-256 %1, but %2 was expected").arg(m_chainSha, expectedSha));
        return false;
    }
    // Is it still the file whose first bytes we hold?
    const bool changed = (m_size >= 0 && total >= 0 && total != m_size) ||
                         (!m_sha.isEmpty() && !m_chainSha.isEmpty() && m_chainSha != m_sha);
    if (changed) {
        qCInfo(lcDownload) << m_part.url << "changed on the server: starting over";
        m_size = total;
        m_sha = m_chainSha.isEmpty() ? expectedSha : m_chainSha;
        if (m_done > 0) {
            startOver();
            if (first != 0) {
                dropReply();
                sendRequest();
                return false;
            }
        }
    }
    if (m_size < 0)
        m_size = total;
    if (m_sha.isEmpty())
        m_sha = m_chainSha;

    if (first != m_done) {
        if (first != 0) {
            dropReply();
            retry(tr("the server sent bytes from %1 on, not from %2").arg(first).arg(m_done));
            return false;
        }
        // A 200 to a Range request: the server sends the whole file again.
        qCInfo(lcDownload) << m_part.url << "ignored the Range request: starting over";
        startOver();
    }
    if (m_size >= 0 && m_size != sizeBefore && !hasRoomFor(m_size - m_done + m_laterBytes))
        return false;
    if (!openPart())
        return false;
    m_bodyAccepted = true;
    checkpoint();
    return true;
}

void DownloadTask::readyRead()
{
    m_stallTimer.start(m_policy.stallTimeoutMs);
    if (m_bodyAccepted && consume(m_reply))
        emit progressed();
}

// Writes what the reply holds to the .part, then hashes and counts what was
// written. False when nothing was taken (or the task failed).
bool DownloadTask::consume(QNetworkReply* reply)
{
    const QByteArray data = reply->readAll();
    if (data.isEmpty())
        return false;
    if (m_size >= 0 && m_done + data.size() > m_size) {
        fail(tr("the server sent more than the file's %1 bytes").arg(m_size));
        return false;
    }
    if (m_size < 0 && m_done + data.size() > m_policy.maxUnknownSizeBytes) {
        fail(tr("the server sent more than %1 bytes without saying how long the file is")
                 .arg(m_policy.maxUnknownSizeBytes));
        return false;
    }
    qint64 written = 0;
    while (written < data.size()) {
        const qint64 n = m_file.write(data.constData() + written, data.size() - written);
        if (n <= 0)
            break;  // a second write after a short one reports the reason
        written += n;
    }
    if (written > 0) {
        m_hash->addData(QByteArrayView(data).first(written));
        m_done += written;
        m_received += written;
        m_tryReceived += written;
    }
    if (written < data.size()) {
        fail(tr("could not write to %1: %2").arg(QDir::toNativeSeparators(partPath()), m_file.errorString()));
        return false;
    }
    if (m_sinceCheckpoint.elapsed() >= m_policy.checkpointIntervalMs)
        checkpoint();
    return true;
}

void DownloadTask::finished()
{
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    m_stallTimer.stop();
    reply->deleteLater();
    reply->disconnect(this);
    if (m_bodyAccepted && reply->isOpen()) {
        if (consume(reply))
            emit progressed();
        if (m_phase != Phase::Transferring)
            return;  // consume() failed the task
    }
    const int status = httpStatus(reply);
    if (m_bodyAccepted && reply->error() == QNetworkReply::NoError) {
        if (m_size < 0)
            m_size = m_done;  // no length was given: the end of the body is the end of the file
        if (m_done == m_size)
            finishFile();
        else if (m_tryReceived > 0)
            sendRequest();  // a server that sends long files in several ranges: ask for the next one
        else
            retry(tr("the connection ended after %1 of %2 bytes").arg(m_done).arg(m_size));
        return;
    }
    if (status == 416 && m_done > 0) {
        // We asked from m_done on and there is nothing there: either the
        // .part already holds the whole file, or it is longer than the file.
        const std::optional<ContentRange> range = parseContentRange(reply->rawHeader("Content-Range"));
        if (range && range->total == m_done && (m_size < 0 || m_size == m_done)) {
            m_size = m_done;
            finishFile();
            return;
        }
        qCInfo(lcDownload) << m_part.url << "answered 416: starting over";
        startOver();
        sendRequest();
        return;
    }
    if (reply->error() == QNetworkReply::NoError) {
        fail(tr("the server answered %1 without the file").arg(status));
        return;
    }
    const QString reason = describeFailure(reply);
    if (isTransientFailure(reply))
        retry(reason);
    else
        fail(reason);
}

void DownloadTask::retry(const QString& reason)
{
    if (m_tryReceived > 0)
        m_failedTries = 0;
    ++m_failedTries;
    m_retryReason = reason;
    if (m_failedTries > m_policy.maxRetries) {
        fail(tr("%1 (gave up after %2 tries)").arg(reason).arg(m_failedTries));
        return;
    }
    const qint64 delay = qMin<qint64>(m_policy.maxRetryDelayMs,
                                      qint64(m_policy.retryDelayMs) << qMin(m_failedTries - 1, 20));
    qCInfo(lcDownload) << m_part.url << reason << "- trying again in" << delay << "ms";
    checkpoint();
    closePart();
    setPhase(Phase::Waiting);
    m_retryTimer.start(int(delay));
}

void DownloadTask::dropReply()
{
    m_stallTimer.stop();
    abandonReply(m_reply, this);
}

} // namespace ponder::app
