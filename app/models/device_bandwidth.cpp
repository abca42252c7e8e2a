#include "device_bandwidth.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSettings>
#include <QUrl>

#include <cmath>
#include <filesystem>

#include "ponder/bandwidth.h"
#include "ponder/gpu_backend.h"
#include "ponder/kernels.h"
#include "ponder/vk/device.h"
#include "ponder/vk/pipeline_cache.h"

Q_DECLARE_LOGGING_CATEGORY(lcGpu)

namespace ponder::app {
namespace {

constexpr auto kGroup = "deviceBandwidth/";
constexpr auto kRatesGroup = "deviceDecodeRate/";

constexpr TensorType kPickerTypes[] = {TensorType::Q4_K, TensorType::Q6_K, TensorType::Q5_K, TensorType::Q8_0,
                                       TensorType::Q3_K, TensorType::Q2_K, TensorType::F16};

// Device names may hold '/' and '\', which QSettings reads as groups.
QString settingsKey(const QString& key)
{
    return QLatin1String(kGroup) + QString::fromLatin1(QUrl::toPercentEncoding(key));
}

QString ratesGroup(const QString& key)
{
    return QLatin1String(kRatesGroup) + QString::fromLatin1(QUrl::toPercentEncoding(key));
}

QString typeKey(TensorType type)
{
    const std::string_view name = tensorTypeName(type);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

// One type after another, until `closing`; the ones measured.
template <typename Measure>
std::map<TensorType, double> measureRates(std::span<const TensorType> types, const std::atomic<bool>& closing,
                                          const QString& what, Measure measure)
{
    std::map<TensorType, double> rates;
    QElapsedTimer timer;
    timer.start();
    for (TensorType type : types) {
        if (closing.load())
            break;
        const Result<DecodeRate> rate = measure(type);
        if (!rate || !(rate->bytesPerSecond() > 0) || !std::isfinite(rate->bytesPerSecond())) {
            qCInfo(lcGpu) << "cannot measure the" << typeKey(type) << "decode rate of" << what << ":"
                          << (rate ? "no time" : rate.error().message.c_str());
            continue;
        }
        rates[type] = rate->bytesPerSecond();
    }
    if (rates.empty())
        return rates;
    QStringList figures;
    for (const auto& [type, bytesPerSecond] : rates)
        figures << QStringLiteral("%1 %2").arg(typeKey(type)).arg(bytesPerSecond / 1e9, 0, 'f', 2);
    qCInfo(lcGpu).noquote() << "decode rates of" << what << "(GB/s):" << figures.join(QStringLiteral(", ")) << "in"
                            << timer.elapsed() << "ms";
    return rates;
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

std::span<const TensorType> pickerDecodeRateTypes()
{
    return kPickerTypes;
}

DecodeRateOptions decodeRateOptions(bool gpu)
{
    DecodeRateOptions options;
    options.bytes = gpu ? 64ull << 20 : 128ull << 20;
    options.repeats = 2;
    // The one place the test hook is read.
    const QByteArray text = qgetenv(kDecodeRateBytesVariable).trimmed();
    bool ok = false;
    const qulonglong bytes = text.toULongLong(&ok);
    if (!text.isEmpty() && ok && bytes > 0) {
        options.bytes = bytes;
        options.repeats = 1;
    }
    return options;
}

std::map<TensorType, double> cachedDecodeRates(const QString& key)
{
    std::map<TensorType, double> rates;
    QSettings settings;
    settings.beginGroup(ratesGroup(key));
    for (TensorType type : kPickerTypes) {
        bool ok = false;
        const double value = settings.value(typeKey(type)).toDouble(&ok);
        if (ok && std::isfinite(value) && value > 0)
            rates[type] = value;
    }
    return rates;
}

void storeDecodeRates(const QString& key, const std::map<TensorType, double>& bytesPerSecond)
{
    QSettings settings;
    settings.beginGroup(ratesGroup(key));
    for (const auto& [type, value] : bytesPerSecond)
        if (std::isfinite(value) && value > 0)
            settings.setValue(typeKey(type), value);
}

std::vector<TensorType> missingDecodeRateTypes(const std::map<TensorType, double>& rates)
{
    std::vector<TensorType> missing;
    for (TensorType type : kPickerTypes)
        if (!rates.contains(type))
            missing.push_back(type);
    return missing;
}

std::map<TensorType, double> measureAdapterDecodeRates(const std::shared_ptr<vk::Instance>& instance,
                                                       const vk::AdapterInfo& adapter,
                                                       std::span<const TensorType> types,
                                                       const std::atomic<bool>& closing,
                                                       const QString& pipelineCacheFolder)
{
    const QString name = QString::fromStdString(adapter.name);
    // As GpuContext::open builds one (its destructor saves the cache), on
    // the probe's instance and adapter: the kernels are built once for all types.
    GpuContext gpu;
    gpu.instance = instance;
    auto device = vk::Device::create(instance, adapter);
    if (!device) {
        qCInfo(lcGpu) << "cannot open" << name << "to measure its decode rates:" << device.error().message.c_str();
        return {};
    }
    gpu.device = std::move(*device);
    if (!pipelineCacheFolder.isEmpty()) {
        if (auto cache = vk::PipelineCache::open(*gpu.device, std::filesystem::path(pipelineCacheFolder.toStdString()))) {
            gpu.pipelineCache = std::move(*cache);
            gpu.device->setPipelineCache(gpu.pipelineCache->handle());
        }
    }
    auto kernels = Kernels::create(*gpu.device);
    if (!kernels) {
        qCInfo(lcGpu) << "cannot build the kernels of" << name << "to measure its decode rates:"
                      << kernels.error().message.c_str();
        return {};
    }
    gpu.kernels = std::move(*kernels);
    const DecodeRateOptions options = decodeRateOptions(true);
    return measureRates(types, closing, name,
                        [&](TensorType type) { return measureGpuDecodeRate(*gpu.kernels, type, options); });
}

std::map<TensorType, double> measureCpuDecodeRates(const CpuInfo& cpu, std::span<const TensorType> types,
                                                   const std::atomic<bool>& closing)
{
    const DecodeRateOptions options = decodeRateOptions(false);
    // 0 threads: one per physical core, as CpuBackend runs by default.
    return measureRates(types, closing, QString::fromStdString(cpu.displayName()),
                        [&](TensorType type) { return measureCpuDecodeRate(type, 0, options); });
}

} // namespace ponder::app
