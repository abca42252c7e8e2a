// The compute kernels, one call each: `kernels.rmsNorm(rec, ...)` records one
// dispatch into a CommandRecorder. Each kernel family lives in its own file
// under engine/src/kernels/; pipelines are built on first use, sized for the
// device, and kept.
//
// The work layouts of matVec and matMul are chosen per device: a CPU device
// (lavapipe) gets CPU-friendly ones. PONDER_GPU_LAYOUTS=1 in the environment
// (or KernelOptions::layouts in code) makes every such choice a discrete
// GPU's, so lavapipe runs whole models through the layouts real GPUs run.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "ponder/error.h"
#include "ponder/memory_plan.h"  // KvCacheType
#include "ponder/model_info.h"  // RopeLayout
#include "ponder/tensor_type.h"
#include "ponder/vk/buffer.h"
#include "ponder/vk/pipeline.h"

namespace ponder {

namespace vk {
class Device;
class CommandRecorder;
}

// How matVec lays out its work. Auto picks RowPerInvocation on CPU devices
// (lavapipe, unless KernelLayouts says otherwise), else Subgroup where the
// device has subgroup arithmetic, else SharedMemory; tests force each one.
enum class MatVecVariant {
    Auto,
    Subgroup,          // a workgroup shares rows, summed with subgroupAdd; Unsupported without subgroup arithmetic
    SharedMemory,      // a workgroup shares rows, summed through a shared-memory tree; any device
    RowPerInvocation,  // each invocation computes whole rows: no reduction, but uncoalesced on a GPU
};

// The optional parts of matVec. A range of size 0 is absent.
struct MatVecOptions {
    vk::BufferRange bias;      // (rows) f32, added to every output vector (qwen2's q/k/v biases)
    vk::BufferRange residual;  // (vectors, rows) f32 added to y; may be exactly y's range (h += W x)
    // (cols) f32: x is RMS-normalised first, x / sqrt(mean(x^2) + normEpsilon)
    // * normWeight, per vector: the norm before a projection, folded in.
    vk::BufferRange normWeight;
    float normEpsilon = 0;
    MatVecVariant variant = MatVecVariant::Auto;
    // The most weight bytes one dispatch binds; 0: the device's
    // maxStorageBufferRange. A larger matrix is split by rows into several
    // dispatches. Tests lower it to reach that path cheaply.
    uint64_t maxBindingBytes = 0;
};

// How matMul divides its work: a workgroup computes a tile of `rows` rows
// by `tokens` tokens, `depth` columns per step, each invocation a block of
// rowsEach x tokensEach outputs. All zero: the device's defaults
// (Kernels::matMulTiles). Tests and tuning set them.
enum class MatMulLayout {
    SharedTiles,      // W and X tiles in shared memory: GPUs
    RegisterWeights,  // W dequantized into registers, X tile shared; tokensEach == tokens: CPU devices
};
struct MatMulTiles {
    uint32_t rows = 0;        // BM: a multiple of rowsEach
    uint32_t tokens = 0;      // BN: a multiple of tokensEach
    uint32_t depth = 0;       // BK: a multiple of 8
    uint32_t rowsEach = 0;    // TM
    uint32_t tokensEach = 0;  // TN
    MatMulLayout layout = MatMulLayout::SharedTiles;
};

// Which layouts the automatic choices take (MatVecVariant::Auto, matMulTiles()).
enum class KernelLayouts {
    Device,           // what suits the device: on a CPU device RowPerInvocation matvec and RegisterWeights matmul
    Gpu,              // a discrete GPU's on any device: Subgroup matvec (SharedMemory without subgroup
                      // arithmetic), SharedTiles matmul
    GpuSharedMemory,  // Gpu, but the SharedMemory matvec (and decode attention without subgroup
                      // operations) even where the device has subgroup arithmetic
};

struct KernelOptions {
    KernelLayouts layouts = KernelLayouts::Device;
};

// The options the environment asks for. PONDER_GPU_LAYOUTS unset, empty or
// "0": Device; "shared-memory": GpuSharedMemory; anything else ("1"): Gpu.
KernelOptions kernelOptionsFromEnvironment();

// The optional parts of matMul. A range of size 0 is absent.
struct MatMulOptions {
    vk::BufferRange bias;      // (rows) f32, added to every token's output
    vk::BufferRange residual;  // (tokens, rows) f32 added to y; may be exactly y's range (h += W x)
    uint64_t maxBindingBytes = 0;  // as in MatVecOptions
    MatMulTiles tiles;             // all zero: matMulTiles()
};

// One layer's key cache (and, alike, its value cache): (headsKv, capacity,
// headDim) values, head-major. Each kv head's positions form one contiguous
// stream that attention reads in order, and a layer larger than one
// storage-buffer binding is bound a whole number of heads at a time.
struct KvCacheShape {
    uint32_t headsKv = 0;
    uint32_t headDim = 0;   // a multiple of 4 (of 32 for Q8_0), at most 256
    uint32_t capacity = 0;  // positions
    KvCacheType type = KvCacheType::F16;

