#include "chat_request.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <random>

namespace ponder::serve {
namespace {

using Parsed = std::expected<ChatRequest, ApiError>;

ApiError wrongType(const QString& field, const char* expected)
{
    return invalidRequest(QStringLiteral("'%1' must be %2.").arg(field, QLatin1String(expected)), field);
}

// A JSON number that is a whole number within ±2^53 (exact in a double).
bool isInteger(const QJsonValue& value)
{
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    return std::isfinite(number) && std::floor(number) == number && std::fabs(number) <= 9007199254740992.0;
}

std::expected<ChatRole, ApiError> readRole(const QJsonValue& value, const QString& field)
{
    if (!value.isString())
        return std::unexpected(wrongType(field, "a string"));
    const QString role = value.toString();
    if (role == u"system" || role == u"developer")
        return ChatRole::System;
    if (role == u"user")
        return ChatRole::User;
    if (role == u"assistant")
        return ChatRole::Assistant;
    return std::unexpected(invalidRequest(
        QStringLiteral("'%1' must be system, developer, user or assistant (tools are not supported).").arg(field),
        field));
}

// A message's content: a string, null (an assistant message without text), or text parts.
std::expected<std::string, ApiError> readContent(const QJsonValue& value, const QString& field)
{
    if (value.isString())
        return value.toString().toStdString();
    if (value.isNull() || value.isUndefined())
        return std::string();
    if (!value.isArray())
        return std::unexpected(wrongType(field, "a string or an array of text parts"));
    std::string text;
    const QJsonArray parts = value.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString partField = QStringLiteral("%1[%2]").arg(field).arg(i);
        const QJsonObject part = parts[i].toObject();
        if (!parts[i].isObject() || part.value(u"type") != QJsonValue(QStringLiteral("text")) ||
            !part.value(u"text").isString())
            return std::unexpected(invalidRequest(
                QStringLiteral("'%1' must be {\"type\": \"text\", \"text\": ...}; only text is supported.")
                    .arg(partField),
                partField));
        text += part.value(u"text").toString().toStdString();
    }
    return text;
}

std::expected<std::vector<ChatMessage>, ApiError> readMessages(const QJsonValue& value, const RequestLimits& limits)
{
    const QString field = QStringLiteral("messages");
    if (value.isUndefined())
        return std::unexpected(invalidRequest(QStringLiteral("'messages' is required."), field));
    if (!value.isArray())
        return std::unexpected(wrongType(field, "an array"));
    const QJsonArray array = value.toArray();
    if (array.isEmpty())
        return std::unexpected(invalidRequest(QStringLiteral("'messages' must not be empty."), field));
    if (array.size() > limits.maxMessages)
        return std::unexpected(
            invalidRequest(QStringLiteral("'messages' holds more than %1 messages.").arg(limits.maxMessages), field));
    std::vector<ChatMessage> messages;
    messages.reserve(size_t(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString item = QStringLiteral("messages[%1]").arg(i);
        if (!array[i].isObject())
            return std::unexpected(wrongType(item, "an object"));
        const QJsonObject message = array[i].toObject();
        auto role = readRole(message.value(u"role"), item + QStringLiteral(".role"));
        if (!role)
            return std::unexpected(role.error());
        auto content = readContent(message.value(u"content"), item + QStringLiteral(".content"));
        if (!content)
            return std::unexpected(content.error());
        messages.push_back({*role, std::move(*content)});
    }
    return messages;
}

std::expected<std::vector<std::string>, ApiError> readStop(const QJsonValue& value, const RequestLimits& limits)
{
    const QString field = QStringLiteral("stop");
    QJsonArray items;
    if (value.isUndefined() || value.isNull())
        return std::vector<std::string>();
    if (value.isString())
        items.append(value);
    else if (value.isArray())
        items = value.toArray();
    else
        return std::unexpected(wrongType(field, "a string or an array of strings"));
    if (items.size() > limits.maxStopStrings)
        return std::unexpected(
            invalidRequest(QStringLiteral("'stop' takes at most %1 strings.").arg(limits.maxStopStrings), field));
    std::vector<std::string> stop;
    for (const QJsonValue& item : items) {
        if (!item.isString())
            return std::unexpected(wrongType(field, "a string or an array of strings"));
        std::string text = item.toString().toStdString();
        if (text.size() > size_t(limits.maxStopBytes))
            return std::unexpected(invalidRequest(
                QStringLiteral("A 'stop' string is longer than %1 bytes.").arg(limits.maxStopBytes), field));
        if (!text.empty())
            stop.push_back(std::move(text));
    }
    return stop;
}

// A number field within [low, high]; `fallback` when absent or null.
std::expected<double, ApiError> readNumber(const QJsonObject& object, const QString& field, double low, double high,
                                           double fallback)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isDouble())
        return std::unexpected(wrongType(field, "a number"));
    const double number = value.toDouble();
    if (!(number >= low && number <= high))
        return std::unexpected(
            invalidRequest(QStringLiteral("'%1' must be between %2 and %3.").arg(field).arg(low).arg(high), field));
    return number;
}

std::expected<bool, ApiError> readBool(const QJsonObject& object, const QString& field, bool fallback)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool())
        return std::unexpected(wrongType(field, "true or false"));
    return value.toBool();
}

