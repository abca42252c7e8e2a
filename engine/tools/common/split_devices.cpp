#include "split_devices.h"

#include <charconv>
#include <cstdio>
#include <sstream>

#include "ponder/cpu_info.h"
#include "ponder/kernels.h"
#include "ponder/model_file.h"
#include "ponder/vk/adapter.h"

namespace ponder::tools {
namespace {

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');)
        items.push_back(item);
    return items;
}

Result<std::vector<double>> parseShares(const std::string& text)
{
    if (text == "auto")
        return std::vector<double>{};
    std::vector<double> shares;
    for (const std::string& item : splitList(text)) {
        double value = 0;
        const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (error != std::errc() || end != item.data() + item.size() || !(value >= 0))
            return fail(ErrorCode::InvalidArgument, "--split: '" + item + "' is not a share (a number of at least 0)");
        shares.push_back(value);
    }
    if (shares.empty())
        return fail(ErrorCode::InvalidArgument, "--split: give auto or one share per GPU, e.g. 8,6,6,6");
    return shares;
}

std::string gib(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", double(bytes) / double(1ull << 30));
    return text;
}

} // namespace

bool namesSeveralDevices(const std::string& devices)
{
    return devices.find(',') != std::string::npos;
}

Result<SplitModel> openSplit(const ModelFile& model, const SplitRequest& request)
{
    auto shares = parseShares(request.split);
    if (!shares)
        return std::unexpected(shares.error());
    SplitModel split;
    vk::InstanceOptions instance;
    instance.onValidationMessage = [](std::string_view message) {
        std::fprintf(stderr, "vulkan validation: %.*s\n", int(message.size()), message.data());
    };
    const CpuInfo cpu = readCpuInfo();
    for (const std::string& name : splitList(request.devices)) {
        PlacementDevice device;
        if (name == "cpu") {
            device.cpu = true;
            device.name = cpu.displayName();
            device.freeBytes = cpu.availableBytes;
            device.threads = request.threads ? request.threads : cpu.physicalCores;
            device.weightPlacement = defaultCpuWeightPlacement();
            split.gpus.push_back(nullptr);
        } else if (name == "vulkan" || name.starts_with("vulkan:")) {
            const std::string preference = name == "vulkan" ? vk::adapterPreferenceFromEnvironment() : name.substr(7);
            auto context = GpuContext::open(preference, instance, vk::defaultPipelineCacheFolder());
            if (!context)
                return std::unexpected(context.error());
            const vk::Device& gpu = *(*context)->device;
            device.name = gpu.adapter().name;
            device.freeBytes = gpu.freeDeviceLocalBytes();
            device.limits = deviceLimits(gpu);
            device.unifiedMemory =
                gpu.adapter().type == vk::AdapterType::Cpu || gpu.adapter().type == vk::AdapterType::Integrated;
            split.gpus.push_back(std::move(*context));
        } else {
            return fail(ErrorCode::InvalidArgument,
                        "unknown device '" + name + "' in --device (known: vulkan, vulkan:N, cpu, separated by commas)");
        }
        split.devices.push_back(device);
    }
    PlacementRequest placementRequest{.plan = request.plan, .gpuLayers = request.gpuLayers, .gpuShares = *shares};
    auto placement = planPlacement(model.info(), placementRequest, split.devices);
    if (!placement)
        return std::unexpected(placement.error());
    std::vector<const Kernels*> kernels;
    for (const auto& gpu : split.gpus)
        kernels.push_back(gpu ? gpu->kernels.get() : nullptr);
    CpuBackendOptions cpuOptions;
    cpuOptions.threads = request.threads;
    auto backend = SplitBackend::load(model, *placement, kernels, cpuOptions);
    if (!backend)
        return std::unexpected(backend.error());
    split.backend = std::move(*backend);
    return split;
}

std::string describePlacement(const Placement& placement, const std::vector<PlacementDevice>& devices)
{
    std::string text;
    for (const PlacedPart& part : placement.parts) {
        if (!text.empty())
            text += "; ";
        text += describePart(part.part) + " on " + devices[part.device].name + ": " + gib(part.allocatedBytes);
    }
    return text;
}

} // namespace ponder::tools
