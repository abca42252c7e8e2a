// The model picker's grid: every catalog model × the seven quants, one list
// row per cell (row = model * quantCount + quant), with the file size, the
// GPU memory the engine will allocate at the chosen context length, whether
// that fits the chosen adapter (ModelFit) or, when it does not, fits split
// across the GPUs taking part and the CPU (evaluateSplitFit: the layout the
// load will use, with its speed estimate), the recommended quant per model,
// and whether the file is already on this computer (LocalModels).
//
// Changing the context length or the adapter recomputes every cell at once,
// on the UI thread: planning the 70B config takes 35-55 µs (measured;
// tst_model_fit prints it), so all 42 cells cost about 2 ms. The
// ModelInfo behind each cell is built once and kept: from the local file's
// header when the quant is downloaded, else from a remote header when one was
// given (setRemoteInfo), else from the catalog's config (modelInfoFromConfig,
// about 0.2 ms for 70B).
#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QtQml/qqml.h>
#include <QtQml/qqmlregistration.h>

#include <optional>

#include "chat_backend.h"
#include "gpu_selector.h"
#include "local_models.h"
#include "measured_quality.h"
#include "model_catalog.h"
#include "model_fit.h"

namespace ponder::app {

class RemoteModelInfo;

// MeasuredQuality (measured_quality.h, the compare page's) as a QML type, so
// the picker's property below has a type QML knows.
struct MeasuredQualityForeign {
    Q_GADGET
    QML_FOREIGN(ponder::app::MeasuredQuality)
    QML_NAMED_ELEMENT(MeasuredQuality)
};

class ModelPickerModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT

    /// Tokens of context the figures are for; clamped to 512 … 131072.
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY contextLengthChanged)
    /// The context lengths the slider offers, in tokens, ascending (powers of two and halfway steps).
    Q_PROPERTY(QList<int> contextSteps READ contextSteps CONSTANT)
    /// Where GPUs come from; null: only adapters given with setAdapters().
    Q_PROPERTY(GpuSelector* gpu READ gpu WRITE setGpu NOTIFY gpuChanged)
    /// Which local files count as downloaded; null: none.
    Q_PROPERTY(LocalModels* localModels READ localModels WRITE setLocalModels NOTIFY localModelsChanged)
    /// Threads the CPU engine runs with (the chat's setting), for its fit; 0 = one per physical core.
    Q_PROPERTY(int cpuThreads READ cpuThreads WRITE setCpuThreads NOTIFY cpuThreadsChanged)
    /// Layers on the GPUs when a model is split (the chat's setting); -1: as many as fit.
    Q_PROPERTY(int gpuLayers READ gpuLayers WRITE setGpuLayers NOTIFY placementChanged)
    /// Vulkan indices of the GPUs that take part beside the chosen one (the chat's setting).
    Q_PROPERTY(QList<int> extraGpus READ extraGpus WRITE setExtraGpus NOTIFY placementChanged)
    /// The GPUs' shares of the layers, "8,6,6,6" (the chat's setting); empty: by free memory.
    Q_PROPERTY(QString splitShares READ splitShares WRITE setSplitShares NOTIFY placementChanged)
    /// The KV cache type the figures are for: "f16" or "q8_0" (the chat's setting).
    Q_PROPERTY(QString kvCacheType READ kvCacheType WRITE setKvCacheType NOTIFY placementChanged)
    /// One line per device: "name (type) · 7.1 GB free of 8.0 GB"; the CPU engine's free and total are RAM.
    Q_PROPERTY(QStringList adapters READ adapterNames NOTIFY adaptersChanged)
    /// Index into `adapters` of the adapter the figures are for; -1 when there is none.
    Q_PROPERTY(int adapterIndex READ adapterIndex WRITE setAdapterIndex NOTIFY adapterIndexChanged)
    /// True when the chosen device is the CPU engine: the figures are RAM.
    Q_PROPERTY(bool cpuEngine READ cpuEngine NOTIFY adapterIndexChanged)
    /// Free device-local memory (available RAM for the CPU engine) of the chosen device, in bytes.
    Q_PROPERTY(qint64 freeMemory READ freeMemory NOTIFY adapterIndexChanged)
    /// Device-local memory (RAM for the CPU engine) of the chosen device, in bytes.
    Q_PROPERTY(qint64 totalMemory READ totalMemory NOTIFY adapterIndexChanged)
    /// Model names, one per grid row.
    Q_PROPERTY(QStringList modelNames READ modelNames NOTIFY catalogChanged)
    /// One map per grid row: id, name, shortName ("Qwen-7B"), baseModel, parameters ("7.6B"),
    /// scores ("AIME 2024 55.5 · MATH-500 92.8 · GPQA 49.1 · LiveCodeBench 37.6"), scoresSource (URL).
    Q_PROPERTY(QVariantList modelRows READ modelRows NOTIFY catalogChanged)
    /// Quant names, one per grid column, best quality first.
    Q_PROPERTY(QStringList quantNames READ quantNames CONSTANT)
    /// Why the catalog could not be read; empty when all is well.
    Q_PROPERTY(QString errorString READ errorString NOTIFY catalogChanged)
    /// Quality measured on this machine (the compare page's); null: the charts show typical figures only.
    Q_PROPERTY(MeasuredQuality* measuredQuality READ measuredQuality WRITE setMeasuredQuality NOTIFY qualityChanged)
    /// The cell whose file header is being read over HTTP (refineEstimate); -1 when none.
    Q_PROPERTY(int refiningRow READ refiningRow NOTIFY refiningRowChanged)

