#include "model_picker_model.h"

#include <QLoggingCategory>
#include <QUrl>
#include <QVariantMap>

#include <algorithm>
#include <utility>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcLocalModels)
Q_LOGGING_CATEGORY(lcPicker, "ponder.picker")

namespace ponder::app {
namespace {

QString adapterLine(const AdapterSummary& a)
{
    return ModelPickerModel::tr("%1 (%2) · %3 free of %4")
        .arg(a.name,
             a.cpuEngine ? ModelPickerModel::tr("RAM") : QString::fromUtf8(vk::adapterTypeName(a.type).data()),
             formatMemoryBytes(uint64_t(std::max<qint64>(a.freeMemory, 0))),
             formatMemoryBytes(uint64_t(std::max<qint64>(a.totalMemory, 0))));
}

} // namespace

ModelPickerModel::ModelPickerModel(QObject* parent) : QAbstractListModel(parent)
{
    if (const auto& builtIn = ModelCatalog::builtIn())
        m_catalog = *builtIn;
    else
        m_errorString = builtIn.error();
    rebuildCells();
    recompute();
}

ModelPickerModel::~ModelPickerModel() = default;

void ModelPickerModel::setCatalog(const ModelCatalog& catalog)
{
    beginResetModel();
    m_catalog = catalog;
    rebuildCells();
    refreshLocal();
    recompute();
    endResetModel();
    emit catalogChanged();
    emit qualityChanged();
}

void ModelPickerModel::setMeasuredQuality(MeasuredQuality* measured)
{
    if (measured == m_measured)
        return;
    if (m_measured)
        disconnect(m_measured, nullptr, this, nullptr);
    m_measured = measured;
    if (m_measured)
        connect(m_measured, &MeasuredQuality::changed, this, &ModelPickerModel::qualityChanged);
    emit qualityChanged();
}

void ModelPickerModel::rebuildCells()
{
    m_cells.clear();
    for (const auto& model : m_catalog.models())
        for (const QuantMix mix : quantQualityOrder()) {
            Cell cell;
            cell.model = &model;
            cell.quant = model.quant(mix);
            cell.mix = mix;
            m_cells << cell;
        }
}

void ModelPickerModel::setContextLength(int tokens)
{
    tokens = std::clamp(tokens, kMinContext, kMaxContext);
    if (tokens == m_contextLength)
        return;
    m_contextLength = tokens;
    recompute();
    emit contextLengthChanged();
}

QList<int> ModelPickerModel::contextSteps() const
{
    // Powers of two with a halfway step between: even spacing on the
    // slider's log scale, and every step a length people choose.
    QList<int> steps;
    for (int tokens = kMinContext; tokens <= kMaxContext; tokens *= 2) {
        steps << tokens;
        if (tokens < kMaxContext)
            steps << tokens + tokens / 2;
    }
    return steps;
}

void ModelPickerModel::setGpu(GpuSelector* gpu)
{
    if (gpu == m_gpu)
        return;
    if (m_gpu)
        disconnect(m_gpu, nullptr, this, nullptr);
    m_gpu = gpu;
    if (m_gpu)
        connect(m_gpu, &GpuSelector::changed, this, &ModelPickerModel::adaptersFromGpu);
    adaptersFromGpu();
    emit gpuChanged();
}

void ModelPickerModel::adaptersFromGpu()
{
    const GpuSelector* gpu = m_gpu.data();
    if (gpu == nullptr || gpu->probing())
        return;
    const bool first = m_adapters.isEmpty();
    const int current = gpu->currentIndex();
    setAdapters(gpu->adapterList());
    // Start on the adapter the engine uses.
    if (first && current >= 0)
        setAdapterIndex(current);
}

void ModelPickerModel::setAdapters(const QList<AdapterSummary>& adapters)
{
    m_adapters = adapters;
    if (m_adapterIndex < 0 || m_adapterIndex >= adapters.size())
        m_adapterIndex = adapters.isEmpty() ? -1 : 0;
    recompute();
    emit adaptersChanged();
    emit adapterIndexChanged();
}

void ModelPickerModel::setCpuThreads(int threads)
{
    threads = std::max(threads, 0);
    if (threads == m_cpuThreads)
        return;
    m_cpuThreads = threads;
    recompute();
    emit cpuThreadsChanged();
}

QStringList ModelPickerModel::adapterNames() const
{
    QStringList names;
    for (const auto& a : m_adapters)
        names << adapterLine(a);
    return names;
}

void ModelPickerModel::setAdapterIndex(int index)
{
    if (index < 0 || index >= m_adapters.size() || index == m_adapterIndex)
        return;
    m_adapterIndex = index;
    recompute();
    emit adapterIndexChanged();
}

qint64 ModelPickerModel::freeMemory() const
{
    return m_adapterIndex >= 0 ? m_adapters[m_adapterIndex].freeMemory : 0;
}

qint64 ModelPickerModel::totalMemory() const
{
    return m_adapterIndex >= 0 ? m_adapters[m_adapterIndex].totalMemory : 0;
}

QStringList ModelPickerModel::modelNames() const
{
    QStringList names;
    for (const auto& m : m_catalog.models())
        names << m.name;
    return names;
}

QVariantList ModelPickerModel::modelRows() const
{
    QVariantList rows;
    for (const auto& m : m_catalog.models()) {
        QStringList scores;
        const auto add = [&](const char* name, const std::optional<double>& value) {
            if (value)
                scores << QStringLiteral("%1 %2").arg(QLatin1String(name)).arg(*value, 0, 'f', 1);
        };
        add("AIME 2024", m.quality.aime2024Pass1);
        add("MATH-500", m.quality.math500Pass1);
        add("GPQA", m.quality.gpqaDiamondPass1);
        add("LiveCodeBench", m.quality.liveCodeBenchPass1);
        // The weights of any mix hold the same parameters: count them once, from F16's layout.
        const uint64_t parameters = modelInfoFromConfig(m.config, QuantMix::F16).parameterCount;
        QString shortName = m.name;
        shortName.remove(QStringLiteral("DeepSeek-R1-Distill-"));
        rows << QVariantMap{{QStringLiteral("id"), m.id},
                            {QStringLiteral("name"), m.name},
                            {QStringLiteral("shortName"), shortName},
                            {QStringLiteral("baseModel"), m.baseModel},
                            {QStringLiteral("parameters"), QStringLiteral("%1B").arg(double(parameters) / 1e9, 0, 'f', 1)},
                            {QStringLiteral("scores"), scores.join(QStringLiteral(" · "))},
                            {QStringLiteral("scoresSource"), m.quality.source}};
    }
    return rows;
}

QStringList ModelPickerModel::quantNames() const
{
    QStringList names;
    for (const QuantMix mix : quantQualityOrder())
        names << QString::fromUtf8(quantMixName(mix).data(), qsizetype(quantMixName(mix).size()));
    return names;
}

void ModelPickerModel::setLocalModels(LocalModels* local)
{
    if (local == m_local)
        return;
    if (m_local)
        disconnect(m_local, nullptr, this, nullptr);
    m_local = local;
    if (m_local)
        connect(m_local, &LocalModels::changed, this, [this] {
            refreshLocal();
            recompute();
        });
    refreshLocal();
    recompute();
    emit localModelsChanged();
}

void ModelPickerModel::refreshLocal()
{
    for (Cell& cell : m_cells) {
        const LocalModel* found = m_local && cell.quant ? m_local->find(cell.model->id, cell.quant->name()) : nullptr;
        cell.local = found && found->complete() ? std::optional<LocalModel>(*found) : std::nullopt;
        cell.localInfo.reset();
        if (!cell.local)
            continue;
        // A downloaded file is planned from its own header: exact, whatever
        // the uploader's quant mix.
        auto info = m_local->modelInfo(cell.local->path);
        if (info)
            cell.localInfo = std::move(*info);
        else
            qCWarning(lcLocalModels) << info.error();
    }
}

FitTarget ModelPickerModel::target() const
{
    FitTarget target;
    if (m_adapterIndex < 0)
        return target;  // nothing free: every cell reads "does not fit", with the need in numbers
    const AdapterSummary& a = m_adapters[m_adapterIndex];
    target.limits = a.limits;
    target.freeBytes = uint64_t(std::max<qint64>(a.freeMemory, 0));
    target.type = a.type;
    target.cpuEngine = a.cpuEngine;
    // As CpuBackend::load counts them: the setting, else one per physical core.
    target.threads = m_cpuThreads > 0 ? uint32_t(m_cpuThreads) : std::max(a.physicalCores, 1u);
    return target;
}

void ModelPickerModel::recompute()
{
    const FitTarget gpu = target();
    const std::vector<PlacementDevice> devices = splitDevices();
    const int gpus = int(std::count_if(devices.begin(), devices.end(), [](const auto& d) { return !d.cpu; }));
    const bool requested = splitRequested(m_placement, gpus);
    for (Cell& cell : m_cells) {
        const ModelInfo& info = infoFor(cell);
        cell.fit = evaluateFit(info, uint32_t(m_contextLength), gpu, m_placement.kvType);
        // What the load does with a model the chosen GPU cannot hold, or when the settings ask for a split.
        if (!devices.empty() && (requested || cell.fit.verdict == FitVerdict::DoesNotFit))
            cell.fit = evaluateSplitFit(info, uint32_t(m_contextLength), m_placement, devices, std::move(cell.fit));
    }

    // The recommendation is per model: its best quant that loads.
    const int quants = int(quantQualityOrder().size());
    for (int first = 0; first < m_cells.size(); first += quants) {
        std::vector<std::pair<QuantMix, FitVerdict>> verdicts;
        for (int i = first; i < first + quants; ++i)
            if (m_cells[i].quant)
                verdicts.emplace_back(m_cells[i].mix, m_cells[i].fit.verdict);
        const auto best = recommendQuant(verdicts);
        for (int i = first; i < first + quants; ++i)
            m_cells[i].recommended = best && m_cells[i].quant && *best == m_cells[i].mix;
    }
    if (!m_cells.isEmpty())
        emit dataChanged(index(0), index(int(m_cells.size()) - 1));
}

const FitResult& ModelPickerModel::fit(int row) const
{
    return m_cells[row].fit;
}

int ModelPickerModel::rowOf(const QString& modelId, QuantMix mix) const
{
    for (int i = 0; i < m_cells.size(); ++i)
        if (m_cells[i].model->id == modelId && m_cells[i].mix == mix)
            return i;
    return -1;
}

QVariantList ModelPickerModel::downloadParts(int row) const
{
    QVariantList parts;
    if (row < 0 || row >= m_cells.size() || !m_cells[row].quant)
        return parts;
    const CatalogQuant& quant = *m_cells[row].quant;
    for (int i = 0; i < quant.files.size(); ++i) {
        QVariantMap part{{QStringLiteral("url"), quant.url(i)}, {QStringLiteral("file"), quant.files[i]}};
        // The catalog knows exact sizes and hashes of single files only.
        if (quant.files.size() == 1 && quant.sizeExact)
            part[QStringLiteral("size")] = quant.bytes;
        if (quant.files.size() == 1 && !quant.sha256.isEmpty())
            part[QStringLiteral("sha256")] = quant.sha256;
        parts << part;
    }
    return parts;
}

QVariantList ModelPickerModel::downloadPartsFor(const QString& modelId, const QString& quant) const
{
    const auto mix = quantMixFromName(quant.toStdString());
    return mix ? downloadParts(rowOf(modelId, *mix)) : QVariantList{};
}

int ModelPickerModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_cells.size());
}

