#include "ponder/cpu_backend.h"

#include <algorithm>
#include <cstdio>

#include "cpu/cpu_weights.h"
#include "cpu/forward.h"
#include "cpu/read_in.h"
#include "cpu/thread_pool.h"
#include "ponder/cpu_info.h"
#include "ponder/kernels.h"
#include "ponder/model_file.h"

namespace ponder {
namespace {

std::string mebibytes(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / double(1 << 20));
    return text;
}

} // namespace

struct CpuBackend::State {
    State(const ModelInfo& modelInfo, CpuMemoryPlan memoryPlan, cpu::CpuWeights cpuWeights, std::string name)
        : info(modelInfo), plan(std::move(memoryPlan)), weights(std::move(cpuWeights)), pool(plan.threads),
          forward(info, weights, plan, pool), deviceName(std::move(name))
    {
    }

    const ModelInfo& info;
    CpuMemoryPlan plan;
    cpu::CpuWeights weights;
    cpu::ThreadPool pool;
    cpu::Forward forward;
    std::string deviceName;
    uint32_t length = 0;
    const std::atomic<bool>* cancel = nullptr;
};

CpuBackend::CpuBackend(std::unique_ptr<State> state) : m_state(std::move(state)) {}
CpuBackend::~CpuBackend() = default;

Result<std::unique_ptr<CpuBackend>> CpuBackend::load(const ModelFile& file, const CpuBackendOptions& options,
                                                     const LoadProgressCallback& progress)
{
    return load(file.info(), file.weights(), options, progress);
}

Result<std::unique_ptr<CpuBackend>> CpuBackend::load(const ModelInfo& info, const ModelWeights& weights,
                                                     const CpuBackendOptions& options,
                                                     const LoadProgressCallback& progress)
{
    const CpuInfo cpu = readCpuInfo();
    const uint32_t threads = options.threads ? options.threads : cpu.physicalCores;
    auto plan = planCpuMemory(info, options.plan, threads,
                              options.weightPlacement.value_or(defaultCpuWeightPlacement()));
    if (!plan)
        return std::unexpected(plan.error());
    // Before anything is allocated: the plan (the KV cache, scratch, and the
    // weights' copy where it makes one) must fit in RAM.
    const uint64_t available = options.availableBytes ? *options.availableBytes : cpu.availableBytes;
    if (plan->allocatedBytes() > available)
        return fail(ErrorCode::OutOfMemory,
                    "not enough memory: the CPU engine needs " + mebibytes(plan->allocatedBytes()) + " (" +
                        (plan->residentWeightBytes ? "the weights' " + mebibytes(plan->residentWeightBytes) + ", " : "") +
                        "a KV cache of " + mebibytes(plan->kvCacheBytes) + " for " +
                        std::to_string(options.plan.contextLength) + " tokens, and scratch) but only " +
                        mebibytes(available) + " of RAM is available. Lower the context length" +
                        (plan->residentWeightBytes ? " or choose a smaller quantization." : "."));
    auto prepared = cpu::CpuWeights::load(info, weights, options.plan.partOf(info.config));
    if (!prepared)
        return std::unexpected(prepared.error());
    // Before the pool starts and the plan is allocated, so a cancel has little to undo.
    const auto tensors = partWeights(weights, info.config, prepared->part);
    if (plan->weightPlacement == CpuWeightPlacement::HugePages) {
        // The matrices were prepared above on the mapping only to find any
        // the kernels cannot compute with before reading gigabytes; now on the copy.
        auto resident =
            cpu::ResidentWeights::copy(tensors, plan->residentWeightBytes, threads, options.readInChunkBytes, progress);
        if (!resident)
            return std::unexpected(resident.error());
        prepared = cpu::CpuWeights::load(info, resident->relocate(weights), prepared->part, true);
        if (!prepared)
            return std::unexpected(prepared.error());
        prepared->resident = std::move(*resident);
    } else {
        PONDER_TRY(cpu::readIn(tensors, options.readInChunkBytes, progress));
    }
    auto state = std::make_unique<State>(info, std::move(*plan), std::move(*prepared), cpu.displayName());
    return std::unique_ptr<CpuBackend>(new CpuBackend(std::move(state)));
}

const ModelConfig& CpuBackend::config() const
{
    return m_state->info.config;
}

uint32_t CpuBackend::contextLength() const
{
    return m_state->plan.options.contextLength;
}

uint32_t CpuBackend::length() const
{
    return m_state->length;
}

std::string CpuBackend::deviceName() const
{
    return m_state->deviceName;
}

void CpuBackend::setCancelFlag(const std::atomic<bool>* cancel)
{
    m_state->cancel = cancel;
}

const CpuMemoryPlan& CpuBackend::plan() const
{
    return m_state->plan;
}

