// The decode kernels' own speed per weight type: GPU matvecs recorded as a
// decode step records them, and the CPU engine's row-split products, over
// synthetic weights of real blocks. See decode_rate.h.
#include "ponder/decode_rate.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <system_error>

#include "cpu/activations.h"
#include "cpu/cpu_matrix.h"
#include "cpu/thread_pool.h"
#include "ponder/cpu_info.h"
#include "ponder/kernels.h"
#include "ponder/model_part.h"
#include "ponder/model_weights.h"
#include "ponder/placement.h"
#include "ponder/quant.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "ponder/vk/transfer.h"

namespace ponder {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kMinGpuBytes = 16ull << 20;
// Rows quantized for real; the rest of the weights repeat them. Enough
// distinct blocks that no two neighbouring rows are alike, few enough that
// the quantizer's least-squares search takes milliseconds.
constexpr uint32_t kSeedRows = 16;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

Result<void> checkOptions(const DecodeRateOptions& options)
{
    if (options.rows == 0 || options.cols == 0 || options.cols % 256 != 0)
        return fail(ErrorCode::InvalidArgument, "a decode-rate matrix needs rows and a multiple of 256 columns, not " +
                                                    std::to_string(options.rows) + " x " + std::to_string(options.cols));
    if (options.repeats < 1)
        return fail(ErrorCode::InvalidArgument, "a decode-rate measure needs at least one timed pass");
    return {};
}

// `rows` rows of `cols` weights of `type`: the quantizer's blocks of
// random values about as large as a trained model's (|w| ~ 0.02), so every
// scale is a finite, normal f16 and no float is denormal.
Result<std::vector<std::byte>> seedRows(TensorType type, uint32_t rows, uint32_t cols)
{
    std::mt19937 random(0x5eedu + uint32_t(type));
    std::normal_distribution<float> normal(0.f, 0.02f);
    std::vector<float> values(size_t(rows) * cols);
    for (float& v : values)
        v = normal(random);
    std::vector<std::byte> bytes(tensorBytes(type, values.size()));
    PONDER_TRY(quantizeRows(type, values, cols, bytes, 1));
    return bytes;
}

uint64_t alignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

// A float's bits, for vkCmdFillBuffer.
uint32_t floatBits(float value)
{
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    return bits;
}

} // namespace

