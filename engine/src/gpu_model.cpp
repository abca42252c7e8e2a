#include "ponder/gpu_model.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "gib_text.h"

namespace ponder {

DeviceLimits deviceLimits(const vk::Device& device)
{
    return deviceLimits(device.adapter());
}

DeviceLimits deviceLimits(const vk::AdapterInfo& a)
{
    DeviceLimits limits;
    limits.maxStorageBufferRange = a.maxStorageBufferRange;
    limits.maxMemoryAllocationSize = a.maxMemoryAllocationSize;
    limits.storageOffsetAlignment = std::max<uint64_t>(a.minStorageBufferOffsetAlignment, 16);
    limits.computeUnits = a.computeUnits;
    return limits;
}

uint64_t deviceBytesNeeded(const MemoryPlan& plan, vk::AdapterType type)
{
    // On a CPU or integrated device the "device-local" heap is system memory
    // shared with the host-visible buffers, so count those too there.
    const bool unified = type == vk::AdapterType::Cpu || type == vk::AdapterType::Integrated;
    return unified ? plan.totalBytes() : plan.deviceLocalBytes();
}

Result<std::unique_ptr<GpuModel>> GpuModel::load(const vk::Device& device, const ModelInfo& info,
                                                 const ModelWeights& weights, const PlanOptions& options,
                                                 const LoadProgressCallback& progress)
{
    auto plan = planMemory(info, options, deviceLimits(device));
    if (!plan)
        return std::unexpected(plan.error());

    const uint64_t needed = deviceBytesNeeded(*plan, device.adapter().type);
    const uint64_t available = device.freeDeviceLocalBytes();
    if (needed > available)
        return fail(ErrorCode::OutOfMemory, "the model needs " + gibText(needed) + " of GPU memory at a context of " +
                                                std::to_string(options.contextLength) + " tokens; " + gibText(available) +
                                                " is free on " + device.adapter().name);

    std::unique_ptr<GpuModel> model(new GpuModel(device, std::move(*plan), info.config));
    model->m_buffers.reserve(model->m_plan.buffers.size());
    for (const auto& planned : model->m_plan.buffers) {
        const vk::MemoryUsage usage = planned.role == BufferRole::Staging    ? vk::MemoryUsage::Upload
                                      : planned.role == BufferRole::Readback ? vk::MemoryUsage::Readback
                                                                             : vk::MemoryUsage::DeviceLocal;
        auto buffer = vk::Buffer::create(device, planned.size, usage);
        if (!buffer)
            return fail(buffer.error().code, "allocating the " + planned.label + " buffer (" + gibText(planned.size) +
                                                 "): " + buffer.error().message);
        model->m_buffers.push_back(std::move(*buffer));
    }
    PONDER_TRY(model->upload(weights, progress));
    return model;
}

// Copies every tensor through two staging buffers: the CPU fills one while
// the GPU copies the other out, so reading the file and the copy overlap.
Result<void> GpuModel::upload(const ModelWeights& weights, const LoadProgressCallback& progress)
{
    std::array<const vk::Buffer*, 2> staging{};
    size_t found = 0;
    for (size_t i = 0; i < m_plan.buffers.size() && found < 2; ++i)
        if (m_plan.buffers[i].role == BufferRole::Staging)
            staging[found++] = &m_buffers[i];
    if (found != 2)
        return fail(ErrorCode::InvalidArgument, "the memory plan has no staging ring");
    std::array<std::unique_ptr<vk::CommandRecorder>, 2> recorders;
    for (auto& r : recorders) {
        auto created = vk::CommandRecorder::create(m_device);
        if (!created)
            return std::unexpected(created.error());
        r = std::move(*created);
    }

    // A part of a split model holds only its own tensors (placement.h).
    const auto tensors = partWeights(weights, m_config, m_plan.options.partOf(m_config));
    LoadProgress done;
    for (const auto& w : tensors)
        done.bytesTotal += w.data.size();

    size_t slot = 0;
    uint64_t fill = 0;  // bytes in the current staging buffer
    PONDER_TRY(recorders[slot]->begin());
    auto flush = [&]() -> Result<void> {
        PONDER_TRY(recorders[slot]->end());
        PONDER_TRY(recorders[slot]->submit());
        slot ^= 1;
        fill = 0;
        PONDER_TRY(recorders[slot]->wait());  // its staging buffer is free again
        return recorders[slot]->begin();
    };

    for (const auto& w : tensors) {
        const PlannedTensor* placed = m_plan.findTensor(w.desc->name);
        if (!placed)
            return fail(ErrorCode::InvalidArgument, "tensor '" + w.desc->name + "' is not in the memory plan");
        uint64_t copied = 0;
        while (copied < w.data.size()) {
            if (fill == kStagingBytes)
                PONDER_TRY(flush());
            const uint64_t chunk = std::min(w.data.size() - copied, kStagingBytes - fill);
            std::memcpy(staging[slot]->mapped() + fill, w.data.data() + copied, chunk);
            recorders[slot]->copy(staging[slot]->range(fill, chunk),
                                  m_buffers[placed->buffer].range(placed->offset + copied, chunk));
            fill += chunk;
            copied += chunk;
            done.bytesDone += chunk;
            if (progress && !progress(done)) {
                (void)recorders[slot]->end();
                (void)recorders[slot ^ 1]->wait();
                return fail(ErrorCode::Cancelled, "loading the model was cancelled");
            }
        }
    }
    PONDER_TRY(recorders[slot]->end());
    PONDER_TRY(recorders[slot]->submit());
    PONDER_TRY(recorders[slot]->wait());
    return recorders[slot ^ 1]->wait();
}

vk::BufferRange GpuModel::range(const Region& region) const
{
    return m_buffers[region.buffer].range(region.offset, region.size);
}

vk::BufferRange GpuModel::tensor(const WeightView& weight) const
{
    if (!weight)
        return {};
    const PlannedTensor* placed = m_plan.findTensor(weight.desc->name);
    if (!placed)
        return {};
    // Shaders read whole 32-bit words: the range covers the last partial
    // word too (the plan aligns every tensor to at least 16 bytes, so that
    // padding is never another tensor's data).
    const uint64_t size = std::min((placed->bytes + 3) / 4 * 4, m_buffers[placed->buffer].size() - placed->offset);
    return m_buffers[placed->buffer].range(placed->offset, size);
}

uint64_t GpuModel::allocatedBytes() const
{
    uint64_t total = 0;
    for (const auto& b : m_buffers)
        total += b.allocatedBytes();
    return total;
}

} // namespace ponder
