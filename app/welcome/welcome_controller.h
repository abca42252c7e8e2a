// The first-run welcome, for WelcomePage.qml: the devices found, the one
// model recommended for the device the engine will use (first_run_choice.h),
// its download through DownloadManager with progress in place, and whether
// the welcome has served its purpose (a model was here once, or the user
// chose another way in), kept in the settings so it never comes back.
#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <optional>

#include "download_manager.h"
#include "first_run_choice.h"
#include "gpu_selector.h"
#include "local_models.h"
#include "model_catalog.h"

namespace ponder::app {

class WelcomeController : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// Where the devices come from; null: only those given with setAdapters().
    Q_PROPERTY(GpuSelector* gpu READ gpu WRITE setGpu NOTIFY gpuChanged)
    /// The downloads the recommended model goes through.
    Q_PROPERTY(DownloadManager* downloads READ downloads WRITE setDownloads NOTIFY downloadsChanged)
    /// The models on this computer: once there is one, the welcome is done.
    Q_PROPERTY(LocalModels* localModels READ localModels WRITE setLocalModels NOTIFY localModelsChanged)
    /// Threads the CPU engine runs with (the chat's setting), for its fit; 0 = one per physical core.
    Q_PROPERTY(int cpuThreads READ cpuThreads WRITE setCpuThreads NOTIFY cpuThreadsChanged)
    /// True while the devices are being probed (no recommendation yet).
    Q_PROPERTY(bool probing READ probing NOTIFY devicesChanged)
    /// One map per device found (GPUs, then the CPU engine): name, memoryText ("24.0 GB"), kind ("GPU", "CPU").
    Q_PROPERTY(QVariantList devices READ devices NOTIFY devicesChanged)
    /// True when a model was found that loads on the device in use.
    Q_PROPERTY(bool found READ found NOTIFY recommendationChanged)
    /// The recommended model's name ("DeepSeek-R1-Distill-Qwen-7B"); empty when none.
    Q_PROPERTY(QString modelName READ modelName NOTIFY recommendationChanged)
    /// Its catalog id ("qwen-7b"); empty when none.
    Q_PROPERTY(QString modelId READ modelId NOTIFY recommendationChanged)
    /// The recommended quant ("Q6_K"); empty when none.
    Q_PROPERTY(QString quant READ quant NOTIFY recommendationChanged)
    /// The download's size in file units ("6.25 GB"); empty when none.
    Q_PROPERTY(QString fileSizeText READ fileSizeText NOTIFY recommendationChanged)
    /// The model's published scores ("AIME 2024 55.5 · MATH-500 92.8").
    Q_PROPERTY(QString scores READ scores NOTIFY recommendationChanged)
    /// Why this model, in words (or, with none, why nothing fits).
    Q_PROPERTY(QString reason READ reason NOTIFY recommendationChanged)
    /// The download started from here; empty before one is started.
    Q_PROPERTY(QString downloadId READ downloadId NOTIFY downloadChanged)
    /// Why the last download could not start ("not enough disk space…"); empty when it started.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// True once a model was here, or the user went another way: the welcome never shows again.
    Q_PROPERTY(bool done READ done NOTIFY doneChanged)

public:
    static constexpr auto kDoneKey = "welcome/done";

    explicit WelcomeController(QObject* parent = nullptr);

    GpuSelector* gpu() const { return m_gpu; }
    void setGpu(GpuSelector* gpu);
    DownloadManager* downloads() const { return m_downloads; }
    void setDownloads(DownloadManager* downloads);
    LocalModels* localModels() const { return m_local; }
    void setLocalModels(LocalModels* local);
    int cpuThreads() const { return m_cpuThreads; }
    void setCpuThreads(int threads);

    bool probing() const;
    QVariantList devices() const;
    bool found() const { return m_choice.found(); }
    QString modelName() const;
    QString modelId() const;
    QString quant() const;
    QString fileSizeText() const;
    QString scores() const;
    QString reason() const { return m_reason; }
    QString downloadId() const { return m_downloadId; }
    QString errorString() const { return m_errorString; }
    bool done() const { return m_done; }

    // Replaces the catalog (tests: one whose server is the local test server).
    void setCatalog(const ModelCatalog& catalog);
    // Recommends for these devices instead of the GpuSelector's (tests); the
    // first GPU among them is the one in use, else the CPU engine.
    void setAdapters(const QList<AdapterSummary>& adapters);
    const FirstRunChoice& choice() const { return m_choice; }

    /// Downloads the recommended model (or resumes its download); false, with errorString, when refused.
    Q_INVOKABLE bool download();
    /// The welcome has served: never show it again (a model was opened, a server chosen, or "Not now").
    Q_INVOKABLE void finish();

signals:
    void gpuChanged();
    void downloadsChanged();
    void localModelsChanged();
    void cpuThreadsChanged();
    void devicesChanged();
    void recommendationChanged();
    void downloadChanged();
    void errorStringChanged();
    void doneChanged();
    // The recommended model is downloaded: `path` is its first file;
    // `unverified` when nothing could check it (the picker asks before loading).
    void modelReady(const QString& path, bool unverified);

private:
    QList<AdapterSummary> adapterList() const;
    // The device the engine will use: the GpuSelector's current one, else the first GPU, else the CPU engine.
    std::optional<AdapterSummary> deviceInUse() const;
    void recompute();
    void setErrorString(const QString& error);
    void onFinished(const QString& id, const QStringList& files);
    void checkLocalModels();

    QPointer<GpuSelector> m_gpu;
    QPointer<DownloadManager> m_downloads;
    QPointer<LocalModels> m_local;
    std::optional<QList<AdapterSummary>> m_fixedAdapters;
    ModelCatalog m_catalog;
    int m_cpuThreads = 0;
    FirstRunChoice m_choice;
    QString m_reason;
    QString m_downloadId;
    QString m_errorString;
    bool m_done = false;
};

} // namespace ponder::app
