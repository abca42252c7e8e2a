#include "openai_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>

#include <cmath>
#include <utility>

#include "http_range.h"

Q_LOGGING_CATEGORY(lcServer, "ponder.server")

namespace ponder::app {
namespace {

// A reply's property: why its redirect was refused (describeError says it).
constexpr char kRefusedRedirect[] = "ponderRefusedRedirect";

// A sampler setting as the server reads it: 0.6, not the float's 0.60000002384.
double jsonNumber(float value)
{
    return std::round(double(value) * 1e6) / 1e6;
}

// The engine's name for why an answer ended, from the server's finish_reason.
QString stopReasonFor(const QString& finishReason)
{
    return finishReason == QLatin1String("length") ? QStringLiteral("token limit") : QStringLiteral("end of turn");
}

} // namespace

OpenAiClient::OpenAiClient(QObject* parent) : ChatBackend(parent), m_network(new QNetworkAccessManager(this))
{
    connect(this, &OpenAiClient::modelsListed, this, &OpenAiClient::onListedForOpen);
    connect(this, &OpenAiClient::listFailed, this, [this](const QString& error) {
        if (std::exchange(m_opening, false))
            emit openFailed(tr("Could not use the server: %1").arg(error));
    });
}

OpenAiClient::~OpenAiClient()
{
    dropReply();
}

void OpenAiClient::setEndpoint(const ServerEndpoint& endpoint)
{
    m_endpoint = endpoint;
}

QNetworkRequest OpenAiClient::request(const QString& path) const
{
    QUrl url = apiBaseUrl(m_endpoint.url);
    url.setPath(url.path() + path);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setTransferTimeout(m_stallTimeoutMs);
    if (!m_endpoint.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_endpoint.apiKey.toUtf8());
    return request;
}

// Follows a redirect only within the origin of the request's URL (the
// address the user gave); refuses any other (openai_client.h).
void OpenAiClient::checkRedirects(QNetworkReply* reply)
{
    connect(reply, &QNetworkReply::redirected, reply, [reply, origin = reply->url()](const QUrl& target) {
        const QString refusal = redirectRefusal(origin, origin.resolved(target));
        if (refusal.isEmpty()) {
            emit reply->redirectAllowed();
            return;
        }
        qCInfo(lcServer) << "redirect refused:" << refusal;
        reply->setProperty(kRefusedRedirect, refusal);
        // Later: Qt is still inside the reply's own code here.
        QMetaObject::invokeMethod(reply, &QNetworkReply::abort, Qt::QueuedConnection);
    });
}

QString OpenAiClient::addressProblem() const
{
    if (apiBaseUrl(m_endpoint.url).isValid())
        return {};
    return tr("“%1” is not a server address (http://host:port)").arg(displayUrl(m_endpoint.url));
}

void OpenAiClient::listModels()
{
    if (const QString problem = addressProblem(); !problem.isEmpty()) {
        emit listFailed(problem);
        return;
    }
    if (QNetworkReply* previous = m_listReply.data())
        previous->abort();
    QNetworkReply* reply = m_network->get(request(QStringLiteral("/models")));
    checkRedirects(reply);
    m_listReply = reply;
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        if (reply != m_listReply || reply->bytesAvailable() <= kMaxModelListBytes)
            return;
        m_listReply.clear();
        reply->abort();  // its finished handler sees it is no longer the listing
        emit listFailed(tr("the server's model list is larger than %1 MB").arg(kMaxModelListBytes >> 20));
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply != m_listReply)
            return;  // replaced by a newer listing
        m_listReply.clear();
        const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
        if (reply->error() != QNetworkReply::NoError) {
            emit listFailed(describeError(reply, body));
            return;
        }
        QStringList ids;
        const QJsonArray data = QJsonDocument::fromJson(body).object().value(QLatin1String("data")).toArray();
        for (const QJsonValue& model : data)
            if (const QString id = model.toObject().value(QLatin1String("id")).toString(); !id.isEmpty())
                ids.append(id);
        if (ids.isEmpty())
            emit listFailed(tr("%1 lists no models").arg(reply->url().toString()));
        else
            emit modelsListed(ids);
    });
}

void OpenAiClient::open()
{
    m_opening = true;
    listModels();
}

