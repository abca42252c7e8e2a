#include "ponder/bandwidth.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <system_error>
#include <utility>
#include <thread>
#include <vector>

#include "cpu/huge_page_memory.h"
#include "ponder/cpu_info.h"
#include "ponder/shader_id.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "ponder/vk/pipeline.h"

namespace ponder {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kMinGpuBytes = 16ull << 20;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Sums 64-bit words with four independent accumulators (the compiler turns
// them into vector loads), so the loop is bound by memory, not by adds.
uint64_t sumWords(const uint64_t* words, size_t count)
{
    uint64_t a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        a += words[i];
        b += words[i + 1];
        c += words[i + 2];
        d += words[i + 3];
    }
    for (; i < count; ++i)
        a += words[i];
    return a + b + c + d;
}

// One pass of `threads` threads over their slices: each fills its slice
// first when `fill` (untimed), then all start reading together. Returns the
// seconds from the start signal to the last thread's end.
Result<double> cpuPass(uint64_t* words, size_t count, uint32_t threads, bool fill, std::atomic<uint64_t>& sink)
{
    const auto slice = [&](uint32_t t) {
        const size_t per = count / threads;
        return std::pair<size_t, size_t>(t * per, t + 1 == threads ? count : (t + 1) * per);
    };
    std::atomic<uint32_t> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> workers;
    workers.reserve(threads);
    const auto work = [&](uint32_t t) {
        const auto [begin, end] = slice(t);
        if (fill)
            for (size_t i = begin; i < end; ++i)
                words[i] = i * 0x9e3779b97f4a7c15ull;
        ready.fetch_add(1);
        while (!go.load())
            std::this_thread::yield();
        sink.fetch_add(sumWords(words + begin, end - begin));
    };
    try {
        for (uint32_t t = 0; t < threads; ++t)
            workers.emplace_back(work, t);
    } catch (const std::system_error& error) {
        // The threads started wait for `go`: release them before joining.
        go.store(true);
        for (auto& worker : workers)
            worker.join();
        return fail(ErrorCode::OutOfMemory, std::string("cannot start the bandwidth test's threads: ") + error.what());
    }
    while (ready.load() < threads)
        std::this_thread::yield();
    const auto start = Clock::now();
    go.store(true);
    for (auto& worker : workers)
        worker.join();
    return secondsSince(start);
}

// Fills `buffer` with a non-zero pattern: an untouched page of a CPU
// device's memory reads as the shared zero page, which sits in cache and
// reads too fast.
Result<void> fill(vk::CommandRecorder& recorder, const vk::Buffer& buffer, uint32_t pattern)
{
    PONDER_TRY(recorder.begin());
    vkCmdFillBuffer(recorder.handle(), buffer.handle(), 0, VK_WHOLE_SIZE, pattern);
    PONDER_TRY(recorder.end());
    return recorder.submitAndWait();
}

// Submits the finished recording 1 + `repeats` times and returns the
// seconds of its fastest timed pass (the first touches fresh memory, page
// faults on a CPU device, and is not timed): the GPU time of `shader` when
// profiled, else the wall time of the submission.
Result<double> fastestPass(vk::CommandRecorder& recorder, ShaderId shader, int repeats, bool profiled)
{
    double best = 0;
    for (int i = 0; i <= repeats; ++i) {
        const auto start = Clock::now();
        PONDER_TRY(recorder.submitAndWait());
        double seconds = secondsSince(start);
        if (profiled) {
            auto times = recorder.profile();
            if (!times)
                return std::unexpected(times.error());
            const auto timed = std::find_if(times->begin(), times->end(),
                                            [&](const vk::KernelTime& t) { return t.name == shaderName(shader); });
            if (timed == times->end() || timed->nanoseconds == 0)
                return fail(ErrorCode::Vulkan, "the timestamps of the read-bandwidth shader gave no time");
            seconds = double(timed->nanoseconds) * 1e-9;
        }
        if (i > 0 && (best == 0 || seconds < best))
            best = seconds;
    }
    return best;
}

} // namespace

