#include "compare_controller.h"

#include <QFile>
#include <QFileInfo>
#include <QQuickItem>
#include <QQuickWindow>
#include <QUrl>

#include "chat_controller.h"
#include "comparison_export.h"
#include "local_models.h"
#include "ponder/eval_set.h"

namespace ponder::app {
namespace {

// The evaluation set Ponder ships (resources/eval/r1-eval.txt, built in).
constexpr auto kEvaluationSet = ":/ponder/eval/r1-eval.txt";

QString localPath(const QString& pathOrUrl)
{
    const QUrl url(pathOrUrl);
    return url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
}

QString str(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

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
            m_evaluationSetError = tr("The evaluation set cannot be read: %1").arg(str(prompts.error().message));
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

void CompareController::openStore()
{
    if (!m_store.open(m_databasePath)) {
        setError(m_store.errorString());
        return;
    }
    m_saved.setSummaries(m_store.list());
    publishMeasured();
}

void CompareController::publishMeasured()
{
    if (m_measured && m_store.isOpen())
        m_measured->setAll(m_store.measuredQualities());
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

void CompareController::onSucceeded(const std::shared_ptr<Comparison>& comparison)
{
    // One transaction, at the end: a run that never got here left nothing.
    const qint64 id = m_store.save(*comparison);
    comparison->id = id;
    setError(id < 0 ? m_store.errorString() : QString());
    publishMeasured();
    show(comparison);
    emit comparisonFinished();
}

bool CompareController::openComparison(qint64 id)
{
    auto comparison = m_store.load(id);
    if (!comparison) {
        setError(comparison.error());
        return false;
    }
    setError(QString());
    show(std::make_shared<const Comparison>(std::move(*comparison)));
    return true;
}

bool CompareController::removeComparison(qint64 id)
{
    if (!m_store.remove(id)) {
        setError(m_store.errorString());
        return false;
    }
    if (m_comparison && m_comparison->id == id)
        show(nullptr);
    publishMeasured();
    return true;
}

void CompareController::show(std::shared_ptr<const Comparison> comparison)
{
    m_comparison = std::move(comparison);
    m_promptIndex = 0;
    m_heatQuant = 0;
    m_statistics.show(m_comparison);
    emit resultChanged();
    refreshShown();
}

void CompareController::refreshShown()
{
    m_answers.show(m_comparison, m_promptIndex);
    int model = -1;
    if (m_comparison) {
        int seen = 0;
        for (size_t m = 0; m < m_comparison->result.models.size(); ++m)
            if (m != m_comparison->result.reference && seen++ == m_heatQuant)
                model = int(m);
    }
    m_heatMap.show(m_comparison, model, m_promptIndex);
    emit shownChanged();
}

void CompareController::setPromptIndex(int index)
{
    if (index == m_promptIndex || !m_comparison || index < 0 || size_t(index) >= m_comparison->prompts.size())
        return;
    m_promptIndex = index;
    refreshShown();
}

void CompareController::setHeatQuant(int index)
{
    if (index == m_heatQuant || index < 0 || index >= quantNames().size())
        return;
    m_heatQuant = index;
    refreshShown();
}

QString CompareController::referenceName() const
{
    if (!m_comparison)
        return {};
    const ModelComparison& reference = m_comparison->result.models[m_comparison->result.reference];
    return QStringLiteral("%1 · %2").arg(str(reference.fileType), QFileInfo(str(reference.path)).fileName());
}

QStringList CompareController::promptLabels() const
{
    QStringList labels;
    if (m_comparison)
        for (const ComparisonPrompt& prompt : m_comparison->prompts)
            labels << (m_comparison->evaluationSet ? str(prompt.id) : tr("Prompt"));
    return labels;
}

QStringList CompareController::quantNames() const
{
    QStringList names;
    if (m_comparison)
        for (size_t m = 0; m < m_comparison->result.models.size(); ++m)
            if (m != m_comparison->result.reference)
                names << str(m_comparison->result.models[m].fileType);
    return names;
}

QString CompareController::promptText() const
{
    if (!m_comparison || size_t(m_promptIndex) >= m_comparison->prompts.size())
        return {};
    return str(m_comparison->prompts[size_t(m_promptIndex)].text);
}

bool CompareController::exportJson(const QString& pathOrUrl)
{
    if (!m_comparison) {
        setError(tr("No comparison to export."));
        return false;
    }
    QString error;
    if (!comparison_export::writeJson(*m_comparison, localPath(pathOrUrl), &error)) {
        setError(error);
        return false;
    }
    setError(QString());
    return true;
}

bool CompareController::exportPng(const QString& pathOrUrl, const QVariantList& items)
{
    QList<QQuickItem*> list;
    for (const QVariant& item : items)
        if (auto* quick = qobject_cast<QQuickItem*>(item.value<QObject*>()))
            list << quick;
    return exportPng(localPath(pathOrUrl), list);
}

bool CompareController::exportPng(const QString& path, const QList<QQuickItem*>& items)
{
    if (!m_comparison) {
        setError(tr("No comparison to export."));
        return false;
    }
    QColor background = Qt::white;
    if (!items.isEmpty() && items.first()->window())
        background = items.first()->window()->color();
    QString error;
    if (!comparison_export::writePng(items, path, background, &error)) {
        setError(error);
        return false;
    }
    setError(QString());
    return true;
}

} // namespace ponder::app