Result<DecodeRate> measureGpuDecodeRate(const Kernels& kernels, TensorType type, const DecodeRateOptions& options)
{
    PONDER_TRY(checkOptions(options));
    if (!canQuantize(type))
        return fail(ErrorCode::Unsupported, "matvec has no kernel for " + tensorTypeNameOrId(type));
    const vk::Device& device = kernels.device();
    const vk::AdapterInfo& adapter = device.adapter();
    const uint64_t rowBytes = tensorBytes(type, options.cols);
    const uint64_t alignment = std::max<uint64_t>(adapter.minStorageBufferOffsetAlignment, 256);

    // The buffer: the requested bytes, but a quarter of the free memory at
    // most, and one allocation.
    const uint64_t wanted = options.bytes ? options.bytes : kDecodeRateGpuBytes;
    uint64_t room = std::min(wanted, device.freeDeviceLocalBytes() / 4);
    if (adapter.maxMemoryAllocationSize)
        room = std::min(room, adapter.maxMemoryAllocationSize);
    uint32_t rows = options.rows;
    uint64_t stride = alignUp(rows * rowBytes, alignment);
    if (stride > room) {
        // Not even one whole matrix: fewer rows.
        rows = uint32_t(std::min<uint64_t>(rows, (room >= alignment ? room - alignment : 0) / rowBytes));
        stride = alignUp(rows * rowBytes, alignment);
    }
    const uint32_t matrices = rows ? uint32_t(std::max<uint64_t>(room / stride, 1)) : 0;
    const uint64_t matrixBytes = uint64_t(rows) * rowBytes;
    if (rows == 0 || matrices * matrixBytes < std::min(kMinGpuBytes, wanted))
        return fail(ErrorCode::OutOfMemory, "too little memory is free on " + adapter.name +
                                                " to measure its decode rate");

    auto seed = seedRows(type, std::min(kSeedRows, rows), options.cols);
    if (!seed)
        return std::unexpected(seed.error());
    auto weights = vk::Buffer::create(device, uint64_t(matrices) * stride, vk::MemoryUsage::DeviceLocal);
    if (!weights)
        return std::unexpected(weights.error());
    auto x = vk::Buffer::create(device, uint64_t(options.cols) * 4, vk::MemoryUsage::DeviceLocal);
    if (!x)
        return std::unexpected(x.error());
    auto normWeight = vk::Buffer::create(device, uint64_t(options.cols) * 4, vk::MemoryUsage::DeviceLocal);
    if (!normWeight)
        return std::unexpected(normWeight.error());
    auto y = vk::Buffer::create(device, uint64_t(rows) * 4, vk::MemoryUsage::DeviceLocal);
    if (!y)
        return std::unexpected(y.error());
    auto recorder = vk::CommandRecorder::create(device);
    if (!recorder)
        return std::unexpected(recorder.error());
    vk::CommandRecorder& r = **recorder;

    // The seed rows at the start of matrix 0, doubled until they fill it,
    // then matrix 0 copied into every other one; the vectors filled with
    // ordinary floats (never the zero page, never a NaN).
    PONDER_TRY(vk::uploadBytes(device, r, *weights, *seed));
    PONDER_TRY(r.begin());
    const uint64_t seedBytes = seed->size();
    for (uint64_t have = seedBytes; have < matrixBytes;) {
        const uint64_t n = std::min(have, matrixBytes - have);
        r.copy(weights->range(0, n), weights->range(have, n));
        r.barrier();
        have += n;
    }
    for (uint32_t m = 1; m < matrices; ++m)
        r.copy(weights->range(0, matrixBytes), weights->range(m * stride, matrixBytes));
    vkCmdFillBuffer(r.handle(), x->handle(), 0, VK_WHOLE_SIZE, floatBits(0.01f));
    vkCmdFillBuffer(r.handle(), normWeight->handle(), 0, VK_WHOLE_SIZE, floatBits(1.0f));
    vkCmdFillBuffer(r.handle(), y->handle(), 0, VK_WHOLE_SIZE, 0);
    PONDER_TRY(r.end());
    PONDER_TRY(r.submitAndWait());

    // One pass: every matrix once, a barrier after each. Where decode folds
    // the RMS norm into the projections, matrices take a layer's roles in
    // turn: q, k, v, gate, up with the norm folded in, o and down adding
    // to the residual (y itself).
    const bool foldsNorm = kernels.matVecVariant() != MatVecVariant::RowPerInvocation;
    const bool profiled = adapter.timestampPeriodNs > 0 && r.setProfiling(true).has_value();
    PONDER_TRY(r.begin());
    for (uint32_t m = 0; m < matrices; ++m) {
        const uint32_t role = m % 7;  // q k v o gate up down
        const bool addsResidual = role == 3 || role == 6;
        MatVecOptions extra;
        if (addsResidual)
            extra.residual = y->range();
        else if (foldsNorm) {
            extra.normWeight = normWeight->range();
            extra.normEpsilon = 1e-6f;
        }
        const vk::BufferRange w = weights->range(m * stride, alignUp(matrixBytes, 4));
        PONDER_TRY(kernels.matVecBatch(r, type, rows, options.cols, 1, y->range(), w, x->range(), extra));
        r.barrier();
    }
    PONDER_TRY(r.end());

    DecodeRate rate{.type = type,
                    .bytes = uint64_t(matrices) * matrixBytes,
                    .matrices = matrices,
                    .rows = rows,
                    .cols = options.cols,
                    .threads = 0,
                    .gpuTimestamps = profiled};
    for (int pass = -1; pass < options.repeats; ++pass) {
        const auto start = Clock::now();
        PONDER_TRY(r.submitAndWait());
        double seconds = secondsSince(start);
        if (profiled) {
            auto times = r.profile();
            if (!times)
                return std::unexpected(times.error());
            uint64_t nanoseconds = 0;
            for (const vk::KernelTime& t : *times)
                nanoseconds += t.nanoseconds;
            if (nanoseconds == 0)
                return fail(ErrorCode::Vulkan, "the timestamps of the decode-rate passes gave no time");
            seconds = double(nanoseconds) * 1e-9;
        }
        // The first pass touches fresh memory (page faults on a CPU device)
        // and builds nothing the others reuse: not timed.
        if (pass >= 0 && (rate.seconds == 0 || seconds < rate.seconds))
            rate.seconds = seconds;
    }
    return rate;
}

