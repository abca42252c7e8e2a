// ModelPickerModel: each cell as the grid's delegates read it, one role per
// figure or word (the Role enum in model_picker_model.h), and the roles'
// names in QML. A new role changes this file and the enum together.
#include "model_picker_model.h"

namespace ponder::app {

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
