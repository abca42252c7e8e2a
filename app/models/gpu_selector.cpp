#include "gpu_selector.h"

#include "byte_format.h"
#include "device_bandwidth.h"
#include "gpu_free_memory.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>
#include <QVariantMap>

#include <mutex>

#include "ponder/cpu_info.h"
#include "ponder/gpu_model.h"
#include "ponder/vk/adapter.h"
#include "ponder/vk/instance.h"

Q_LOGGING_CATEGORY(lcGpu, "ponder.gpu")

namespace ponder::app {
namespace {

constexpr auto kPreferenceKey = "engine/device";

QString deviceLine(const AdapterSummary& d)
{
    if (d.cpuEngine)
        return GpuSelector::tr("%1, %2 of RAM").arg(d.name, formatMemoryBytes(uint64_t(d.totalMemory)));
    return QStringLiteral("%1 (%2, %3)")
        .arg(d.name, QString::fromUtf8(vk::adapterTypeName(d.type).data()), formatMemoryBytes(uint64_t(d.totalMemory)));
}

QString typeName(const AdapterSummary& d)
{
    return d.cpuEngine ? GpuSelector::tr("CPU engine") : QString::fromUtf8(vk::adapterTypeName(d.type).data());
}

} // namespace

QString AdapterSummary::choice() const
{
    return cpuEngine ? QLatin1String(kCpuDeviceName) : QString::number(vulkanIndex);
}

bool isGpuAdapter(vk::AdapterType type)
{
    return type == vk::AdapterType::Discrete || type == vk::AdapterType::Integrated ||
           type == vk::AdapterType::Virtual;
}

QList<AdapterSummary> deviceList(std::span<const vk::AdapterInfo> adapters, const CpuInfo& cpu)
{
    const auto summary = [](const vk::AdapterInfo& a) {
        return AdapterSummary{QString::fromStdString(a.name), a.type, qint64(a.deviceLocalBytes()),
                              qint64(plannedGpuFreeBytes(a.freeDeviceLocalBytes())), a.hasMemoryBudget,
                              deviceLimits(a), false, int(a.index), 0, 0, bandwidthKey(a), {}};
    };
    QList<AdapterSummary> devices;
    for (const auto& a : adapters)
        if (isGpuAdapter(a.type))
            devices << summary(a);
    AdapterSummary engine;
    engine.name = QString::fromStdString(cpu.displayName());
    engine.type = vk::AdapterType::Cpu;
    engine.totalMemory = qint64(cpu.totalBytes);
    engine.freeMemory = qint64(cpu.availableBytes);
    engine.measuredFree = cpu.availableBytes > 0;
    engine.cpuEngine = true;
    engine.physicalCores = cpu.physicalCores;
    engine.bandwidthKey = cpuBandwidthKey(cpu);
    devices << engine;
    for (const auto& a : adapters)
        if (!isGpuAdapter(a.type))
            devices << summary(a);
    return devices;
}

std::variant<int, QString> chooseDevice(std::span<const vk::AdapterInfo> adapters,
                                        const QList<AdapterSummary>& devices, const QString& preference)
{
    const auto cpuEngine = [&devices]() -> std::variant<int, QString> {
        for (int i = 0; i < devices.size(); ++i)
            if (devices[i].cpuEngine)
                return i;
        return GpuSelector::tr("the CPU engine is not in the device list");
    };
    if (preference == QLatin1String(kCpuDeviceName) || preference == QLatin1String("cpu-reference"))
        return cpuEngine();
    const bool automatic = preference.isEmpty();
    const std::string vulkanPreference = automatic || preference == QLatin1String("vulkan") ? std::string()
                                                                                           : preference.toStdString();
    const auto picked = vk::pickAdapter(adapters, vulkanPreference);
    // Automatic: the best GPU (pickAdapter ranks GPUs before CPU-type
    // adapters), else the CPU engine, which is faster than lavapipe.
    if (automatic && (!picked || !isGpuAdapter(adapters[*picked].type)))
        return cpuEngine();
    if (!picked)
        return QString::fromStdString(picked.error().message);
    for (int i = 0; i < devices.size(); ++i)
        if (devices[i].vulkanIndex == int(*picked))
            return i;
    return GpuSelector::tr("Vulkan device %1 is not in the device list").arg(*picked);
}

struct GpuSelector::Probe {
    QList<AdapterSummary> devices;
    int current = -1;
    QString error;
};

GpuSelector::GpuSelector(QObject* parent) : QObject(parent)
{
    m_preference = QSettings().value(kPreferenceKey).toString();
    refresh();
}

GpuSelector::~GpuSelector()
{
    m_closing->store(true);
    for (const QPointer<QThread>& thread : std::as_const(m_threads))
        if (thread)
            thread->wait();
}

void GpuSelector::setPreference(const QString& preference)
{
    if (preference == m_preference)
        return;
    m_preference = preference;
    QSettings().setValue(kPreferenceKey, preference);
    emit preferenceChanged();
    refresh();
}

void GpuSelector::choose(int index)
{
    if (index >= 0 && index < m_adapterList.size())
        setPreference(m_adapterList[index].choice());
}

void GpuSelector::refresh()
{
    const int generation = ++m_generation;
    m_probing = true;
    emit changed();

    QString preference = QString::fromStdString(vk::adapterPreferenceFromEnvironment());
    if (preference.isEmpty())
        preference = m_preference;

    // Where the decode-rate measures build their kernels through, as the chat engine does (openGpuContext).
    const QString cacheFolder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    const QString pipelineCacheFolder = cacheFolder.isEmpty() ? QString() : cacheFolder + QStringLiteral("/pipelines");

    QPointer<GpuSelector> self(this);
    QThread* thread = QThread::create([self, generation, preference, pipelineCacheFolder, closing = m_closing] {
        Probe probe;
        // Without Vulkan the CPU engine still runs: the list holds it alone.
        std::vector<vk::AdapterInfo> adapters;
        auto instance = vk::Instance::create();
        if (instance)
            adapters = vk::listAdapters(**instance);
        else
            qCInfo(lcGpu) << "no Vulkan:" << instance.error().message.c_str();
        const CpuInfo cpu = readCpuInfo();
        probe.devices = deviceList(adapters, cpu);
        for (AdapterSummary& device : probe.devices) {
            device.readBytesPerSecond = cachedBandwidth(device.bandwidthKey).value_or(0);
            device.decodeBytesPerSecond = cachedDecodeRates(device.bandwidthKey);
        }
        const auto chosen = chooseDevice(adapters, probe.devices, preference);
        if (const int* index = std::get_if<int>(&chosen))
            probe.current = *index;
        else
            probe.error = std::get<QString>(chosen);
        QMetaObject::invokeMethod(
            self,
            [self, generation, probe] {
                GpuSelector* selector = self.data();
                if (selector && generation == selector->m_generation)
                    selector->applyProbe(probe);
            },
            Qt::QueuedConnection);

        // Then each device not measured before, once: the list is shown
        // meanwhile, and the estimates appear as their figures arrive. One
        // measure at a time in the process (a second probe waits, then
        // finds the figure kept).
        static std::mutex measuring;
        const std::lock_guard lock(measuring);
        for (const AdapterSummary& device : probe.devices) {
            if (closing->load())
                return;
            if (device.readBytesPerSecond > 0 || cachedBandwidth(device.bandwidthKey))
                continue;
            std::optional<double> figure;
            if (device.cpuEngine)
                figure = measureCpuBandwidth(cpu);
            else if (instance)
                for (const vk::AdapterInfo& adapter : adapters)
                    if (int(adapter.index) == device.vulkanIndex)
                        figure = measureAdapterBandwidth(*instance, adapter);
            if (!figure)
                continue;
            storeBandwidth(device.bandwidthKey, *figure);
            QMetaObject::invokeMethod(
                self,
                [self, key = device.bandwidthKey, value = *figure] {
                    if (GpuSelector* selector = self.data())
                        selector->applyBandwidth(key, value);
                },
                Qt::QueuedConnection);
        }

        // Then each device's decode rates of the types not kept yet (a few
        // seconds a device on lavapipe, less on real hardware). Quitting
        // waits at most for the type being measured.
        for (const AdapterSummary& device : probe.devices) {
            if (closing->load())
                return;
            std::map<TensorType, double> rates = cachedDecodeRates(device.bandwidthKey);
            const std::vector<TensorType> missing = missingDecodeRateTypes(rates);
            if (missing.empty())
                continue;
            std::map<TensorType, double> fresh;
            if (device.cpuEngine)
                fresh = measureCpuDecodeRates(cpu, missing, *closing);
            else if (instance)
                for (const vk::AdapterInfo& adapter : adapters)
                    if (int(adapter.index) == device.vulkanIndex)
                        fresh = measureAdapterDecodeRates(*instance, adapter, missing, *closing, pipelineCacheFolder);
            if (fresh.empty())
                continue;
            storeDecodeRates(device.bandwidthKey, fresh);
            rates.insert(fresh.begin(), fresh.end());
            QMetaObject::invokeMethod(
                self,
                [self, key = device.bandwidthKey, rates] {
                    if (GpuSelector* selector = self.data())
                        selector->applyDecodeRates(key, rates);
                },
                Qt::QueuedConnection);
        }
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    m_threads.removeAll(nullptr);
    m_threads << thread;
    thread->start();
}

void GpuSelector::applyBandwidth(const QString& key, double bytesPerSecond)
{
    bool found = false;
    for (AdapterSummary& device : m_adapterList)
        if (device.bandwidthKey == key) {
            device.readBytesPerSecond = bytesPerSecond;
            found = true;
        }
    if (found)
        emit changed();
}

void GpuSelector::applyDecodeRates(const QString& key, const std::map<TensorType, double>& rates)
{
    bool found = false;
    for (AdapterSummary& device : m_adapterList)
        if (device.bandwidthKey == key) {
            device.decodeBytesPerSecond = rates;
            found = true;
        }
    if (found)
        emit changed();
}

QVariantList GpuSelector::gpus() const
{
    QVariantList list;
    for (int i = 0; i < m_adapterList.size(); ++i)
        if (!m_adapterList[i].cpuEngine && isGpuAdapter(m_adapterList[i].type))
            list << QVariantMap{{QStringLiteral("index"), m_adapterList[i].vulkanIndex},
                                {QStringLiteral("name"), m_adapterList[i].name},
                                {QStringLiteral("line"), m_adapters.value(i)},
                                {QStringLiteral("current"), i == m_currentIndex}};
    return list;
}

void GpuSelector::applyProbe(const Probe& probe)
{
    m_probing = false;
    m_adapterList = probe.devices;
    m_adapters.clear();
    for (const AdapterSummary& device : probe.devices)
        m_adapters << deviceLine(device);
    m_currentIndex = probe.current;
    const AdapterSummary current = m_currentIndex >= 0 ? m_adapterList[m_currentIndex] : AdapterSummary{};
    m_deviceName = m_currentIndex >= 0 ? current.name : QString();
    m_deviceType = m_currentIndex >= 0 ? typeName(current) : QString();
    m_totalMemory = m_currentIndex >= 0 ? current.totalMemory : 0;
    m_freeMemory = m_currentIndex >= 0 ? current.freeMemory : 0;
    m_errorString = probe.error;
    if (!m_errorString.isEmpty())
        qCWarning(lcGpu) << "no usable device:" << m_errorString;
    else
        qCInfo(lcGpu) << "using" << m_deviceName << "(" << m_deviceType << ")";
    emit changed();
}

} // namespace ponder::app