void OpenAiClient::onListedForOpen(const QStringList& ids)
{
    if (!std::exchange(m_opening, false))
        return;
    if (!m_endpoint.model.isEmpty() && !ids.contains(m_endpoint.model)) {
        emit openFailed(tr("Could not use the server: it serves %1, not “%2”")
                            .arg(ids.join(QStringLiteral(", ")), m_endpoint.model));
        return;
    }
    if (m_endpoint.model.isEmpty())
        m_endpoint.model = ids.first();
    // R1 and its distills start inside their reasoning when a server passes
    // the raw text through (no reasoning parser); other models answer at once.
    const QString lower = m_endpoint.model.toLower();
    const bool reasoning = lower.contains(QLatin1String("r1")) || lower.contains(QLatin1String("reasoner"));
    emit opened({{QStringLiteral("name"), m_endpoint.model},
                 {QStringLiteral("device"), m_endpoint.url.host()},
                 {QStringLiteral("remote"), true},
                 {QStringLiteral("serverUrl"), displayUrl(apiBaseUrl(m_endpoint.url))},
                 {QStringLiteral("summary"), tr("%1 on the server %2")
                                                 .arg(m_endpoint.model, displayUrl(apiBaseUrl(m_endpoint.url)))},
                 {QStringLiteral("expectReasoning"), reasoning}});
}

void OpenAiClient::cancelListing()
{
    abandonReply(m_listReply, this);
}

void OpenAiClient::generate(const QList<ChatTurn>& turns, const GenerationSettings& settings)
{
    dropReply();
    m_events = SseReader();
    m_firstPieceNs = -1;
    m_chunks = 0;
    m_joiner = ReasoningJoiner();
    m_finishReason.clear();
    m_usage.clear();
    m_done = false;
    m_clock.start();
    if (const QString problem = addressProblem(); !problem.isEmpty()) {
        emit failed(problem);
        return;
    }

    const SamplerConfig& sampler = settings.sampler;
    QJsonArray messages;
    for (const ChatTurn& turn : turns)
        messages.append(QJsonObject{{QStringLiteral("role"), roleName(turn.role)}, {QStringLiteral("content"), turn.content}});
    QJsonObject body{
        {QStringLiteral("model"), m_endpoint.model},
        {QStringLiteral("messages"), messages},
        {QStringLiteral("stream"), true},
        {QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}}},
        {QStringLiteral("max_tokens"), settings.maxTokens},
        {QStringLiteral("temperature"), sampler.greedy ? 0.0 : jsonNumber(sampler.temperature)},
        {QStringLiteral("top_p"), jsonNumber(sampler.topP)},
        {QStringLiteral("seed"), qint64(sampler.seed & 0x7fffffff)},
    };
    // Beyond OpenAI's own parameters: vLLM, SGLang and llama.cpp take these;
    // sent only when set, so stricter servers see nothing unusual by default.
    if (sampler.topK > 0)
        body.insert(QStringLiteral("top_k"), sampler.topK);
    if (sampler.minP > 0)
        body.insert(QStringLiteral("min_p"), jsonNumber(sampler.minP));
    if (sampler.repetitionPenalty != 1.0f)
        body.insert(QStringLiteral("repetition_penalty"), jsonNumber(sampler.repetitionPenalty));

    QNetworkRequest post = request(QStringLiteral("/chat/completions"));
    post.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    post.setRawHeader("Accept", "text/event-stream");
    m_reply = m_network->post(post, QJsonDocument(body).toJson(QJsonDocument::Compact));
    checkRedirects(m_reply);
    connect(m_reply, &QNetworkReply::readyRead, this, &OpenAiClient::readEvents);
    connect(m_reply, &QNetworkReply::finished, this, [this, reply = m_reply.data()] {
        if (reply != m_reply)
            return;
        const int status = httpStatus(reply);
        if (status >= 200 && status < 300)
            readEvents();
        if (!m_reply || m_done)
            return;  // decided by an event
        if (reply->error() != QNetworkReply::NoError || status >= 300) {
            fail(describeError(reply, reply->isOpen() ? reply->readAll() : QByteArray()));
            return;
        }
        // The stream ended without [DONE]: complete if the server said why it
        // stopped, else cut off (the text so far stays, marked failed).
        if (m_finishReason.isEmpty())
            fail(m_chunks == 0 ? tr("the server closed the connection before any text")
                               : tr("the server closed the connection in the middle of the answer"));
        else
            complete(stopReasonFor(m_finishReason));
    });
}

void OpenAiClient::readEvents()
{
    QNetworkReply* reply = m_reply.data();  // read once: the events below may drop it
    if (!reply || !reply->isOpen())
        return;  // aborted (a stall): nothing to read
    if (httpStatus(reply) >= 300) {
        // An error body, read when it has all arrived, unless it never ends.
        if (reply->bytesAvailable() > kMaxErrorBodyBytes)
            fail(describeError(reply, {}) +
                 tr(" (its error response is larger than %1 MB and was not read)").arg(kMaxErrorBodyBytes >> 20));
        return;
    }
    for (const QByteArray& payload : m_events.feed(reply->readAll()))
        if (!handleEvent(payload))
            return;
    if (m_events.overflowed())
        fail(tr("the server sent an event of more than %1 MB without its end")
                 .arg(SseReader::kMaxEventBytes >> 20));
}

