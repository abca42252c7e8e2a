// A request's `stop` strings found in streamed text however it is cut: text
// that might be the start of a stop string is held back until the next
// piece decides it, so no part of a stop string is ever sent. Plain C++ on
// UTF-8 bytes; a stop string is matched on the raw output (reasoning
// included), as llama.cpp's server does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ponder::serve {

class StopMatcher {
public:
    explicit StopMatcher(std::vector<std::string> stops) : m_stops(std::move(stops)) {}

    struct Step {
        std::string text;      // safe to send now
        bool stopped = false;  // a stop string was found: `text` is everything before it; ignore what follows
    };
    Step push(std::string_view piece);
    // What is still held back, at the end of the output.
    std::string flush();
    bool stopped() const { return m_stopped; }

private:
    std::vector<std::string> m_stops;
    std::string m_held;
    bool m_stopped = false;
};

} // namespace ponder::serve
