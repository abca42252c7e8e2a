#include "reasoning_pieces.h"

#include <algorithm>

namespace ponder::app {

ReasoningPieces::Change ReasoningPieces::grow(QStringView text)
{
    Change change;
    if (text.size() <= m_length)
        return change;
    if (m_starts.empty())
        m_starts.push_back(0);
    change.firstChanged = count() - 1;  // the open piece grows
    for (qsizetype at = m_length; at < text.size(); ++at) {
        const qsizetype held = at - m_starts.back();
        const QChar c = text[at];
        qsizetype end = -1, next = -1;
        if (c == u'\n' && held >= kTarget) {
            end = at;  // the break between two lines is the cut
            next = at + 1;
        } else if (c == u' ' && held >= 2 * kTarget) {
            end = next = at + 1;
        } else if (held >= 4 * kTarget && !c.isLowSurrogate()) {
            end = next = at;
        }
        if (end < 0)
            continue;
        m_ends.push_back(end);
        m_starts.push_back(next);
    }
    m_work += text.size() - m_length;
    m_length = text.size();
    return change;
}

void ReasoningPieces::reset()
{
    m_starts.clear();
    m_ends.clear();
    m_length = 0;
}

QStringView ReasoningPieces::piece(QStringView text, int i) const
{
    if (i < 0 || i >= count())
        return {};
    const qsizetype start = m_starts[size_t(i)];
    const qsizetype end = size_t(i) < m_ends.size() ? m_ends[size_t(i)] : text.size();
    return text.sliced(std::min(start, text.size()), std::max<qsizetype>(0, std::min(end, text.size()) - start));
}

} // namespace ponder::app
