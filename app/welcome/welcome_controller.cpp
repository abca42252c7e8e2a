#include "welcome_controller.h"

#include <QSettings>

#include "byte_format.h"

namespace ponder::app {

WelcomeController::WelcomeController(QObject* parent)
    : QObject(parent),
      m_done(QSettings().value(QLatin1String(kDoneKey), false).toBool())
{
    if (const auto& builtIn = ModelCatalog::builtIn())
        m_catalog = *builtIn;
}

void WelcomeController::setGpu(GpuSelector* gpu)
{
    if (m_gpu == gpu)
        return;
    if (m_gpu)
        disconnect(m_gpu, nullptr, this, nullptr);
    m_gpu = gpu;
    if (m_gpu)
        connect(m_gpu, &GpuSelector::changed, this, &WelcomeController::recompute);
    emit gpuChanged();
    recompute();
}

void WelcomeController::setDownloads(DownloadManager* downloads)
{
    if (m_downloads == downloads)
        return;
    if (m_downloads)
        disconnect(m_downloads, nullptr, this, nullptr);
    m_downloads = downloads;
    if (m_downloads) {
        connect(m_downloads, &DownloadManager::finished, this, &WelcomeController::onFinished);
        // Cancelled (forgotten by the manager): back to the download button.
        connect(m_downloads, &DownloadManager::downloadsChanged, this, [this] {
            if (!m_downloadId.isEmpty() && !m_downloads->info(m_downloadId)) {
                m_downloadId.clear();
                emit downloadChanged();
            }
        });
    }
    emit downloadsChanged();
}

void WelcomeController::setLocalModels(LocalModels* local)
{
    if (m_local == local)
        return;
    if (m_local)
        disconnect(m_local, nullptr, this, nullptr);
    m_local = local;
    if (m_local)
        connect(m_local, &LocalModels::changed, this, &WelcomeController::checkLocalModels);
    emit localModelsChanged();
    checkLocalModels();
}

void WelcomeController::setCpuThreads(int threads)
{
    threads = std::max(threads, 0);
    if (m_cpuThreads == threads)
        return;
    m_cpuThreads = threads;
    emit cpuThreadsChanged();
    recompute();
}

void WelcomeController::setCatalog(const ModelCatalog& catalog)
{
    m_catalog = catalog;
    recompute();
}

void WelcomeController::setAdapters(const QList<AdapterSummary>& adapters)
{
    m_fixedAdapters = adapters;
    recompute();
}

QList<AdapterSummary> WelcomeController::adapterList() const
{
    if (m_fixedAdapters)
        return *m_fixedAdapters;
    const GpuSelector* gpu = m_gpu.data();  // one read: each read of a QPointer may be null
    return gpu ? gpu->adapterList() : QList<AdapterSummary>{};
}

bool WelcomeController::probing() const
{
    const GpuSelector* gpu = m_gpu.data();  // one read: each read of a QPointer may be null
    return !m_fixedAdapters && (!gpu || gpu->probing());
}

QVariantList WelcomeController::devices() const
{
    QVariantList list;
    // GPUs and the CPU engine; a CPU-type Vulkan adapter (lavapipe) is the
    // same processor again, slower, and only confuses a first look.
    for (const AdapterSummary& device : adapterList())
        if (device.cpuEngine || isGpuAdapter(device.type))
            list << QVariantMap{{QStringLiteral("name"), device.name},
                                {QStringLiteral("memoryText"), formatMemoryBytes(uint64_t(device.totalMemory))},
                                {QStringLiteral("kind"), device.cpuEngine ? QStringLiteral("CPU") : QStringLiteral("GPU")}};
    return list;
}

std::optional<AdapterSummary> WelcomeController::deviceInUse() const
{
    const QList<AdapterSummary> adapters = adapterList();
    const GpuSelector* gpu = m_gpu.data();
    const int current = !m_fixedAdapters && gpu ? gpu->currentIndex() : -1;
    if (current >= 0 && current < adapters.size())
        return adapters[current];
    for (const AdapterSummary& device : adapters)
        if (!device.cpuEngine && isGpuAdapter(device.type))
            return device;
    for (const AdapterSummary& device : adapters)
        if (device.cpuEngine)
            return device;
    return std::nullopt;
}

void WelcomeController::recompute()
{
    m_choice = {};
    m_reason.clear();
    if (!probing()) {
        if (const std::optional<AdapterSummary> device = deviceInUse()) {
            m_choice = chooseFirstModel(m_catalog, *device, m_cpuThreads);
            m_reason = m_choice.found()
                ? firstRunReason(m_choice, *device)
                : tr("No model in the catalog fits your %1 with an 8k context (%2 free). "
                     "A model on a server needs no memory here; a smaller model file may still open.")
                      .arg(device->cpuEngine ? tr("RAM") : device->name,
                           formatMemoryBytes(uint64_t(std::max<qint64>(device->freeMemory, 0))));
        } else {
            m_reason = tr("No GPU and no CPU engine were found to run a model on. A model on a server still works.");
        }
    }
    emit devicesChanged();
    emit recommendationChanged();
}

QString WelcomeController::modelName() const
{
    return m_choice.found() ? m_choice.model->name : QString();
}

QString WelcomeController::modelId() const
{
    return m_choice.found() ? m_choice.model->id : QString();
}

QString WelcomeController::quant() const
{
    return m_choice.found() ? m_choice.quant()->name() : QString();
}

QString WelcomeController::fileSizeText() const
{
    return m_choice.found() ? formatFileBytes(uint64_t(m_choice.quant()->bytes)) : QString();
}

QString WelcomeController::scores() const
{
    if (!m_choice.found())
        return {};
    QStringList parts;
    const CatalogQuality& quality = m_choice.model->quality;
    if (quality.aime2024Pass1)
        parts << tr("AIME 2024 %1").arg(*quality.aime2024Pass1, 0, 'f', 1);
    if (quality.math500Pass1)
        parts << tr("MATH-500 %1").arg(*quality.math500Pass1, 0, 'f', 1);
    return parts.join(QStringLiteral(" · "));
}

bool WelcomeController::download()
{
    DownloadManager* downloads = m_downloads.data();  // one read: each read of a QPointer may be null
    if (!downloads || !m_choice.found()) {
        setErrorString(tr("There is no model to download."));
        return false;
    }
    // As the picker asks for a cell (ModelPickerModel::downloadParts): the
    // catalog knows exact sizes and hashes of single files only.
    const CatalogQuant& quant = *m_choice.quant();
    DownloadRequest request;
    request.name = quant.localFileName();
    for (int i = 0; i < quant.files.size(); ++i) {
        DownloadPart part{quant.url(i), quant.files[i]};
        if (quant.files.size() == 1 && quant.sizeExact)
            part.expectedSize = quant.bytes;
        if (quant.files.size() == 1)
            part.expectedSha256 = quant.sha256;
        request.parts.append(part);
    }
    const QString id = downloads->start(request);
    if (id.isEmpty()) {
        setErrorString(downloads->errorString());
        return false;
    }
    setErrorString({});
    if (m_downloadId != id) {
        m_downloadId = id;
        emit downloadChanged();
    }
    return true;
}

void WelcomeController::finish()
{
    if (m_done)
        return;
    m_done = true;
    QSettings().setValue(QLatin1String(kDoneKey), true);
    emit doneChanged();
}

void WelcomeController::setErrorString(const QString& error)
{
    if (m_errorString == error)
        return;
    m_errorString = error;
    emit errorStringChanged();
}

void WelcomeController::onFinished(const QString& id, const QStringList& files)
{
    if (id != m_downloadId || files.isEmpty())
        return;
    const auto info = m_downloads->info(id);
    emit modelReady(files.first(), info && info->unverified);
}

void WelcomeController::checkLocalModels()
{
    // A model here once is enough: deleting it later does not bring the welcome back.
    const LocalModels* local = m_local.data();
    if (local && local->count() > 0)
        finish();
}

} // namespace ponder::app
