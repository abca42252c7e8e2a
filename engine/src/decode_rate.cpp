// The decode kernels' own speed per weight type: GPU matvecs recorded as a
// decode step records them, and the CPU engine's row-split products, over
// synthetic weights of real blocks. See decode_rate.h.
#include "ponder/decode_rate.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
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
#include "ponder/model_weights.h"
#include "ponder/placement.h"
#include "ponder/quant.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"

namespace ponder {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kMinGpuBytes = 16ull << 20;
// Rows quantized for real, whose blocks every row of the weights is drawn
// from: few enough that the quantizer's least-squares search takes
// milliseconds.
constexpr uint32_t kPoolRows = 16;
// The GPU's weights are written through a staging buffer this large.
constexpr uint64_t kDecodeRateStagingBytes = 16ull << 20;
// At most this many matrices per pass (tiny shapes would make a pass of
// nothing but dispatches).
constexpr size_t kMaxMatrices = 4096;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

uint64_t alignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

// A float's bits, for vkCmdFillBuffer.
uint32_t floatBits(float value)
{
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    return bits;
}

uint64_t rowBytesOf(TensorType type, const MatrixShape& shape) { return tensorBytes(type, shape.cols); }
uint64_t bytesOf(TensorType type, const MatrixShape& shape) { return shape.rows * rowBytesOf(type, shape); }

// The shapes asked for, checked: InvalidArgument unless every one has rows
// and whole blocks of columns, and there are repeats.
Result<std::vector<MatrixShape>> requestedShapes(TensorType type, const DecodeRateOptions& options)
{
    std::vector<MatrixShape> shapes = options.shapes;
    if (shapes.empty())
        shapes.push_back({options.rows, options.cols});
    const uint32_t block = traits(type).blockSize;
    for (const MatrixShape& s : shapes)
        if (s.rows == 0 || s.cols == 0 || s.cols % block != 0)
            return fail(ErrorCode::InvalidArgument, "a decode-rate matrix of " + std::string(tensorTypeName(type)) +
                                                        " needs rows and whole blocks of columns, not " +
                                                        std::to_string(s.rows) + " x " + std::to_string(s.cols));
    if (options.repeats < 1)
        return fail(ErrorCode::InvalidArgument, "a decode-rate measure needs at least one timed pass");
    return shapes;
}

// The matrices of one pass: `shapes` in turn while the next fits in
// `budget` bytes; a first matrix that does not fit whole has its rows cut.
// Empty when not even one row fits.
std::vector<MatrixShape> passMatrices(TensorType type, const std::vector<MatrixShape>& shapes, uint64_t budget)
{
    std::vector<MatrixShape> matrices;
    uint64_t total = 0;
    for (size_t i = 0; matrices.size() < kMaxMatrices; ++i) {
        MatrixShape s = shapes[i % shapes.size()];
        const uint64_t bytes = bytesOf(type, s);
        if (total + bytes > budget) {
            if (matrices.empty()) {
                s.rows = uint32_t(budget / rowBytesOf(type, s));
                if (s.rows > 0)
                    matrices.push_back(s);
            }
            break;
        }
        matrices.push_back(s);
        total += bytes;
    }
    return matrices;
}

DecodeRate describe(TensorType type, const std::vector<MatrixShape>& matrices, uint32_t threads, bool timestamps)
{
    DecodeRate rate{.type = type, .matrices = uint32_t(matrices.size()), .first = matrices.front(),
                    .threads = threads, .gpuTimestamps = timestamps};
    for (const MatrixShape& m : matrices)
        rate.bytes += bytesOf(type, m);
    return rate;
}

// Synthetic weights: every row a random draw of chunks (one block of a
// block type, up to 16 values of a float one) from a pool of the
// quantizer's output on random values about as large as a trained model's
// (|w| ~ 0.02). So every scale is a finite, normal f16, no float is
// denormal, and no two pages of the weights are alike (a host may merge
// pages that are, and then they sit in cache).
struct BlockPool {
    uint32_t cols = 0;  // of the kPoolRows rows quantized
    std::vector<std::byte> bytes;
    uint64_t chunkBytes = 0;
    uint64_t chunks = 0;

