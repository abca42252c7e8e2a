// ModelPickerModel: the device the figures are for. The adapters come from
// the GpuSelector (or setAdapters in tests); the chosen one, with the chat's
// CPU thread count, is the FitTarget every cell is planned against.
#include "model_picker_model.h"

#include <algorithm>

namespace ponder::app {
namespace {

QString adapterLine(const AdapterSummary& a)
{
    return ModelPickerModel::tr("%1 (%2) · %3 free of %4")
        .arg(a.name,
             a.cpuEngine ? ModelPickerModel::tr("RAM") : QString::fromUtf8(vk::adapterTypeName(a.type).data()),
             formatMemoryBytes(uint64_t(std::max<qint64>(a.freeMemory, 0))),
             formatMemoryBytes(uint64_t(std::max<qint64>(a.totalMemory, 0))));
}

} // namespace

void ModelPickerModel::setGpu(GpuSelector* gpu)
{
    if (gpu == m_gpu)
        return;
    if (m_gpu)
        disconnect(m_gpu, nullptr, this, nullptr);
    m_gpu = gpu;
    if (m_gpu)
        connect(m_gpu, &GpuSelector::changed, this, &ModelPickerModel::adaptersFromGpu);
    adaptersFromGpu();
    emit gpuChanged();
}

void ModelPickerModel::adaptersFromGpu()
{
    const GpuSelector* gpu = m_gpu.data();
    if (gpu == nullptr || gpu->probing())
        return;
    const bool first = m_adapters.isEmpty();
    const int current = gpu->currentIndex();
    setAdapters(gpu->adapterList());
    // Start on the adapter the engine uses.
    if (first && current >= 0)
        setAdapterIndex(current);
}

void ModelPickerModel::setAdapters(const QList<AdapterSummary>& adapters)
{
    m_adapters = adapters;
    if (m_adapterIndex < 0 || m_adapterIndex >= adapters.size())
        m_adapterIndex = adapters.isEmpty() ? -1 : 0;
    recompute();
    emit adaptersChanged();
    emit adapterIndexChanged();
}

void ModelPickerModel::setCpuThreads(int threads)
{
    threads = std::max(threads, 0);
    if (threads == m_cpuThreads)
        return;
    m_cpuThreads = threads;
    recompute();
    emit cpuThreadsChanged();
}

QStringList ModelPickerModel::adapterNames() const
{
    QStringList names;
    for (const auto& a : m_adapters)
        names << adapterLine(a);
    return names;
}

void ModelPickerModel::setAdapterIndex(int index)
{
    if (index < 0 || index >= m_adapters.size() || index == m_adapterIndex)
        return;
    m_adapterIndex = index;
    recompute();
    emit adapterIndexChanged();
}

qint64 ModelPickerModel::freeMemory() const
{
    return m_adapterIndex >= 0 ? m_adapters[m_adapterIndex].freeMemory : 0;
}

qint64 ModelPickerModel::totalMemory() const
{
    return m_adapterIndex >= 0 ? m_adapters[m_adapterIndex].totalMemory : 0;
}

FitTarget ModelPickerModel::target() const
{
    if (m_adapterIndex < 0)
        return {};  // nothing free: every cell reads "does not fit", with the need in numbers
    return fitTargetFor(m_adapters[m_adapterIndex], m_cpuThreads);
}

} // namespace ponder::app
