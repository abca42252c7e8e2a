// The devices a model can run on, for the status line, the settings and the
// picker: the Vulkan GPUs, then the native CPU engine ("CPU (2 cores,
// AVX-512)"), then CPU-type Vulkan adapters (lavapipe, a test device); and
// the one the engine uses. Without a GPU the automatic choice is the CPU
// engine, never lavapipe. Probed on a worker thread so the window appears
// at once; that thread then measures the read bandwidth of each device not
// measured before, then each one's decode rates per weight type
// (device_bandwidth.h), for the picker's speed estimates.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <atomic>
#include <map>
#include <memory>
#include <span>
#include <variant>

#include "ponder/cpu_info.h"
#include "ponder/memory_plan.h"
#include "ponder/tensor_type.h"
#include "ponder/vk/adapter.h"

namespace ponder::vk {
class Instance;
}

namespace ponder::app {

// The preference that names the native CPU engine (EngineDevice::named reads it too).
inline constexpr char kCpuDeviceName[] = "cpu";

// One device as the model picker plans for it: a Vulkan adapter or the CPU engine.
struct AdapterSummary {
    QString name;                                      // "NVIDIA GeForce RTX 4090", "CPU (2 cores, AVX-512)"
    vk::AdapterType type = vk::AdapterType::Discrete;  // Cpu for the CPU engine
    qint64 totalMemory = 0;                            // device-local bytes; RAM for the CPU engine
    qint64 freeMemory = 0;                             // free device-local bytes (available RAM) when probed
    bool measuredFree = false;                         // VK_EXT_memory_budget (or /proc/meminfo) measured freeMemory
    DeviceLimits limits;                               // ponder::deviceLimits(adapter)
    bool cpuEngine = false;                            // the native CPU engine, not a Vulkan adapter
    int vulkanIndex = -1;                              // the adapter's Vulkan index; -1 for the CPU engine
    uint32_t physicalCores = 0;                        // CPU engine: its default thread count
    double readBytesPerSecond = 0;                     // measured read bandwidth; 0 until measured
    QString bandwidthKey;                              // what the bandwidth is kept under (device_bandwidth.h)
    // Measured decode rates per weight type (device_bandwidth.h), bytes per
    // second; empty until measured, then kept under bandwidthKey too.
    std::map<TensorType, double> decodeBytesPerSecond;

    // The preference that chooses this device: "cpu" or the Vulkan index.
    QString choice() const;
};

// A GPU (discrete, integrated or virtual), not a CPU-type adapter such as lavapipe.
bool isGpuAdapter(vk::AdapterType type);

// The device list in the order shown: GPUs, the CPU engine, CPU-type (and
// other) Vulkan adapters.
QList<AdapterSummary> deviceList(std::span<const vk::AdapterInfo> adapters, const CpuInfo& cpu);

// Index into `devices` (from deviceList) of the device `preference` names:
// "" the best GPU, else the CPU engine; "cpu" and "cpu-reference" the CPU
// engine; "vulkan" the best Vulkan adapter, lavapipe included; a number the
// Vulkan adapter of that index; other text the first Vulkan adapter whose
// name contains it. An error message when nothing matches.
std::variant<int, QString> chooseDevice(std::span<const vk::AdapterInfo> adapters,
                                        const QList<AdapterSummary>& devices, const QString& preference);

class GpuSelector : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// True while the adapters are being probed.
    Q_PROPERTY(bool probing READ probing NOTIFY changed)
    /// One line per device: "name (type, memory)", "CPU (2 cores, AVX-512), 24.0 GB of RAM".
    Q_PROPERTY(QStringList adapters READ adapters NOTIFY changed)
    /// Index into `adapters` of the device in use; -1 when there is none.
    Q_PROPERTY(int currentIndex READ currentIndex NOTIFY changed)
    /// Name of the device in use, e.g. "NVIDIA GeForce RTX 4090", "CPU (2 cores, AVX-512)"; empty when none.
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY changed)
    /// Kind of the device in use: "discrete GPU", "integrated GPU", "CPU" (lavapipe), "CPU engine"...
    Q_PROPERTY(QString deviceType READ deviceType NOTIFY changed)
    /// True when the device in use is the native CPU engine (its memory is RAM).
    Q_PROPERTY(bool cpuEngine READ cpuEngine NOTIFY changed)
    /// Device-local memory (RAM for the CPU engine) of the device in use, in bytes.
    Q_PROPERTY(qint64 totalMemory READ totalMemory NOTIFY changed)
    /// Free device-local memory (available RAM for the CPU engine) of the device in use, in bytes, when probed.
    Q_PROPERTY(qint64 freeMemory READ freeMemory NOTIFY changed)
    /// Why no adapter is usable, in words for the user; empty when all is well.
    Q_PROPERTY(QString errorString READ errorString NOTIFY changed)
    /// The GPUs (not CPU-type adapters such as lavapipe), for choosing which take part in a split:
    /// one map each with index (its Vulkan index), name, line (as in `adapters`) and current (the one in use).
    Q_PROPERTY(QVariantList gpus READ gpus NOTIFY changed)
    /// The user's choice: "cpu", an adapter index or part of a name; empty for automatic.
    /// Persisted. The environment variable PONDER_DEVICE overrides it.
    Q_PROPERTY(QString preference READ preference WRITE setPreference NOTIFY preferenceChanged)

public:
    explicit GpuSelector(QObject* parent = nullptr);
    ~GpuSelector() override;

    bool probing() const { return m_probing; }
    QStringList adapters() const { return m_adapters; }
    int currentIndex() const { return m_currentIndex; }
    QString deviceName() const { return m_deviceName; }
    QString deviceType() const { return m_deviceType; }
    bool cpuEngine() const { return m_currentIndex >= 0 && m_adapterList[m_currentIndex].cpuEngine; }
    qint64 totalMemory() const { return m_totalMemory; }
    qint64 freeMemory() const { return m_freeMemory; }
    QString errorString() const { return m_errorString; }
    QString preference() const { return m_preference; }
    void setPreference(const QString& preference);
    QVariantList gpus() const;

    /// Probes the adapters again (after a driver change, or a new preference).
    Q_INVOKABLE void refresh();
    /// Makes the device at `index` of `adapters` the preference (the settings' chooser).
    Q_INVOKABLE void choose(int index);

    // Every device of the last probe, index-aligned with `adapters`.
    const QList<AdapterSummary>& adapterList() const { return m_adapterList; }

signals:
    void changed();
    void preferenceChanged();

private:
    struct Probe;
    void applyProbe(const Probe& probe);
    void applyBandwidth(const QString& key, double bytesPerSecond);
    void applyDecodeRates(const QString& key, const std::map<TensorType, double>& rates);

    bool m_probing = false;
    QStringList m_adapters;
    QList<AdapterSummary> m_adapterList;
    int m_currentIndex = -1;
    QString m_deviceName;
    QString m_deviceType;
    qint64 m_totalMemory = 0;
    qint64 m_freeMemory = 0;
    QString m_errorString;
    QString m_preference;
    int m_generation = 0;  // drops the results of a probe that a newer one replaced
    // Probe threads still running, waited for when the selector goes (a
    // measure outliving the app would run into its teardown), and the flag
    // that tells them to skip the measures not started.
    QList<QPointer<QThread>> m_threads;
    std::shared_ptr<std::atomic<bool>> m_closing = std::make_shared<std::atomic<bool>>(false);
};

} // namespace ponder::app
