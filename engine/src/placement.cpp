#include "ponder/placement.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "gib_text.h"

namespace ponder {
namespace {

// The part that holds layer units [begin, end) of a model with `blocks`
// blocks: unit `blocks` is the output.
ModelPart unitsPart(uint32_t begin, uint32_t end, uint32_t blocks)
{
    return ModelPart{.firstLayer = std::min(begin, blocks),
                     .endLayer = std::min(end, blocks),
                     .embedding = begin == 0,
                     .output = end == blocks + 1};
}

uint64_t heldTensorBytes(const ModelInfo& info, const ModelPart& part)
{
    uint64_t bytes = 0;
    for (const TensorDesc& t : info.tensors)
        if (part.holdsTensor(info.config, t.name))
            bytes += t.bytes;
    return bytes;
}

Result<PlacedPart> planPart(const ModelInfo& info, const PlacementRequest& request, const PlacementDevice& device,
                            size_t index, const ModelPart& part)
{
    PlacedPart placed;
    placed.device = index;
    placed.part = part;
    placed.options = request.plan;
    placed.options.part = part;
    placed.readBytesByType = partReadBytesByType(info, part);
    placed.readBytesPerToken = partReadBytesPerToken(info, part);
    if (device.cpu) {
        auto plan = planCpuMemory(info, placed.options, std::max(device.threads, 1u), device.weightPlacement);
        if (!plan)
            return std::unexpected(plan.error());
        // Weights read in place from the mapped file are not allocated, but
        // every step touches them, so they must stay in RAM beside the plan;
        // copied into huge pages, the plan holds them.
        placed.allocatedBytes = plan->allocatedBytes();
        placed.neededBytes =
            plan->allocatedBytes() + (plan->readsMappedWeights() ? heldTensorBytes(info, part) : 0);
        placed.cpuPlan = std::move(*plan);
        return placed;
    }
    auto plan = planMemory(info, placed.options, device.limits);
    if (!plan)
        return std::unexpected(plan.error());
    placed.allocatedBytes = plan->totalBytes();
    placed.neededBytes = device.unifiedMemory ? plan->totalBytes() : plan->deviceLocalBytes();
    placed.gpuPlan = std::move(*plan);
    return placed;
}

// Splits `units` into whole numbers in proportion to `shares` (largest remainder).
std::vector<uint32_t> proportionalSplit(uint32_t units, std::span<const double> shares)
{
    const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
    std::vector<uint32_t> counts(shares.size(), 0);
    std::vector<std::pair<double, size_t>> remainders;
    uint32_t given = 0;
    for (size_t i = 0; i < shares.size(); ++i) {
        const double exact = total > 0 ? units * shares[i] / total : 0.0;
        counts[i] = uint32_t(std::floor(exact));
        given += counts[i];
        remainders.push_back({exact - counts[i], i});
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](auto a, auto b) { return a.first > b.first; });
    for (size_t i = 0; given < units; ++i, ++given)
        ++counts[remainders[i % remainders.size()].second];
    return counts;
}

struct Attempt {
    std::vector<PlacedPart> parts;
    std::string overflow;  // why it does not fit; empty when it does
    int64_t worstDevice = -1;  // the GPU index (among the GPUs) that overflows most
};

class Placer {
public:
    Placer(const ModelInfo& info, const PlacementRequest& request, std::span<const PlacementDevice> devices)
        : m_info(info), m_request(request), m_devices(devices), m_blocks(info.config.blockCount)
    {
        for (size_t i = 0; i < devices.size(); ++i) {
            if (devices[i].cpu)
                m_cpu = int64_t(i);
            else
                m_gpus.push_back(int64_t(i));
        }
    }

    Result<void> check() const
    {
        if (m_devices.empty())
            return fail(ErrorCode::InvalidArgument, "no device to place the model on");
        if (std::count_if(m_devices.begin(), m_devices.end(), [](const auto& d) { return d.cpu; }) > 1)
            return fail(ErrorCode::InvalidArgument, "the CPU can take part only once");
        if (!m_request.gpuShares.empty() && m_request.gpuShares.size() != m_gpus.size())
            return fail(ErrorCode::InvalidArgument, "the split names " + std::to_string(m_request.gpuShares.size()) +
                                                        " shares for " + std::to_string(m_gpus.size()) + " GPUs");
        for (double share : m_request.gpuShares)
            if (!(share >= 0) || !std::isfinite(share))
                return fail(ErrorCode::InvalidArgument, "a GPU's share of the layers must be a number of at least 0");
        if (!m_request.gpuShares.empty() &&
            std::accumulate(m_request.gpuShares.begin(), m_request.gpuShares.end(), 0.0) <= 0)
            return fail(ErrorCode::InvalidArgument, "at least one GPU's share must be more than 0");
        if (m_request.gpuLayers && *m_request.gpuLayers > totalUnits())
            return fail(ErrorCode::InvalidArgument, "the model has " + std::to_string(totalUnits()) +
                                                        " layers (the output counts as one), not " +
                                                        std::to_string(*m_request.gpuLayers));
        if (m_request.gpuLayers && *m_request.gpuLayers > 0 && m_gpus.empty())
            return fail(ErrorCode::InvalidArgument, "layers on the GPU were asked for, but no GPU takes part");
        return {};
    }

