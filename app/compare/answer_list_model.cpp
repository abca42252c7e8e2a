#include "answer_list_model.h"

#include "token_text.h"

namespace ponder::app {
namespace {

QString str(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// The section of `parts` that `offset` (into the whole text) falls in, and
// the range from it, at least one character where the section has one.
auto markAt(const AnswerParts& parts, int offset, int length)
{
    struct {
        QString section;
        int start = 0;
        int length = 0;
    } mark;
    const int reasoningEnd = parts.reasoningStart + int(parts.reasoning.size());
    if (!parts.reasoning.isEmpty() && offset < reasoningEnd) {
        mark.section = QStringLiteral("reasoning");
        mark.start = std::max(0, offset - parts.reasoningStart);
        mark.length = std::clamp(length, 1, int(parts.reasoning.size()) - mark.start);
    } else {
        mark.section = QStringLiteral("answer");
        mark.start = std::clamp(offset - parts.answerStart, 0, int(parts.answer.size()));
        mark.length = std::clamp(length, parts.answer.isEmpty() ? 0 : 1, int(parts.answer.size()) - mark.start);
    }
    return mark;
}

} // namespace

void AnswerListModel::show(std::shared_ptr<const Comparison> comparison, int prompt)
{
    beginResetModel();
    m_rows.clear();
    if (comparison && prompt >= 0 && size_t(prompt) < comparison->prompts.size()) {
        const ComparisonResult& result = comparison->result;
        const size_t p = size_t(prompt);
        const PromptAnswer& referenceAnswer = result.models[result.reference].answers[p];
        const QString referenceText = str(referenceAnswer.text);
        const AnswerParts reference = splitAnswer(referenceText, referenceAnswer.reasoningTokens > 0);
        for (size_t m = 0; m < result.models.size(); ++m) {
            if (m == result.reference)
                continue;
            const ModelComparison& model = result.models[m];
            const PromptAnswer& answer = model.answers[p];
            const QString text = str(answer.text);
            Row row;
            row.fileType = str(model.fileType);
            row.parts = splitAnswer(text, answer.reasoningTokens > 0);
            row.reference = reference;
            row.reasoningTokens = int(answer.reasoningTokens);
            row.tokens = int(answer.tokens.size());
            row.referenceReasoningTokens = int(referenceAnswer.reasoningTokens);
            const Departure departure =
                m < comparison->files.size() && p < comparison->files[m].departures.size() ? comparison->files[m].departures[p]
                                                                                          : Departure{};
            const size_t first = p < model.divergence.size() ? model.divergence[p].firstDeparture : SIZE_MAX;
            if (departure.offset >= 0 && first != SIZE_MAX) {
                const auto mark = markAt(row.parts, departure.offset, departure.length);
                row.mark = {mark.section, mark.start, mark.length};
                const auto referenceMark = markAt(reference, departure.offset, departure.referenceLength);
                row.referenceMark = {referenceMark.section, referenceMark.start, referenceMark.length};
                const QString own = text.mid(departure.offset, departure.length);
                const QString theirs = referenceText.mid(departure.offset, departure.referenceLength);
                row.summary = tr("Departs from the reference at token %1 (in the %2): “%3” where the reference has “%4”")
                                  .arg(first + 1)
                                  .arg(mark.section == QLatin1String("reasoning") ? tr("reasoning") : tr("answer"))
                                  .arg(visibleToken(own), visibleToken(theirs));
            } else {
                row.summary = tr("Same tokens as the reference throughout");
            }
            m_rows.push_back(std::move(row));
        }
    }
    endResetModel();
}

int AnswerListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant AnswerListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_rows.size())
        return {};
    const Row& row = m_rows[size_t(index.row())];
    switch (role) {
    case FileTypeRole: return row.fileType;
    case ReasoningRole: return row.parts.reasoning;
    case AnswerRole: return row.parts.answer;
    case ReasoningTokensRole: return row.reasoningTokens;
    case TokensRole: return row.tokens;
    case DepartureSectionRole: return row.mark.section;
    case DepartureStartRole: return row.mark.start;
    case DepartureLengthRole: return row.mark.length;
    case DepartureSummaryRole: return row.summary;
    case ReferenceReasoningRole: return row.reference.reasoning;
    case ReferenceAnswerRole: return row.reference.answer;
    case ReferenceReasoningTokensRole: return row.referenceReasoningTokens;
    case ReferenceDepartureSectionRole: return row.referenceMark.section;
    case ReferenceDepartureStartRole: return row.referenceMark.start;
    case ReferenceDepartureLengthRole: return row.referenceMark.length;
    default: return {};
    }
}

QHash<int, QByteArray> AnswerListModel::roleNames() const
{
    return {{FileTypeRole, "fileType"},
            {ReasoningRole, "reasoning"},
            {AnswerRole, "answer"},
            {ReasoningTokensRole, "reasoningTokens"},
            {TokensRole, "tokens"},
            {DepartureSectionRole, "departureSection"},
            {DepartureStartRole, "departureStart"},
            {DepartureLengthRole, "departureLength"},
            {DepartureSummaryRole, "departureSummary"},
            {ReferenceReasoningRole, "referenceReasoning"},
            {ReferenceAnswerRole, "referenceAnswer"},
            {ReferenceReasoningTokensRole, "referenceReasoningTokens"},
            {ReferenceDepartureSectionRole, "referenceDepartureSection"},
            {ReferenceDepartureStartRole, "referenceDepartureStart"},
            {ReferenceDepartureLengthRole, "referenceDepartureLength"}};
}

} // namespace ponder::app
