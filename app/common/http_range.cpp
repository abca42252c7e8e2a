#include "http_range.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QRegularExpression>

namespace ponder::app {
namespace {

// lupdate takes a tr() call's context from its class.
struct HttpText {
    Q_DECLARE_TR_FUNCTIONS(HttpRange)
};

// HTTP/2 answers carry no reason phrase; these are the ones a download meets.
QString standardReason(int status)
{
    switch (status) {
    case 400: return QStringLiteral("Bad Request");
    case 401: return QStringLiteral("Unauthorized");
    case 403: return QStringLiteral("Forbidden");
    case 404: return QStringLiteral("Not Found");
    case 408: return QStringLiteral("Request Timeout");
    case 410: return QStringLiteral("Gone");
    case 416: return QStringLiteral("Range Not Satisfiable");
    case 429: return QStringLiteral("Too Many Requests");
    case 500: return QStringLiteral("Internal Server Error");
    case 502: return QStringLiteral("Bad Gateway");
    case 503: return QStringLiteral("Service Unavailable");
    case 504: return QStringLiteral("Gateway Timeout");
    default: return {};
    }
}

} // namespace

QNetworkRequest rangeRequest(const QUrl& url, qint64 first, qint64 last)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    // Naming a coding turns off Qt's transparent gzip, which would make the
    // body's length and offsets differ from the file's.
    request.setRawHeader("Accept-Encoding", "identity");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Ponder/" PONDER_VERSION));
    if (first > 0 || last >= 0) {
        QByteArray range = "bytes=" + QByteArray::number(first) + '-';
        if (last >= 0)
            range += QByteArray::number(last);
        request.setRawHeader("Range", range);
    }
    return request;
}

std::optional<ContentRange> parseContentRange(const QByteArray& value)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$)"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(value));
    if (!match.hasMatch())
        return std::nullopt;
    ContentRange range;
    bool ok = true;
    if (match.hasCaptured(1)) {
        range.first = match.captured(1).toLongLong(&ok);
        if (ok)
            range.last = match.captured(2).toLongLong(&ok);
        if (!ok || range.last < range.first)
            return std::nullopt;
    }
    if (match.captured(3) != QLatin1String("*")) {
        range.total = match.captured(3).toLongLong(&ok);
        if (!ok || (range.last >= 0 && range.last >= range.total))
            return std::nullopt;
    }
    return range;
}

QString sha256FromEtag(const QByteArray& value)
{
    QByteArray etag = value.trimmed();
    if (etag.startsWith("W/"))
        etag = etag.mid(2);
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"'))
        etag = etag.mid(1, etag.size() - 2);
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-fA-F]{64}$"));
    const QString text = QString::fromLatin1(etag);
    return hex64.match(text).hasMatch() ? text.toLower() : QString();
}

qint64 linkedSize(const QNetworkReply* reply)
{
    if (!reply->hasRawHeader("X-Linked-Size"))
        return -1;
    bool ok = false;
    const qint64 size = reply->rawHeader("X-Linked-Size").trimmed().toLongLong(&ok);
    return ok && size >= 0 ? size : -1;
}

int httpStatus(const QNetworkReply* reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QString describeFailure(const QNetworkReply* reply)
{
    const int status = httpStatus(reply);
    if (status >= 400) {
        QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().trimmed();
        if (reason.isEmpty())
            reason = standardReason(status);
        return reason.isEmpty() ? HttpText::tr("the server answered %1").arg(status)
                                : HttpText::tr("the server answered %1 %2").arg(status).arg(reason);
    }
    return reply->errorString();
}

bool isTransientFailure(const QNetworkReply* reply)
{
    const int status = httpStatus(reply);
    if (status >= 400)
        return status == 408 || status == 429 || status >= 500;
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:  // also what a machine that went offline sees
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:  // QNetworkRequest's transfer timeout
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::UnknownProxyError:
    case QNetworkReply::ProtocolFailure:  // a garbled or cut-off response
    case QNetworkReply::InternalServerError:
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::UnknownServerError:
        return true;
    default:
        return false;
    }
}

void abandonReply(QPointer<QNetworkReply>& reply, const QObject* receiver)
{
    QNetworkReply* abandoned = reply.data();
    reply.clear();
    if (!abandoned)
        return;
    abandoned->disconnect(receiver);
    abandoned->abort();
    abandoned->deleteLater();
}

} // namespace ponder::app
