// The compare page's controller: what to compare (the downloaded files, a
// prompt or the built-in evaluation set, one seed), the run on its worker
// thread (ComparisonRunner) with its progress, the result shown through the
// page's list models (statistics, side by side, heat map), kept in the
// comparison store and reopened from it, exported as JSON and PNG, and
// every measured quant given to MeasuredQuality (the picker's chart).
//
// The chat's model: a comparison loads its own models one at a time, so a
// model the chat holds on this machine is closed first (the stage says so);
// while the chat loads a model or answers, start() refuses, saying why.
#pragma once

#include <QObject>
#include <QPointer>
#include <QQmlParserStatus>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

#include "answer_list_model.h"
#include "chat_controller.h"
#include "local_models.h"
#include "candidate_list_model.h"
#include "comparison_runner.h"
#include "comparison_store.h"
#include "heat_map_model.h"
#include "measured_quality.h"
#include "saved_comparisons_model.h"
#include "statistics_model.h"

class QQuickItem;

namespace ponder::app {

class CompareController : public QObject, public QQmlParserStatus {
    Q_OBJECT
    QML_ELEMENT
    Q_INTERFACES(QQmlParserStatus)

    /// The downloaded files to choose from.
    Q_PROPERTY(ponder::app::LocalModels* localModels READ localModels WRITE setLocalModels NOTIFY localModelsChanged)
    /// The chat, whose model on this machine is closed before a comparison.
    Q_PROPERTY(ponder::app::ChatController* chat READ chat WRITE setChat NOTIFY chatChanged)
    /// The device, as GpuSelector.preference names it ("" automatic, "cpu", "vulkan", an adapter).
    Q_PROPERTY(QString device READ device WRITE setDevice NOTIFY deviceChanged)
    /// The comparisons database; empty: comparisons.sqlite in the user's data folder.
    Q_PROPERTY(QString databasePath READ databasePath WRITE setDatabasePath NOTIFY databasePathChanged)
    /// Where measured quants go for the picker's chart (owned here unless set).
    Q_PROPERTY(ponder::app::MeasuredQuality* measuredQuality READ measuredQuality WRITE setMeasuredQuality NOTIFY measuredQualityChanged)

    Q_PROPERTY(ponder::app::CandidateListModel* candidates READ candidates CONSTANT)
    Q_PROPERTY(ponder::app::StatisticsModel* statistics READ statistics CONSTANT)
    Q_PROPERTY(ponder::app::AnswerListModel* answers READ answers CONSTANT)
    Q_PROPERTY(ponder::app::HeatMapModel* heatMap READ heatMap CONSTANT)
    Q_PROPERTY(ponder::app::SavedComparisonsModel* saved READ saved CONSTANT)

    /// The prompt typed by the user.
    Q_PROPERTY(QString prompt READ prompt WRITE setPrompt NOTIFY settingsChanged)
    /// Run the built-in evaluation set instead of the prompt.
    Q_PROPERTY(bool useEvaluationSet READ useEvaluationSet WRITE setUseEvaluationSet NOTIFY settingsChanged)
    /// Prompts in the built-in evaluation set; 0 when it is missing or unreadable (evaluationSetError).
    Q_PROPERTY(int evaluationSetSize READ evaluationSetSize CONSTANT)
    Q_PROPERTY(QString evaluationSetError READ evaluationSetError CONSTANT)
    /// The one seed every model samples with.
    Q_PROPERTY(int seed READ seed WRITE setSeed NOTIFY settingsChanged)
    /// Tokens each answer may have, reasoning included.
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY settingsChanged)

    /// True while a comparison runs.
    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    /// What runs now, in words ("Loading Q4_K_M", "Q4_K_M answers 3 of 20").
    Q_PROPERTY(QString stage READ stage NOTIFY progressChanged)
    /// Of the whole comparison, 0..1.
    Q_PROPERTY(double fraction READ fraction NOTIFY progressChanged)
    /// The time left in words; empty until there is an estimate.
    Q_PROPERTY(QString timeLeft READ timeLeft NOTIFY progressChanged)
    /// The last error in words; empty after a success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)

    /// A comparison is shown (just run or reopened).
    Q_PROPERTY(bool hasResult READ hasResult NOTIFY resultChanged)
    /// Its id in the store; -1 when it could not be saved.
    Q_PROPERTY(qint64 comparisonId READ comparisonId NOTIFY resultChanged)
    Q_PROPERTY(QString title READ title NOTIFY resultChanged)
    /// The reference the engine chose, "Q8_0 · file.gguf".
    Q_PROPERTY(QString referenceName READ referenceName NOTIFY resultChanged)
    /// The prompts' ids ("math-03") or "Prompt".
    Q_PROPERTY(QStringList promptLabels READ promptLabels NOTIFY resultChanged)
    /// The quants (all but the reference), for the heat map's choice.
    Q_PROPERTY(QStringList quantNames READ quantNames NOTIFY resultChanged)
    /// The prompt shown, an index into promptLabels.
    Q_PROPERTY(int promptIndex READ promptIndex WRITE setPromptIndex NOTIFY shownChanged)
    /// The prompt shown, its text.
    Q_PROPERTY(QString promptText READ promptText NOTIFY shownChanged)
    /// The quant the heat map shows, an index into quantNames.
    Q_PROPERTY(int heatQuant READ heatQuant WRITE setHeatQuant NOTIFY shownChanged)

public:
    explicit CompareController(QObject* parent = nullptr);
    ~CompareController() override;