    uint32_t totalUnits() const { return m_blocks + 1; }
    bool hasCpu() const { return m_cpu >= 0; }
    size_t gpuCount() const { return m_gpus.size(); }

    std::vector<double> shares() const
    {
        if (!m_request.gpuShares.empty())
            return m_request.gpuShares;
        std::vector<double> free;
        for (int64_t g : m_gpus)
            free.push_back(double(m_devices[g].freeBytes));
        return free;
    }

    // The parts with `counts[k]` units on GPU k (the rest on the CPU), and
    // whether every GPU holds its part.
    Result<Attempt> attempt(const std::vector<uint32_t>& counts) const
    {
        Attempt a;
        const uint32_t onGpus = std::accumulate(counts.begin(), counts.end(), 0u);
        uint32_t next = 0;
        if (onGpus < totalUnits()) {
            if (!hasCpu())
                return fail(ErrorCode::InvalidArgument, "the layers that are not on a GPU need the CPU to take part");
            auto cpu = planPart(m_info, m_request, m_devices[m_cpu], size_t(m_cpu),
                                unitsPart(0, totalUnits() - onGpus, m_blocks));
            if (!cpu)
                return std::unexpected(cpu.error());
            a.parts.push_back(std::move(*cpu));
            next = totalUnits() - onGpus;
        }
        uint64_t worst = 0;
        for (size_t k = 0; k < counts.size(); ++k) {
            if (counts[k] == 0)
                continue;
            const PlacementDevice& device = m_devices[m_gpus[k]];
            auto gpu = planPart(m_info, m_request, device, size_t(m_gpus[k]), unitsPart(next, next + counts[k], m_blocks));
            if (!gpu)
                return std::unexpected(gpu.error());
            next += counts[k];
            if (gpu->neededBytes > device.freeBytes && gpu->neededBytes - device.freeBytes >= worst) {
                worst = gpu->neededBytes - device.freeBytes;
                a.worstDevice = int64_t(k);
                a.overflow = std::to_string(gpu->layerUnits()) + " layers need " + gibText(gpu->neededBytes) + " on " +
                             device.name + ", which has " + gibText(device.freeBytes) + " free";
            }
            a.parts.push_back(std::move(*gpu));
        }
        return a;
    }

    // Whether GPU k (among the GPUs) holds its part in `a` (a GPU without
    // a part holds it).
    bool holds(const Attempt& a, size_t k) const
    {
        const auto part = std::find_if(a.parts.begin(), a.parts.end(),
                                       [&](const PlacedPart& p) { return p.device == size_t(m_gpus[k]); });
        return part == a.parts.end() || part->neededBytes <= m_devices[m_gpus[k]].freeBytes;
    }

    // The GPUs' units for `units` in all: by the shares, then, unless the
    // user gave the shares, moving units one at a time from the GPU that
    // overflows most to the GPU with the most room that holds its part with
    // the unit added, until all hold theirs. A GPU's room alone does not
    // decide: its first unit also brings its activations, and the last
    // GPU's first unit is the output with its logits, which may never fit a
    // small card however empty it is.
    Result<Attempt> distribute(uint32_t units) const
    {
        std::vector<uint32_t> counts = proportionalSplit(units, shares());
        auto a = attempt(counts);
        if (!a || !m_request.gpuShares.empty())
            return a;
        for (uint32_t moves = 0; !a->overflow.empty() && moves < units; ++moves) {
            const size_t from = size_t(a->worstDevice);
            if (counts[from] == 0)
                break;
            // The other GPUs with room left after their parts, most room first.
            std::vector<std::pair<int64_t, size_t>> candidates;
            for (size_t k = 0; k < counts.size(); ++k) {
                if (k == from)
                    continue;
                const auto part = std::find_if(a->parts.begin(), a->parts.end(),
                                               [&](const PlacedPart& p) { return p.device == size_t(m_gpus[k]); });
                const int64_t room = int64_t(m_devices[m_gpus[k]].freeBytes) -
                                     int64_t(part == a->parts.end() ? 0 : part->neededBytes);
                if (room > 0)
                    candidates.push_back({room, k});
            }
            std::stable_sort(candidates.begin(), candidates.end(), [](auto x, auto y) { return x.first > y.first; });
            bool moved = false;
            for (const auto& [room, to] : candidates) {
                std::vector<uint32_t> trial = counts;
                --trial[from];
                ++trial[to];
                auto b = attempt(trial);
                if (!b)
                    return b;
                if (holds(*b, to)) {
                    counts = std::move(trial);
                    a = std::move(b);
                    moved = true;
                    break;
                }
            }
            if (!moved)
                break;
        }
        return a;
    }

