// Opening a model for a comparison on the app's chosen device, as the chat
// opens one (ChatEngine::load): the CPU reference, the native CPU engine,
// or a Vulkan adapter through the app's pipeline cache. A comparison runs
// each model whole on its device (no split across GPUs and the CPU): it
// holds one model at a time, so the one the chat could not hold is the
// exception, and its error says the memory ran out.
//
// Also counts the models alive at once (peakModels()), so tests see that a
// comparison never holds two.
#pragma once

#include <QString>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "chat_engine.h"
#include "ponder/backend.h"
#include "ponder/error.h"

namespace ponder {
class ModelFile;
struct GpuContext;
}

namespace ponder::app {

class CompareBackends {
public:
    // `device` as the chat's (EngineDevice::chosen); each model gets a
    // context of `contextTokens` (clamped to 256..its trained context).
    CompareBackends(EngineDevice device, uint32_t contextTokens);
    ~CompareBackends();

    // The BackendFactory of compareQuants(); call on the worker thread.
    Result<std::unique_ptr<InferenceBackend>> open(const ModelFile& model);

    // Bytes each model's backend allocated (the device's memory for it), by its path.
    std::map<std::string, uint64_t> memoryBytes() const;
    // The device in words ("cpu", "llvmpipe (…)"), once a model was opened.
    QString deviceName() const;
    // The most models that were open at once.
    int peakModels() const { return m_peak.load(); }

private:
    class Tracked;

    EngineDevice m_device;
    uint32_t m_contextTokens;
    std::unique_ptr<GpuContext> m_gpu;  // opened at the first model, kept for the others
    mutable std::mutex m_mutex;
    std::map<std::string, uint64_t> m_memory;
    QString m_deviceName;
    std::atomic<int> m_alive{0};
    std::atomic<int> m_peak{0};
};

} // namespace ponder::app