uint64_t CpuBackend::allocatedBytes() const
{
    return m_state->forward.allocatedBytes() + m_state->weights.vectors.bytes() +
           m_state->weights.resident.bytes();
}

uint64_t CpuBackend::residentHugePageBytes() const
{
    return m_state->weights.resident.hugePageBytes();
}

uint32_t CpuBackend::threads() const
{
    return m_state->pool.size();
}

uint32_t CpuBackend::batchSize() const
{
    return m_state->plan.options.batchSize;
}

uint32_t CpuBackend::logitRows() const
{
    return m_state->plan.logitRows;
}

uint64_t CpuBackend::decodeWeightBytes() const
{
    return m_state->weights.decodeBytes;
}

Result<void> CpuBackend::truncate(uint32_t length)
{
    if (length > m_state->length)
        return fail(ErrorCode::InvalidArgument, "cannot truncate the cache to more tokens than it holds");
    // Later tokens overwrite the dropped positions; attention never reads
    // past the current position, so nothing needs clearing.
    m_state->length = length;
    return {};
}

Result<std::span<const float>> CpuBackend::step(std::span<const int32_t> tokens, bool allLogits)
{
    State& s = *m_state;
    PONDER_TRY(checkEvaluation(tokens, s.length, contextLength(), config().vocabSize));
    if (!s.weights.part.isWhole(config()))
        return fail(ErrorCode::InvalidArgument, "a part of a split model evaluates through its split backend");
    if (allLogits && tokens.size() > s.plan.logitRows)
        return fail(ErrorCode::InvalidArgument, "the logits of " + std::to_string(tokens.size()) +
                                                    " positions do not fit one pass of " +
                                                    std::to_string(s.plan.logitRows));
    const uint32_t start = s.length;
    const uint32_t batch = batchSize();
    for (size_t first = 0; first < tokens.size(); first += batch) {
        const auto chunk = tokens.subspan(first, std::min<size_t>(batch, tokens.size() - first));
        const bool last = first + chunk.size() == tokens.size();
        const cpu::LogitsFor logits = allLogits ? cpu::LogitsFor::All
                                                : (last ? cpu::LogitsFor::Last : cpu::LogitsFor::None);
        if (auto ran = s.forward.run({.tokens = chunk}, start + uint32_t(first), logits, s.cancel); !ran) {
            s.length = start;  // a stop midway leaves no half-evaluated call behind
            return std::unexpected(ran.error());
        }
        s.length = start + uint32_t(first + chunk.size());
    }
    const size_t rows = allLogits ? tokens.size() : 1;
    return std::span<const float>(s.forward.logits(), rows * config().vocabSize);
}

Result<std::span<const float>> CpuBackend::runPart(const PartInput& input, uint32_t first, uint32_t outputRows)
{
    State& s = *m_state;
    const ModelConfig& c = config();
    const ModelPart& part = s.weights.part;
    const uint32_t n = uint32_t(input.tokens.size());
    PONDER_TRY(checkPartBatch(part, c, input, first, outputRows,
                              {.cached = s.length, .capacity = contextLength(), .batch = batchSize(),
                               .logitRows = logitRows()}));
    const cpu::LogitsFor logits = !part.output || outputRows == 0 ? cpu::LogitsFor::None
                                  : outputRows == 1 ? cpu::LogitsFor::Last
                                                    : cpu::LogitsFor::All;
    if (auto ran = s.forward.run(input, first, logits, s.cancel); !ran) {
        s.length = first;
        return std::unexpected(ran.error());
    }
    s.length = first + n;
    if (!part.output)
        return std::span<const float>(s.forward.hidden(), size_t(n) * c.embeddingLength);
    if (outputRows == 0)
        return std::span<const float>();
    const size_t skip = logits == cpu::LogitsFor::All ? size_t(n - outputRows) * c.vocabSize : 0;
    return std::span<const float>(s.forward.logits() + skip, size_t(outputRows) * c.vocabSize);
}

Result<std::vector<float>> CpuBackend::evaluate(std::span<const int32_t> tokens, bool allLogits)
{
    if (!allLogits) {
        auto logits = step(tokens, false);
        if (!logits)
            return std::unexpected(logits.error());
        return std::vector<float>(logits->begin(), logits->end());
    }
    // Every position's logits, one pass of logitRows positions at a time.
    PONDER_TRY(checkEvaluation(tokens, length(), contextLength(), config().vocabSize));
    const uint32_t start = length();
    std::vector<float> all;
    all.reserve(tokens.size() * config().vocabSize);
    for (size_t first = 0; first < tokens.size(); first += logitRows()) {
        auto logits = step(tokens.subspan(first, std::min<size_t>(logitRows(), tokens.size() - first)), true);
        if (!logits) {
            m_state->length = start;
            return std::unexpected(logits.error());
        }
        all.insert(all.end(), logits->begin(), logits->end());
    }
    return all;
}

} // namespace ponder
