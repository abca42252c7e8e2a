#include "gpu_free_memory.h"

#include <QByteArray>
#include <QLoggingCategory>
#include <QtGlobal>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcGpu)

namespace ponder::app {

std::optional<uint64_t> gpuFreeBytesCap()
{
    const QByteArray text = qgetenv(kGpuFreeBytesCapVariable).trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qulonglong bytes = text.toULongLong(&ok);
    if (!ok) {
        qCWarning(lcGpu) << kGpuFreeBytesCapVariable << "is not a number of bytes; ignored";
        return std::nullopt;
    }
    return uint64_t(bytes);
}

uint64_t plannedGpuFreeBytes(uint64_t reported)
{
    const auto cap = gpuFreeBytesCap();
    return cap ? std::min(reported, *cap) : reported;
}

} // namespace ponder::app