QVariant ModelPickerModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_cells.size())
        return {};
    const Cell& cell = m_cells[index.row()];
    const int quants = int(quantQualityOrder().size());
    const qint64 fileBytes = cell.local ? cell.local->bytes : cell.quant ? cell.quant->bytes : 0;
    switch (role) {
    case ModelIdRole: return cell.model->id;
    case Qt::DisplayRole:
    case ModelNameRole: return cell.model->name;
    case ModelRowRole: return index.row() / quants;
    case QuantRole: return QString::fromUtf8(quantMixName(cell.mix).data(), qsizetype(quantMixName(cell.mix).size()));
    case QuantColumnRole: return index.row() % quants;
    case FileBytesRole: return fileBytes;
    case FileSizeTextRole: return fileBytes > 0 ? formatFileBytes(uint64_t(fileBytes)) : QString();
    case NeededBytesRole: return qint64(cell.fit.neededBytes);
    case NeededTextRole: return cell.fit.planFailed ? QStringLiteral("—") : formatMemoryBytes(cell.fit.neededBytes);
    case VerdictRole: return verdictName(cell.fit.verdict);
    case ReasonRole: return cell.fit.reason;
    case ReasonTextRole:
        if (cell.fit.split)
            return splitCellText(*cell.fit.split);
        return cell.fit.planFailed ? cell.fit.reason : fitReasonText(cell.fit.neededBytes, cell.fit.freeBytes);
    case MemoryTextRole:
        if (cell.fit.split)
            return splitGpuMemoryText(*cell.fit.split);
        return (cpuEngine() ? tr("RAM %1") : tr("GPU %1"))
            .arg(cell.fit.planFailed ? QStringLiteral("—") : formatMemoryBytes(cell.fit.neededBytes));
    case SplitDetailsRole:
        return cell.fit.split ? cell.fit.reason + u'\n' + splitMemoryText(*cell.fit.split) + u'\n' +
                                    splitMemoryDetails(*cell.fit.split)
                              : QString();
    case EstimatedSpeedRole:
        return cell.fit.split ? cell.fit.split->tokensPerSecond.value_or(0.0) : 0.0;
    case RecommendedRole: return cell.recommended;
    case DownloadedRole: return cell.local.has_value();
    case LocalPathRole: return cell.local ? cell.local->path : QString();
    case DownloadableRole: return cell.quant != nullptr && !cell.quant->files.isEmpty();
    case EstimateSourceRole:
        return cell.localInfo    ? QStringLiteral("file")
               : cell.remoteInfo ? QStringLiteral("remote")
                                 : QStringLiteral("catalog");
    case UnverifiedRole: return cell.local && cell.local->unverified;
    case UnverifiedReasonRole: return cell.local ? cell.local->unverifiedReason : QString();
    default: return {};
    }
}

QHash<int, QByteArray> ModelPickerModel::roleNames() const
{
    return {
        {ModelIdRole, "modelId"},
        {ModelNameRole, "modelName"},
        {ModelRowRole, "modelRow"},
        {QuantRole, "quant"},
        {QuantColumnRole, "quantColumn"},
        {FileBytesRole, "fileBytes"},
        {FileSizeTextRole, "fileSizeText"},
        {NeededBytesRole, "neededBytes"},
        {NeededTextRole, "neededText"},
        {VerdictRole, "verdict"},
        {ReasonRole, "reason"},
        {ReasonTextRole, "reasonText"},
        {MemoryTextRole, "memoryText"},
        {SplitDetailsRole, "splitDetails"},
        {EstimatedSpeedRole, "estimatedSpeed"},
        {RecommendedRole, "recommended"},
        {DownloadedRole, "downloaded"},
        {LocalPathRole, "localPath"},
        {DownloadableRole, "downloadable"},
        {EstimateSourceRole, "estimateSource"},
        {UnverifiedRole, "unverified"},
        {UnverifiedReasonRole, "unverifiedReason"},
    };
}

} // namespace ponder::app