    Result<Placement> finish(Attempt a, uint32_t gpuUnits) const
    {
        for (const PlacedPart& p : a.parts) {
            const PlacementDevice& d = m_devices[p.device];
            if (p.neededBytes > d.freeBytes)
                return fail(ErrorCode::OutOfMemory, "the model does not fit: " + std::to_string(p.layerUnits()) +
                                                        " layers need " + gibText(p.neededBytes) + " on " + d.name +
                                                        ", which has " + gibText(d.freeBytes) + " free");
        }
        Placement placement;
        placement.parts = std::move(a.parts);
        placement.totalUnits = totalUnits();
        placement.gpuUnits = gpuUnits;
        return placement;
    }

private:
    const ModelInfo& m_info;
    const PlacementRequest& m_request;
    std::span<const PlacementDevice> m_devices;
    uint32_t m_blocks;
    int64_t m_cpu = -1;
    std::vector<int64_t> m_gpus;  // device indices, in order
};

} // namespace

std::map<TensorType, uint64_t> partReadBytesByType(const ModelInfo& info, const ModelPart& part)
{
    std::map<TensorType, uint64_t> bytes;
    for (const TensorDesc& t : info.tensors) {
        if (t.dims.size() < 2 || !part.holdsTensor(info.config, t.name))
            continue;
        const bool embedding = t.name.starts_with("token_embd.");
        if (!embedding || (part.output && info.config.tiedOutput))
            bytes[t.type] += t.bytes;
    }
    return bytes;
}

uint64_t partReadBytesPerToken(const ModelInfo& info, const ModelPart& part)
{
    uint64_t total = 0;
    for (const auto& [type, bytes] : partReadBytesByType(info, part))
        total += bytes;
    return total;
}

std::optional<double> Placement::estimatedTokensPerSecond(std::span<const PlacementDevice> devices) const
{
    double seconds = 0;
    for (const PlacedPart& p : parts) {
        if (p.device >= devices.size())
            return std::nullopt;
        const PlacementDevice& device = devices[p.device];
        for (const auto& [type, bytes] : p.readBytesByType) {
            const auto rate = device.decodeBytesPerSecond.find(type);
            const double speed = rate != device.decodeBytesPerSecond.end() ? rate->second : device.readBytesPerSecond;
            if (!(speed > 0))
                return std::nullopt;
            seconds += double(bytes) / speed;
        }
    }
    if (!(seconds > 0))
        return std::nullopt;
    return 1.0 / seconds;
}

Result<Placement> planPlacement(const ModelInfo& info, const PlacementRequest& request,
                                std::span<const PlacementDevice> devices)
{
    Placer placer(info, request, devices);
    PONDER_TRY(placer.check());
    const uint32_t total = placer.totalUnits();
    if (placer.gpuCount() == 0) {
        auto a = placer.attempt({});
        if (!a)
            return std::unexpected(a.error());
        return placer.finish(std::move(*a), 0);
    }
    if (request.gpuLayers || !placer.hasCpu()) {
        const uint32_t units = request.gpuLayers ? *request.gpuLayers : total;
        auto a = placer.distribute(units);
        if (!a)
            return std::unexpected(a.error());
        return placer.finish(std::move(*a), units);
    }
    // As many units on the GPUs as they hold: more units only ever need more
    // GPU memory, so the most that fit is found by bisection. The CPU then
    // takes the rest; if it cannot, fewer GPU units would not help it.
    auto none = placer.distribute(0);
    if (!none)
        return std::unexpected(none.error());
    Attempt best = std::move(*none);
    uint32_t low = 0;           // the most units known to fit
    uint32_t high = total + 1;  // the fewest known not to
    while (high - low > 1) {
        const uint32_t mid = low + (high - low) / 2;
        auto a = placer.distribute(mid);
        if (!a)
            return std::unexpected(a.error());
        if (a->overflow.empty()) {
            low = mid;
            best = std::move(*a);
        } else {
            high = mid;
        }
    }
    return placer.finish(std::move(best), low);
}

} // namespace ponder