    uint64_t bytes() const;  // of the key cache alone (the value cache is the same)
};

// Which dimensions RoPE turns and how it pairs them.
struct RopeShape {
    uint32_t ropeDims = 0;  // the first ropeDims of each head rotate: even, at most headDim
    RopeLayout layout = RopeLayout::AdjacentPairs;
};

// Optional parts of kvStore.
struct KvStoreOptions {
    // ropeDims > 0: rotate the keys on their way into the cache (RoPE fused
    // with the store: one pass over k), with freqTable as for rope().
    RopeShape rope;
    vk::BufferRange freqTable;
    // The most cache bytes one dispatch binds; 0: the device's
    // maxStorageBufferRange. Tests lower it to reach the split path.
    uint64_t maxBindingBytes = 0;
};

// The shape of an attention call.
struct AttentionShape {
    KvCacheShape cache;
    uint32_t heads = 0;   // query heads, a multiple of cache.headsKv; head h reads kv head h / (heads / headsKv)
    // Decode: the most key ranges per kv head attended in parallel, which
    // sizes the scratch and the dispatch; each step uses decodeSplits(cached
    // tokens, splits) of them (ponder/decode_splits.h), computed on the GPU.
    // 0: maxDecodeSplits() for the device's compute units, the kv heads and
    // the capacity, as the memory plan's ActivationLayout::decodeSplits.
    uint32_t splits = 0;
    uint64_t maxBindingBytes = 0;  // as in KvStoreOptions
    // Decode: the variant for devices without subgroup arithmetic, which it
    // takes anyway; true forces it on any device (tests).
    bool noSubgroups = false;
    // Decode: invocations per workgroup, also keys per tile, a power of two
    // (tests); 0: 256, or 64 with a CPU device's layouts (KernelLayouts),
    // where a workgroup costs per invocation and a short context fills a
    // small one.
    uint32_t decodeBlock = 0;
};

class Kernels {
public:
    // With kernelOptionsFromEnvironment(), read here, once per Kernels.
    static Result<std::unique_ptr<Kernels>> create(const vk::Device& device);
    static Result<std::unique_ptr<Kernels>> create(const vk::Device& device, const KernelOptions& options);
    ~Kernels();
    Kernels(const Kernels&) = delete;
    Kernels& operator=(const Kernels&) = delete;

    const vk::Device& device() const { return m_device; }
    const KernelOptions& options() const { return m_options; }

    // Dispatches recorded per work layout since create(), each slice of a
    // split matrix counted (a recording replayed many times counts once), so
    // a test can tell which layouts a whole forward pass really took.
    struct LayoutCounts {
        std::array<uint64_t, 4> matVec{};  // indexed by MatVecVariant (never Auto)
        std::array<uint64_t, 2> matMul{};  // indexed by MatMulLayout
    };
    const LayoutCounts& layoutCounts() const { return m_layoutCounts; }

    // y = x / sqrt(mean(x^2) + eps) * weight, per row.
    // y, x: (rows, n) f32; weight: (n) f32.                      [rms_norm.cpp]
    Result<void> rmsNorm(vk::CommandRecorder& recorder, uint32_t rows, uint32_t n, float eps, const vk::BufferRange& y,
                         const vk::BufferRange& x, const vk::BufferRange& weight) const;

    // y = W x (+ bias) (+ residual), the decode matrix-vector product.
    // W: (cols, rows) of `type` in GGUF order (dims[0] = cols contiguous; row r
    // is bytes r*rowBytes ..), cols a whole number of the type's blocks;
    // x: (cols) f32; y: (rows) f32, must not overlap x or w. w's range must
    // reach the matrix's end rounded up to 4 bytes (shaders read whole words;
    // GGUF pads tensors to 32) and start at a multiple of 4 and of the
    // device's storage offset alignment.                           [matvec.cpp]
    Result<void> matVec(vk::CommandRecorder& recorder, TensorType type, uint32_t rows, uint32_t cols,
                        const vk::BufferRange& y, const vk::BufferRange& w, const vk::BufferRange& x,
                        const MatVecOptions& options = {}) const;
    // matVec for `vectors` (1..8) inputs at once, reading W once:
    // x: (vectors, cols) f32; y and residual: (vectors, rows) f32.   [matvec.cpp]
    Result<void> matVecBatch(vk::CommandRecorder& recorder, TensorType type, uint32_t rows, uint32_t cols,
                             uint32_t vectors, const vk::BufferRange& y, const vk::BufferRange& w,
                             const vk::BufferRange& x, const MatVecOptions& options = {}) const;

