// The public quant API: argument checks, dispatch to the block codecs, the
// threaded row quantizer and the row helpers.
#include "ponder/quant.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "quant/codec.h"

namespace ponder {
namespace quant {

const Codec* codecFor(TensorType type)
{
    static constexpr Codec kF32{dequantizeF32, quantizeF32};
    static constexpr Codec kF16{dequantizeF16, quantizeF16};
    static constexpr Codec kBF16{dequantizeBF16, quantizeBF16};
    static constexpr Codec kQ4_0{dequantizeQ4_0, quantizeQ4_0};
    static constexpr Codec kQ8_0{dequantizeQ8_0, quantizeQ8_0};
    static constexpr Codec kQ2_K{dequantizeQ2_K, quantizeQ2_K};
    static constexpr Codec kQ3_K{dequantizeQ3_K, quantizeQ3_K};
    static constexpr Codec kQ4_K{dequantizeQ4_K, quantizeQ4_K};
    static constexpr Codec kQ5_K{dequantizeQ5_K, quantizeQ5_K};
    static constexpr Codec kQ6_K{dequantizeQ6_K, quantizeQ6_K};
    switch (type) {
    case TensorType::F32: return &kF32;
    case TensorType::F16: return &kF16;
    case TensorType::BF16: return &kBF16;
    case TensorType::Q4_0: return &kQ4_0;
    case TensorType::Q8_0: return &kQ8_0;
    case TensorType::Q2_K: return &kQ2_K;
    case TensorType::Q3_K: return &kQ3_K;
    case TensorType::Q4_K: return &kQ4_K;
    case TensorType::Q5_K: return &kQ5_K;
    case TensorType::Q6_K: return &kQ6_K;
    default: return nullptr;
    }
}

} // namespace quant

namespace {

std::string describe(TensorType type)
{
    if (!tensorTypeFromId(uint32_t(type)))
        return "unknown tensor type id " + std::to_string(uint32_t(type));
    return std::string(tensorTypeName(type));
}

Result<const quant::Codec*> codecOrError(TensorType type)
{
    if (const quant::Codec* codec = quant::codecFor(type))
        return codec;
    return fail(ErrorCode::Unsupported, describe(type) + " cannot be converted on the CPU");
}

Result<void> checkBlockCount(TensorType type, uint64_t count)
{
    const uint32_t blockSize = traits(type).blockSize;
    if (count % blockSize != 0)
        return fail(ErrorCode::InvalidArgument, describe(type) + " stores values in blocks of " +
                                                    std::to_string(blockSize) + ", and " + std::to_string(count) +
                                                    " values are not a whole number of blocks");
    return {};
}

Result<void> checkBytes(TensorType type, uint64_t count, uint64_t bytes)
{
    if (bytes != tensorBytes(type, count))
        return fail(ErrorCode::InvalidArgument, std::to_string(count) + " " + describe(type) + " values take " +
                                                    std::to_string(tensorBytes(type, count)) + " bytes, not " +
                                                    std::to_string(bytes));
    return {};
}

// Block formats keep their scales in f16, so they can only hold finite
// values within f16's range; say which value is not.
Result<void> checkEncodable(TensorType type, std::span<const float> src)
{
    if (type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16)
        return {};
    constexpr float kLimit = 65504.f;
    for (size_t i = 0; i < src.size(); ++i) {
        if (!(std::fabs(src[i]) <= kLimit))
            return fail(ErrorCode::InvalidArgument, describe(type) + " cannot hold value " + std::to_string(src[i]) +
                                                        " at index " + std::to_string(i) +
                                                        " (NaN, infinity and magnitudes above 65504 are refused)");
    }
    return {};
}

Result<const quant::Codec*> checkQuantize(TensorType type, std::span<const float> src, size_t dstBytes)
{
    auto codec = codecOrError(type);
    if (!codec)
        return codec;
    if (auto ok = checkBlockCount(type, src.size()); !ok)
        return std::unexpected(ok.error());
    if (auto ok = checkBytes(type, src.size(), dstBytes); !ok)
        return std::unexpected(ok.error());
    if (auto ok = checkEncodable(type, src); !ok)
        return std::unexpected(ok.error());
    return codec;
}

} // namespace

bool canDequantize(TensorType type) { return quant::codecFor(type) != nullptr; }
bool canQuantize(TensorType type) { return quant::codecFor(type) != nullptr; }

Result<void> dequantize(TensorType type, std::span<const std::byte> src, std::span<float> dst)
{
    auto codec = codecOrError(type);
    if (!codec)
        return std::unexpected(codec.error());
    if (auto ok = checkBlockCount(type, dst.size()); !ok)
        return ok;
    if (auto ok = checkBytes(type, dst.size(), src.size()); !ok)
        return ok;
    if (dst.empty())
        return {};
    (*codec)->dequantize(src.data(), dst.data(), dst.size() / traits(type).blockSize);
    return {};
}

Result<void> quantize(TensorType type, std::span<const float> src, std::span<std::byte> dst)
{
    auto codec = checkQuantize(type, src, dst.size());
    if (!codec)
        return std::unexpected(codec.error());
    if (src.empty())
        return {};
    (*codec)->quantize(src.data(), dst.data(), src.size() / traits(type).blockSize);
    return {};
}

Result<void> quantizeRows(TensorType type, std::span<const float> src, uint64_t rowLength,
                          std::span<std::byte> dst, unsigned threads)
{
    if (rowLength == 0 || src.size() % rowLength != 0)
        return fail(ErrorCode::InvalidArgument, std::to_string(src.size()) + " values are not a whole number of rows of " +
                                                    std::to_string(rowLength));
    if (auto ok = checkBlockCount(type, rowLength); !ok)
        return ok;
    auto codec = checkQuantize(type, src, dst.size());
    if (!codec)
        return std::unexpected(codec.error());

    const uint64_t rows = src.size() / rowLength;
    const uint64_t blocksPerRow = rowLength / traits(type).blockSize;
    const uint64_t rowBytes = tensorBytes(type, rowLength);
    const uint64_t wanted = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    const uint64_t parts = std::min<uint64_t>(wanted, rows);
    const quant::QuantizeFn encode = (*codec)->quantize;
    // Part p gets rows/parts rows, plus one of the leftover rows if p is small.
    auto firstRow = [&](uint64_t part) { return part * (rows / parts) + std::min(part, rows % parts); };
    auto run = [&](uint64_t part) {
        const uint64_t first = firstRow(part), last = firstRow(part + 1);
        encode(src.data() + first * rowLength, dst.data() + first * rowBytes, (last - first) * blocksPerRow);
    };

    std::vector<std::thread> workers;
    for (uint64_t part = 1; part < parts; ++part) {
        try {
            workers.emplace_back(run, part);
        } catch (...) {
            run(part);  // no thread to be had: do this part here
        }
    }
    if (parts > 0)
        run(0);
    for (auto& worker : workers)
        worker.join();
    return {};
}

Result<void> dequantizeRow(TensorType type, std::span<const std::byte> tensor, uint64_t rowLength, uint64_t row,
                           std::span<float> out)
{
    auto codec = codecOrError(type);
    if (!codec)
        return std::unexpected(codec.error());
    if (rowLength == 0 || out.size() != rowLength)
        return fail(ErrorCode::InvalidArgument, "a row of " + std::to_string(rowLength) +
                                                    " values needs an output of that size, not " +
                                                    std::to_string(out.size()));
    if (auto ok = checkBlockCount(type, rowLength); !ok)
        return ok;
    const uint64_t rowBytes = tensorBytes(type, rowLength);
    if (row >= tensor.size() / rowBytes)
        return fail(ErrorCode::InvalidArgument, "row " + std::to_string(row) + " is past the end of a " +
                                                    std::to_string(tensor.size()) + "-byte " + describe(type) +
                                                    " tensor with rows of " + std::to_string(rowBytes) + " bytes");
    (*codec)->dequantize(tensor.data() + row * rowBytes, out.data(), rowLength / traits(type).blockSize);
    return {};
}

Result<double> dotRow(TensorType type, std::span<const std::byte> row, std::span<const float> x)
{
    auto codec = codecOrError(type);
    if (!codec)
        return std::unexpected(codec.error());
    if (auto ok = checkBlockCount(type, x.size()); !ok)
        return std::unexpected(ok.error());
    if (auto ok = checkBytes(type, x.size(), row.size()); !ok)
        return std::unexpected(ok.error());

    // Decode a chunk of whole blocks at a time into a stack buffer.
    constexpr size_t kChunk = 1024;  // values; a multiple of every block size
    const uint32_t blockSize = traits(type).blockSize;
    const uint32_t blockBytes = traits(type).blockBytes;
    float values[kChunk];
    double sum = 0.0;
    for (size_t first = 0; first < x.size(); first += kChunk) {
        const size_t count = std::min(kChunk, x.size() - first);
        (*codec)->dequantize(row.data() + first / blockSize * blockBytes, values, count / blockSize);
        for (size_t i = 0; i < count; ++i)
            sum += double(values[i]) * double(x[first + i]);
    }
    return sum;
}

} // namespace ponder
