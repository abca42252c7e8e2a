// How fast a device's decode kernels get through weights, measured: bytes
// of weights per second that single-token matrix-vector products of one
// tensor type reach, the figure a decode step's weight reads are divided by
// in Placement::estimatedTokensPerSecond (PlacementDevice::decodeBytesPerSecond).
//
// Why not the read bandwidth (bandwidth.h): decode is often bound by
// dequantizing, not by memory. On the CI machine lavapipe's matvec gets
// through 1-2.6 GB/s of Q4_K where its read shader streams 4-9 GB/s, and
// the CPU engine at 2 threads 8-26 GB/s where a plain read does 26-55 GB/s
// (the machine is shared: its figures swing 2-3x from one second to the
// next); on a large GPU, small matrices and the barriers between them
// leave decode far below the bandwidth too. So this runs the decode
// kernels themselves:
//
// - a GPU: Kernels::matVecBatch with one vector, the kernel and variant
//   GpuSession's decode records (the RMS norm folded into five of every
//   seven matrices and a residual added by the other two, as a layer's
//   q, k, v, o, gate, up, down do where the variant folds it), a barrier
//   after each, over matrices filling a device-local buffer well past the
//   GPU's L2; timed by GPU timestamps where the queue has them.
// - the CPU engine: CpuMatrix::multiply on one token's quantized
//   activations, each matrix split by rows across a thread pool as Forward
//   splits it (one ThreadPool::run per matrix), over matrices well past the
//   last-level cache.
//
// The weights are real blocks of the type (the engine's quantizer's output
// on random values), drawn at random for every row so that no two pages are
// alike. Each measure is the fastest of a few passes after a warm-up one:
// well under a second per type on a GPU (most of it writing the weights),
// a fraction of a second per type for the CPU engine. The app measures a
// device once, on a background thread, and keeps the figures.
//
// What a decode step costs beyond its matvecs (norms, RoPE, attention, the
// activations' quantization, a submit and a wait, sampling) is not in these
// figures. Shapes matter: rows of 1536 values run below rows of 4096 on
// both engines here, so a model's own matrices (the ModelInfo overloads)
// predict its decode better than the 4096 x 4096 default. On the qwen-1.5b
// shape (Q4_K_M) here ponder-bench's decode step, sampling aside, took
// 1.0-1.33x what the own-matrix figures predicted on the CPU engine and
// 1.16-1.22x on lavapipe; 1.26-1.6x and 1.4-2.6x the default shape's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "ponder/error.h"
#include "ponder/model_info.h"
#include "ponder/model_part.h"
#include "ponder/tensor_type.h"

