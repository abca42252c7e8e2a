#include "statistics_model.h"

#include <QFileInfo>

#include "byte_format.h"

namespace ponder::app {
namespace {

QString kld(double value)
{
    return QString::number(value, value < 0.001 ? 'e' : 'f', value < 0.001 ? 2 : 4);
}

} // namespace

void StatisticsModel::show(std::shared_ptr<const Comparison> comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    m_order.clear();
    m_largest = 0;
    if (m_comparison) {
        const ComparisonResult& result = m_comparison->result;
        m_order.push_back(result.reference);
        for (size_t m = 0; m < result.models.size(); ++m)
            if (m != result.reference) {
                m_order.push_back(m);
                m_largest = std::max(m_largest, result.models[m].statistics.kl99);
            }
    }
    endResetModel();
    emit shownChanged();
}

QStringList StatisticsModel::columns() const
{
    return QStringList{tr("Quant")} + statisticNames() +
           QStringList{tr("Reasoning (tokens)"), tr("Tokens/s"), tr("File"), tr("Memory")};
}

int StatisticsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_order.size());
}

QStringList StatisticsModel::cells(int row) const
{
    if (row < 0 || size_t(row) >= m_order.size())
        return {};
    const size_t m = m_order[size_t(row)];
    const ModelComparison& model = m_comparison->result.models[m];
    const ComparedFile file = m < m_comparison->files.size() ? m_comparison->files[m] : ComparedFile{};
    const bool reference = m == m_comparison->result.reference;
    const DivergenceStatistics& s = model.statistics;
    QStringList cells{QString::fromStdString(model.fileType) + (reference ? tr(" (reference)") : QString())};
    if (reference) {
        for (int i = 0; i < statisticNames().size(); ++i)
            cells << QStringLiteral("—");
    } else {
        cells << kld(s.meanKl) << kld(s.medianKl) << kld(s.kl99) << kld(s.kl999) << kld(s.maxKl)
              << QStringLiteral("%1%").arg(s.sameTopPercent, 0, 'f', 2)
              << QStringLiteral("%1%").arg(s.rmsDeltaPPercent, 0, 'f', 2)
              << QString::number(s.perplexityRatio, 'f', 4);
    }
    cells << QString::number(model.meanReasoningTokens, 'f', 0) << QString::number(model.tokensPerSecond, 'f', 1)
          << formatFileBytes(model.fileBytes)
          << (file.memoryBytes ? formatMemoryBytes(file.memoryBytes) : QStringLiteral("—"));
    return cells;
}

QVariant StatisticsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_order.size())
        return {};
    const size_t m = m_order[size_t(index.row())];
    const ModelComparison& model = m_comparison->result.models[m];
    switch (role) {
    case FileTypeRole: return QString::fromStdString(model.fileType);
    case FileNameRole: return QFileInfo(QString::fromStdString(model.path)).fileName();
    case ReferenceRole: return m == m_comparison->result.reference;
    case ModelIndexRole: return int(m);
    case MeanKldRole: return model.statistics.meanKl;
    case Kld99Role: return model.statistics.kl99;
    case SameTopRole: return model.statistics.sameTopPercent;
    case CellsRole: return cells(index.row());
    default: return {};
    }
}

QHash<int, QByteArray> StatisticsModel::roleNames() const
{
    return {{FileTypeRole, "fileType"}, {FileNameRole, "fileName"}, {ReferenceRole, "reference"},
            {ModelIndexRole, "modelIndex"}, {MeanKldRole, "meanKld"}, {Kld99Role, "kld99"},
            {SameTopRole, "sameTop"},   {CellsRole, "cells"}};
}

} // namespace ponder::app