public:
    enum Role {
        ModelIdRole = Qt::UserRole + 1,  // "qwen-7b"
        ModelNameRole,                   // "DeepSeek-R1-Distill-Qwen-7B"
        ModelRowRole,                    // grid row
        QuantRole,                       // "Q4_K_M"
        QuantColumnRole,                 // grid column (0 = best quality)
        FileBytesRole,                   // qint64: download size (or local file size)
        FileSizeTextRole,                // "4.4 GB"
        NeededBytesRole,                 // qint64: GPU memory (RAM on the CPU engine) counted against free memory; 0 when the plan failed
        NeededTextRole,                  // "5.1 GB", or "—" when the plan failed
        VerdictRole,                     // "fits", "tight", "split", "splitTight" or "doesNotFit"
        ReasonRole,                      // "needs 9.4 GB, 7.1 GB free", why it cannot run, or "Split: 30 of 49 layers on <GPU>, 19 on the CPU · about 4.1 tok/s (estimate)"
        ReasonTextRole,                  // the same, figures kept on one line (fitReasonText); a split's three short lines (splitCellText)
        MemoryTextRole,                  // "GPU 5.1 GB" ("RAM 5.1 GB" on the CPU engine); a split's GPU part ("GPU 7.3 GB")
        SplitDetailsRole,                // a split's layers by device name, speed, and each device's memory, one per line; else empty
        EstimatedSpeedRole,              // double: a split's estimated tokens per second; 0 when not split or unknown
        RecommendedRole,                 // bool: the best quant of this model that fits
        DownloadedRole,                  // bool: the file is on this computer
        LocalPathRole,                   // the local file (first part); empty when not downloaded
        DownloadableRole,                // bool: the catalog names files to download
        EstimateSourceRole,              // "file", "remote" or "catalog": where the ModelInfo came from
        UnverifiedRole,                  // bool: the local file was downloaded with no checksum to check it against
        UnverifiedReasonRole,            // why, one line of plain text; empty when verified or not downloaded
    };
    Q_ENUM(Role)

    static constexpr int kMinContext = 512;
    static constexpr int kMaxContext = kMaxContextLength;

    explicit ModelPickerModel(QObject* parent = nullptr);
    ~ModelPickerModel() override;

    int contextLength() const { return m_contextLength; }
    void setContextLength(int tokens);
    QList<int> contextSteps() const;
    GpuSelector* gpu() const { return m_gpu; }
    void setGpu(GpuSelector* gpu);
    LocalModels* localModels() const { return m_local; }
    void setLocalModels(LocalModels* local);
    int cpuThreads() const { return m_cpuThreads; }
    void setCpuThreads(int threads);
    int gpuLayers() const { return m_placement.gpuLayers ? int(*m_placement.gpuLayers) : -1; }
    void setGpuLayers(int layers);
    QList<int> extraGpus() const { return m_placement.extraGpus; }
    void setExtraGpus(const QList<int>& gpus);
    QString splitShares() const { return m_placement.shares; }
    void setSplitShares(const QString& shares);
    QString kvCacheType() const { return QString::fromLatin1(kvCacheTypeName(m_placement.kvType)); }
    void setKvCacheType(const QString& type);
    const PlacementSettings& placement() const { return m_placement; }
    bool cpuEngine() const { return m_adapterIndex >= 0 && m_adapters[m_adapterIndex].cpuEngine; }
    QStringList adapterNames() const;
    int adapterIndex() const { return m_adapterIndex; }
    void setAdapterIndex(int index);
    qint64 freeMemory() const;
    qint64 totalMemory() const;
    QStringList modelNames() const;
    QVariantList modelRows() const;
    QStringList quantNames() const;
    QString errorString() const { return m_errorString; }
    const ModelCatalog& catalog() const { return m_catalog; }
    MeasuredQuality* measuredQuality() const { return m_measured; }
    void setMeasuredQuality(MeasuredQuality* measured);

    // Replaces the catalog (tests; the built-in one by default).
    void setCatalog(const ModelCatalog& catalog);
    // Plans for these adapters instead of the GpuSelector's (tests, and a
    // fixed budget); the chosen index is kept when still valid, else 0.
    void setAdapters(const QList<AdapterSummary>& adapters);
    // A header read over HTTP (RemoteGgufHeader → readModelInfo) for a quant
    // not downloaded: its figures then come from the real file's tensors.
    void setRemoteInfo(const QString& modelId, QuantMix mix, const ModelInfo& info);

    // The figures of one cell (C++ and tests).
    const FitResult& fit(int row) const;
    int rowOf(const QString& modelId, QuantMix mix) const;

    /// Reads the GGUF header of a cell's files over HTTP (a few megabytes,
    /// RemoteModelInfo) so its figures come from the real tensors rather than
    /// the catalog's config. Does nothing for a downloaded cell or one read
    /// already; a row asked for while another is read waits its turn (only
    /// the latest waits). A failure keeps the catalog estimate.
    Q_INVOKABLE void refineEstimate(int row);
    int refiningRow() const { return m_refiningRow; }

    /// The files of a cell for DownloadManager::startParts(): maps with url, file, size and sha256.
    Q_INVOKABLE QVariantList downloadParts(int row) const;
    /// The same by catalog id and quant name, as ModelPicker's downloadRequested(model, quant) gives them.
    Q_INVOKABLE QVariantList downloadPartsFor(const QString& modelId, const QString& quant) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void catalogChanged();
    void contextLengthChanged();
    void gpuChanged();
    void localModelsChanged();
    void adaptersChanged();
    void cpuThreadsChanged();
    void placementChanged();
    void adapterIndexChanged();
    void refiningRowChanged();
    // The quality figures changed: the catalog's typical ones, or what MeasuredQuality holds.
    void qualityChanged();