namespace ponder {

class Kernels;

// A matrix of `rows` outputs by `cols` inputs (GGUF dims {cols, rows}).
struct MatrixShape {
    uint32_t rows = 0;
    uint32_t cols = 0;
    bool operator==(const MatrixShape&) const = default;
};

// One measurement of one weight type.
struct DecodeRate {
    TensorType type = TensorType::F32;
    uint64_t bytes = 0;     // weight bytes one pass reads: every matrix's rows x the row's bytes
    uint32_t matrices = 0;  // per pass
    MatrixShape first;      // the first matrix's shape (all of them, without DecodeRateOptions::shapes)
    uint32_t threads = 0;   // the CPU engine: threads that split each matrix; a GPU: 0
    double seconds = 0;     // of the fastest pass
    bool gpuTimestamps = false;  // a GPU's passes were timed by GPU timestamps (else by the wall clock around each)
    double bytesPerSecond() const { return seconds > 0 ? double(bytes) / seconds : 0; }
};

// The working set: `bytes` of weights (0: the device's default below) in
// matrices of `rows` x `cols`, as many as fit, at least one (with fewer
// rows when not even one does); or, when `shapes` is not empty, matrices
// of those shapes in turn (a model's own: decodeMatrixShapes) until the
// next would pass `bytes` (the first one alone has its rows cut to fit).
// Columns must be a whole number of the type's blocks.
struct DecodeRateOptions {
    uint64_t bytes = 0;
    uint32_t rows = 4096;
    uint32_t cols = 4096;
    std::vector<MatrixShape> shapes;
    int repeats = 3;  // timed passes, after one warm-up pass
};

// Defaults: past a GPU's L2 (and an AMD GPU's 96 MiB Infinity Cache),
// within lavapipe's 128 MiB binding; far past a CPU's last-level cache.
inline constexpr uint64_t kDecodeRateGpuBytes = 128ull << 20;
inline constexpr uint64_t kDecodeRateCpuBytes = 256ull << 20;

// The types the standard quant mixes store matrices in, and the float ones.
inline constexpr TensorType kDecodeRateTypes[] = {
    TensorType::Q4_K, TensorType::Q6_K, TensorType::Q5_K, TensorType::Q8_0, TensorType::Q3_K,
    TensorType::Q2_K, TensorType::Q4_0, TensorType::F16,  TensorType::BF16, TensorType::F32,
};

// matVecBatch with one vector over device-local matrices of `type`, in
// one buffer of min(bytes, a quarter of the free device-local memory, one
// allocation's most), each bound as decode binds it (split by rows past
// maxStorageBufferRange). Unsupported for a type matvec has no kernel for;
// InvalidArgument for no rows, columns that are not whole blocks, no
// repeats or bytes under one row; OutOfMemory when under 16 MiB (or the
// requested bytes, if less) can be had.
Result<DecodeRate> measureGpuDecodeRate(const Kernels& kernels, TensorType type, const DecodeRateOptions& options = {});

// CpuMatrix::multiply for one token over `bytes` of matrices of `type`,
// split by rows across `threads` threads (0: one per physical core, as
// CpuBackend). Unsupported for a type the CPU engine cannot compute with;
// InvalidArgument as above; OutOfMemory when the weights cannot be allocated.
Result<DecodeRate> measureCpuDecodeRate(TensorType type, uint32_t threads = 0, const DecodeRateOptions& options = {});

// Several types' rates, bytes of weights per second each.
struct DecodeRates {
    std::map<TensorType, double> bytesPerSecond;

    // Seconds one decode step's weight reads take: the sum over
    // `bytesByType` (partReadBytesByType, placement.h) of bytes / that
    // type's rate. Unset when a type there has no positive rate.
    std::optional<double> secondsFor(const std::map<TensorType, uint64_t>& bytesByType) const;
};

// The measures above for each of `types` (duplicates measured once); the
// first failure is the result.
Result<DecodeRates> measureGpuDecodeRates(const Kernels& kernels, std::span<const TensorType> types,
                                          const DecodeRateOptions& options = {});
Result<DecodeRates> measureCpuDecodeRates(std::span<const TensorType> types, uint32_t threads = 0,
                                          const DecodeRateOptions& options = {});

// The types of the matrices a decode step of `part` of `info` reads (every
// matrix it holds but the embedding table, which it reads only as the tied
// output: partReadBytesByType's), in the order of kDecodeRateTypes, then
// any others.
std::vector<TensorType> decodeReadTypes(const ModelInfo& info, const ModelPart& part);
inline std::vector<TensorType> decodeReadTypes(const ModelInfo& info)
{
    return decodeReadTypes(info, ModelPart::whole(info.config));
}

// The shapes of those matrices of `type`, in the order a decode step reads
// them: layer by layer, the output last.
std::vector<MatrixShape> decodeMatrixShapes(const ModelInfo& info, const ModelPart& part, TensorType type);

// Each type a decode of `part` of `info` reads, measured over the part's own
// matrices of that type (options.shapes set to decodeMatrixShapes): the
// figures that predict that model's decode best, per-matrix costs included
// (a small model's short rows and many barriers run below a large one's).
Result<DecodeRates> measureGpuDecodeRates(const Kernels& kernels, const ModelInfo& info, const ModelPart& part,
                                          const DecodeRateOptions& options = {});
Result<DecodeRates> measureCpuDecodeRates(const ModelInfo& info, const ModelPart& part, uint32_t threads = 0,
                                          const DecodeRateOptions& options = {});

} // namespace ponder
