#include "heat_map_model.h"

#include "token_text.h"

namespace ponder::app {
namespace {

constexpr size_t kTopShown = 5;

QString str(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

void HeatMapModel::show(std::shared_ptr<const Comparison> comparison, int model, int prompt)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    m_model = model;
    m_prompt = prompt;
    m_texts.clear();
    m_reasoning.clear();
    if (m_comparison && prompt >= 0 && size_t(prompt) < m_comparison->result.referencePieces.size()) {
        // Inside the reasoning until the piece that closes it; the R1
        // template opened it in the prompt when the reference reasoned at all.
        const ComparisonResult& result = m_comparison->result;
        const bool reasons = result.models[result.reference].answers[size_t(prompt)].reasoningTokens > 0;
        bool inside = reasons;
        QString seen;
        for (const std::string& piece : result.referencePieces[size_t(prompt)]) {
            const QString text = str(piece);
            m_texts.push_back(visibleToken(text));
            seen += text;
            m_reasoning.push_back(inside);
            if (inside && seen.contains(QStringLiteral("</think>")))
                inside = false;
        }
    }
    endResetModel();
    emit shownChanged();
}

QString HeatMapModel::quantName() const
{
    if (!m_comparison || m_model < 0 || size_t(m_model) >= m_comparison->result.models.size())
        return {};
    return str(m_comparison->result.models[size_t(m_model)].fileType);
}

int HeatMapModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_texts.size());
}

QVariant HeatMapModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_texts.size())
        return {};
    const size_t row = size_t(index.row());
    double kl = -1;  // no measure (the reference itself)
    if (m_model >= 0 && size_t(m_model) < m_comparison->result.models.size()) {
        const auto& divergence = m_comparison->result.models[size_t(m_model)].divergence;
        if (size_t(m_prompt) < divergence.size() && row < divergence[size_t(m_prompt)].report.kl.size())
            kl = divergence[size_t(m_prompt)].report.kl[row];
    }
    switch (role) {
    case TextRole: return m_texts[row];
    case KlRole: return kl;
    case ColorRole: return heatColor(kl);
    case TextColorRole: return heatTextColor(kl);
    case ReasoningRole: return bool(m_reasoning[row]);
    case TooltipRole: return tooltip(index.row());
    default: return {};
    }
}

QHash<int, QByteArray> HeatMapModel::roleNames() const
{
    return {{TextRole, "tokenText"},     {KlRole, "kl"},           {ColorRole, "cellColor"},
            {TextColorRole, "textColor"}, {ReasoningRole, "reasoning"}, {TooltipRole, "tooltip"}};
}

QString HeatMapModel::topList(const std::vector<TokenProbability>& top, size_t row) const
{
    // `top` holds the same number of entries for every position.
    const size_t rows = m_texts.empty() ? 0 : m_texts.size();
    const size_t perRow = rows ? top.size() / rows : 0;
    QStringList lines;
    for (size_t i = 0; i < std::min(perRow, kTopShown); ++i) {
        const TokenProbability& entry = top[row * perRow + i];
        lines << QStringLiteral("  %1  %2%").arg(visibleToken(m_comparison->tokenTexts.value(entry.token)))
                     .arg(entry.probability * 100.0, 0, 'f', 1);
    }
    return lines.join(u'\n');
}

QString HeatMapModel::tooltip(int row) const
{
    if (!m_comparison || row < 0 || size_t(row) >= m_texts.size())
        return {};
    const ComparisonResult& result = m_comparison->result;
    const size_t prompt = size_t(m_prompt);
    QString text = tr("Token %1: %2").arg(row + 1).arg(m_texts[size_t(row)]);
    if (m_model >= 0 && size_t(m_model) < result.models.size() && prompt < result.models[size_t(m_model)].divergence.size()) {
        const PromptDivergence& divergence = result.models[size_t(m_model)].divergence[prompt];
        if (size_t(row) < divergence.report.kl.size())
            text += u'\n' + tr("KLD %1").arg(divergence.report.kl[size_t(row)], 0, 'g', 3);
        text += u'\n' + tr("Reference (%1) next:").arg(str(result.models[result.reference].fileType)) + u'\n' +
                topList(result.referenceTop[prompt], size_t(row));
        text += u'\n' + tr("%1 next:").arg(quantName()) + u'\n' + topList(divergence.top, size_t(row));
    } else if (prompt < result.referenceTop.size()) {
        text += u'\n' + tr("Reference (%1) next:").arg(str(result.models[result.reference].fileType)) + u'\n' +
                topList(result.referenceTop[prompt], size_t(row));
    }
    return text;
}

} // namespace ponder::app
