// An OpenAI-style error: the HTTP status and the JSON body
// {"error": {"message", "type", "param", "code"}} that OpenAI's clients read
// (the `openai` npm package raises BadRequestError, NotFoundError... by the
// status and shows `message`).
#pragma once

#include <QByteArray>
#include <QString>

namespace ponder::serve {

struct ApiError {
    int status = 400;
    QString type;     // "invalid_request_error", "authentication_error", "server_error"...
    QString message;  // one line a person can read; never echoes more than a few bytes of input
    QString param;    // the request field at fault; empty: none
    QString code;     // "model_not_found", "context_length_exceeded"...; empty: none
};

QByteArray errorBody(const ApiError& error);

// The errors every endpoint may give, in one place so status and type agree.
ApiError invalidRequest(const QString& message, const QString& param = {}, const QString& code = {});
ApiError unauthorized();
ApiError modelNotFound(const QString& model);
ApiError bodyTooLarge(qint64 limit);
ApiError tooManyRequests(const QString& message);
ApiError contextTooLong(quint32 promptTokens, quint32 contextLength);
ApiError notFound(const QString& path);
ApiError methodNotAllowed(const QString& method, const QString& path);
ApiError serverError(const QString& message);

} // namespace ponder::serve
