#include "openai_protocol.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace ponder::app {
namespace {

// lupdate takes a tr() call's context from its class.
struct ProtocolText {
    Q_DECLARE_TR_FUNCTIONS(OpenAiProtocol)
};

} // namespace

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
        return ProtocolText::tr("the server redirected to %1, without encryption; Ponder does not follow that")
            .arg(displayUrl(to));
    if (!sameOrigin(from, to))
        return ProtocolText::tr("the server redirected to %1, another address; Ponder does not send the API key and "
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

QList<QByteArray> SseReader::feed(QByteArrayView bytes)
{
    QList<QByteArray> payloads;
    if (m_overflowed)
        return payloads;
    // What was left from the last call is the start of a line without its
    // '\n' yet: only the new bytes are searched.
    const qsizetype searched = m_buffer.size();
    m_buffer += bytes;
    qsizetype start = 0;
    for (;;) {
        const qsizetype from = std::max(start, searched);
        const qsizetype end = m_buffer.indexOf('\n', from);
        m_examined += (end < 0 ? m_buffer.size() : end + 1) - from;
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
    if (m_data.size() + m_buffer.size() > kMaxEventBytes) {
        m_overflowed = true;
        m_buffer.clear();
        m_data.clear();
    }
    return payloads;
}

QString errorMessageIn(const QJsonObject& object)
{
    const QJsonValue error = object.value(QLatin1String("error"));
    if (error.isObject())
        return error.toObject().value(QLatin1String("message")).toString();
    if (error.isString())
        return error.toString();
    return object.value(QLatin1String("detail")).toString();
}

ChatChunk parseChatChunk(const QByteArray& payload)
{
    ChatChunk chunk;
    if (payload.trimmed() == "[DONE]") {
        chunk.kind = ChatChunk::Kind::Done;
        return chunk;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        chunk.kind = ChatChunk::Kind::NotJson;
        chunk.error = QString::fromUtf8(payload.left(200));
        return chunk;
    }
    const QJsonObject object = document.object();
    if (object.contains(QLatin1String("error"))) {
        chunk.kind = ChatChunk::Kind::ServerError;
        chunk.error = errorMessageIn(object);
        return chunk;
    }
    if (const QJsonValue usage = object.value(QLatin1String("usage")); usage.isObject())
        chunk.usage = usage.toObject().toVariantMap();
    const QJsonArray choices = object.value(QLatin1String("choices")).toArray();
    if (choices.isEmpty())
        return chunk;
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
    chunk.reasoning = delta.value(QLatin1String("reasoning_content")).toString();
    if (chunk.reasoning.isEmpty())
        chunk.reasoning = delta.value(QLatin1String("reasoning")).toString();
    chunk.content = delta.value(QLatin1String("content")).toString();
    chunk.finishReason = choice.value(QLatin1String("finish_reason")).toString();
    return chunk;
}

QString ReasoningJoiner::join(const QString& reasoning, const QString& content)
{
    QString piece;
    if (!reasoning.isEmpty()) {
        if (!m_inReasoning)
            piece += QStringLiteral("<think>\n");
        m_inReasoning = true;
        piece += reasoning;
    }
    if (!content.isEmpty()) {
        if (m_inReasoning)
            piece += QStringLiteral("\n</think>\n\n");
        m_inReasoning = false;
        piece += content;
    }
    return piece;
}

} // namespace ponder::app
