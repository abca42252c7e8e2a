#include "device_bandwidth.h"

#include <QLoggingCategory>
#include <QSettings>
#include <QUrl>

#include <cmath>

#include "ponder/bandwidth.h"
#include "ponder/vk/device.h"

Q_DECLARE_LOGGING_CATEGORY(lcGpu)

namespace ponder::app {
namespace {

constexpr auto kGroup = "deviceBandwidth/";

// Device names may hold '/' and '\', which QSettings reads as groups.
QString settingsKey(const QString& key)
{
    return QLatin1String(kGroup) + QString::fromLatin1(QUrl::toPercentEncoding(key));
}

std::optional<double> measured(const Result<MeasuredBandwidth>& result, const QString& what)
{
    if (!result || !(result->bytesPerSecond() > 0)) {
        qCInfo(lcGpu) << "cannot measure the read bandwidth of" << what << ":"
                      << (result ? "no time" : result.error().message.c_str());
        return std::nullopt;
    }
    qCInfo(lcGpu) << "read bandwidth of" << what << ":" << result->bytesPerSecond() / 1e9 << "GB/s";
    return result->bytesPerSecond();
}

} // namespace

QString bandwidthKey(const vk::AdapterInfo& adapter)
{
    return QStringLiteral("%1 | %2 | %3")
        .arg(QString::fromStdString(adapter.name), QString::fromStdString(adapter.driverName),
             QString::fromStdString(adapter.driverInfo));
}

QString cpuBandwidthKey(const CpuInfo& cpu)
{
    return QStringLiteral("CPU engine | %1 | %2 cores | %3 GiB")
        .arg(QString::fromStdString(cpu.modelName))
        .arg(cpu.physicalCores)
        .arg(cpu.totalBytes >> 30);
}

std::optional<double> cachedBandwidth(const QString& key)
{
    bool ok = false;
    const double value = QSettings().value(settingsKey(key)).toDouble(&ok);
    if (!ok || !std::isfinite(value) || value <= 0)
        return std::nullopt;
    return value;
}

void storeBandwidth(const QString& key, double bytesPerSecond)
{
    if (std::isfinite(bytesPerSecond) && bytesPerSecond > 0)
        QSettings().setValue(settingsKey(key), bytesPerSecond);
}

std::optional<double> measureAdapterBandwidth(const std::shared_ptr<vk::Instance>& instance,
                                              const vk::AdapterInfo& adapter)
{
    const QString name = QString::fromStdString(adapter.name);
    auto device = vk::Device::create(instance, adapter);
    if (!device) {
        qCInfo(lcGpu) << "cannot open" << name << "to measure it:" << device.error().message.c_str();
        return std::nullopt;
    }
    return measured(measureGpuReadBandwidth(**device), name);
}

std::optional<double> measureCpuBandwidth(const CpuInfo& cpu)
{
    return measured(measureCpuReadBandwidth(kBandwidthBufferBytes, cpu.physicalCores),
                    QString::fromStdString(cpu.displayName()));
}

} // namespace ponder::app