Result<MeasuredBandwidth> measureCpuReadBandwidth(uint64_t bytes, uint32_t threads, int repeats)
{
    const size_t words = size_t(bytes / sizeof(uint64_t));
    if (words == 0 || repeats < 1)
        return fail(ErrorCode::InvalidArgument, "a bandwidth test needs some bytes and at least one pass");
    if (threads == 0)
        threads = std::max(readCpuInfo().physicalCores, 1u);
    // At least a few thousand words per thread, so every slice streams.
    threads = uint32_t(std::clamp<size_t>(words / 4096, 1, threads));
    // On 2 MiB pages where the kernel offers them, as the CPU engine holds
    // its weights (resident_weights.h): on the CI machine 4 KiB pages read
    // ~7% slower (sustained 52-53 GB/s against 55-57 on two threads), and a
    // decode from huge pages then read "faster than the memory".
    const cpu::HugePageMemory buffer(words * sizeof(uint64_t));
    if (!buffer)
        return fail(ErrorCode::OutOfMemory, "cannot allocate " + std::to_string(bytes >> 20) +
                                                " MiB for the CPU's bandwidth test");
    std::atomic<uint64_t> sink{0};
    MeasuredBandwidth result{.bytes = words * sizeof(uint64_t), .threads = threads};
    for (int pass = -1; pass < repeats; ++pass) {
        auto seconds = cpuPass(reinterpret_cast<uint64_t*>(buffer.data()), words, threads, pass < 0, sink);
        if (!seconds)
            return std::unexpected(seconds.error());
        if (pass >= 0 && (result.seconds == 0 || *seconds < result.seconds))
            result.seconds = *seconds;
    }
    return result;
}

Result<MeasuredBandwidth> measureGpuReadBandwidth(const vk::Device& device, uint64_t bytes, int repeats)
{
    // ~16 loads per invocation at 256 MiB; the shader strides over the buffer.
    constexpr uint32_t kBlock = 256, kUnroll = 4, kGroups = 4096;
    if (repeats < 1)
        return fail(ErrorCode::InvalidArgument, "a bandwidth test needs at least one pass");
    const vk::AdapterInfo& adapter = device.adapter();
    // One binding covers the whole read, in one allocation, leaving most of
    // the free memory to whatever else runs.
    uint64_t size = std::min(bytes, device.freeDeviceLocalBytes() / 4);
    if (adapter.maxStorageBufferRange)
        size = std::min(size, adapter.maxStorageBufferRange);
    if (adapter.maxMemoryAllocationSize)
        size = std::min(size, adapter.maxMemoryAllocationSize);
    size = std::min<uint64_t>(size / 16, UINT32_MAX) * 16;
    if (size < std::min(kMinGpuBytes, bytes / 16 * 16) || size == 0)
        return fail(ErrorCode::OutOfMemory, "too little memory is free on " + adapter.name +
                                                " to measure its bandwidth");

    auto source = vk::Buffer::create(device, size, vk::MemoryUsage::DeviceLocal);
    if (!source)
        return std::unexpected(source.error());
    auto sink = vk::Buffer::create(device, uint64_t(kBlock) * kGroups * 4, vk::MemoryUsage::DeviceLocal);
    if (!sink)
        return std::unexpected(sink.error());
    const std::array<uint32_t, 2> spec{kBlock, kUnroll};
    // Mirrors ReadPush in read_bandwidth.comp; `never` is a value the xor of
    // the pattern below never folds to, so the sink stays unwritten.
    struct Push {
        uint32_t count;
        uint32_t never;
    };
    static_assert(sizeof(Push) == 8);
    const Push push{uint32_t(size / 16), 0x9e3779b9u};
    auto pipeline = vk::ComputePipeline::create(device, {ShaderId::ReadBandwidth, 2, sizeof(Push), spec});
    if (!pipeline)
        return std::unexpected(pipeline.error());
    auto recorder = vk::CommandRecorder::create(device);
    if (!recorder)
        return std::unexpected(recorder.error());
    vk::CommandRecorder& r = **recorder;
    PONDER_TRY(fill(r, *source, 0x5ac3e1f7u));
    // Timestamps where the queue has them; Unsupported otherwise.
    const bool profiled = adapter.timestampPeriodNs > 0 && r.setProfiling(true).has_value();
    PONDER_TRY(r.begin());
    PONDER_TRY(r.dispatch(*pipeline, {source->range(), sink->range()}, &push, kGroups));
    PONDER_TRY(r.end());
    auto seconds = fastestPass(r, ShaderId::ReadBandwidth, repeats, profiled);
    if (!seconds)
        return std::unexpected(seconds.error());
    return MeasuredBandwidth{.bytes = size, .threads = 0, .seconds = *seconds, .gpuTimestamps = profiled};
}

} // namespace ponder
