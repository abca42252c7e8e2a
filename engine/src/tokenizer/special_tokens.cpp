#include "tokenizer/special_tokens.h"

#include <algorithm>

namespace ponder {

void SpecialTokenMatcher::add(std::string text, int32_t id, bool control)
{
    if (!text.empty())
        m_tokens.push_back({std::move(text), id, control});
}

void SpecialTokenMatcher::finish()
{
    // Longest first within a first byte; equal texts keep their id order, so
    // the lower id of a duplicated text wins.
    std::stable_sort(m_tokens.begin(), m_tokens.end(), [](const Entry& a, const Entry& b) {
        const auto firstA = uint8_t(a.text[0]);
        const auto firstB = uint8_t(b.text[0]);
        if (firstA != firstB)
            return firstA < firstB;
        return a.text.size() > b.text.size();
    });
    m_firstByteStart.fill(0);
    for (const auto& entry : m_tokens)
        ++m_firstByteStart[size_t(uint8_t(entry.text[0])) + 1];
    for (size_t b = 1; b < m_firstByteStart.size(); ++b)
        m_firstByteStart[b] += m_firstByteStart[b - 1];
}

std::optional<SpecialTokenMatcher::Match> SpecialTokenMatcher::find(std::string_view text, size_t from,
                                                                    bool includeControl) const
{
    for (size_t pos = from; pos < text.size(); ++pos) {
        const auto first = size_t(uint8_t(text[pos]));
        const uint32_t begin = m_firstByteStart[first];
        const uint32_t end = m_firstByteStart[first + 1];
        const std::string_view rest = text.substr(pos);
        for (uint32_t i = begin; i < end; ++i) {
            const Entry& entry = m_tokens[i];
            if ((includeControl || !entry.control) && rest.starts_with(entry.text))
                return Match{pos, entry.text.size(), entry.id};
        }
    }
    return std::nullopt;
}

} // namespace ponder