    // Writes row `index` of `rowBytes` (a whole number of chunks; the same
    // index gives the same row).
    void fillRow(std::byte* row, uint64_t rowBytes, uint64_t index) const
    {
        uint64_t state = index * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
        for (uint64_t at = 0; at < rowBytes; at += chunkBytes) {
            // splitmix64
            uint64_t z = (state += 0x9e3779b97f4a7c15ull);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            z ^= z >> 31;
            std::memcpy(row + at, bytes.data() + (z % chunks) * chunkBytes, chunkBytes);
        }
    }
};

// A pool for rows of any of `matrices`' widths: chunks divide each width.
Result<BlockPool> blockPool(TensorType type, const std::vector<MatrixShape>& matrices)
{
    const TensorTypeTraits& t = traits(type);
    uint32_t chunkValues = t.blockSize == 1 ? 16 : t.blockSize;
    for (const MatrixShape& m : matrices)
        while (m.cols % chunkValues != 0)
            chunkValues /= 2;  // float types only: block types' widths are whole blocks
    const uint32_t cols = 4096 / t.blockSize * t.blockSize;
    std::mt19937 random(0x5eedu + uint32_t(type));
    std::normal_distribution<float> normal(0.f, 0.02f);
    std::vector<float> values(size_t(kPoolRows) * cols);
    for (float& v : values)
        v = normal(random);
    BlockPool pool;
    pool.cols = cols;
    pool.bytes.resize(tensorBytes(type, values.size()));
    PONDER_TRY(quantizeRows(type, values, cols, pool.bytes, 1));
    pool.chunkBytes = tensorBytes(type, chunkValues);
    pool.chunks = pool.bytes.size() / pool.chunkBytes;
    return pool;
}

// Runs the recorded pass 1 + `repeats` times and returns the seconds of the
// fastest timed one (the first touches fresh memory, page faults on a CPU
// device, and is not timed): the GPU time of the recording when profiled,
// else the wall time of the submission.
Result<double> fastestGpuPass(vk::CommandRecorder& r, int repeats, bool profiled)
{
    double best = 0;
    for (int pass = -1; pass < repeats; ++pass) {
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
        if (pass >= 0 && (best == 0 || seconds < best))
            best = seconds;
    }
    return best;
}

} // namespace

