// Side by side: for one prompt, one row per quant with its answer beside
// the reference's, each split into reasoning and answer, and where the
// quant's answer first departs from the reference's (a section and a range
// in it, on both sides).
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

#include "comparison.h"

namespace ponder::app {

class AnswerListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The compare controller owns it")

public:
    enum Role {
        FileTypeRole = Qt::UserRole + 1,  // the quant's "Q4_K_M"
        ReasoningRole,                    // its reasoning, plain text
        AnswerRole,                       // its answer after the reasoning, plain text
        ReasoningTokensRole,
        TokensRole,                       // the whole answer's
        DepartureSectionRole,             // "reasoning", "answer" or "" (no departure)
        DepartureStartRole,               // in that section's text, UTF-16
        DepartureLengthRole,
        DepartureSummaryRole,             // in words, with both tokens shown (visibleToken)
        ReferenceReasoningRole,
        ReferenceAnswerRole,
        ReferenceReasoningTokensRole,
        ReferenceDepartureSectionRole,
        ReferenceDepartureStartRole,
        ReferenceDepartureLengthRole,
    };

    using QAbstractListModel::QAbstractListModel;

    void show(std::shared_ptr<const Comparison> comparison, int prompt);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    // Where a departure falls in one side's answer.
    struct Mark {
        QString section;
        int start = 0;
        int length = 0;
    };
    struct Row {
        QString fileType;
        AnswerParts parts;
        AnswerParts reference;
        int reasoningTokens = 0;
        int tokens = 0;
        int referenceReasoningTokens = 0;
        Mark mark;
        Mark referenceMark;
        QString summary;
    };

    std::vector<Row> m_rows;
};

} // namespace ponder::app
