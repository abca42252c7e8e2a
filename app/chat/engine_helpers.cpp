#include "engine_helpers.h"

#include "chat_engine.h"

#include <QStandardPaths>

#include <filesystem>

#include "ponder/gpu_backend.h"

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

Result<std::unique_ptr<GpuContext>> openGpuContext(const QString& preference)
{
    const QString cacheFolder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    return GpuContext::open(preference.toStdString(), {},
                            cacheFolder.isEmpty() ? std::filesystem::path()
                                                  : std::filesystem::path(cacheFolder.toStdString()) / "pipelines");
}

} // namespace ponder::app