    // Y = X W^T (+ bias) (+ residual), the prefill matrix-matrix product:
    // y[t, r] = sum_c W[r, c] x[t, c] for every token of a prompt chunk.
    // W as matVec's (any type, GGUF order, padded and aligned alike, split
    // into several dispatches when larger than one binding); x: (tokens,
    // cols) f32; y and residual: (tokens, rows) f32; y must not overlap x
    // or w. tokens: 1..65535. Reads W once per tile of tokens, so it beats
    // matVecBatch from a few tokens on.                           [matmul.cpp]
    Result<void> matMul(vk::CommandRecorder& recorder, TensorType type, uint32_t rows, uint32_t cols,
                        uint32_t tokens, const vk::BufferRange& y, const vk::BufferRange& w,
                        const vk::BufferRange& x, const MatMulOptions& options = {}) const;
    // The tiles matMul uses on this device when options.tiles is all zero.  [matmul.cpp]
    MatMulTiles matMulTiles() const;
    // The variant matVec uses on this device for MatVecVariant::Auto.  [matvec.cpp]
    MatVecVariant matVecVariant() const;

    // out[t, :] = dequantize(row ids[t] of table), the token embedding lookup.
    // table: (nEmbd, vocab) of `type` in GGUF order, padded as matVec's w;
    // ids: (tokens) u32 or i32 on the GPU, tokens <= 65535; out: (tokens, nEmbd)
    // f32. The kernel cannot report a bad id: one outside [0, vocab) reads row
    // vocab-1, never out of bounds; callers check ids with checkTokenIds()
    // before uploading them. A table larger than one binding is embedded by
    // one dispatch per slice of rows; maxBindingBytes as in MatVecOptions.
    //                                                               [embed.cpp]
    Result<void> embed(vk::CommandRecorder& recorder, TensorType type, uint32_t nEmbd, uint32_t vocab,
                       uint32_t tokens, const vk::BufferRange& out, const vk::BufferRange& table,
                       const vk::BufferRange& ids, uint64_t maxBindingBytes = 0) const;

    // RoPE for `tokens` tokens: y, x (tokens, heads, headDim) f32, y may be
    // x's range (in place); positions (tokens) u32, each token's absolute
    // position (< 2^24), read on the GPU so a recorded decode step can be
    // replayed after rewriting it; freqTable from ropeFrequencyTable().
    // Dimensions past shape.ropeDims are copied.                     [rope.cpp]
    Result<void> rope(vk::CommandRecorder& recorder, uint32_t tokens, uint32_t heads, uint32_t headDim,
                      const RopeShape& shape, const vk::BufferRange& y, const vk::BufferRange& x,
                      const vk::BufferRange& positions, const vk::BufferRange& freqTable) const;

    // Writes `tokens` tokens' keys and values into one layer's cache at their
    // positions, converted to cache.type, optionally rotating the keys:
    // k, v (tokens, headsKv, headDim) f32; positions (tokens) u32 (a
    // position >= capacity is not stored); kCache, vCache cache.bytes() each,
    // starting at a multiple of 16 bytes. Like every kernel here it does not
    // order itself after earlier work: record a barrier between it and the
    // attention that reads the cache.                                 [rope.cpp]
    Result<void> kvStore(vk::CommandRecorder& recorder, const KvCacheShape& cache, uint32_t tokens,
                         const vk::BufferRange& kCache, const vk::BufferRange& vCache, const vk::BufferRange& k,
                         const vk::BufferRange& v, const vk::BufferRange& positions,
                         const KvStoreOptions& options = {}) const;

    // Attention of one decode token over cache positions 0..pos, pos read
    // from positions (1) u32 on the GPU (its key and value already stored):
    // out, q (heads, headDim) f32, q after RoPE; kCache, vCache as kvStore's;
    // scratch: attentionDecodeScratchBytes(shape) bytes for the per-split
    // partials. Records the split pass, a barrier, and the reduce.
    //                                                            [attention.cpp]
    Result<void> attentionDecode(vk::CommandRecorder& recorder, const AttentionShape& shape,
                                 const vk::BufferRange& out, const vk::BufferRange& q,
                                 const vk::BufferRange& kCache, const vk::BufferRange& vCache,
                                 const vk::BufferRange& positions, const vk::BufferRange& scratch) const;

