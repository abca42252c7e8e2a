#include "gpu_selector.h"

#include "byte_format.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>
#include <QThread>

#include "ponder/gpu_model.h"
#include "ponder/vk/adapter.h"
#include "ponder/vk/instance.h"

Q_LOGGING_CATEGORY(lcGpu, "ponder.gpu")

namespace ponder::app {
namespace {

constexpr auto kPreferenceKey = "engine/device";

} // namespace

struct GpuSelector::Probe {
    QStringList adapters;
    QList<AdapterSummary> details;
    int current = -1;
    QString name;
    QString type;
    qint64 total = 0;
    qint64 free = 0;
    QString error;
};

GpuSelector::GpuSelector(QObject* parent) : QObject(parent)
{
    m_preference = QSettings().value(kPreferenceKey).toString();
    refresh();
}

GpuSelector::~GpuSelector() = default;

void GpuSelector::setPreference(const QString& preference)
{
    if (preference == m_preference)
        return;
    m_preference = preference;
    QSettings().setValue(kPreferenceKey, preference);
    emit preferenceChanged();
    refresh();
}

void GpuSelector::refresh()
{
    const int generation = ++m_generation;
    m_probing = true;
    emit changed();

    std::string preference = vk::adapterPreferenceFromEnvironment();
    if (preference.empty())
        preference = m_preference.toStdString();

    QPointer<GpuSelector> self(this);
    QThread* thread = QThread::create([self, generation, preference] {
        Probe probe;
        auto instance = vk::Instance::create();
        if (!instance) {
            probe.error = QString::fromStdString(instance.error().message);
        } else {
            const auto adapters = vk::listAdapters(**instance);
            for (const auto& a : adapters)
                probe.adapters << QStringLiteral("%1 (%2, %3)")
                                      .arg(QString::fromStdString(a.name),
                                           QString::fromUtf8(vk::adapterTypeName(a.type).data()),
                                           formatMemoryBytes(a.deviceLocalBytes()));
            for (const auto& a : adapters)
                probe.details << AdapterSummary{QString::fromStdString(a.name), a.type, qint64(a.deviceLocalBytes()),
                                                qint64(a.freeDeviceLocalBytes()), a.hasMemoryBudget,
                                                deviceLimits(a)};
            const auto picked = vk::pickAdapter(adapters, preference);
            if (!picked) {
                probe.error = QString::fromStdString(picked.error().message);
            } else {
                const auto& a = adapters[*picked];
                probe.current = int(*picked);
                probe.name = QString::fromStdString(a.name);
                probe.type = QString::fromUtf8(vk::adapterTypeName(a.type).data());
                probe.total = qint64(a.deviceLocalBytes());
                probe.free = qint64(a.freeDeviceLocalBytes());
            }
        }
        QMetaObject::invokeMethod(
            self,
            [self, generation, probe] {
                GpuSelector* selector = self.data();
                if (selector && generation == selector->m_generation)
                    selector->applyProbe(probe);
            },
            Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void GpuSelector::applyProbe(const Probe& probe)
{
    m_probing = false;
    m_adapters = probe.adapters;
    m_adapterList = probe.details;
    m_currentIndex = probe.current;
    m_deviceName = probe.name;
    m_deviceType = probe.type;
    m_totalMemory = probe.total;
    m_freeMemory = probe.free;
    m_errorString = probe.error;
    if (!m_errorString.isEmpty())
        qCWarning(lcGpu) << "no usable GPU:" << m_errorString;
    else
        qCInfo(lcGpu) << "using" << m_deviceName << "(" << m_deviceType << ")";
    emit changed();
}

} // namespace ponder::app