Result<DecodeRate> measureGpuDecodeRate(const Kernels& kernels, TensorType type, const DecodeRateOptions& options)
{
    if (!canQuantize(type))
        return fail(ErrorCode::Unsupported, "matvec has no kernel for " + tensorTypeNameOrId(type));
    auto shapes = requestedShapes(type, options);
    if (!shapes)
        return std::unexpected(shapes.error());
    const vk::Device& device = kernels.device();
    const vk::AdapterInfo& adapter = device.adapter();
    const uint64_t alignment = std::max<uint64_t>(adapter.minStorageBufferOffsetAlignment, 256);

    // The buffer: the requested bytes, but a quarter of the free memory at
    // most, and one allocation.
    const uint64_t wanted = options.bytes ? options.bytes : kDecodeRateGpuBytes;
    if (wanted < rowBytesOf(type, shapes->front()))
        return fail(ErrorCode::InvalidArgument, "a decode-rate measure needs at least one row's bytes");
    uint64_t room = std::min(wanted, device.freeDeviceLocalBytes() / 4);
    if (adapter.maxMemoryAllocationSize)
        room = std::min(room, adapter.maxMemoryAllocationSize);
    std::vector<MatrixShape> matrices = passMatrices(type, *shapes, room);
    // Each matrix starts where a binding may; the last ends on a whole word
    // (matvec reads whole words).
    std::vector<uint64_t> offsets;
    uint64_t size = 0;
    for (;;) {
        offsets.clear();
        size = 0;
        for (const MatrixShape& m : matrices) {
            offsets.push_back(alignUp(size, alignment));
            size = offsets.back() + alignUp(bytesOf(type, m), 4);
        }
        if (size <= room || matrices.size() <= 1)
            break;
        matrices.pop_back();
    }
    if (matrices.empty() || room < std::min(kMinGpuBytes, wanted) || size > room)
        return fail(ErrorCode::OutOfMemory, "too little memory is free on " + adapter.name +
                                                " to measure its decode rate");
    uint32_t maxRows = 0, maxCols = 0;
    uint64_t maxRowBytes = 0;
    for (const MatrixShape& m : matrices) {
        maxRows = std::max(maxRows, m.rows);
        maxCols = std::max(maxCols, m.cols);
        maxRowBytes = std::max(maxRowBytes, rowBytesOf(type, m));
    }

    auto pool = blockPool(type, matrices);
    if (!pool)
        return std::unexpected(pool.error());
    auto weights = vk::Buffer::create(device, size, vk::MemoryUsage::DeviceLocal);
    if (!weights)
        return std::unexpected(weights.error());
    auto x = vk::Buffer::create(device, uint64_t(maxCols) * 4, vk::MemoryUsage::DeviceLocal);
    if (!x)
        return std::unexpected(x.error());
    auto normWeight = vk::Buffer::create(device, uint64_t(maxCols) * 4, vk::MemoryUsage::DeviceLocal);
    if (!normWeight)
        return std::unexpected(normWeight.error());
    auto y = vk::Buffer::create(device, uint64_t(maxRows) * 4, vk::MemoryUsage::DeviceLocal);
    if (!y)
        return std::unexpected(y.error());
    auto staging = vk::Buffer::create(device, std::max(maxRowBytes, std::min(kDecodeRateStagingBytes, size)),
                                      vk::MemoryUsage::Upload);
    if (!staging)
        return std::unexpected(staging.error());
    auto recorder = vk::CommandRecorder::create(device);
    if (!recorder)
        return std::unexpected(recorder.error());
    vk::CommandRecorder& r = **recorder;

    // The weights, a staging buffer at a time; the vectors filled with
    // ordinary floats (never the zero page, never a NaN).
    uint64_t staged = 0;  // bytes in the staging buffer, copied by the open recording
    uint64_t rowIndex = 0;
    PONDER_TRY(r.begin());
    for (size_t i = 0; i < matrices.size(); ++i) {
        const uint64_t rowBytes = rowBytesOf(type, matrices[i]);
        for (uint32_t row = 0; row < matrices[i].rows;) {
            if (staging->size() - staged < rowBytes) {
                PONDER_TRY(r.end());
                PONDER_TRY(r.submitAndWait());
                PONDER_TRY(r.begin());
                staged = 0;
            }
            const uint64_t n = std::min<uint64_t>(matrices[i].rows - row, (staging->size() - staged) / rowBytes);
            for (uint64_t k = 0; k < n; ++k)
                pool->fillRow(staging->mapped() + staged + k * rowBytes, rowBytes, rowIndex++);
            r.copy(staging->range(staged, n * rowBytes), weights->range(offsets[i] + row * rowBytes, n * rowBytes));
            staged += n * rowBytes;
            row += uint32_t(n);
        }
    }
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
    for (size_t i = 0; i < matrices.size(); ++i) {
        const MatrixShape& m = matrices[i];
        const vk::BufferRange out = y->range(0, uint64_t(m.rows) * 4);
        const uint32_t role = uint32_t(i % 7);  // q k v o gate up down
        MatVecOptions extra;
        if (role == 3 || role == 6)
            extra.residual = out;
        else if (foldsNorm) {
            extra.normWeight = normWeight->range(0, uint64_t(m.cols) * 4);
            extra.normEpsilon = 1e-6f;
        }
        const vk::BufferRange w = weights->range(offsets[i], alignUp(bytesOf(type, m), 4));
        PONDER_TRY(kernels.matVecBatch(r, type, m.rows, m.cols, 1, out, w, x->range(0, uint64_t(m.cols) * 4), extra));
        r.barrier();
    }
    PONDER_TRY(r.end());

    DecodeRate rate = describe(type, matrices, 0, profiled);
    auto seconds = fastestGpuPass(r, options.repeats, profiled);
    if (!seconds)
        return std::unexpected(seconds.error());
    rate.seconds = *seconds;
    return rate;
}

