#include "measure.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "ponder/gpu_session.h"
#include "ponder/sampler.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/device.h"

namespace ponder::tools {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

int32_t argmax(const std::vector<float>& logits)
{
    return int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

void sortByTime(std::vector<vk::KernelTime>& kernels)
{
    std::stable_sort(kernels.begin(), kernels.end(),
                     [](const vk::KernelTime& a, const vk::KernelTime& b) { return a.nanoseconds > b.nanoseconds; });
}

// Evaluates `tokens` with profiling on and returns the last batch's profile.
Result<BatchProfile> profiledBatch(GpuSession& session, std::span<const int32_t> tokens)
{
    BatchProfile profile;
    profile.tokens = uint32_t(tokens.size());
    profile.firstPosition = session.length();
    const auto start = Clock::now();
    auto logits = session.evaluate(tokens, false);
    profile.wallSeconds = secondsSince(start);
    if (!logits)
        return std::unexpected(logits.error());
    auto kernels = session.lastProfile();
    if (!kernels)
        return std::unexpected(kernels.error());
    profile.kernels = std::move(*kernels);
    profile.counts = session.lastCounts();
    sortByTime(profile.kernels);
    return profile;
}

// Fills `buffer` with a non-zero pattern: an untouched page of a CPU
// device's memory reads as the shared zero page, which sits in cache and
// reads too fast. Leaves profiling on and a new recording begun.
Result<void> fillAndBeginProfiled(vk::CommandRecorder& recorder, const vk::Buffer& buffer, uint32_t pattern)
{
    PONDER_TRY(recorder.begin());
    vkCmdFillBuffer(recorder.handle(), buffer.handle(), 0, VK_WHOLE_SIZE, pattern);
    PONDER_TRY(recorder.end());
    PONDER_TRY(recorder.submitAndWait());
    PONDER_TRY(recorder.setProfiling(true));
    return recorder.begin();
}

// Submits the finished recording 1 + `repeats` times and returns the GPU
// seconds of its fastest timed run of `command` (the first run touches
// fresh memory, page faults on a CPU device, and is not timed).
Result<double> fastestRun(vk::CommandRecorder& recorder, std::string_view command, int repeats)
{
    double best = 0;
    for (int i = 0; i <= repeats; ++i) {
        PONDER_TRY(recorder.submitAndWait());
        auto times = recorder.profile();
        if (!times)
            return std::unexpected(times.error());
        const auto timed =
            std::find_if(times->begin(), times->end(), [&](const auto& t) { return t.name == command; });
        if (timed == times->end() || timed->nanoseconds == 0)
            return fail(ErrorCode::Vulkan, "the timestamps of " + std::string(command) + " gave no time");
        const double seconds = double(timed->nanoseconds) * 1e-9;
        if (i > 0 && (best == 0 || seconds < best))
            best = seconds;
    }
    return best;
}

} // namespace

uint64_t BatchProfile::gpuNanoseconds() const
{
    uint64_t total = 0;
    for (const auto& k : kernels)
        total += k.nanoseconds;
    return total;
}

Result<RunTimes> timedRun(InferenceBackend& session, std::span<const int32_t> prompt, uint32_t genTokens,
                          Sampler* sampler)
{
    PONDER_TRY(session.truncate(0));
    RunTimes times;
    std::vector<int32_t> history(prompt.begin(), prompt.end());
    history.reserve(prompt.size() + genTokens + 1);
    auto pick = [&](const std::vector<float>& logits) -> Result<int32_t> {
        const auto start = Clock::now();
        const Result<int32_t> token = sampler ? sampler->sample(logits, history) : Result<int32_t>(argmax(logits));
        times.samplingSeconds += secondsSince(start);
        if (token)
            history.push_back(*token);
        return token;
    };

    const auto start = Clock::now();
    auto logits = session.evaluate(prompt, false);
    times.prefillSeconds = secondsSince(start);
    if (!logits)
        return std::unexpected(logits.error());
    auto token = pick(*logits);
    if (!token)
        return std::unexpected(token.error());
    times.firstTokenSeconds = secondsSince(start);
    times.samplingSeconds = 0;  // only decode's picking is reported

    const auto decodeStart = Clock::now();
    for (uint32_t i = 0; i < genTokens; ++i) {
        const int32_t last = *token;
        logits = session.evaluate(std::span(&last, 1), false);
        if (!logits)
            return std::unexpected(logits.error());
        token = pick(*logits);
        if (!token)
            return std::unexpected(token.error());
        ++times.decoded;
    }
    times.decodeSeconds = secondsSince(decodeStart);
    return times;
}

Result<Profiles> profileBatches(GpuSession& session, std::span<const int32_t> prompt)
{
    if (session.length() < prompt.size())
        return fail(ErrorCode::InvalidArgument, "profiling needs the prompt in the cache");
    // The prompt's last batch, at the positions it had: the cache before it
    // stays as the timed run left it.
    const size_t batch = std::min<size_t>(session.batchSize(), prompt.size());
    PONDER_TRY(session.truncate(uint32_t(prompt.size() - batch)));
    PONDER_TRY(session.setProfiling(true));
    Profiles profiles;
    auto prefill = profiledBatch(session, prompt.subspan(prompt.size() - batch));
    auto decode = prefill ? profiledBatch(session, prompt.subspan(0, 1)) : prefill;
    const auto off = session.setProfiling(false);
    if (!prefill)
        return std::unexpected(prefill.error());
    if (!decode)
        return std::unexpected(decode.error());
    PONDER_TRY(off);
    profiles.prefill = std::move(*prefill);
    profiles.decode = std::move(*decode);
    return profiles;
}

Result<CopyBandwidth> measureCopyBandwidth(const vk::Device& device, uint64_t bytes, int repeats)
{
    auto source = vk::Buffer::create(device, bytes, vk::MemoryUsage::DeviceLocal);
    if (!source)
        return std::unexpected(source.error());
    auto destination = vk::Buffer::create(device, bytes, vk::MemoryUsage::DeviceLocal);
    if (!destination)
        return std::unexpected(destination.error());
    auto recorder = vk::CommandRecorder::create(device);
    if (!recorder)
        return std::unexpected(recorder.error());
    PONDER_TRY(fillAndBeginProfiled(**recorder, *source, 0x3c5a7e91u));
    (*recorder)->copy(source->range(), destination->range());
    PONDER_TRY((*recorder)->end());
    auto seconds = fastestRun(**recorder, "copy", repeats);
    if (!seconds)
        return std::unexpected(seconds.error());
    return CopyBandwidth{.copyBytes = bytes, .countedBytes = 2 * bytes, .seconds = *seconds};
}

std::vector<std::pair<TensorType, uint64_t>> decodeWeightBytesByType(const ModelInfo& info)
{
    std::map<TensorType, uint64_t> bytes;
    for (const auto& t : info.tensors)
        if (t.name != "token_embd.weight" || info.config.tiedOutput)
            bytes[t.type] += t.bytes;
    return {bytes.begin(), bytes.end()};
}

uint64_t decodeWeightBytes(const ModelInfo& info)
{
    uint64_t total = 0;
    for (const auto& [type, bytes] : decodeWeightBytesByType(info))
        total += bytes;
    return total;
}

} // namespace ponder::tools
