// The statistics table and chart: one row per model of a comparison, the
// reference first, with llama.cpp's statistics of each quant against it
// (statisticNames()) and reasoning length, speed, file size and memory.
#pragma once

#include <QAbstractListModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

#include "comparison.h"

namespace ponder::app {

class StatisticsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The compare controller owns it")

    /// The table's column headings, in the order of each row's `cells`.
    Q_PROPERTY(QStringList columns READ columns CONSTANT)
    /// The largest 99% KLD of the quants (the chart's scale), nats.
    Q_PROPERTY(double largestKld READ largestKld NOTIFY shownChanged)

public:
    enum Role {
        FileTypeRole = Qt::UserRole + 1,  // "Q4_K_M"
        FileNameRole,
        ReferenceRole,                    // the reference row
        ModelIndexRole,                   // index into the comparison's models
        MeanKldRole,                      // nats
        Kld99Role,                        // nats
        SameTopRole,                      // percent
        CellsRole,                        // the row's figures as text, one per column
    };

    using QAbstractListModel::QAbstractListModel;

    void show(std::shared_ptr<const Comparison> comparison);
    QStringList columns() const;
    double largestKld() const { return m_largest; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The table's text of `row` (tests and the JSON export's readers compare with it).
    QStringList cells(int row) const;

signals:
    void shownChanged();

private:
    std::shared_ptr<const Comparison> m_comparison;
    std::vector<size_t> m_order;  // rows to models: the reference, then the others in order
    double m_largest = 0;
};

} // namespace ponder::app
