// A chat backend the test plays by hand: it opens at once as the model it
// replaces (the same name and device, so the window looks the same), records
// what it is asked, and answers only with what the test emits through its
// signals (text, finished, failed), from any thread.
#pragma once

#include <QList>
#include <QVariantMap>

#include <utility>

#include "chat_backend.h"

namespace ponder::test {

class ScriptedBackend : public app::ChatBackend {
public:
    explicit ScriptedBackend(QVariantMap info) : m_info(std::move(info)) {}

    void open() override { emit opened(m_info); }
    void generate(const QList<app::ChatTurn>& turns, const app::GenerationSettings&) override { prompts.append(turns); }
    void stop() override { ++stops; }

    QList<QList<app::ChatTurn>> prompts;  // one per generate()
    int stops = 0;

private:
    QVariantMap m_info;
};

} // namespace ponder::test
