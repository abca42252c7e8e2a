// The downloaded model files a comparison can choose from (LocalModels),
// with a check box each: two to five of one model, or of models that share
// a tokenizer (same architecture and vocabulary, checked here as far as the
// header tells; the engine compares the tokenizers themselves). The one
// with the most bits per weight among the checked is the reference, as the
// engine will pick it (mostPreciseModel).
#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <vector>

#include "comparison.h"

namespace ponder::app {

class LocalModels;

class CandidateListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The compare controller owns it")

    /// Files listed.
    Q_PROPERTY(int count READ rowCount NOTIFY changed)
    /// Files checked.
    Q_PROPERTY(int checkedCount READ checkedCount NOTIFY changed)
    /// Why the checked files cannot be compared, in words; empty when they can.
    Q_PROPERTY(QString problem READ problem NOTIFY changed)
    /// The reference among the checked files (its file name); empty with fewer than two.
    Q_PROPERTY(QString referenceName READ referenceName NOTIFY changed)

public:
    static constexpr int kMaxChecked = 5;

    enum Role {
        PathRole = Qt::UserRole + 1,
        FileNameRole,        // plain text
        FileTypeRole,        // "Q4_K_M" from its header; "" when unreadable
        SizeRole,            // the file's size in words
        BitsPerWeightRole,
        ChosenRole,          // checked for the comparison
        ReferenceRole,       // the reference among the checked
        FamilyRole,          // "qwen2 · 151936 tokens": files that may be compared share it
    };

    using QAbstractListModel::QAbstractListModel;

    void setLocalModels(LocalModels* models);
    /// Checks or unchecks row `row`; false (nothing changes) past five checked.
    Q_INVOKABLE bool setChecked(int row, bool checked);

    int checkedCount() const;
    QStringList checkedPaths() const;
    QString problem() const;
    QString referenceName() const;
    // The catalog model and quant of a listed file (empty when unknown).
    ComparedFile catalogEntry(const QString& path) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void changed();

private:
    struct Candidate {
        QString path;
        QString fileName;
        QString fileType;
        QString family;
        QString modelId;
        QString quant;
        qint64 bytes = 0;
        double bitsPerWeight = 0;
        bool checked = false;
    };
    void reload();
    int referenceRow() const;

    QPointer<LocalModels> m_models;
    std::vector<Candidate> m_candidates;
};

} // namespace ponder::app
