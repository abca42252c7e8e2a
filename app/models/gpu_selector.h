// The Vulkan adapters on this machine and the one the engine uses, for the
// status line and the settings. Adapters are probed on a worker thread so the
// window appears at once.
#pragma once

#include <QList>
#include <QObject>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <memory>

#include "ponder/memory_plan.h"
#include "ponder/vk/adapter.h"

namespace ponder::vk {
class Instance;
}

namespace ponder::app {

// One Vulkan adapter as the model picker plans for it.
struct AdapterSummary {
    QString name;                                      // "NVIDIA GeForce RTX 4090"
    vk::AdapterType type = vk::AdapterType::Discrete;
    qint64 totalMemory = 0;                            // device-local bytes
    qint64 freeMemory = 0;                             // free device-local bytes when probed
    bool measuredFree = false;                         // VK_EXT_memory_budget measured freeMemory
    DeviceLimits limits;                               // ponder::deviceLimits(adapter)
};

class GpuSelector : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// True while the adapters are being probed.
    Q_PROPERTY(bool probing READ probing NOTIFY changed)
    /// One line per adapter: "name (type, memory)".
    Q_PROPERTY(QStringList adapters READ adapters NOTIFY changed)
    /// Index into `adapters` of the adapter in use; -1 when there is none.
    Q_PROPERTY(int currentIndex READ currentIndex NOTIFY changed)
    /// Name of the adapter in use, e.g. "NVIDIA GeForce RTX 4090"; empty when none.
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY changed)
    /// Kind of the adapter in use: "discrete GPU", "integrated GPU", "CPU"...
    Q_PROPERTY(QString deviceType READ deviceType NOTIFY changed)
    /// Device-local memory of the adapter in use, in bytes.
    Q_PROPERTY(qint64 totalMemory READ totalMemory NOTIFY changed)
    /// Free device-local memory of the adapter in use, in bytes, when probed.
    Q_PROPERTY(qint64 freeMemory READ freeMemory NOTIFY changed)
    /// Why no adapter is usable, in words for the user; empty when all is well.
    Q_PROPERTY(QString errorString READ errorString NOTIFY changed)
    /// The user's choice: an adapter index or part of a name; empty for automatic.
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
    qint64 totalMemory() const { return m_totalMemory; }
    qint64 freeMemory() const { return m_freeMemory; }
    QString errorString() const { return m_errorString; }
    QString preference() const { return m_preference; }
    void setPreference(const QString& preference);

    /// Probes the adapters again (after a driver change, or a new preference).
    Q_INVOKABLE void refresh();

    // Every adapter of the last probe, index-aligned with `adapters`.
    const QList<AdapterSummary>& adapterList() const { return m_adapterList; }

signals:
    void changed();
    void preferenceChanged();

private:
    struct Probe;
    void applyProbe(const Probe& probe);

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
};

} // namespace ponder::app
