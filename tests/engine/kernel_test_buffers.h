// Small helpers for the attention, RoPE and elementwise kernel suites:
// seeded random data, buffers filled from host vectors, and one recording
// run to completion.
#pragma once

#include <algorithm>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include "gpu_fixture.h"
#include "ponder/error.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/transfer.h"

namespace ponder::test {

inline std::vector<float> randomFloats(size_t count, std::mt19937& rng, float scale)
{
    std::normal_distribution<float> normal(0.f, scale);
    std::vector<float> values(count);
    for (auto& v : values)
        v = normal(rng);
    return values;
}

// A device-local buffer holding `values`, at least `minBytes` long.
template <typename T>
Result<vk::Buffer> uploaded(GpuFixture& gpu, const std::vector<T>& values, uint64_t minBytes = 0)
{
    const uint64_t bytes = std::max<uint64_t>({values.size() * sizeof(T), minBytes, 4});
    auto buffer = vk::Buffer::create(gpu.device(), bytes, vk::MemoryUsage::DeviceLocal);
    if (!buffer)
        return buffer;
    if (!values.empty())
        PONDER_TRY(vk::uploadBytes(gpu.device(), gpu.recorder(), *buffer, std::as_bytes(std::span(values))));
    return buffer;
}

// A device-local buffer of `size` bytes starting with `bytes` and filled
// after them with 0x5a, a recognisable value, so a kernel reading past its
// data reads something that shows in the result rather than zeros.
inline Result<vk::Buffer> uploadedWithFiller(GpuFixture& gpu, std::span<const std::byte> bytes, uint64_t size)
{
    auto buffer = vk::Buffer::create(gpu.device(), size, vk::MemoryUsage::DeviceLocal);
    if (!buffer)
        return buffer;
    std::vector<std::byte> padded(size, std::byte(0x5a));
    std::copy(bytes.begin(), bytes.end(), padded.begin());
    PONDER_TRY(vk::uploadBytes(gpu.device(), gpu.recorder(), *buffer, padded));
    return buffer;
}

template <typename T>
Result<std::vector<T>> downloaded(GpuFixture& gpu, const vk::Buffer& buffer, size_t count, uint64_t offset = 0)
{
    std::vector<T> values(count);
    PONDER_TRY(vk::downloadBytes(gpu.device(), gpu.recorder(), buffer, std::as_writable_bytes(std::span(values)),
                                 offset));
    return values;
}

// Records with `record(recorder)` and runs the recording to completion.
template <typename F>
Result<void> runOnce(GpuFixture& gpu, F&& record)
{
    auto& recorder = gpu.recorder();
    PONDER_TRY(recorder.begin());
    PONDER_TRY(record(recorder));
    PONDER_TRY(recorder.end());
    return recorder.submitAndWait();
}

} // namespace ponder::test

// QVERIFY a Result, printing its error message.
#define PONDER_VERIFY_RESULT(expr)                                                      \
    do {                                                                                \
        const auto& ponder_result_ = (expr);                                            \
        QVERIFY2(ponder_result_.has_value(),                                            \
                 ponder_result_ ? "" : ponder_result_.error().message.c_str());         \
    } while (false)