Result<DecodeRate> measureCpuDecodeRate(TensorType type, uint32_t threads, const DecodeRateOptions& options)
{
    PONDER_TRY(checkOptions(options));
    if (!canQuantize(type))
        return fail(ErrorCode::Unsupported, "the CPU engine has no decode kernel for " + tensorTypeNameOrId(type));
    const uint32_t cols = options.cols;
    const uint64_t rowBytes = tensorBytes(type, cols);
    const uint64_t wanted = options.bytes ? options.bytes : kDecodeRateCpuBytes;
    // Fewer rows when one matrix would pass the requested bytes, as on a GPU.
    const uint32_t rows = uint32_t(std::clamp<uint64_t>(wanted / std::max<uint64_t>(rowBytes, 1), 1, options.rows));
    const uint64_t matrixBytes = uint64_t(rows) * rowBytes;
    const uint32_t matrices = uint32_t(std::clamp<uint64_t>(wanted / std::max<uint64_t>(matrixBytes, 1), 1, UINT32_MAX));
    if (threads == 0)
        threads = std::max(readCpuInfo().physicalCores, 1u);

    // The matrices' shape, and one of them to check the type has kernels.
    const TensorDesc desc{.name = "decode_rate", .type = type, .dims = {cols, rows}, .bytes = matrixBytes};
    auto seed = seedRows(type, std::min(kSeedRows, rows), cols);
    if (!seed)
        return std::unexpected(seed.error());
    {
        // Unsupported before allocating, for a type the kernels lack.
        const TensorDesc small{.name = "probe", .type = type, .dims = {cols, std::min(kSeedRows, rows)},
                               .bytes = seed->size()};
        auto check = cpu::CpuMatrix::prepare(WeightView{&small, *seed});
        if (!check)
            return std::unexpected(check.error());
    }

    constexpr std::align_val_t kAlignment{64};
    const uint64_t total = uint64_t(matrices) * matrixBytes;
    struct Free {
        void operator()(std::byte* p) const { ::operator delete(p, kAlignment); }
    };
    std::unique_ptr<std::byte, Free> weights(static_cast<std::byte*>(::operator new(total, kAlignment, std::nothrow)));
    if (!weights)
        return fail(ErrorCode::OutOfMemory, "cannot allocate " + std::to_string(total >> 20) +
                                                " MiB for the CPU's decode-rate test");
    std::vector<cpu::CpuMatrix> ms;
    ms.reserve(matrices);
    for (uint32_t m = 0; m < matrices; ++m) {
        auto matrix = cpu::CpuMatrix::prepare(
            WeightView{&desc, std::span<const std::byte>(weights.get() + m * matrixBytes, matrixBytes)});
        if (!matrix)
            return std::unexpected(matrix.error());
        ms.push_back(std::move(*matrix));
    }

    std::unique_ptr<cpu::ThreadPool> pool;
    try {
        pool = std::make_unique<cpu::ThreadPool>(threads);
    } catch (const std::system_error& error) {
        return fail(ErrorCode::OutOfMemory, std::string("cannot start the decode-rate test's threads: ") + error.what());
    }
    const size_t granularity = ms.front().rowGranularity();

    // Each thread writes the rows it will read (its pages are its node's,
    // as the first touch placed them), repeating the seed rows.
    const uint32_t seedRowCount = uint32_t(seed->size() / rowBytes);
    pool->run([&](unsigned thread) {
        const cpu::Range range = cpu::splitRange(rows, granularity, thread, threads);
        for (uint32_t m = 0; m < matrices; ++m)
            for (size_t row = range.begin; row < range.end; ++row)
                std::memcpy(weights.get() + m * matrixBytes + row * rowBytes,
                            seed->data() + (row % seedRowCount) * rowBytes, rowBytes);
    });

    // One token's activations, quantized as Forward quantizes its inputs.
    std::vector<float> input(cols);
    std::mt19937 random(7);
    std::normal_distribution<float> normal(0.f, 1.f);
    for (float& v : input)
        v = normal(random);
    cpu::QuantizedActivations x;
    x.reserve(ms.front().inputFormat(), cols, 1);
    x.quantize(input.data(), 1, cols);
    std::vector<float> y(rows);

    DecodeRate rate{.type = type,
                    .bytes = total,
                    .matrices = matrices,
                    .rows = rows,
                    .cols = cols,
                    .threads = threads,
                    .gpuTimestamps = false};
    for (int pass = -1; pass < options.repeats; ++pass) {
        const auto start = Clock::now();
        for (const cpu::CpuMatrix& m : ms)
            pool->run([&](unsigned thread) {
                const cpu::Range range = cpu::splitRange(rows, granularity, thread, threads);
                if (range.begin < range.end)
                    m.multiply(range.begin, range.end, x, y.data(), rows);
            });
        const double seconds = secondsSince(start);
        if (pass >= 0 && (rate.seconds == 0 || seconds < rate.seconds))
            rate.seconds = seconds;
    }
    return rate;
}

