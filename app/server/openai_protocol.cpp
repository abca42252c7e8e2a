// The OpenAI-compatible protocol's pieces that hold no state of a client:
// the API's base URL, which redirects to follow, and the server-sent-events
// reader.
#include "openai_client.h"

namespace ponder::app {

QString displayUrl(const QUrl& url)
{
    return url.adjusted(QUrl::RemoveUserInfo).toDisplayString();
}

QString withoutCredentials(QString text, const QUrl& url)
{
    for (const QUrl::ComponentFormattingOption form : {QUrl::PrettyDecoded, QUrl::FullyEncoded})
        if (const QString user = url.userInfo(form); !user.isEmpty())
            text.replace(user + u'@', QString());
    return text;
}

bool sameOrigin(const QUrl& a, const QUrl& b)
{
    const auto port = [](const QUrl& url) { return url.port(url.scheme() == QLatin1String("https") ? 443 : 80); };
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && port(a) == port(b);
}

QString redirectRefusal(const QUrl& from, const QUrl& to)
{
    if (from.scheme() == QLatin1String("https") && to.scheme() != QLatin1String("https"))
        return QStringLiteral("the server redirected to %1, without encryption; Ponder does not follow that")
            .arg(displayUrl(to));
    if (!sameOrigin(from, to))
        return QStringLiteral("the server redirected to %1, another address; Ponder does not send the API key and "
                              "the conversation there (use that address if it is the right one)")
            .arg(displayUrl(to));
    return {};
}

QUrl apiBaseUrl(const QUrl& url)
{
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return {};
    QUrl base = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    QString path = base.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    if (!path.endsWith(QLatin1String("/v1")))
        path += QStringLiteral("/v1");
    base.setPath(path);
    return base;
}

QList<QByteArray> SseReader::feed(const QByteArray& bytes)
{
    QList<QByteArray> payloads;
    m_buffer += bytes;
    qsizetype start = 0;
    for (;;) {
        const qsizetype end = m_buffer.indexOf('\n', start);
        if (end < 0)
            break;
        QByteArray line = m_buffer.mid(start, end - start);
        start = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty()) {  // the end of an event
            if (m_hasData)
                payloads.append(m_data);
            m_data.clear();
            m_hasData = false;
        } else if (line.startsWith("data:")) {
            QByteArray value = line.mid(5);
            if (value.startsWith(' '))
                value.remove(0, 1);
            if (m_hasData)
                m_data += '\n';
            m_data += value;
            m_hasData = true;
        }  // ":comment", "event:", "id:", "retry:": nothing a chat needs
    }
    m_buffer.remove(0, start);
    return payloads;
}

} // namespace ponder::app
