// The comparisons kept in the store, newest first, for the page's list to
// reopen one.
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include "comparison_store.h"

namespace ponder::app {

class SavedComparisonsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The compare controller owns it")

    /// Comparisons listed.
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TitleRole,    // the prompt's first line or "Evaluation set…", plain text
        CreatedRole,  // when it ran, local time in words
        ModelsRole,   // "Q8_0 · Q4_K_M · Q2_K"
        PromptsRole,  // how many prompts
    };

    using QAbstractListModel::QAbstractListModel;

    void setSummaries(QList<ComparisonSummary> summaries);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    QList<ComparisonSummary> m_summaries;
};

} // namespace ponder::app