// False once the answer is decided (done or failed).
bool OpenAiClient::handleEvent(const QByteArray& payload)
{
    const ChatChunk chunk = parseChatChunk(payload);
    switch (chunk.kind) {
    case ChatChunk::Kind::Done:
        complete(stopReasonFor(m_finishReason));
        return false;
    case ChatChunk::Kind::NotJson:
        fail(tr("the server sent something that is not JSON: %1").arg(chunk.error));
        return false;
    case ChatChunk::Kind::ServerError:
        fail(tr("the server reported an error: %1").arg(chunk.error));
        return false;
    case ChatChunk::Kind::Delta:
        break;
    }
    if (chunk.usage)
        m_usage = *chunk.usage;
    if (!chunk.reasoning.isEmpty() || !chunk.content.isEmpty()) {
        ++m_chunks;
        emitPiece(m_joiner.join(chunk.reasoning, chunk.content));
    }
    if (!chunk.finishReason.isEmpty())
        m_finishReason = chunk.finishReason;
    return true;
}

void OpenAiClient::emitPiece(const QString& piece)
{
    if (m_firstPieceNs < 0)
        m_firstPieceNs = m_clock.nsecsElapsed();
    emit text(piece, m_chunks);
}

void OpenAiClient::stop()
{
    if (m_opening && listing()) {
        m_opening = false;
        cancelListing();
        emit openFailed(tr("Connecting to the server was cancelled"));
        return;
    }
    if (!m_reply || m_done)
        return;
    complete(QStringLiteral("cancelled"), true);
}

void OpenAiClient::complete(const QString& stopReason, bool later)
{
    m_done = true;
    dropReply();
    const double seconds = double(m_clock.nsecsElapsed()) / 1e9;
    const double firstSeconds = m_firstPieceNs < 0 ? seconds : double(m_firstPieceNs) / 1e9;
    int generated = m_usage.value(QStringLiteral("completion_tokens"), m_chunks).toInt();
    QVariantMap stats{
        {QStringLiteral("promptTokens"), m_usage.value(QStringLiteral("prompt_tokens"), 0).toInt()},
        {QStringLiteral("generatedTokens"), generated},
        {QStringLiteral("firstTokenSeconds"), firstSeconds},
        // Tokens after the first over the time after it, as the engine counts.
        {QStringLiteral("tokensPerSecond"), generated > 1 && seconds > firstSeconds
                                                ? double(generated - 1) / (seconds - firstSeconds)
                                                : 0.0},
        {QStringLiteral("stopReason"), stopReason},
    };
    const QVariantMap details = m_usage.value(QStringLiteral("completion_tokens_details")).toMap();
    if (details.contains(QStringLiteral("reasoning_tokens")))
        stats.insert(QStringLiteral("reasoningTokens"), details.value(QStringLiteral("reasoning_tokens")).toInt());
    if (later)
        QMetaObject::invokeMethod(this, [this, stats] { emit finished(stats); }, Qt::QueuedConnection);
    else
        emit finished(stats);
}

void OpenAiClient::fail(const QString& error)
{
    m_done = true;
    dropReply();
    qCInfo(lcServer) << "answer failed:" << error;
    emit failed(error);
}

void OpenAiClient::dropReply()
{
    abandonReply(m_reply, this);
}

// "the server answered 401 Unauthorized: Invalid API key", "could not reach
// gpu-box:8000: Connection refused".
QString OpenAiClient::describeError(QNetworkReply* reply, const QByteArray& body) const
{
    if (const QString refused = reply->property(kRefusedRedirect).toString(); !refused.isEmpty())
        return refused;
    const int status = httpStatus(reply);
    if (status >= 300) {
        const QString detail = errorMessageIn(QJsonDocument::fromJson(body).object());
        // "the server answered 401 Unauthorized" (a 3xx here is a redirect not followed)
        QString text = status >= 400 ? describeFailure(reply) : tr("the server answered %1").arg(status);
        if (!detail.isEmpty())
            text += QStringLiteral(": ") + detail;
        if (status == 401 || status == 403)
            text += tr(" (check the API key)");
        else if (status == 404)
            text += tr(" (is it an OpenAI-compatible server, and the model's name right?)");
        return text;
    }
    if (reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError)
        return tr("the server sent nothing for %1 s").arg(m_stallTimeoutMs / 1000);
    const QUrl url = reply->url();
    return tr("could not reach %1: %2")
        .arg(url.adjusted(QUrl::RemoveUserInfo).authority(), withoutCredentials(reply->errorString(), url));
}

} // namespace ponder::app
