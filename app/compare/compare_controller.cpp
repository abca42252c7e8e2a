// CompareController, its settings and its run: the evaluation set built in,
// what the user chose (files, prompt, seed, tokens), and starting the
// comparison on ComparisonRunner's thread with the chat's model closed to
// make room. What happens to a finished comparison is in compare_saving.cpp
// (the store, export) and compare_shown.cpp (the page's models), which
// change with the store and the page, not with how a run starts.
#include "compare_controller.h"

#include <QFile>

#include "chat_controller.h"
#include "local_models.h"
#include "ponder/eval_set.h"

namespace ponder::app {
namespace {

// The evaluation set Ponder ships (resources/eval/r1-eval.txt, built in).
constexpr auto kEvaluationSet = ":/ponder/eval/r1-eval.txt";

} // namespace

CompareController::CompareController(QObject* parent) : QObject(parent), m_measured(&m_ownMeasured)
{
    QFile file(QString::fromLatin1(kEvaluationSet));
    if (!file.open(QIODevice::ReadOnly)) {
        m_evaluationSetError = tr("The evaluation set is not built into this Ponder.");
    } else {
        const QByteArray text = file.readAll();
        auto prompts = parseEvalSet(std::string_view(text.constData(), size_t(text.size())));
        if (prompts)
            m_evaluationSet = std::move(*prompts);
        else
            m_evaluationSetError =
                tr("The evaluation set cannot be read: %1").arg(QString::fromStdString(prompts.error().message));
    }
    connect(&m_candidates, &CandidateListModel::changed, this, &CompareController::settingsChanged);
    connect(&m_runner, &ComparisonRunner::runningChanged, this, &CompareController::runningChanged);
    connect(&m_runner, &ComparisonRunner::progressChanged, this, &CompareController::progressChanged);
    connect(&m_runner, &ComparisonRunner::succeeded, this, &CompareController::onSucceeded);
    connect(&m_runner, &ComparisonRunner::failed, this, [this](bool cancelled) {
        if (cancelled) {
            setError(QString());
            emit comparisonCancelled();
        } else {
            setError(m_runner.errorString());
        }
    });
    connect(&m_store, &ComparisonStore::changed, this, [this] { m_saved.setSummaries(m_store.list()); });
}

CompareController::~CompareController() = default;

void CompareController::componentComplete()
{
    m_complete = true;
    openStore();
}

void CompareController::setLocalModels(LocalModels* models)
{
    if (m_localModels == models)
        return;
    m_localModels = models;
    m_candidates.setLocalModels(models);
    emit localModelsChanged();
}

void CompareController::setChat(ChatController* chat)
{
    if (m_chat == chat)
        return;
    m_chat = chat;
    emit chatChanged();
}

void CompareController::setDevice(const QString& device)
{
    if (m_device == device)
        return;
    m_device = device;
    emit deviceChanged();
}

void CompareController::setDatabasePath(const QString& path)
{
    if (m_databasePath == path)
        return;
    m_databasePath = path;
    if (m_complete)
        openStore();
    emit databasePathChanged();
}

void CompareController::setMeasuredQuality(MeasuredQuality* measured)
{
    if (!measured)
        measured = &m_ownMeasured;
    if (m_measured == measured)
        return;
    m_measured = measured;
    publishMeasured();
    emit measuredQualityChanged();
}

void CompareController::setPrompt(const QString& prompt)
{
    if (m_prompt == prompt)
        return;
    m_prompt = prompt;
    emit settingsChanged();
}

void CompareController::setUseEvaluationSet(bool use)
{
    if (m_useEvaluationSet == use)
        return;
    m_useEvaluationSet = use;
    emit settingsChanged();
}

void CompareController::setSeed(int seed)
{
    if (m_seed == seed)
        return;
    m_seed = seed;
    emit settingsChanged();
}

void CompareController::setMaxTokens(int tokens)
{
    tokens = std::clamp(tokens, 1, 8192);
    if (m_maxTokens == tokens)
        return;
    m_maxTokens = tokens;
    emit settingsChanged();
}

void CompareController::setError(const QString& error)
{
    if (m_errorString == error)
        return;
    m_errorString = error;
    emit errorStringChanged();
}

QString CompareController::stage() const
{
    if (running() && !m_closedChatModel.isEmpty())
        return tr("%1 (the chat's %2 was closed to make room)").arg(m_runner.stage(), m_closedChatModel);
    return m_runner.stage();
}

QString CompareController::timeLeft() const
{
    const double seconds = m_runner.secondsLeft();
    if (!running() || seconds < 0)
        return {};
    if (seconds < 60)
        return tr("about %1 s left").arg(qRound(seconds));
    return tr("about %1 min left").arg(qRound(seconds / 60.0));
}

std::vector<ComparisonPrompt> CompareController::chosenPrompts() const
{
    if (m_useEvaluationSet)
        return m_evaluationSet;
    if (m_prompt.trimmed().isEmpty())
        return {};
    return {ComparisonPrompt{"prompt", "prompt", m_prompt.toStdString(), {}}};
}

bool CompareController::start()
{
    if (running())
        return false;
    if (const QString problem = m_candidates.problem(); !problem.isEmpty()) {
        setError(problem);
        return false;
    }
    ComparisonRequest request;
    request.prompts = chosenPrompts();
    if (request.prompts.empty()) {
        setError(m_useEvaluationSet ? m_evaluationSetError : tr("Type a prompt, or choose the evaluation set."));
        return false;
    }
    m_closedChatModel.clear();
    if (ChatController* chat = m_chat.data()) {
        if (chat->loading() || chat->generating()) {
            setError(tr("The chat is opening a model or answering; stop it, then compare."));
            return false;
        }
        if (chat->modelLoaded() && !chat->modelInfo().value(QStringLiteral("remote")).toBool()) {
            const QString name = chat->modelName();
            if (!chat->closeModel()) {
                setError(tr("The chat's model could not be closed to make room for the comparison."));
                return false;
            }
            m_closedChatModel = name;
        }
    }
    request.paths = m_candidates.checkedPaths();
    for (const QString& path : request.paths)
        request.files.push_back(m_candidates.catalogEntry(path));
    request.options.sampler.seed = uint64_t(uint32_t(m_seed));
    request.options.maxTokens = uint32_t(m_maxTokens);
    request.device = EngineDevice::chosen(m_device, qEnvironmentVariable("PONDER_DEVICE"));
    if (ChatController* chat = m_chat.data()) {
        request.device.threads = uint32_t(chat->settings()->cpuThreads());
        request.device.placement = chat->settings()->placementSettings();
    }
    request.evaluationSet = m_useEvaluationSet;
    request.title = m_useEvaluationSet ? tr("Evaluation set (%1 prompts)").arg(request.prompts.size())
                                       : m_prompt.trimmed().section(u'\n', 0, 0).left(80);
    if (!m_runner.start(std::move(request))) {
        setError(m_runner.errorString());
        return false;
    }
    setError(QString());
    return true;
}

void CompareController::cancel()
{
    m_runner.cancel();
}

} // namespace ponder::app
