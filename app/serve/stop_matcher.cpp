#include "stop_matcher.h"

#include <algorithm>

namespace ponder::serve {

StopMatcher::Step StopMatcher::push(std::string_view piece)
{
    Step step;
    if (m_stopped)
        return step;
    m_held.append(piece);
    if (m_stops.empty()) {
        step.text = std::move(m_held);
        m_held.clear();
        return step;
    }
    // The earliest stop string wins.
    size_t first = std::string::npos;
    for (const std::string& stop : m_stops)
        first = std::min(first, m_held.find(stop));
    if (first != std::string::npos) {
        step.text = m_held.substr(0, first);
        step.stopped = m_stopped = true;
        m_held.clear();
        return step;
    }
    // Hold back the longest tail that begins some stop string.
    size_t keep = 0;
    for (const std::string& stop : m_stops)
        for (size_t length = std::min(stop.size() - 1, m_held.size()); length > keep; --length)
            if (std::string_view(m_held).substr(m_held.size() - length) == std::string_view(stop).substr(0, length)) {
                keep = length;
                break;
            }
    step.text = m_held.substr(0, m_held.size() - keep);
    m_held.erase(0, m_held.size() - keep);
    return step;
}

std::string StopMatcher::flush()
{
    std::string rest = m_stopped ? std::string() : std::move(m_held);
    m_held.clear();
    return rest;
}

} // namespace ponder::serve