std::optional<double> DecodeRates::secondsFor(const std::map<TensorType, uint64_t>& bytesByType) const
{
    double seconds = 0;
    for (const auto& [type, bytes] : bytesByType) {
        if (bytes == 0)
            continue;
        const auto found = bytesPerSecond.find(type);
        if (found == bytesPerSecond.end() || !(found->second > 0))
            return std::nullopt;
        seconds += double(bytes) / found->second;
    }
    return seconds;
}

namespace {

template <typename Measure>
Result<DecodeRates> measureEach(std::span<const TensorType> types, const Measure& measure)
{
    DecodeRates rates;
    for (TensorType type : types) {
        if (rates.bytesPerSecond.contains(type))
            continue;
        auto rate = measure(type);
        if (!rate)
            return std::unexpected(rate.error());
        rates.bytesPerSecond[type] = rate->bytesPerSecond();
    }
    return rates;
}

} // namespace

Result<DecodeRates> measureGpuDecodeRates(const Kernels& kernels, std::span<const TensorType> types,
                                          const DecodeRateOptions& options)
{
    return measureEach(types, [&](TensorType type) { return measureGpuDecodeRate(kernels, type, options); });
}

Result<DecodeRates> measureCpuDecodeRates(std::span<const TensorType> types, uint32_t threads,
                                          const DecodeRateOptions& options)
{
    return measureEach(types, [&](TensorType type) { return measureCpuDecodeRate(type, threads, options); });
}

std::vector<TensorType> decodeReadTypes(const ModelInfo& info)
{
    const auto bytes = partReadBytesByType(info, ModelPart::whole(info.config));
    std::vector<TensorType> types;
    for (TensorType type : kDecodeRateTypes)
        if (bytes.contains(type))
            types.push_back(type);
    for (const auto& [type, count] : bytes)
        if (std::find(types.begin(), types.end(), type) == types.end())
            types.push_back(type);
    return types;
}

} // namespace ponder
