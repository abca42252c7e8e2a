// How the user wants a model laid out over the devices (the chat's
// settings, ChatSettings), and the one rule both the picker and the load
// follow with them: a model runs whole on the chosen GPU when it fits there
// and nothing asks for a split; otherwise ponder::planPlacement places its
// layers on the GPUs taking part and the CPU engine. The picker's badge and
// the load's layout come from this same function of the same request, so
// what the picker promises is what the load does (with the free memory of
// the moment each looks).
#pragma once

#include <QList>
#include <QString>

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <vector>

#include "gpu_selector.h"
#include "ponder/kv_cache_type.h"
#include "ponder/placement.h"

namespace ponder::app {

struct PlacementSettings {
    // Layers on the GPUs, the output counting as one (llama.cpp's
    // --n-gpu-layers); unset: as many as fit. More than the model has means all.
    std::optional<uint32_t> gpuLayers;
    // Vulkan indices of the GPUs that take part beside the chosen one.
    QList<int> extraGpus;
    // The GPUs' shares of the layers in Vulkan index order ("8,6,6,6");
    // empty: in proportion to their free memory.
    QString shares;
    KvCacheType kvType = KvCacheType::F16;

    bool operator==(const PlacementSettings&) const = default;
};

// "8, 6,6 ,6" → {8, 6, 6, 6}; empty text → {}. An error in words for
// anything else: a negative, non-numeric or non-finite share, or all zero.
std::expected<std::vector<double>, QString> parseSplitShares(const QString& text);

// "1,3" ↔ {1, 3}: the extra GPUs as the settings file keeps them (numbers
// that do not parse, or repeat, are dropped).
QList<int> parseGpuList(const QString& text);
QString gpuListText(const QList<int>& gpus);

// The Vulkan indices of the GPUs taking part, ascending (the chain order
// of their layers): `chosen` and the extra ones, each once.
QList<int> gpusTakingPart(int chosen, const QList<int>& extraGpus);

// True when the user's settings ask for a split whatever the fit: a number
// of GPU layers, or more than one GPU.
bool splitRequested(const PlacementSettings& settings, int gpuCount);

// The request for planPlacement: `plan` (context, batch and `settings`'
// KV cache type), the GPU layers (clamped to `totalLayers`), the shares
// (already parsed).
PlacementRequest placementRequest(PlanOptions plan, const PlacementSettings& settings,
                                  std::vector<double> shares, uint32_t totalLayers);

// A device as planPlacement sees it: a GPU with `freeBytes` free, or the
// CPU engine with `freeBytes` of available RAM and `threads` threads.
PlacementDevice placementGpu(const QString& name, vk::AdapterType type, const DeviceLimits& limits,
                             uint64_t freeBytes, double readBytesPerSecond);
PlacementDevice placementCpu(const QString& name, uint64_t freeBytes, uint32_t threads, double readBytesPerSecond);
// The same from the device list (the picker's view; threads as the CPU engine counts them).
PlacementDevice placementDevice(const AdapterSummary& device, uint32_t cpuThreads);

// How `info` runs on `devices` (the GPUs taking part in Vulkan order, as
// gpusTakingPart lists them, then the CPU engine when it takes part):
// nullopt for the whole model on the one GPU (no split requested, and it
// fits there: needed bytes at most free, GpuModel::load's rule), else
// planPlacement's placement over them, or its error (OutOfMemory naming the
// device, InvalidArgument for shares that do not match the GPUs).
Result<std::optional<Placement>> planLayout(const ModelInfo& info, const PlanOptions& plan,
                                            const PlacementSettings& settings,
                                            std::span<const PlacementDevice> devices);

} // namespace ponder::app
