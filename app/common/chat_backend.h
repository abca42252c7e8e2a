// What the chat hands a backend, whichever backend answers (the engine on
// its worker thread, a server over the OpenAI-compatible protocol).
#pragma once

#include <QMetaType>
#include <QString>

namespace ponder::app {

// One conversation turn handed to the engine: role is "system", "user" or
// "assistant"; assistant content may hold reasoning (the template drops it).
struct EngineMessage {
    QString role;
    QString content;
};

struct EngineSettings {
    double temperature = 0.6;
    double topP = 0.95;
    int topK = 0;
    double minP = 0.0;
    double repetitionPenalty = 1.0;
    int maxTokens = 4096;
    quint64 seed = 0;
    bool greedy = false;
};

} // namespace ponder::app

Q_DECLARE_METATYPE(ponder::app::EngineMessage)
Q_DECLARE_METATYPE(ponder::app::EngineSettings)