    // The most splits attentionDecode dispatches for `shape` (its splits, or
    // maxDecodeSplits for this device), and the bytes of scratch it needs.
    //                                                            [attention.cpp]
    uint32_t decodeSplits(const AttentionShape& shape) const;
    uint64_t attentionDecodeScratchBytes(const AttentionShape& shape) const;

    // Causal attention of `tokens` query tokens over the cache, which holds
    // their keys and values and any earlier context: out, q (tokens, heads,
    // headDim) f32; positions (tokens) u32, token t sees cache positions
    // 0..positions[t].                                           [attention.cpp]
    Result<void> attentionPrefill(vk::CommandRecorder& recorder, const AttentionShape& shape, uint32_t tokens,
                                  const vk::BufferRange& out, const vk::BufferRange& q,
                                  const vk::BufferRange& kCache, const vk::BufferRange& vCache,
                                  const vk::BufferRange& positions) const;

    // out = silu(gate) * up over `count` floats; out may be gate's range.
    // maxBindingBytes as in KvStoreOptions.                    [elementwise.cpp]
    Result<void> siluMul(vk::CommandRecorder& recorder, uint64_t count, const vk::BufferRange& out,
                         const vk::BufferRange& gate, const vk::BufferRange& up, uint64_t maxBindingBytes = 0) const;
    // y = a + b over `count` floats (rows of n_embd, flat); y may be a's or
    // b's range.                                                [elementwise.cpp]
    Result<void> add(vk::CommandRecorder& recorder, uint64_t count, const vk::BufferRange& y,
                     const vk::BufferRange& a, const vk::BufferRange& b, uint64_t maxBindingBytes = 0) const;

    // The pipeline for `desc`, built on first use. Kernel files call this.
    Result<const vk::ComputePipeline*> pipeline(const vk::PipelineDesc& desc) const;

    // A power-of-two workgroup size for row reductions that the device allows.
    uint32_t reductionBlockSize() const;

private:
    Kernels(const vk::Device& device, const KernelOptions& options) : m_device(device), m_options(options) {}
    // On a CPU device, unless the options force a GPU's layouts.
    bool cpuLayouts() const;

    using Key = std::pair<ShaderId, std::vector<uint32_t>>;  // shader and specialization constants
    const vk::Device& m_device;
    const KernelOptions m_options;
    mutable std::map<Key, std::unique_ptr<vk::ComputePipeline>> m_pipelines;
    mutable LayoutCounts m_layoutCounts;
};

// InvalidArgument naming the first id outside [0, vocab).            [embed.cpp]
Result<void> checkTokenIds(std::span<const int32_t> ids, uint32_t vocab);

// The per-pair frequency table the rope kernels read: for pair i of
// ropeDims/2, base^(-2i/ropeDims) / freqFactors[i] in turns per position,
// as two floats (a 12-bit head and the rest) so the GPU's angles stay
// within 4e-7 + pos * 6e-11 rad of exact (shaders/common/rope.glsl).
// freqFactors: empty, or Llama 3's rope_freqs (at least ropeDims/2 positive
// values). Computed once per model and uploaded.                      [rope.cpp]
Result<std::vector<float>> ropeFrequencyTable(uint32_t ropeDims, float base, std::span<const float> freqFactors);

// InvalidArgument unless `range` holds at least `count` values of `bytesEach`.
Result<void> checkBinding(const vk::BufferRange& range, uint64_t count, uint64_t bytesEach, const char* what);

// The operands of y = W x (+ bias) (+ residual) for `count` input vectors,
// as matvec and matmul take them: rows of whole `type` blocks, and bindings
// holding every float read or written (bias and residual: size 0 when
// absent). `kernel` ("matvec") starts each message. InvalidArgument if not.
Result<void> checkMatrixOperands(const char* kernel, TensorType type, uint32_t rows, uint32_t cols, uint32_t count,
                                 const vk::BufferRange& y, const vk::BufferRange& x, const vk::BufferRange& bias,
                                 const vk::BufferRange& residual);

// "Q4_K", or "tensor type id 99" for a value that names no type.
std::string tensorTypeNameOrId(TensorType type);

} // namespace ponder
