#include "ponder/split_backend.h"

#include <algorithm>
#include <numeric>

#include "ponder/gpu_session.h"
#include "ponder/kernels.h"
#include "ponder/model_file.h"
#include "ponder/vk/device.h"

namespace ponder {

// One part on its device: a GPU's model and session, or the CPU engine.
struct SplitBackend::Part {
    std::unique_ptr<GpuModel> gpuModel;
    std::unique_ptr<GpuSession> gpuSession;
    std::unique_ptr<CpuBackend> cpu;

    uint32_t batchSize() const { return cpu ? cpu->batchSize() : gpuSession->batchSize(); }
    uint32_t logitRows() const { return cpu ? cpu->logitRows() : gpuSession->logitRows(); }
    Result<std::span<const float>> run(const PartInput& input, uint32_t first, uint32_t outputRows)
    {
        return cpu ? cpu->runPart(input, first, outputRows) : gpuSession->runPart(input, first, outputRows);
    }
    Result<void> truncate(uint32_t length) { return cpu ? cpu->truncate(length) : gpuSession->truncate(length); }
    std::string deviceName() const { return cpu ? cpu->deviceName() : gpuSession->deviceName(); }
    uint64_t allocatedBytes() const { return cpu ? cpu->allocatedBytes() : gpuModel->allocatedBytes(); }
};

SplitBackend::SplitBackend(const ModelFile& file, Placement placement)
    : m_file(file), m_placement(std::move(placement))
{
}

SplitBackend::~SplitBackend() = default;

Result<std::unique_ptr<SplitBackend>> SplitBackend::load(const ModelFile& file, const Placement& placement,
                                                         std::span<const Kernels* const> gpus,
                                                         const CpuBackendOptions& cpu,
                                                         const LoadProgressCallback& progress)
{
    if (placement.parts.empty())
        return fail(ErrorCode::InvalidArgument, "the placement has no parts");
    std::unique_ptr<SplitBackend> backend(new SplitBackend(file, placement));
    // One progress over every part's load together: the tensor bytes each
    // GPU uploads and the CPU engine reads into memory (partWeightBytes),
    // each part's counted after those of the parts before it.
    std::vector<uint64_t> partBytes;
    for (const PlacedPart& placed : placement.parts)
        partBytes.push_back(partWeightBytes(file.weights(), file.info().config, placed.part));
    const uint64_t total = std::accumulate(partBytes.begin(), partBytes.end(), uint64_t(0));
    uint64_t loadedBefore = 0;
    const LoadProgressCallback partProgress = [&](const LoadProgress& p) {
        return !progress || progress({loadedBefore + p.bytesDone, std::max(total, loadedBefore + p.bytesTotal)});
    };

    for (size_t i = 0; i < placement.parts.size(); ++i) {
        const PlacedPart& placed = placement.parts[i];
        auto part = std::make_unique<Part>();
        if (placed.cpuPlan) {
            CpuBackendOptions options = cpu;
            options.plan = placed.options;
            options.threads = placed.cpuPlan->threads;
            options.weightPlacement = placed.cpuPlan->weightPlacement;
            auto loaded = CpuBackend::load(file, options, partProgress);
            if (!loaded)
                return fail(loaded.error().code, describePart(placed.part) + " on the CPU: " + loaded.error().message);
            part->cpu = std::move(*loaded);
        } else {
            if (placed.device >= gpus.size() || !gpus[placed.device])
                return fail(ErrorCode::InvalidArgument, "no GPU was opened for device " + std::to_string(placed.device) +
                                                            " of the placement");
            const Kernels& kernels = *gpus[placed.device];
            // Errors name the device: with several, "out of memory" alone
            // would not say which.
            const std::string where = describePart(placed.part) + " on " + kernels.device().adapter().name + ": ";
            auto model = GpuModel::load(kernels.device(), file.info(), file.weights(), placed.options, partProgress);
            if (!model)
                return fail(model.error().code, where + model.error().message);
            auto session = GpuSession::create(kernels, **model, file.weights());
            if (!session)
                return fail(session.error().code, where + session.error().message);
            part->gpuModel = std::move(*model);
            part->gpuSession = std::move(*session);
        }
        loadedBefore += partBytes[i];
        backend->m_batch = backend->m_batch ? std::min(backend->m_batch, part->batchSize()) : part->batchSize();
        backend->m_parts.push_back(std::move(part));
    }
    backend->m_logitRows = backend->m_parts.back()->logitRows();
    backend->m_partTimes.assign(backend->m_parts.size(), {});
    // With every layer on GPUs the file's pages are not needed any more
    // (see GpuBackend::load); the CPU engine reads its weights from them.
    const bool cpuTakesPart = std::any_of(placement.parts.begin(), placement.parts.end(),
                                          [](const PlacedPart& p) { return p.cpuPlan.has_value(); });
    if (!cpuTakesPart)
        file.files().releaseTensorPages();
    return backend;
}

const ModelConfig& SplitBackend::config() const
{
    return m_file.info().config;
}

uint32_t SplitBackend::contextLength() const
{
    return m_placement.parts.front().options.contextLength;
}

size_t SplitBackend::partCount() const
{
    return m_parts.size();
}

std::string SplitBackend::partDeviceName(size_t i) const
{
    return m_parts[i]->deviceName();
}

uint64_t SplitBackend::partAllocatedBytes(size_t i) const
{
    return m_parts[i]->allocatedBytes();
}

std::string SplitBackend::deviceName() const
{
    std::string name;
    for (const auto& part : m_parts)
        name += (name.empty() ? "" : " + ") + part->deviceName();
    return name;
}

void SplitBackend::setCancelFlag(const std::atomic<bool>* cancel)
{
    m_cancel = cancel;
    for (const auto& part : m_parts)
        if (part->cpu)
            part->cpu->setCancelFlag(cancel);
}

Result<void> SplitBackend::truncate(uint32_t length)
{
    if (length > m_length)
        return fail(ErrorCode::InvalidArgument, "cannot truncate the cache to more tokens than it holds");
    for (const auto& part : m_parts)
        PONDER_TRY(part->truncate(length));
    m_length = length;
    return {};
}

void SplitBackend::resetPartTimes()
{
    std::fill(m_partTimes.begin(), m_partTimes.end(), std::chrono::nanoseconds{});
}

Result<std::chrono::nanoseconds> SplitBackend::timePartAlone(size_t index, uint32_t steps)
{
    if (index >= m_parts.size() || steps == 0 || uint64_t(m_length) + steps > contextLength())
        return fail(ErrorCode::InvalidArgument, "no such part, or no room in the context for its steps");
    Part& part = *m_parts[index];
    const int32_t token = 0;
    const std::vector<float> hidden(config().embeddingLength, 0.01f);
    const PartInput input{.tokens = std::span(&token, 1), .hidden = hidden};
    Result<void> ran;
    const auto start = std::chrono::steady_clock::now();
    for (uint32_t s = 0; s < steps && ran; ++s)
        if (auto out = part.run(input, m_length + s, 1); !out)
            ran = std::unexpected(out.error());
    const auto elapsed = std::chrono::steady_clock::now() - start;
    PONDER_TRY(part.truncate(m_length));
    if (!ran)
        return std::unexpected(ran.error());
    return std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed) / steps;
}