private:
    struct Cell {
        const CatalogModel* model = nullptr;
        const CatalogQuant* quant = nullptr;  // nullptr when the catalog lacks this quant
        QuantMix mix = QuantMix::Q4_K_M;
        std::optional<ModelInfo> catalogInfo;  // built on first use
        std::optional<ModelInfo> remoteInfo;
        std::optional<ModelInfo> localInfo;
        std::optional<LocalModel> local;  // the downloaded file, when there is one
        FitResult fit;
        bool recommended = false;
    };

    void rebuildCells();
    void adaptersFromGpu();
    void refreshLocal();
    void recompute();
    const ModelInfo& infoFor(Cell& cell);
    FitTarget target() const;
    // The devices a split is planned over: the GPUs taking part (the chosen
    // one and the extra ones, by Vulkan index), then the CPU engine; empty
    // when the chosen device is the CPU engine (nothing to split).
    std::vector<PlacementDevice> splitDevices() const;
    void setPlacement(const PlacementSettings& placement);

    ModelCatalog m_catalog;
    QString m_errorString;
    QList<Cell> m_cells;
    QList<AdapterSummary> m_adapters;
    int m_adapterIndex = -1;
    int m_contextLength = 4096;
    int m_cpuThreads = 0;
    PlacementSettings m_placement;
    QPointer<GpuSelector> m_gpu;
    QPointer<LocalModels> m_local;
    QPointer<MeasuredQuality> m_measured;
    RemoteModelInfo* m_remote = nullptr;  // created on first refineEstimate()
    int m_refiningRow = -1;
    int m_waitingRow = -1;
    QSet<int> m_refineTried;  // rows read or failed: never fetched twice

    void startRefining(int row);
    void refined(bool ok);
};

} // namespace ponder::app