// max_completion_tokens (OpenAI's current name) wins over max_tokens (the old one).
std::expected<uint32_t, ApiError> readMaxTokens(const QJsonObject& object, const RequestLimits& limits)
{
    uint32_t maxTokens = std::max<quint32>(limits.contextLength, 1);
    for (const QString& field : {QStringLiteral("max_tokens"), QStringLiteral("max_completion_tokens")}) {
        const QJsonValue value = object.value(field);
        if (value.isUndefined() || value.isNull())
            continue;
        if (!isInteger(value))
            return std::unexpected(wrongType(field, "an integer"));
        if (value.toDouble() < 1)
            return std::unexpected(invalidRequest(QStringLiteral("'%1' must be at least 1.").arg(field), field));
        // More than the context cannot be generated; the answer stops at a full context ("length").
        maxTokens = uint32_t(std::min(value.toDouble(), double(std::max<quint32>(limits.contextLength, 1))));
    }
    return maxTokens;
}

std::expected<void, ApiError> readSampling(const QJsonObject& object, SamplerConfig& sampler)
{
    auto temperature = readNumber(object, QStringLiteral("temperature"), 0, 2, sampler.temperature);
    if (!temperature)
        return std::unexpected(temperature.error());
    auto topP = readNumber(object, QStringLiteral("top_p"), 0, 1, sampler.topP);
    if (!topP)
        return std::unexpected(topP.error());
    sampler.temperature = float(*temperature);
    sampler.greedy = *temperature <= 0;
    sampler.topP = float(*topP);
    const QJsonValue seed = object.value(u"seed");
    if (seed.isUndefined() || seed.isNull()) {
        sampler.seed = std::random_device{}();
        sampler.seed = (sampler.seed << 32) ^ std::random_device{}();
    } else if (isInteger(seed)) {
        sampler.seed = uint64_t(int64_t(seed.toDouble()));
    } else {
        return std::unexpected(wrongType(QStringLiteral("seed"), "an integer"));
    }
    return {};
}

} // namespace

std::expected<ChatRequest, ApiError> parseChatRequest(const QByteArray& body, const QString& servedModel,
                                                      const RequestLimits& limits)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return std::unexpected(invalidRequest(QStringLiteral("The body is not valid JSON (%1 at byte %2).")
                                                  .arg(parseError.errorString())
                                                  .arg(parseError.offset)));
    if (!document.isObject())
        return std::unexpected(invalidRequest(QStringLiteral("The body must be a JSON object.")));
    const QJsonObject object = document.object();

    const QJsonValue model = object.value(u"model");
    if (model.isUndefined())
        return std::unexpected(invalidRequest(QStringLiteral("'model' is required."), QStringLiteral("model")));
    if (!model.isString())
        return std::unexpected(wrongType(QStringLiteral("model"), "a string"));
    if (model.toString() != servedModel)
        return std::unexpected(modelNotFound(model.toString()));

    const QJsonValue n = object.value(u"n");
    if (!n.isUndefined() && !n.isNull() && (!isInteger(n) || n.toDouble() != 1))
        return std::unexpected(invalidRequest(QStringLiteral("'n' must be 1: one answer per request."),
                                              QStringLiteral("n")));

    ChatRequest request;
    auto messages = readMessages(object.value(u"messages"), limits);
    if (!messages)
        return std::unexpected(messages.error());
    request.generation.messages = std::move(*messages);
    if (auto sampled = readSampling(object, request.generation.sampler); !sampled)
        return std::unexpected(sampled.error());
    auto maxTokens = readMaxTokens(object, limits);
    if (!maxTokens)
        return std::unexpected(maxTokens.error());
    request.generation.maxTokens = *maxTokens;
    auto stop = readStop(object.value(u"stop"), limits);
    if (!stop)
        return std::unexpected(stop.error());
    request.stop = std::move(*stop);
    auto stream = readBool(object, QStringLiteral("stream"), false);
    if (!stream)
        return std::unexpected(stream.error());
    request.stream = *stream;

    const QJsonValue streamOptions = object.value(u"stream_options");
    if (!streamOptions.isUndefined() && !streamOptions.isNull()) {
        if (!streamOptions.isObject())
            return std::unexpected(wrongType(QStringLiteral("stream_options"), "an object"));
        auto usage = readBool(streamOptions.toObject(), QStringLiteral("include_usage"), false);
        if (!usage)
            return std::unexpected(wrongType(QStringLiteral("stream_options.include_usage"), "true or false"));
        request.includeUsage = *usage;
    }

    const QJsonValue reasoning = object.value(u"reasoning_format");
    if (!reasoning.isUndefined() && !reasoning.isNull()) {
        if (reasoning == QJsonValue(QStringLiteral("none")))
            request.reasoning = ReasoningFormat::Inline;
        else if (reasoning != QJsonValue(QStringLiteral("deepseek")))
            return std::unexpected(invalidRequest(QStringLiteral("'reasoning_format' must be \"deepseek\" "
                                                                 "(reasoning_content apart) or \"none\" (inline)."),
                                                  QStringLiteral("reasoning_format")));
    }
    return request;
}

} // namespace ponder::serve
