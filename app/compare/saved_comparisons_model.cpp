#include "saved_comparisons_model.h"

#include <QLocale>

namespace ponder::app {

void SavedComparisonsModel::setSummaries(QList<ComparisonSummary> summaries)
{
    beginResetModel();
    m_summaries = std::move(summaries);
    endResetModel();
    emit countChanged();
}

int SavedComparisonsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_summaries.size());
}

QVariant SavedComparisonsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_summaries.size())
        return {};
    const ComparisonSummary& summary = m_summaries[index.row()];
    switch (role) {
    case IdRole: return summary.id;
    case TitleRole: return summary.title;
    case CreatedRole: return QLocale().toString(summary.created.toLocalTime(), QLocale::ShortFormat);
    case ModelsRole: return summary.fileTypes.join(QStringLiteral(" · "));
    case PromptsRole: return summary.prompts;
    default: return {};
    }
}

QHash<int, QByteArray> SavedComparisonsModel::roleNames() const
{
    return {{IdRole, "comparisonId"}, {TitleRole, "title"}, {CreatedRole, "created"}, {ModelsRole, "models"},
            {PromptsRole, "prompts"}};
}

} // namespace ponder::app
