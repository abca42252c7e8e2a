#include "remote_gguf_header.h"

#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <functional>
#include <new>
#include <span>
#include <stdexcept>

#include "http_range.h"

namespace ponder::app {

namespace test_hooks {
// Called before a header held in memory is parsed ("parse", here) and before
// the parts' headers become a ModelInfo ("info", RemoteModelInfo); a test
// makes it throw to stand in for a header that asks for more memory than
// there is.
std::function<void(const char* step)> remoteHeaderStep;
} // namespace test_hooks

RemoteGgufHeader::RemoteGgufHeader(QObject* parent) : QObject(parent) {}

RemoteGgufHeader::~RemoteGgufHeader()
{
    dropReply();
}

void RemoteGgufHeader::setNetworkAccessManager(QNetworkAccessManager* network)
{
    abort();
    if (m_ownNetwork)
        delete m_network;
    m_network = network;
    m_ownNetwork = false;
}

void RemoteGgufHeader::setTimeoutMs(int ms)
{
    if (ms > 0 && ms != m_timeoutMs) {
        m_timeoutMs = ms;
        emit timeoutMsChanged();
    }
}

void RemoteGgufHeader::fetch(const QUrl& url)
{
    dropReply();
    m_url = url;
    m_bytes.clear();
    m_fileSize = -1;
    m_fetched = 0;
    m_want = kFirstFetchBytes;
    m_error.clear();
    m_hasHeader = false;
    m_header = ponder::GgufHeader();
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        m_ownNetwork = true;
    }
    request(0, kFirstFetchBytes - 1);
    emit busyChanged();
}

void RemoteGgufHeader::abort()
{
    const bool wasBusy = busy();
    dropReply();
    if (wasBusy)
        emit busyChanged();
}

void RemoteGgufHeader::request(qint64 first, qint64 last)
{
    m_bodyAccepted = false;
    m_linkedSize = -1;
    m_replyBytes = 0;
    QNetworkRequest request = rangeRequest(m_url, first, last);
    request.setTransferTimeout(m_timeoutMs);
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &RemoteGgufHeader::metaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &RemoteGgufHeader::readyRead);
    connect(m_reply, &QNetworkReply::finished, this, &RemoteGgufHeader::replyFinished);
}

// Called for every response of the redirect chain; only a 200 or 206 brings the file.
void RemoteGgufHeader::metaDataChanged()
{
    if (m_linkedSize < 0)
        m_linkedSize = linkedSize(m_reply);
    const int status = httpStatus(m_reply);
    if (m_bodyAccepted || (status != 200 && status != 206))
        return;
    if (status == 206) {
        const std::optional<ContentRange> range = parseContentRange(m_reply->rawHeader("Content-Range"));
        if (!range || range->first != m_bytes.size()) {
            failWith(tr("the server sent another part of the file than the one asked for"));
            return;
        }
        if (range->total >= 0)
            m_fileSize = range->total;
    } else {
        m_bytes.clear();  // Range was ignored: this is the whole file, from its first byte
        const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid())
            m_fileSize = length.toLongLong();
    }
    if (m_fileSize < 0)
        m_fileSize = m_linkedSize;
    if (m_fileSize < 0) {
        failWith(tr("the server did not tell the file's size"));
        return;
    }
    m_bodyAccepted = true;
}

void RemoteGgufHeader::readyRead()
{
    if (!m_bodyAccepted)
        return;
    const QByteArray data = m_reply->readAll();
    m_fetched += data.size();
    m_replyBytes += data.size();
    m_bytes.append(data);
    if (m_bytes.size() > kMaxHeaderBytes) {
        failWith(tr("no GGUF header ends within its first %1").arg(QLocale().formattedDataSize(kMaxHeaderBytes)));
        return;
    }
    if (m_bytes.size() >= m_want && tryParse())
        succeed();
}

void RemoteGgufHeader::replyFinished()
{
    QNetworkReply* reply = m_reply;
    if (m_bodyAccepted && reply->isOpen())  // an aborted (timed out) reply is closed
        readyRead();
    if (reply != m_reply)
        return;  // readyRead() succeeded or failed
    m_reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    if (reply->error() == QNetworkReply::OperationCanceledError) {  // the transfer timeout
        failWith(tr("the server sent nothing for %1 s").arg(QLocale().toString(m_timeoutMs / 1000.0)));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        failWith(describeFailure(reply));
        return;
    }
    if (!m_bodyAccepted) {
        failWith(tr("the server answered %1 without the file").arg(httpStatus(reply)));
        return;
    }
    if (tryParse()) {
        succeed();
    } else if (!m_error.isEmpty()) {
        return;  // tryParse() failed it
    } else if (m_bytes.size() >= m_fileSize) {
        failWith(tr("the file ends inside its header"));
    } else if (m_replyBytes == 0) {
        failWith(tr("the server sent none of the bytes asked for"));
    } else {
        request(m_bytes.size(), m_want - 1);
    }
}

// True when the header parsed. Otherwise either sets m_want for the next
// request, or fails (m_error is set). The parser checks every count against
// the bytes it holds, yet a server's header could still ask for more memory
// than there is: an exception here, in a network slot on the UI thread,
// would end the app, so it fails the read instead.
bool RemoteGgufHeader::tryParse()
{
    try {
        if (test_hooks::remoteHeaderStep)
            test_hooks::remoteHeaderStep("parse");
        return parseHeld();
    } catch (const std::bad_alloc&) {
    } catch (const std::length_error&) {
    } catch (const std::exception& error) {
        failWith(tr("its header could not be read (%1)").arg(QString::fromLocal8Bit(error.what())));
        return false;
    }
    failWith(tr("there is not enough memory to read its header"));
    return false;
}

bool RemoteGgufHeader::parseHeld()
{
    const qint64 held = qMin<qint64>(m_bytes.size(), m_fileSize);
    const auto prefix = std::span(reinterpret_cast<const std::byte*>(m_bytes.constData()), size_t(held));
    ponder::GgufPrefixParse parsed = ponder::parseGgufPrefix(prefix, uint64_t(m_fileSize));
    if (parsed.header) {
        m_header = std::move(*parsed.header);
        m_hasHeader = true;
        return true;
    }
    if (parsed.header.error().code == ponder::ErrorCode::NeedMoreData && held < m_fileSize) {
        m_want = qMin(m_fileSize, qMax(qint64(parsed.neededBytes), 2 * held));
        if (m_want > kMaxHeaderBytes)
            failWith(tr("its header claims more than %1").arg(QLocale().formattedDataSize(kMaxHeaderBytes)));
        return false;
    }
    failWith(tr("it is not a valid GGUF file (%1)").arg(QString::fromStdString(parsed.header.error().message)));
    return false;
}

void RemoteGgufHeader::succeed()
{
    dropReply();
    m_error.clear();
    emit busyChanged();
    emit finished(true);
}

void RemoteGgufHeader::failWith(const QString& reason)
{
    dropReply();
    m_hasHeader = false;
    const QString name = m_url.fileName().isEmpty() ? m_url.toDisplayString() : m_url.fileName();
    m_error = tr("Reading the header of %1 failed: %2").arg(name, reason);
    emit busyChanged();
    emit finished(false);
}

void RemoteGgufHeader::dropReply()
{
    abandonReply(m_reply, this);
}

} // namespace ponder::app
