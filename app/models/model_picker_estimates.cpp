// ModelPickerModel: where a cell's estimate comes from. A local file's
// header, else a remote header read over HTTP (one cell at a time, the
// latest asked for next), else the catalog's config.
#include "model_picker_model.h"

#include "remote_model_info.h"

#include <QLoggingCategory>
#include <QUrl>
#include <QVariantMap>

#include <utility>

Q_DECLARE_LOGGING_CATEGORY(lcPicker)

namespace ponder::app {

void ModelPickerModel::setRemoteInfo(const QString& modelId, QuantMix mix, const ModelInfo& info)
{
    const int row = rowOf(modelId, mix);
    if (row < 0)
        return;
    m_cells[row].remoteInfo = info;
    recompute();
}

void ModelPickerModel::refineEstimate(int row)
{
    if (row < 0 || row >= m_cells.size() || m_refineTried.contains(row))
        return;
    const Cell& cell = m_cells[row];
    if (!cell.quant || cell.localInfo || cell.remoteInfo)
        return;
    if (m_refiningRow >= 0) {
        if (row != m_refiningRow)
            m_waitingRow = row;
        return;
    }
    startRefining(row);
}

void ModelPickerModel::startRefining(int row)
{
    if (!m_remote) {
        m_remote = new RemoteModelInfo(this);
        connect(m_remote, &RemoteModelInfo::finished, this, &ModelPickerModel::refined);
    }
    QList<QUrl> files;
    for (const QVariant& part : downloadParts(row))
        files.append(part.toMap().value(QStringLiteral("url")).toUrl());
    m_refiningRow = row;
    m_refineTried.insert(row);
    emit refiningRowChanged();
    m_remote->fetch(files);
}

void ModelPickerModel::refined(bool ok)
{
    const int row = m_refiningRow;
    m_refiningRow = -1;
    if (row >= 0 && row < m_cells.size()) {
        if (ok && m_remote->info()) {
            m_cells[row].remoteInfo = *m_remote->info();
            recompute();
        } else {
            qCInfo(lcPicker) << "kept the catalog estimate:" << m_remote->errorString();
        }
    }
    emit refiningRowChanged();
    const int next = std::exchange(m_waitingRow, -1);
    if (next >= 0)
        refineEstimate(next);
}

const ModelInfo& ModelPickerModel::infoFor(Cell& cell)
{
    if (cell.localInfo)
        return *cell.localInfo;
    if (cell.remoteInfo)
        return *cell.remoteInfo;
    if (!cell.catalogInfo)
        cell.catalogInfo = modelInfoFromConfig(cell.model->config, cell.mix, cell.model->name.toStdString());
    return *cell.catalogInfo;
}

} // namespace ponder::app
