#include "engine_guard.h"

#include "chat_engine.h"

#include <exception>
#include <new>
#include <stdexcept>

Q_LOGGING_CATEGORY(lcEngine, "ponder.engine")

namespace ponder::app {

namespace test_hooks {
std::function<void(const char* step)> engineStep;
} // namespace test_hooks

void engineTestStep(const char* name)
{
    if (test_hooks::engineStep)
        test_hooks::engineStep(name);
}

QString guardedEngineCall(const std::function<void()>& work)
{
    try {
        work();
        return {};
    } catch (const std::bad_alloc&) {
    } catch (const std::length_error&) {  // a size past what a container can hold: a size from a damaged file
    } catch (const std::exception& error) {
        qCWarning(lcEngine) << "the engine threw:" << error.what();
        return ChatEngine::tr("The engine failed: %1").arg(QString::fromLocal8Bit(error.what()));
    } catch (...) {
        qCWarning(lcEngine) << "the engine threw something unknown";
        return ChatEngine::tr("The engine failed with an unknown error.");
    }
    qCWarning(lcEngine) << "the engine ran out of memory";
    return ChatEngine::tr("Not enough memory (RAM): the engine could not allocate what it needs. Try a smaller "
                          "model or quantization, or a shorter context length.");
}

} // namespace ponder::app
