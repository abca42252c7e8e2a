// CompareController, the comparison on the page: which prompt and which
// quant are shown, the list models fed from them (statistics, answers side
// by side, heat map), and the names the page labels them with. Apart from
// the run and the store because it changes with the page.
#include "compare_controller.h"

#include <QFileInfo>

namespace ponder::app {
namespace {

QString str(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

void CompareController::show(std::shared_ptr<const Comparison> comparison)
{
    m_comparison = std::move(comparison);
    m_promptIndex = 0;
    m_heatQuant = 0;
    m_statistics.show(m_comparison);
    emit resultChanged();
    refreshShown();
}

void CompareController::refreshShown()
{
    m_answers.show(m_comparison, m_promptIndex);
    int model = -1;
    if (m_comparison) {
        int seen = 0;
        for (size_t m = 0; m < m_comparison->result.models.size(); ++m)
            if (m != m_comparison->result.reference && seen++ == m_heatQuant)
                model = int(m);
    }
    m_heatMap.show(m_comparison, model, m_promptIndex);
    emit shownChanged();
}

void CompareController::setPromptIndex(int index)
{
    if (index == m_promptIndex || !m_comparison || index < 0 || size_t(index) >= m_comparison->prompts.size())
        return;
    m_promptIndex = index;
    refreshShown();
}

void CompareController::setHeatQuant(int index)
{
    if (index == m_heatQuant || index < 0 || index >= quantNames().size())
        return;
    m_heatQuant = index;
    refreshShown();
}

QString CompareController::referenceName() const
{
    if (!m_comparison)
        return {};
    const ModelComparison& reference = m_comparison->result.models[m_comparison->result.reference];
    return QStringLiteral("%1 · %2").arg(str(reference.fileType), QFileInfo(str(reference.path)).fileName());
}

QStringList CompareController::promptLabels() const
{
    QStringList labels;
    if (m_comparison)
        for (const ComparisonPrompt& prompt : m_comparison->prompts)
            labels << (m_comparison->evaluationSet ? str(prompt.id) : tr("Prompt"));
    return labels;
}

QStringList CompareController::quantNames() const
{
    QStringList names;
    if (m_comparison)
        for (size_t m = 0; m < m_comparison->result.models.size(); ++m)
            if (m != m_comparison->result.reference)
                names << str(m_comparison->result.models[m].fileType);
    return names;
}

QString CompareController::promptText() const
{
    if (!m_comparison || size_t(m_promptIndex) >= m_comparison->prompts.size())
        return {};
    return str(m_comparison->prompts[size_t(m_promptIndex)].text);
}

} // namespace ponder::app
