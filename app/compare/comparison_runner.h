// Runs one comparison (compareQuants, quant_comparison.h) on a worker
// thread of its own, so the window never waits for a model: progress (the
// engine's stage in words, the fraction done, the time left) and the result
// come back as signals on the runner's thread. One comparison at a time;
// the engine holds one model at a time, so models that would not fit
// together run one after another. cancel() stops it within a token or a
// chunk of rows, and nothing of a cancelled run is returned.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "chat_engine.h"
#include "comparison.h"

namespace ponder::app {

// What to compare, and how.
struct ComparisonRequest {
    QStringList paths;                     // two to five .gguf files
    std::vector<ComparisonPrompt> prompts;
    ComparisonOptions options;             // options.sampler.seed: one seed for all
    EngineDevice device;
    QString title;
    bool evaluationSet = false;
    std::vector<ComparedFile> files;       // per path: the catalog's model and quant where known
};

class ComparisonRunner : public QObject {
    Q_OBJECT

public:
    explicit ComparisonRunner(QObject* parent = nullptr);
    ~ComparisonRunner() override;  // cancels and waits

    bool running() const { return m_thread != nullptr; }
    QString stage() const { return m_stage; }
    double fraction() const { return m_fraction; }
    double secondsLeft() const { return m_secondsLeft; }
    QString errorString() const { return m_errorString; }
    // Every stage reported during the last run, in order (a run's story; tests read it).
    const QStringList& stages() const { return m_stages; }
    // The most models the last run held at once (1 when it ran them one after another).
    int peakModels() const { return m_peakModels; }

    // Starts `request`; false (errorString set) when one runs or it is unusable.
    bool start(ComparisonRequest request);
    void cancel();

signals:
    void runningChanged();
    void progressChanged();
    void errorStringChanged();
    // The run ended with a whole comparison (not yet saved).
    void succeeded(std::shared_ptr<ponder::app::Comparison> comparison);
    // The run ended in an error (errorString) or was cancelled (`cancelled`).
    void failed(bool cancelled);

private:
    struct Outcome;
    void finish(const std::shared_ptr<Outcome>& outcome);
    void setError(const QString& error);

    QThread* m_thread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QString m_stage;
    double m_fraction = 0;
    double m_secondsLeft = -1;
    QString m_errorString;
    QStringList m_stages;
    int m_peakModels = 0;
};

} // namespace ponder::app
