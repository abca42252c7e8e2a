#include "api_error.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ponder::serve {
namespace {

// At most `size` characters of what a client sent, for an error message.
QString excerpt(const QString& text, qsizetype size = 64)
{
    return text.size() <= size ? text : text.left(size) + QStringLiteral("…");
}

} // namespace

QByteArray errorBody(const ApiError& error)
{
    QJsonObject inner{{QStringLiteral("message"), error.message}, {QStringLiteral("type"), error.type}};
    inner.insert(QStringLiteral("param"), error.param.isEmpty() ? QJsonValue() : QJsonValue(error.param));
    inner.insert(QStringLiteral("code"), error.code.isEmpty() ? QJsonValue() : QJsonValue(error.code));
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), inner}}).toJson(QJsonDocument::Compact);
}

ApiError invalidRequest(const QString& message, const QString& param, const QString& code)
{
    return {400, QStringLiteral("invalid_request_error"), message, param, code};
}

ApiError unauthorized()
{
    return {401, QStringLiteral("authentication_error"),
            QStringLiteral("Missing or wrong API key: send it as 'Authorization: Bearer KEY'."), {},
            QStringLiteral("invalid_api_key")};
}

ApiError modelNotFound(const QString& model)
{
    return {404, QStringLiteral("invalid_request_error"),
            QStringLiteral("The model '%1' does not exist here; GET /v1/models lists the one served.")
                .arg(excerpt(model)),
            QStringLiteral("model"), QStringLiteral("model_not_found")};
}

ApiError bodyTooLarge(qint64 limit)
{
    return {413, QStringLiteral("invalid_request_error"),
            QStringLiteral("The request is larger than this server accepts (%1 bytes).").arg(limit), {},
            QStringLiteral("request_too_large")};
}

ApiError tooManyRequests(const QString& message)
{
    return {429, QStringLiteral("rate_limit_error"), message, {}, QStringLiteral("too_many_requests")};
}

ApiError contextTooLong(quint32 promptTokens, quint32 contextLength)
{
    return invalidRequest(QStringLiteral("The messages are %1 tokens long; this server's context holds %2, "
                                         "and at least one token must be left for the answer.")
                              .arg(promptTokens)
                              .arg(contextLength),
                          QStringLiteral("messages"), QStringLiteral("context_length_exceeded"));
}

ApiError notFound(const QString& path)
{
    return {404, QStringLiteral("invalid_request_error"),
            QStringLiteral("No endpoint at '%1'.").arg(excerpt(path)), {}, QStringLiteral("unknown_url")};
}

ApiError methodNotAllowed(const QString& method, const QString& path)
{
    return {405, QStringLiteral("invalid_request_error"),
            QStringLiteral("'%1' does not take %2.").arg(excerpt(path), excerpt(method, 16)), {},
            QStringLiteral("method_not_allowed")};
}

ApiError serverError(const QString& message)
{
    return {500, QStringLiteral("server_error"), message, {}, {}};
}

} // namespace ponder::serve
