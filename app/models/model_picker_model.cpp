// ModelPickerModel (model_picker_model.h): the grid's cells, one per catalog
// model × quant, what is known of each (the local file), and the fit of every
// cell recomputed at once when anything it depends on changes, with each
// model's recommended quant. The rest of the class: the device the figures
// are for (model_picker_adapters.cpp), the split settings
// (model_picker_split.cpp), where a cell's estimate comes from
// (model_picker_estimates.cpp), the catalog as QML reads it
// (model_picker_catalog_view.cpp) and each cell's roles
// (model_picker_roles.cpp).
#include "model_picker_model.h"

#include <QLoggingCategory>

#include <algorithm>
#include <utility>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcLocalModels)
Q_LOGGING_CATEGORY(lcPicker, "ponder.picker")

namespace ponder::app {

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

int ModelPickerModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_cells.size());
}

} // namespace ponder::app
