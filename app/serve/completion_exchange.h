// One POST /v1/chat/completions from the queue to the client: submits the
// job, and writes what the worker thread produces as it arrives (posted to
// this object's thread), as server-sent events in HTTP chunks, or as one
// JSON body at the end. Lives until the answer is out or the client is gone;
// a client gone (disconnected, or not reading: GuardedSocket::writeBlocked)
// cancels the job at once. Headers go out when the model takes the job, so a
// prompt that does not fit the context is still a plain 400.
#pragma once

#include <QObject>
#include <QPointer>
#include <QtHttpServer/QHttpServerResponder>

#include <memory>
#include <mutex>

#include "chat_request.h"
#include "completion_writer.h"
#include "job_queue.h"

namespace ponder::serve {

class GuardedSocket;

// Lets the worker thread post to an exchange that may be gone: the exchange
// detaches itself (under the lock) before it dies.
class ExchangeRelay {
public:
    explicit ExchangeRelay(QObject* target) : m_target(target) {}
    template <typename Function>
    void post(Function&& function)
    {
        std::lock_guard lock(m_mutex);
        if (m_target)
            QMetaObject::invokeMethod(m_target, std::forward<Function>(function), Qt::QueuedConnection);
    }
    void detach()
    {
        std::lock_guard lock(m_mutex);
        m_target = nullptr;
    }

private:
    std::mutex m_mutex;
    QObject* m_target;
};

class CompletionExchange : public QObject {
    Q_OBJECT

public:
    struct Context {
        QString modelId;
        bool expectReasoning = true;
        quint32 contextLength = 0;  // tokens, for the error when a prompt does not fit
    };
    // Takes the responder of `socket`'s current request.
    CompletionExchange(GuardedSocket* socket, QHttpServerResponder&& responder, ChatRequest request,
                       const Context& context);
    ~CompletionExchange() override;

    // Queues the job; false (and nothing written) when the queue is full.
    bool submit(JobQueue& queue);

private:
    void onStarted(quint32 promptTokens);
    void onText(const QString& text, quint32 tokens);
    void onFinished(const GenerationStats& stats, bool stopped);
    void onRefused(const Error& error, quint32 promptTokens);
    void respondJson(int status, const QByteArray& body);
    void writeChunk(const QByteArray& data);  // one HTTP chunk; nothing for no bytes
    void writeLastChunk();                    // the empty chunk that ends the body
    void end();        // the answer is out: the connection serves the next request
    void clientGone();  // cancel, and go

    QPointer<GuardedSocket> m_socket;
    QHttpServerResponder m_responder;
    ChatRequest m_request;
    std::shared_ptr<Job> m_job;
    std::shared_ptr<ExchangeRelay> m_relay;
    quint32 m_contextLength;
    CompletionWriter m_writer;
    quint32 m_promptTokens = 0;
    bool m_headersSent = false;
    bool m_ended = false;
};

} // namespace ponder::serve
