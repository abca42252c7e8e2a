// ChatEngine: its life (the model closed in order), the stop that cancels
// what was queued before it, and the two kinds of request that run on a
// loaded model: the chat's answers (generate) and the app's server's
// requests (serveJob), which share one Generator and its KV cache. Opening
// a model is chat_engine_load.cpp; a model split across devices,
// chat_engine_split.cpp.
#include "chat_engine.h"

#include "engine_guard.h"
#include "engine_helpers.h"
#include "job.h"

// Complete types for the members the constructor and destructor own.
#include "ponder/backend.h"
#include "ponder/generator.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"

#include <algorithm>
#include <optional>

namespace ponder::app {

ChatEngine::ChatEngine(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<ChatTurn>();
    qRegisterMetaType<GenerationSettings>();
    qRegisterMetaType<QList<ChatTurn>>();
}

ChatEngine::~ChatEngine()
{
    unloadModel();
}

void ChatEngine::unloadModel()
{
    // Order matters: the generator uses the backend, the backend the file and the device.
    m_generator.reset();
    m_steps.reset();
    m_backend.reset();
    m_file.reset();
}

void ChatEngine::stop()
{
    // In this order: a request starting meanwhile (begin) either sees itself
    // cancelled or has cleared the flag before it is set here.
    m_cancelledThrough.store(m_requests.load());
    m_stop.store(true);
}

// Clears a stop meant for an earlier request; false when `request` was
// stopped before it started.
bool ChatEngine::begin(quint64 request)
{
    m_stop.store(false);
    return request == 0 || request > m_cancelledThrough.load();
}

void ChatEngine::generate(const QList<ChatTurn>& turns, const GenerationSettings& settings, quint64 request)
{
    if (request == 0)
        m_answerNow.store(false);
    if (!begin(request)) {
        emit finished({{"promptTokens", 0}, {"reusedTokens", 0}, {"generatedTokens", 0}, {"firstTokenSeconds", 0.0},
                       {"tokensPerSecond", 0.0}, {"promptTokensPerSecond", 0.0}, {"stopReason", "cancelled"}});
        return;
    }
    if (const QString error = guardedEngineCall([&] { run(turns, settings); }); !error.isEmpty()) {
        // Thrown in the middle of a step, the session's cache and the
        // generator's record of it may disagree: close the model, as after a
        // lost device, rather than answer from a broken state.
        unloadModel();
        emit modelUnloaded();
        emit failed(tr("%1 The model was closed; open it again to go on.").arg(error));
    }
}

serve::JobResult ChatEngine::serveJob(serve::Job& job)
{
    if (!m_generator) {
        job.refused(Error{ErrorCode::InvalidArgument, "no model is loaded"}, 0);
        return {};
    }
    emit serverTurn(true);
    engineTestStep("serve");
    std::optional<serve::JobResult> result;
    const QString error = guardedEngineCall([&] { result = runJob(*m_generator, *m_steps, job); });
    if (!error.isEmpty()) {
        // As after the chat's own answer threw: the cache may not match the record.
        unloadModel();
        emit modelUnloaded();
        job.refused(Error{ErrorCode::InvalidArgument, error.toStdString()}, 0);
    }
    emit serverTurn(false);
    return result.value_or(serve::JobResult{});
}

void ChatEngine::run(const QList<ChatTurn>& turns, const GenerationSettings& settings)
{
    if (!m_generator) {
        emit failed(tr("No model is loaded. Open a model first."));
        return;
    }
    GenerationRequest request;
    for (const ChatTurn& turn : turns)
        request.messages.push_back({turn.role, turn.content.toStdString()});
    request.maxTokens = uint32_t(std::max(1, settings.maxTokens));
    request.sampler = settings.sampler;
    request.thinkingBudget = uint32_t(std::max(0, settings.thinkingBudget));
    request.answerNow = &m_answerNow;

    // The generator reports text, not tokens. Its cache holds the prompt and
    // every generated token but the newest when a piece arrives, so the
    // cache's growth past the prompt counts the tokens; less the tokens the
    // generator put in itself to end a reasoning cut short: their piece
    // ("\n</think>\n\n", once at most) arrives with the cache grown by them
    // and the last reasoning token, where a token's piece finds it grown by one.
    auto prompt = m_generator->promptTokens(request.messages);
    const qsizetype promptSize = prompt ? qsizetype(prompt->size()) : 0;
    qsizetype lastCached = promptSize;
    qsizetype inserted = 0;  // tokens in the cache the model did not generate
    int tokensSoFar = 0;
    bool cut = false;
    auto stats = m_generator->generate(
        request,
        [&](std::string_view piece) {
            const qsizetype cached = qsizetype(m_generator->cachedTokens().size());
            if (!cut && piece == "\n</think>\n\n" && cached - lastCached > 1) {
                cut = true;
                inserted = cached - lastCached - 1;
            } else {
                tokensSoFar = int(std::max<qsizetype>(1, cached - promptSize - inserted + 1));
            }
            lastCached = cached;
            engineTestStep("text");
            emit text(QString::fromUtf8(piece.data(), qsizetype(piece.size())), tokensSoFar);
        },
        &m_stop);
    if (!stats) {
        if (stats.error().code == ErrorCode::DeviceLost) {
            unloadModel();
            closeGpus();
            emit modelUnloaded();
        }
        emit failed(describeEngineError(stats.error()));
        return;
    }
    QVariantMap result;
    result["promptTokens"] = stats->promptTokens;
    result["reusedTokens"] = stats->reusedTokens;
    result["generatedTokens"] = stats->generatedTokens;
    result["firstTokenSeconds"] = stats->firstTokenSeconds;
    result["tokensPerSecond"] = stats->generationTokensPerSecond();
    result["promptTokensPerSecond"] = stats->promptTokensPerSecond();
    result["stopReason"] = QString::fromUtf8(stopReasonName(stats->stopReason).data());
    // The generator counts the reasoning of a cut exactly; one that ended by
    // itself the chat counts from the text, `</think>` left out.
    if (stats->reasoningCutShort) {
        result["reasoningCutShort"] = true;
        result["reasoningTokens"] = stats->reasoningTokens;
    }
    emit finished(result);
}

} // namespace ponder::app
