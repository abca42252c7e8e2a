// Where a local model runs: the device a user (or a test, or PONDER_DEVICE)
// chose, as the settings store it by name. Its own unit because everything
// that names a device reads it (the chat, the compare page, the picker's
// GpuSelector) while only ChatEngine, on the engine's thread, acts on it.
#pragma once

#include <QString>

#include <cstdint>

#include "placement_settings.h"
#include "ponder/cpu_backend.h"

namespace ponder::app {

// Where the engine runs a model; the engine switches on the kind in one
// place (ChatEngine::loadModel).
struct EngineDevice {
    enum class Kind {
        Automatic,     // a GPU when the machine has one, else the native CPU engine (never lavapipe)
        Vulkan,        // a Vulkan adapter: `adapter` is its index or part of its name; empty for the best
        Cpu,           // the native CPU engine (ponder::CpuBackend) with `threads` threads
        CpuReference,  // the plain float32 CPU forward pass: slow, for tests and checks
    };
    Kind kind = Kind::Vulkan;
    QString adapter;
    uint32_t threads = 0;  // Cpu, and a split's CPU part: threads to compute with; 0 = one per physical core
    // The KV cache type on any device; on Vulkan, also the GPU layers and
    // GPUs the model may be split across, with the CPU engine
    // (ChatEngine::loadSplit).
    PlacementSettings placement;

    // As GpuSelector stores the choice: "" the automatic choice, "cpu" the
    // CPU engine, "cpu-reference" the CPU reference, "vulkan" the best
    // Vulkan adapter (lavapipe included), anything else a Vulkan adapter.
    static EngineDevice named(const QString& name);
    // The user's choice `name`, unless the environment names a device
    // (PONDER_DEVICE, as GpuSelector honours it); a choice of one of the CPU
    // engines by name (tests) stands.
    static EngineDevice chosen(const QString& name, const QString& environment);
    // "cpu", "cpu-reference", "vulkan" or the adapter: what named() reads back.
    QString name() const;
    // The CPU engine's options for this device (its threads and KV cache
    // type) with a context of `contextTokens`: the chat and the compare
    // page open the CPU engine the same way.
    CpuBackendOptions cpuOptions(uint32_t contextTokens) const;
};

} // namespace ponder::app
