// Each device's read bandwidth, for the picker's speed estimate of a split
// model (ponder::Placement::estimatedTokensPerSecond). Measured once per
// device (ponder::measureGpuReadBandwidth, measureCpuReadBandwidth: a
// fraction of a second each) on GpuSelector's probe thread, and kept in the
// settings under the device's name and driver, so later starts read it
// back instead of measuring again; a new driver (or CPU, or RAM size) gets
// a new measure.
//
// Then each device's decode rates (ponder/decode_rate.h): what its decode
// kernels get through per second of each weight type the picker's quants
// use, the figure the estimate prefers (raw read bandwidth overestimates
// decode 2-5x where dequantizing bounds it: lavapipe, the CPU engine on few
// cores, many GPUs). Measured once per device on the same thread (a GPU's
// kernels built through the app's pipeline cache), a few seconds per
// device on lavapipe, and kept per type under the same key.
//
// Test hook: PONDER_TEST_DECODE_RATE_BYTES=<bytes> sets the working set of
// every decode-rate measure (one pass after the warm-up), so the test
// suites that start the app (each with its own settings) do not each pay
// a full measure; ponder_add_test sets it for every test. Text that is not
// a positive whole number is ignored.
#pragma once

#include <QString>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <span>

#include "ponder/cpu_info.h"
#include "ponder/decode_rate.h"
#include "ponder/tensor_type.h"
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

inline constexpr char kDecodeRateBytesVariable[] = "PONDER_TEST_DECODE_RATE_BYTES";

// The weight types measured: the standard quant mixes' matrices and F16.
std::span<const TensorType> pickerDecodeRateTypes();

// The working set of a measure on a GPU (64 MiB) or the CPU engine
// (128 MiB), 2 passes; PONDER_TEST_DECODE_RATE_BYTES's bytes and 1 pass
// when set.
DecodeRateOptions decodeRateOptions(bool gpu);

// The rates kept under `key`, bytes per second per type; a type kept as
// something that is not a positive finite number is left out.
std::map<TensorType, double> cachedDecodeRates(const QString& key);
void storeDecodeRates(const QString& key, const std::map<TensorType, double>& bytesPerSecond);
// The types of pickerDecodeRateTypes() that `rates` lacks.
std::vector<TensorType> missingDecodeRateTypes(const std::map<TensorType, double>& rates);

// Measures `types` now, blocking, one after another; stops before the next
// type once `closing` is set, returning those done. A type that fails is
// logged and left out. A GPU is opened on `adapter` with its kernels built
// once (through the pipeline cache in `pipelineCacheFolder`, when not empty).
std::map<TensorType, double> measureAdapterDecodeRates(const std::shared_ptr<vk::Instance>& instance,
                                                       const vk::AdapterInfo& adapter,
                                                       std::span<const TensorType> types,
                                                       const std::atomic<bool>& closing,
                                                       const QString& pipelineCacheFolder);
// The CPU engine at its default thread count (one per physical core).
std::map<TensorType, double> measureCpuDecodeRates(const CpuInfo& cpu, std::span<const TensorType> types,
                                                   const std::atomic<bool>& closing);

} // namespace ponder::app
