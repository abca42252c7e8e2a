#include "comparison.h"

#include <QStringList>

namespace ponder::app {
namespace {

int skipSpace(const QString& text, int from, int end)
{
    while (from < end && text.at(from).isSpace())
        ++from;
    return from;
}

int trimEnd(const QString& text, int from, int end)
{
    while (end > from && text.at(end - 1).isSpace())
        --end;
    return end;
}

} // namespace

AnswerParts splitAnswer(const QString& text, bool hasReasoning)
{
    static const QString open = QStringLiteral("<think>");
    static const QString close = QStringLiteral("</think>");
    AnswerParts parts;
    const int closeAt = int(text.indexOf(close));
    if (closeAt < 0 && !hasReasoning) {
        parts.answerStart = skipSpace(text, 0, int(text.size()));
        parts.answer = text.mid(parts.answerStart, trimEnd(text, parts.answerStart, int(text.size())) - parts.answerStart);
        return parts;
    }
    const int reasoningEnd = closeAt < 0 ? int(text.size()) : closeAt;
    int start = text.startsWith(open) ? int(open.size()) : 0;
    start = skipSpace(text, start, reasoningEnd);
    parts.reasoningStart = start;
    parts.reasoning = text.mid(start, trimEnd(text, start, reasoningEnd) - start);
    const int after = closeAt < 0 ? int(text.size()) : closeAt + int(close.size());
    parts.answerStart = skipSpace(text, after, int(text.size()));
    parts.answer = text.mid(parts.answerStart, trimEnd(text, parts.answerStart, int(text.size())) - parts.answerStart);
    return parts;
}

QStringList statisticNames()
{
    return {QStringLiteral("Mean KLD"),  QStringLiteral("Median KLD"),   QStringLiteral("99% KLD"),
            QStringLiteral("99.9% KLD"), QStringLiteral("Maximum KLD"),  QStringLiteral("Same top p"),
            QStringLiteral("RMS Δp"),    QStringLiteral("PPL(Q)/PPL(base)")};
}

} // namespace ponder::app
