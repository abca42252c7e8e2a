// The heat map: the reference's answer to one prompt (reasoning included),
// one row per token, tinted by one quant's KL divergence at that token
// (teacher-forced: the quant read the reference's answer). Hovering a
// token shows both models' five most likely next tokens there.
#pragma once

#include <QAbstractListModel>
#include <QColor>
#include <QtQml/qqmlregistration.h>

#include <memory>

#include "comparison.h"
#include "token_text.h"

namespace ponder::app {

class HeatMapModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The compare controller owns it")

    /// The quant whose divergence tints the tokens, as its file type ("Q4_K_M"); empty when none.
    Q_PROPERTY(QString quantName READ quantName NOTIFY shownChanged)
    /// Tokens shown.
    Q_PROPERTY(int count READ rowCount NOTIFY shownChanged)

public:
    enum Role {
        TextRole = Qt::UserRole + 1,  // the token as shown (visibleToken), plain text
        KlRole,                       // the quant's KL divergence there, nats
        ColorRole,                    // heatColor(kl)
        TextColorRole,                // heatTextColor(kl); invalid: the theme's
        ReasoningRole,                // inside the reasoning
        TooltipRole,                  // both models' top five next tokens, plain text
    };

    using QAbstractListModel::QAbstractListModel;

    // Shows `model`'s divergence (an index into the comparison's models) on `prompt`.
    void show(std::shared_ptr<const Comparison> comparison, int model, int prompt);
    QString quantName() const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The legend's colour for a divergence in nats.
    Q_INVOKABLE QColor colorFor(double kl) const { return heatColor(kl); }
    /// The tooltip text of token `row`.
    Q_INVOKABLE QString tooltip(int row) const;

signals:
    void shownChanged();

private:
    QString topList(const std::vector<TokenProbability>& top, size_t row) const;

    std::shared_ptr<const Comparison> m_comparison;
    int m_model = -1;
    int m_prompt = -1;
    std::vector<QString> m_texts;   // per token, as shown
    std::vector<bool> m_reasoning;  // per token
};

} // namespace ponder::app