Result<DecodeRate> measureCpuDecodeRate(TensorType type, uint32_t threads, const DecodeRateOptions& options)
{
    if (!canQuantize(type))
        return fail(ErrorCode::Unsupported, "the CPU engine has no decode kernel for " + tensorTypeNameOrId(type));
    auto shapes = requestedShapes(type, options);
    if (!shapes)
        return std::unexpected(shapes.error());
    const uint64_t wanted = options.bytes ? options.bytes : kDecodeRateCpuBytes;
    if (wanted < rowBytesOf(type, shapes->front()))
        return fail(ErrorCode::InvalidArgument, "a decode-rate measure needs at least one row's bytes");
    const std::vector<MatrixShape> matrices = passMatrices(type, *shapes, wanted);
    if (threads == 0)
        threads = std::max(readCpuInfo().physicalCores, 1u);

    auto pool = blockPool(type, matrices);
    if (!pool)
        return std::unexpected(pool.error());
    {
        // Unsupported before allocating, for a type the kernels lack.
        const TensorDesc small{.name = "probe", .type = type, .dims = {pool->cols, kPoolRows}, .bytes = pool->bytes.size()};
        auto check = cpu::CpuMatrix::prepare(WeightView{&small, pool->bytes});
        if (!check)
            return std::unexpected(check.error());
    }

    // The matrices back to back, each on a cache line.
    constexpr uint64_t kAlignment = 64;
    std::vector<uint64_t> offsets;
    uint64_t total = 0;
    for (const MatrixShape& m : matrices) {
        offsets.push_back(total);
        total = alignUp(total + bytesOf(type, m), kAlignment);
    }
    struct Free {
        void operator()(std::byte* p) const { ::operator delete(p, std::align_val_t(kAlignment)); }
    };
    std::unique_ptr<std::byte, Free> weights(
        static_cast<std::byte*>(::operator new(total, std::align_val_t(kAlignment), std::nothrow)));
    if (!weights)
        return fail(ErrorCode::OutOfMemory, "cannot allocate " + std::to_string(total >> 20) +
                                                " MiB for the CPU's decode-rate test");
    std::vector<TensorDesc> descs;
    descs.reserve(matrices.size());
    std::vector<cpu::CpuMatrix> ms;
    ms.reserve(matrices.size());
    for (size_t i = 0; i < matrices.size(); ++i) {
        const uint64_t bytes = bytesOf(type, matrices[i]);
        descs.push_back({.name = "decode_rate", .type = type, .dims = {matrices[i].cols, matrices[i].rows},
                         .bytes = bytes});
        auto matrix = cpu::CpuMatrix::prepare(
            WeightView{&descs.back(), std::span<const std::byte>(weights.get() + offsets[i], bytes)});
        if (!matrix)
            return std::unexpected(matrix.error());
        ms.push_back(std::move(*matrix));
    }

    std::unique_ptr<cpu::ThreadPool> workers;
    try {
        workers = std::make_unique<cpu::ThreadPool>(threads);
    } catch (const std::system_error& error) {
        return fail(ErrorCode::OutOfMemory, std::string("cannot start the decode-rate test's threads: ") + error.what());
    }

    // Each thread writes the rows it will read (its pages are its node's,
    // as the first touch placed them).
    std::vector<uint64_t> firstRow(ms.size(), 0);
    for (size_t i = 1; i < ms.size(); ++i)
        firstRow[i] = firstRow[i - 1] + ms[i - 1].rows();
    workers->run([&](unsigned thread) {
        for (size_t i = 0; i < ms.size(); ++i) {
            const uint64_t rowBytes = rowBytesOf(type, matrices[i]);
            const cpu::Range range = cpu::splitRange(ms[i].rows(), ms[i].rowGranularity(), thread, threads);
            for (size_t row = range.begin; row < range.end; ++row)
                pool->fillRow(weights.get() + offsets[i] + row * rowBytes, rowBytes, firstRow[i] + row);
        }
    });

    // One token's activations per input width, quantized as Forward
    // quantizes its inputs.
    std::map<uint32_t, cpu::QuantizedActivations> inputs;
    uint32_t maxRows = 0;
    std::mt19937 random(7);
    std::normal_distribution<float> normal(0.f, 1.f);
    for (const cpu::CpuMatrix& m : ms) {
        maxRows = std::max(maxRows, uint32_t(m.rows()));
        const uint32_t width = uint32_t(m.rowLength());
        if (inputs.contains(width))
            continue;
        std::vector<float> input(width);
        for (float& v : input)
            v = normal(random);
        cpu::QuantizedActivations& x = inputs[width];
        x.reserve(m.inputFormat(), width, 1);
        x.quantize(input.data(), 1, width);
    }
    std::vector<const cpu::QuantizedActivations*> inputOf;
    for (const cpu::CpuMatrix& m : ms)
        inputOf.push_back(&inputs.at(uint32_t(m.rowLength())));
    std::vector<float> y(maxRows);

    DecodeRate rate = describe(type, matrices, threads, false);
    for (int pass = -1; pass < options.repeats; ++pass) {
        const auto start = Clock::now();
        for (size_t i = 0; i < ms.size(); ++i) {
            const cpu::CpuMatrix& m = ms[i];
            workers->run([&](unsigned thread) {
                const cpu::Range range = cpu::splitRange(m.rows(), m.rowGranularity(), thread, threads);
                if (range.begin < range.end)
                    m.multiply(range.begin, range.end, *inputOf[i], y.data(), m.rows());
            });
        }
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

// The layer of a "blk.N." tensor; -1 for any other.
int64_t layerOfName(std::string_view name)
{
    if (!name.starts_with("blk."))
        return -1;
    int64_t layer = 0;
    size_t i = 4;
    for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i)
        layer = layer * 10 + (name[i] - '0');
    return i > 4 ? layer : -1;
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

std::vector<TensorType> decodeReadTypes(const ModelInfo& info, const ModelPart& part)
{
    const auto bytes = partReadBytesByType(info, part);
    std::vector<TensorType> types;
    for (TensorType type : kDecodeRateTypes)
        if (bytes.contains(type))
            types.push_back(type);
    for (const auto& [type, count] : bytes)
        if (std::find(types.begin(), types.end(), type) == types.end())
            types.push_back(type);
    return types;
}

std::vector<MatrixShape> decodeMatrixShapes(const ModelInfo& info, const ModelPart& part, TensorType type)
{
    // Tensors as partReadBytesByType counts them, layers in order, then the rest (the output).
    std::vector<std::pair<int64_t, MatrixShape>> found;
    for (const TensorDesc& t : info.tensors) {
        if (t.type != type || t.dims.size() < 2 || !part.holdsTensor(info.config, t.name))
            continue;
        if (t.name.starts_with("token_embd.") && !(part.output && info.config.tiedOutput))
            continue;
        const int64_t layer = layerOfName(t.name);
        found.push_back({layer < 0 ? INT64_MAX : layer, MatrixShape{uint32_t(t.dims[1]), uint32_t(t.dims[0])}});
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<MatrixShape> shapes;
    for (const auto& [layer, shape] : found)
        shapes.push_back(shape);
    return shapes;
}

namespace {

template <typename Measure>
Result<DecodeRates> measureModel(const ModelInfo& info, const ModelPart& part, const DecodeRateOptions& options,
                                 const Measure& measure)
{
    DecodeRates rates;
    for (TensorType type : decodeReadTypes(info, part)) {
        DecodeRateOptions own = options;
        own.shapes = decodeMatrixShapes(info, part, type);
        auto rate = measure(type, own);
        if (!rate)
            return std::unexpected(rate.error());
        rates.bytesPerSecond[type] = rate->bytesPerSecond();
    }
    return rates;
}

} // namespace

Result<DecodeRates> measureGpuDecodeRates(const Kernels& kernels, const ModelInfo& info, const ModelPart& part,
                                          const DecodeRateOptions& options)
{
    return measureModel(info, part, options, [&](TensorType type, const DecodeRateOptions& own) {
        return measureGpuDecodeRate(kernels, type, own);
    });
}

Result<DecodeRates> measureCpuDecodeRates(const ModelInfo& info, const ModelPart& part, uint32_t threads,
                                          const DecodeRateOptions& options)
{
    return measureModel(info, part, options, [&](TensorType type, const DecodeRateOptions& own) {
        return measureCpuDecodeRate(type, threads, own);
    });
}

} // namespace ponder
