// What ChatEngine's files (and the compare page's runner) share on the
// engine's thread: an engine error in words a user can act on, the device
// the automatic choice means, and opening a GPU with its pipeline cache.
#pragma once

#include <QString>

#include <memory>

#include "ponder/error.h"

namespace ponder {
struct GpuContext;
}

namespace ponder::app {

struct EngineDevice;

// The engine's message with a first sentence that says, for the failures a
// user can do something about, what happened and what to try. `onCpu`: the
// memory that ran out is RAM.
QString describeEngineError(const Error& error, bool onCpu = false);

// The automatic choice made: a GPU when the machine has one (GpuSelector's
// rule, isGpuAdapter), else the CPU engine, which is faster than a CPU-type
// Vulkan adapter such as lavapipe. Any other choice as it is.
EngineDevice resolvedDevice(EngineDevice device);

// Opens the Vulkan adapter `preference` names (GpuContext::open) with its
// pipelines kept in the app's cache folder (vk::PipelineCache), so they are
// built once for later starts.
Result<std::unique_ptr<GpuContext>> openGpuContext(const QString& preference);

} // namespace ponder::app
