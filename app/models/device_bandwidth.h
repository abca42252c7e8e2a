// Each device's read bandwidth, for the picker's speed estimate of a split
// model (ponder::Placement::estimatedTokensPerSecond). Measured once per
// device (ponder::measureGpuReadBandwidth, measureCpuReadBandwidth: a
// fraction of a second each) on GpuSelector's probe thread, and kept in the
// settings under the device's name and driver, so later starts read it
// back instead of measuring again; a new driver (or CPU, or RAM size) gets
// a new measure.
#pragma once

#include <QString>

#include <memory>
#include <optional>

#include "ponder/cpu_info.h"
#include "ponder/vk/adapter.h"

namespace ponder::vk {
class Instance;
}

namespace ponder::app {

// The settings key of a Vulkan adapter's figure: its name and driver
// (driverInfo carries the version: "Mesa 22.3.6 (LLVM 15.0.6)").
QString bandwidthKey(const vk::AdapterInfo& adapter);
// The CPU engine's: its model, cores (the threads it reads with) and RAM size.
QString cpuBandwidthKey(const CpuInfo& cpu);

// The figure kept under `key`, bytes per second; nothing when none is kept
// (or the settings hold something that is not a positive number).
std::optional<double> cachedBandwidth(const QString& key);
void storeBandwidth(const QString& key, double bytesPerSecond);

// Measures now, blocking: a device is opened on `adapter` for it. Nothing
// when the measure fails (logged); the estimate then stays unknown.
std::optional<double> measureAdapterBandwidth(const std::shared_ptr<vk::Instance>& instance,
                                              const vk::AdapterInfo& adapter);
std::optional<double> measureCpuBandwidth(const CpuInfo& cpu);

} // namespace ponder::app
