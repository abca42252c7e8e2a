#include "engine_helpers.h"

#include "chat_engine.h"
#include "gpu_selector.h"

#include <QStandardPaths>

#include <filesystem>

#include "ponder/gpu_backend.h"
#include "ponder/vk/adapter.h"
#include "ponder/vk/instance.h"

namespace ponder::app {

QString describeEngineError(const Error& error, bool onCpu)
{
    const QString detail = QString::fromStdString(error.message);
    switch (error.code) {
    case ErrorCode::OutOfMemory:
        return onCpu ? ChatEngine::tr("Not enough memory (RAM). Try a smaller model or quantization, or a shorter "
                                      "context length. (%1)").arg(detail)
                     : ChatEngine::tr("Not enough GPU memory. Try a smaller model or quantization, or a shorter "
                                      "context length. (%1)").arg(detail);
    case ErrorCode::DeviceLost:
        return ChatEngine::tr("The GPU stopped responding (device lost). Open the model again to go on. (%1)")
            .arg(detail);
    case ErrorCode::NotFound:
    case ErrorCode::Io:
        return ChatEngine::tr("Cannot read the model: %1").arg(detail);
    case ErrorCode::Malformed:
        return ChatEngine::tr("The model file is damaged or not a GGUF model: %1").arg(detail);
    default:
        return detail;
    }
}

EngineDevice resolvedDevice(EngineDevice device)
{
    if (device.kind != EngineDevice::Kind::Automatic)
        return device;
    device.kind = EngineDevice::Kind::Cpu;
    if (auto instance = vk::Instance::create())
        for (const vk::AdapterInfo& adapter : vk::listAdapters(**instance))
            if (isGpuAdapter(adapter.type))
                device.kind = EngineDevice::Kind::Vulkan;
    device.adapter.clear();
    return device;
}

Result<std::unique_ptr<GpuContext>> openGpuContext(const QString& preference)
{
    const QString cacheFolder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    return GpuContext::open(preference.toStdString(), {},
                            cacheFolder.isEmpty() ? std::filesystem::path()
                                                  : std::filesystem::path(cacheFolder.toStdString()) / "pipelines");
}

} // namespace ponder::app
