// What every ChatEngine file shares on the engine's thread and nothing else
// needs: the barrier that keeps an exception from leaving the thread (it
// would end the whole app through std::terminate), the engine's logging
// category, and the named steps a test hooks into. Its own unit so the
// load (chat_engine_load.cpp), the answers and the server's requests
// (chat_engine.cpp) catch alike.
#pragma once

#include <QLoggingCategory>
#include <QString>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace ponder::app {

namespace test_hooks {
// Called on the engine's thread as a load reads its file ("load") and as
// each piece of an answer is passed on ("text"), and as a request of the
// app's server begins ("serve"); a test makes it throw to
// stand in for the engine running out of memory, or waits in it to hold the
// thread while it queues more. Tests declare it themselves (extern).
extern std::function<void(const char* step)> engineStep;
} // namespace test_hooks

// Calls test_hooks::engineStep with `name` when a test set it.
void engineTestStep(const char* name);

// Runs `work`; returns what an exception out of it means for the user, empty
// when none came.
QString guardedEngineCall(const std::function<void()>& work);

} // namespace ponder::app
