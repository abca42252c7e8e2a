// What ChatEngine's files share on the engine's thread: an engine error in
// words a user can act on, and opening a GPU with its pipeline cache.
#pragma once

#include <QString>

#include <memory>

#include "ponder/error.h"

namespace ponder {
struct GpuContext;
}

namespace ponder::app {

// The engine's message with a first sentence that says, for the failures a
// user can do something about, what happened and what to try. `onCpu`: the
// memory that ran out is RAM.
QString describeEngineError(const Error& error, bool onCpu = false);

// Opens the Vulkan adapter `preference` names (GpuContext::open) with its
// pipelines kept in the app's cache folder (vk::PipelineCache), so they are
// built once for later starts.
Result<std::unique_ptr<GpuContext>> openGpuContext(const QString& preference);

} // namespace ponder::app
