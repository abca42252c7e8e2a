// ModelPickerModel: the chat's placement settings it plans splits with, and
// the devices a split is planned over.
#include "model_picker_model.h"

#include <algorithm>

namespace ponder::app {

void ModelPickerModel::setPlacement(const PlacementSettings& placement)
{
    if (placement == m_placement)
        return;
    m_placement = placement;
    recompute();
    emit placementChanged();
}

void ModelPickerModel::setGpuLayers(int layers)
{
    PlacementSettings placement = m_placement;
    placement.gpuLayers = layers < 0 ? std::nullopt : std::optional<uint32_t>(uint32_t(layers));
    setPlacement(placement);
}

void ModelPickerModel::setExtraGpus(const QList<int>& gpus)
{
    PlacementSettings placement = m_placement;
    placement.extraGpus = gpus;
    setPlacement(placement);
}

void ModelPickerModel::setSplitShares(const QString& shares)
{
    PlacementSettings placement = m_placement;
    placement.shares = shares.trimmed();
    setPlacement(placement);
}

void ModelPickerModel::setKvCacheType(const QString& type)
{
    PlacementSettings placement = m_placement;
    placement.kvType = kvCacheTypeFromName(type.toStdString()).value_or(KvCacheType::F16);
    setPlacement(placement);
}

std::vector<PlacementDevice> ModelPickerModel::splitDevices() const
{
    std::vector<PlacementDevice> devices;
    if (m_adapterIndex < 0 || m_adapters[m_adapterIndex].cpuEngine)
        return devices;
    // As CpuBackend::load counts them: the setting, else one per physical core.
    const uint32_t threads = uint32_t(std::max(m_cpuThreads, 0));
    // The chosen adapter and the extra GPUs, each once, in Vulkan order as
    // gpusTakingPart lists them for the load (planPlacement keeps the order given).
    const AdapterSummary& chosen = m_adapters[m_adapterIndex];
    std::vector<const AdapterSummary*> gpus{&chosen};
    for (const AdapterSummary& a : m_adapters)
        if (!a.cpuEngine && &a != &chosen && a.vulkanIndex >= 0 && a.vulkanIndex != chosen.vulkanIndex &&
            m_placement.extraGpus.contains(a.vulkanIndex))
            gpus.push_back(&a);
    std::stable_sort(gpus.begin(), gpus.end(), [](auto* a, auto* b) { return a->vulkanIndex < b->vulkanIndex; });
    for (const AdapterSummary* a : gpus)
        devices.push_back(placementDevice(*a, threads));
    for (const AdapterSummary& a : m_adapters)
        if (a.cpuEngine)
            devices.push_back(placementDevice(a, threads));
    return devices;
}

} // namespace ponder::app