    void classBegin() override {}
    void componentComplete() override;

    LocalModels* localModels() const { return m_localModels; }
    void setLocalModels(LocalModels* models);
    ChatController* chat() const { return m_chat; }
    void setChat(ChatController* chat);
    QString device() const { return m_device; }
    void setDevice(const QString& device);
    QString databasePath() const { return m_databasePath; }
    void setDatabasePath(const QString& path);
    MeasuredQuality* measuredQuality() const { return m_measured; }
    void setMeasuredQuality(MeasuredQuality* measured);

    CandidateListModel* candidates() { return &m_candidates; }
    StatisticsModel* statistics() { return &m_statistics; }
    AnswerListModel* answers() { return &m_answers; }
    HeatMapModel* heatMap() { return &m_heatMap; }
    SavedComparisonsModel* saved() { return &m_saved; }

    QString prompt() const { return m_prompt; }
    void setPrompt(const QString& prompt);
    bool useEvaluationSet() const { return m_useEvaluationSet; }
    void setUseEvaluationSet(bool use);
    int evaluationSetSize() const { return int(m_evaluationSet.size()); }
    QString evaluationSetError() const { return m_evaluationSetError; }
    int seed() const { return m_seed; }
    void setSeed(int seed);
    int maxTokens() const { return m_maxTokens; }
    void setMaxTokens(int tokens);

    bool running() const { return m_runner.running(); }
    QString stage() const;
    double fraction() const { return m_runner.fraction(); }
    QString timeLeft() const;
    QString errorString() const { return m_errorString; }

    bool hasResult() const { return m_comparison != nullptr; }
    qint64 comparisonId() const { return m_comparison ? m_comparison->id : -1; }
    QString title() const { return m_comparison ? m_comparison->title : QString(); }
    QString referenceName() const;
    QStringList promptLabels() const;
    QStringList quantNames() const;
    int promptIndex() const { return m_promptIndex; }
    void setPromptIndex(int index);
    QString promptText() const;
    int heatQuant() const { return m_heatQuant; }
    void setHeatQuant(int index);

    /// Runs the chosen files on the prompt or the evaluation set; false, with errorString, when it cannot start.
    Q_INVOKABLE bool start();
    /// Stops the comparison; nothing of it is kept.
    Q_INVOKABLE void cancel();
    /// Shows a kept comparison; false, with errorString, when it cannot be read.
    Q_INVOKABLE bool openComparison(qint64 id);
    Q_INVOKABLE bool removeComparison(qint64 id);
    /// Writes the comparison shown as JSON (a path or a file:// URL).
    Q_INVOKABLE bool exportJson(const QString& pathOrUrl);
    /// Writes a picture of `items` (the statistics, the heat map) one under another as PNG.
    Q_INVOKABLE bool exportPng(const QString& pathOrUrl, const QVariantList& items);
    bool exportPng(const QString& path, const QList<QQuickItem*>& items);

    ComparisonStore* store() { return &m_store; }
    ComparisonRunner* runner() { return &m_runner; }
    std::shared_ptr<const Comparison> comparison() const { return m_comparison; }
    // The prompts a run would use now (the typed one or the evaluation set).
    std::vector<ComparisonPrompt> chosenPrompts() const;

signals:
    void localModelsChanged();
    void chatChanged();
    void deviceChanged();
    void databasePathChanged();
    void measuredQualityChanged();
    void settingsChanged();
    void runningChanged();
    void progressChanged();
    void errorStringChanged();
    void resultChanged();
    void shownChanged();
    // A comparison finished and was shown (saved unless errorString says otherwise).
    void comparisonFinished();
    // A comparison was cancelled; nothing of it was kept.
    void comparisonCancelled();

private:
    // compare_controller.cpp: the settings and the run.
    void setError(const QString& error);

    // compare_saving.cpp: the store, the measured quants, export.
    void openStore();
    void publishMeasured();
    void onSucceeded(const std::shared_ptr<Comparison>& comparison);

    // compare_shown.cpp: the comparison on the page.
    void show(std::shared_ptr<const Comparison> comparison);
    void refreshShown();

    QPointer<LocalModels> m_localModels;
    QPointer<ChatController> m_chat;
    QString m_device;
    QString m_databasePath;
    bool m_complete = false;
    MeasuredQuality m_ownMeasured;
    QPointer<MeasuredQuality> m_measured;

    CandidateListModel m_candidates;
    StatisticsModel m_statistics;
    AnswerListModel m_answers;
    HeatMapModel m_heatMap;
    SavedComparisonsModel m_saved;
    ComparisonStore m_store;
    ComparisonRunner m_runner;

    QString m_prompt;
    bool m_useEvaluationSet = false;
    std::vector<ComparisonPrompt> m_evaluationSet;
    QString m_evaluationSetError;
    int m_seed = 42;
    int m_maxTokens = 512;
    QString m_errorString;
    QString m_closedChatModel;  // the chat's model this run closed, for the stage

    std::shared_ptr<const Comparison> m_comparison;
    int m_promptIndex = 0;
    int m_heatQuant = 0;
};

} // namespace ponder::app
