#include "completion_exchange.h"

#include <QDateTime>
#include <QRandomGenerator>

#include "guarded_socket.h"

namespace ponder::serve {
namespace {

QString completionId()
{
    QByteArray bytes(12, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 3);
    return QStringLiteral("chatcmpl-") + QString::fromLatin1(bytes.toHex());
}

QHttpServerResponder::StatusCode statusCode(int status)
{
    return QHttpServerResponder::StatusCode(status);
}

} // namespace

CompletionExchange::CompletionExchange(GuardedSocket* socket, QHttpServerResponder&& responder, ChatRequest request,
                                       const Context& context)
    : QObject(socket), m_socket(socket), m_responder(std::move(responder)), m_request(std::move(request)),
      m_relay(std::make_shared<ExchangeRelay>(this)), m_contextLength(context.contextLength),
      m_writer(completionId(), QDateTime::currentSecsSinceEpoch(), context.modelId, m_request.reasoning,
               context.expectReasoning)
{
    connect(socket, &QTcpSocket::disconnected, this, &CompletionExchange::clientGone);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (const GuardedSocket* guarded = m_socket.data(); guarded && guarded->writeBlocked())
            clientGone();
    });
}

CompletionExchange::~CompletionExchange()
{
    m_relay->detach();
    if (m_job)
        m_job->cancel = true;
}

bool CompletionExchange::submit(JobQueue& queue)
{
    m_job = std::make_shared<Job>();
    m_job->request = m_request.generation;
    m_job->stop = m_request.stop;
    // The callbacks run on the worker; each posts to this object's thread.
    auto relay = m_relay;
    m_job->started = [relay, this](uint32_t prompt) { relay->post([this, prompt] { onStarted(prompt); }); };
    m_job->text = [relay, this](const std::string& text, uint32_t tokens) {
        relay->post([this, piece = QString::fromStdString(text), tokens] { onText(piece, tokens); });
    };
    m_job->finished = [relay, this](const GenerationStats& stats, bool stopped) {
        relay->post([this, stats, stopped] { onFinished(stats, stopped); });
    };
    m_job->refused = [relay, this](const Error& error, uint32_t prompt) {
        relay->post([this, error, prompt] { onRefused(error, prompt); });
    };
    if (queue.submit(m_job))
        return true;
    m_job.reset();
    return false;
}

void CompletionExchange::onStarted(quint32 promptTokens)
{
    m_promptTokens = promptTokens;
    if (!m_request.stream || !m_socket)
        return;
    m_responder.writeStatusLine(QHttpServerResponder::StatusCode::Ok);
    m_responder.writeHeaders({{"Content-Type", "text/event-stream; charset=utf-8"},
                              {"Cache-Control", "no-cache"},
                              {"Transfer-Encoding", "chunked"}});
    m_headersSent = true;
    writeChunk(m_writer.streamStart());
}

void CompletionExchange::onText(const QString& text, quint32 tokens)
{
    if (!m_request.stream) {
        m_writer.addText(text, tokens);
        return;
    }
    writeChunk(m_writer.streamText(text, tokens));
}

void CompletionExchange::onFinished(const GenerationStats& stats, bool stopped)
{
    if (stats.stopReason == StopReason::Cancelled && !stopped)
        return clientGone();
    const Usage usage{.promptTokens = stats.promptTokens,
                      .completionTokens = stats.generatedTokens,
                      .cachedTokens = stats.reusedTokens};
    const QString finish = finishReason(stats.stopReason, stopped);
    if (m_request.stream) {
        writeChunk(m_writer.streamEnd(finish, usage, m_request.includeUsage));
        writeLastChunk();
        end();
    } else {
        respondJson(200, m_writer.completion(finish, usage));
    }
}

void CompletionExchange::onRefused(const Error& error, quint32 promptTokens)
{
    const ApiError sent = error.code == ErrorCode::ContextFull
                              ? contextTooLong(promptTokens, m_contextLength)
                              : serverError(QString::fromStdString(error.message));
    if (m_headersSent) {
        // The stream is open: the error goes as an event, as OpenAI's does.
        writeChunk("data: " + errorBody(sent) + "\n\n" + sseDone());
        writeLastChunk();
        end();
    } else {
        respondJson(sent.status, errorBody(sent));
    }
}

void CompletionExchange::respondJson(int status, const QByteArray& body)
{
    if (m_socket)
        m_responder.write(body, {{"Content-Type", "application/json"}}, statusCode(status));
    end();
}

void CompletionExchange::writeChunk(const QByteArray& data)
{
    // An empty chunk would end the body: a piece the parser holds back writes nothing.
    if (!m_socket || m_ended || data.isEmpty())
        return;
    // HTTP/1.1 chunked framing: size in hex, the bytes.
    m_responder.writeBody(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void CompletionExchange::writeLastChunk()
{
    if (m_socket && !m_ended)
        m_responder.writeBody(QByteArrayLiteral("0\r\n\r\n"));
}

void CompletionExchange::end()
{
    if (m_ended)
        return;
    m_ended = true;
    m_relay->detach();
    if (m_socket)
        m_socket->responseFinished();
    deleteLater();
}

void CompletionExchange::clientGone()
{
    if (m_job)
        m_job->cancel = true;
    m_ended = true;
    m_relay->detach();
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    deleteLater();
}

} // namespace ponder::serve