Result<std::span<const float>> SplitBackend::runPart(size_t index, const PartInput& input, uint32_t first,
                                                     uint32_t outputRows)
{
    const auto start = std::chrono::steady_clock::now();
    auto out = m_parts[index]->run(input, first, outputRows);
    m_partTimes[index] += std::chrono::steady_clock::now() - start;
    return out;
}

Result<std::vector<float>> SplitBackend::evaluate(std::span<const int32_t> tokens, bool allLogits)
{
    const ModelConfig& c = config();
    PONDER_TRY(checkEvaluation(tokens, m_length, contextLength(), c.vocabSize));

    std::vector<float> logits;
    logits.reserve(size_t(allLogits ? tokens.size() : 1) * c.vocabSize);
    const uint32_t start = m_length;
    const uint32_t chunk = allLogits ? std::min(m_batch, m_logitRows) : m_batch;
    // On any failure every part forgets this call's tokens, so the parts'
    // caches never disagree about what they hold.
    const auto abandon = [&](Error error) -> Result<std::vector<float>> {
        for (const auto& part : m_parts)
            (void)part->truncate(start);
        m_length = start;
        return std::unexpected(std::move(error));
    };
    for (size_t first = 0; first < tokens.size(); first += chunk) {
        const auto batch = tokens.subspan(first, std::min<size_t>(chunk, tokens.size() - first));
        const bool last = first + batch.size() == tokens.size();
        const uint32_t position = start + uint32_t(first);
        // Logits of every position, or of the last token of the last batch.
        const uint32_t outputRows = allLogits ? uint32_t(batch.size()) : (last ? 1 : 0);
        PartInput input{.tokens = batch};
        for (size_t i = 0; i < m_parts.size(); ++i) {
            if (m_cancel && m_cancel->load(std::memory_order_relaxed))
                return abandon(Error{ErrorCode::Cancelled, "cancelled"});
            auto out = runPart(i, input, position, outputRows);
            if (!out)
                return abandon(out.error());
            if (i + 1 < m_parts.size())
                input.hidden = *out;
            else
                logits.insert(logits.end(), out->begin(), out->end());
        }
        m_length = position + uint32_t(batch.size());
    }
    return logits;
}

} // namespace ponder
