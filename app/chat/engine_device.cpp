#include "engine_device.h"

#include "gpu_selector.h"

namespace ponder::app {

EngineDevice EngineDevice::named(const QString& name)
{
    if (name.isEmpty())
        return {Kind::Automatic, QString()};
    if (name == QLatin1String(kCpuDeviceName))
        return {Kind::Cpu, QString()};
    if (name == QLatin1String("cpu-reference"))
        return {Kind::CpuReference, QString()};
    if (name == QLatin1String("vulkan"))
        return {Kind::Vulkan, QString()};
    return {Kind::Vulkan, name};
}

EngineDevice EngineDevice::chosen(const QString& name, const QString& environment)
{
    const EngineDevice device = named(name);
    const bool cpuByName = device.kind == Kind::Cpu || device.kind == Kind::CpuReference;
    return !cpuByName && !environment.isEmpty() ? named(environment) : device;
}

QString EngineDevice::name() const
{
    switch (kind) {
    case Kind::Automatic: return QString();
    case Kind::Cpu: return QLatin1String(kCpuDeviceName);
    case Kind::CpuReference: return QStringLiteral("cpu-reference");
    case Kind::Vulkan: return adapter.isEmpty() ? QStringLiteral("vulkan") : adapter;
    }
    return QString();
}

CpuBackendOptions EngineDevice::cpuOptions(uint32_t contextTokens) const
{
    CpuBackendOptions options;
    options.plan.contextLength = contextTokens;
    options.plan.kvType = placement.kvType;
    options.threads = threads;
    return options;
}

} // namespace ponder::app
