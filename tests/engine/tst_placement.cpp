// Placement of a model split across devices (placement.h) on the real R1
// distill shapes: the chain's invariants, each part's bytes against an
// independent plan of that part, the automatic choice of the most layers
// that fit, several GPUs by free memory and by given shares, the errors,
// ModelPart's tensors and helpers, the speed estimate, and seed 000's rigs
// (issue 13) against plans computed by hand from the tensor sizes. The rig
// table in docs/SPLIT.md is what seedRigs checks.
#include <QtTest>

#include "cpu_copy_extra.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "ponder/cpu_memory_plan.h"
#include "ponder/known_models.h"
#include "ponder/model_layout.h"
#include "ponder/placement.h"

using namespace ponder;

Q_DECLARE_METATYPE(std::vector<PlacementDevice>)
Q_DECLARE_METATYPE(std::optional<uint32_t>)

namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;

ModelInfo known(const char* shape, QuantMix mix = QuantMix::Q4_K_M)
{
    return modelInfoFromConfig(*knownModelConfig(shape), mix, shape);
}

PlacementDevice gpu(std::string name, uint64_t freeBytes, double bandwidth = 0)
{
    PlacementDevice d;
    d.name = std::move(name);
    d.freeBytes = freeBytes;
    d.readBytesPerSecond = bandwidth;
    return d;
}

PlacementDevice cpu(uint64_t freeBytes, uint32_t threads = 8, double bandwidth = 0)
{
    PlacementDevice d;
    d.name = "CPU (" + std::to_string(threads) + " threads)";
    d.cpu = true;
    d.freeBytes = freeBytes;
    d.threads = threads;
    d.readBytesPerSecond = bandwidth;
    return d;
}

// The context, cache and batch every test here plans for: 4096 tokens, f16
// cache, the default batch (PlanOptions' defaults).
PlacementRequest request(std::optional<uint32_t> gpuLayers = std::nullopt, std::vector<double> shares = {})
{
    PlacementRequest r;
    r.plan.contextLength = 4096;
    r.plan.kvType = KvCacheType::F16;
    r.gpuLayers = gpuLayers;
    r.gpuShares = std::move(shares);
    return r;
}

// The part holding layer units [begin, end) of a model of `blocks` blocks
// (unit `blocks` is the output), written out here rather than taken from
// the placement.
ModelPart unitsPart(uint32_t begin, uint32_t end, uint32_t blocks)
{
    ModelPart p;
    p.firstLayer = std::min(begin, blocks);
    p.endLayer = std::min(end, blocks);
    p.embedding = begin == 0;
    p.output = end == blocks + 1;
    return p;
}

// The layer of a tensor named "blk.<n>.<...>", or -1: parsed here so the
// checks do not lean on ModelPart::holdsTensor.
int layerOfName(const std::string& name)
{
    if (name.rfind("blk.", 0) != 0)
        return -1;
    return std::stoi(name.substr(4));
}

// Whether a part holds a tensor, by the rule placement.h states: a layer's
// tensors with its layer, token_embd with the embedding (and as the output
// of a tied model), output and output_norm with the output, rope_freqs
// wherever layers run.
bool heldByRule(const ModelConfig& c, const ModelPart& p, const std::string& name)
{
    if (const int layer = layerOfName(name); layer >= 0)
        return uint32_t(layer) >= p.firstLayer && uint32_t(layer) < p.endLayer;
    if (name == "token_embd.weight")
        return p.embedding || (p.output && c.tiedOutput);
    if (name == "output.weight" || name == "output_norm.weight")
        return p.output;
    if (name == "rope_freqs.weight")
        return p.endLayer > p.firstLayer;
    return false;
}

uint64_t heldBytes(const ModelInfo& info, const ModelPart& p)
{
    uint64_t bytes = 0;
    for (const TensorDesc& t : info.tensors)
        if (heldByRule(info.config, p, t.name))
            bytes += t.bytes;
    return bytes;
}

// Matrices a part reads per decoded token: every 2-D tensor it holds but the
// embedding table, unless that table is the (tied) output.
uint64_t readBytes(const ModelInfo& info, const ModelPart& p)
{
    uint64_t bytes = 0;
    for (const TensorDesc& t : info.tensors)
        if (t.dims.size() == 2 && heldByRule(info.config, p, t.name) &&
            (t.name != "token_embd.weight" || (p.output && info.config.tiedOutput)))
            bytes += t.bytes;
    return bytes;
}

// Checks the chain: parts in order, contiguous, every layer once, the
// embedding on the first part and the output on the last, the CPU first,
// the GPUs in device order, each part valid and within its device's memory.
void verifyChain(const Placement& p, const ModelInfo& info, std::span<const PlacementDevice> devices)
{
    const ModelConfig& c = info.config;
    QVERIFY(!p.parts.empty());
    QCOMPARE(p.totalUnits, c.blockCount + 1);
    uint32_t next = 0, units = 0, gpuUnits = 0;
    int64_t lastDevice = -1;
    for (size_t i = 0; i < p.parts.size(); ++i) {
        const PlacedPart& part = p.parts[i];
        QVERIFY(part.device < devices.size());
        const PlacementDevice& d = devices[part.device];
        QVERIFY2(checkPart(part.part, c).has_value(), describePart(part.part).c_str());
        QCOMPARE(part.part.firstLayer, next);
        QCOMPARE(part.part.embedding, i == 0);
        QCOMPARE(part.part.output, i + 1 == p.parts.size());
        QVERIFY(part.part.layerCount() > 0 || part.part.output);
        QVERIFY(part.options.part.has_value());
        QCOMPARE(*part.options.part, part.part);
        if (d.cpu) {
            QCOMPARE(i, size_t(0));  // the CPU's layers come first
            QVERIFY(part.cpuPlan && !part.gpuPlan);
        } else {
            QVERIFY(part.gpuPlan && !part.cpuPlan);
            QVERIFY(int64_t(part.device) > lastDevice);  // GPUs in the order given
            lastDevice = int64_t(part.device);
            gpuUnits += part.layerUnits();
        }
        QVERIFY2(part.neededBytes <= d.freeBytes, d.name.c_str());
        next = part.part.endLayer;
        units += part.layerUnits();
    }
    QCOMPARE(next, c.blockCount);
    QCOMPARE(units, p.totalUnits);
    QCOMPARE(p.gpuUnits, gpuUnits);
    QCOMPARE(p.split(), p.parts.size() > 1);
    for (uint32_t layer = 0; layer < c.blockCount; ++layer)
        QCOMPARE(std::count_if(p.parts.begin(), p.parts.end(),
                               [&](const PlacedPart& x) { return x.part.holdsLayer(layer); }),
                 ptrdiff_t(1));
}

// Checks that each part's bytes are those of an independent plan of that
// part: planMemory for a GPU, planCpuMemory for the CPU.
void verifyPartBytes(const Placement& p, const ModelInfo& info, const PlacementRequest& r,
                     std::span<const PlacementDevice> devices)
{
    for (const PlacedPart& part : p.parts) {
        const PlacementDevice& d = devices[part.device];
        PlanOptions options = r.plan;
        options.part = part.part;
        QCOMPARE(part.readBytesPerToken, readBytes(info, part.part));
        QCOMPARE(part.readBytesPerToken, partReadBytesPerToken(info, part.part));
        if (d.cpu) {
            const auto plan = planCpuMemory(info, options, d.threads, d.weightPlacement);
            QVERIFY(plan);
            QCOMPARE(part.allocatedBytes, plan->allocatedBytes());
            QCOMPARE(part.cpuPlan->allocatedBytes(), plan->allocatedBytes());
            QCOMPARE(part.cpuPlan->kvCacheBytes, plan->kvCacheBytes);
            QCOMPARE(part.cpuPlan->weightBytes, plan->weightBytes);
            QCOMPARE(part.cpuPlan->residentWeightBytes, plan->residentWeightBytes);
            // Weights read in place stay in RAM beside the plan; copied, the plan holds them.
            QCOMPARE(part.neededBytes,
                     plan->allocatedBytes() + (plan->readsMappedWeights() ? heldBytes(info, part.part) : 0));
        } else {
            const auto plan = planMemory(info, options, d.limits);
            QVERIFY(plan);
            QCOMPARE(part.neededBytes, d.unifiedMemory ? plan->totalBytes() : plan->deviceLocalBytes());
            QCOMPARE(part.allocatedBytes, plan->totalBytes());
            QCOMPARE(part.gpuPlan->buffers.size(), plan->buffers.size());
            for (size_t b = 0; b < plan->buffers.size(); ++b)
                QCOMPARE(part.gpuPlan->buffers[b].size, plan->buffers[b].size);
            QCOMPARE(part.gpuPlan->tensors.size(), plan->tensors.size());
            QCOMPARE(part.gpuPlan->kv.layers.size(), size_t(part.part.layerCount()));
            QCOMPARE(part.gpuPlan->kv.firstLayer, part.part.firstLayer);
            // Exactly the part's tensors.
            size_t held = 0;
            for (const TensorDesc& t : info.tensors)
                held += heldByRule(info.config, part.part, t.name) ? 1 : 0;
            QCOMPARE(plan->tensors.size(), held);
        }
    }
}

// A GPU's device-local bytes for `part`, by an independent planMemory call.
uint64_t gpuBytes(const ModelInfo& info, const ModelPart& part, const DeviceLimits& limits = {},
                  PlanOptions options = request().plan)
{
    options.part = part;
    const auto plan = planMemory(info, options, limits);
    return plan ? plan->deviceLocalBytes() : ~0ull;
}

QString unitList(const std::vector<uint32_t>& units)
{
    QStringList list;
    for (uint32_t u : units)
        list << QString::number(u);
    return list.join('/');
}

// The first unit the GPUs of the best chain hold: filling the GPUs from the
// end, each taking the most units that fit (exact plans of each candidate
// part) before the one before it. That chain holds the most units any
// chain can: a GPU's part only grows with its range. 0: they hold it all.
uint32_t bestChainStart(const ModelInfo& info, std::span<const PlacementDevice> devices, const PlanOptions& plan)
{
    const uint32_t blocks = info.config.blockCount;
    uint32_t endUnit = blocks + 1;
    for (size_t k = devices.size(); k-- > 0;) {
        if (devices[k].cpu)
            continue;
        uint32_t n = 0;
        while (n < endUnit && gpuBytes(info, unitsPart(endUnit - n - 1, endUnit, blocks), devices[k].limits, plan) <=
                                  devices[k].freeBytes)
            ++n;
        endUnit -= n;
    }
    return endUnit;
}

std::vector<uint32_t> unitsByDevice(const Placement& p, size_t deviceCount)
{
    std::vector<uint32_t> units(deviceCount, 0);
    for (const PlacedPart& part : p.parts)
        units[part.device] = part.layerUnits();
    return units;
}

// ---------------------------------------------------------------------------
// Seed 000's rigs by hand. Every number below comes from the tensor sizes
// (standardTensors) and the formulas written next to it, not from
// planMemory or planCpuMemory.

struct HandModel {
    ModelConfig c;
    std::vector<TensorDesc> tensors;
    std::vector<uint64_t> layerWeights;  // bytes of blk.<i>.* (matrices, norms, biases)
    uint64_t embedding = 0;              // token_embd
    uint64_t output = 0;                 // output.weight + output_norm.weight
    uint64_t ropeFreqs = 0;              // rope_freqs (Llama 3), on every part with layers
    uint64_t largestTensor = 0;
    uint32_t tensorsPerLayer = 0;
};

HandModel handModel(const ModelConfig& c, QuantMix mix)
{
    HandModel m;
    m.c = c;
    m.tensors = standardTensors(c, mix);
    m.layerWeights.assign(c.blockCount, 0);
    for (const TensorDesc& t : m.tensors) {
        m.largestTensor = std::max(m.largestTensor, t.bytes);
        if (const int layer = layerOfName(t.name); layer >= 0) {
            m.layerWeights[size_t(layer)] += t.bytes;
            m.tensorsPerLayer += layer == 0 ? 1 : 0;
        } else if (t.name == "token_embd.weight") {
            m.embedding = t.bytes;
        } else if (t.name == "output.weight" || t.name == "output_norm.weight") {
            m.output += t.bytes;
        } else if (t.name == "rope_freqs.weight") {
            m.ropeFreqs = t.bytes;
        }
    }
    return m;
}

constexpr uint64_t kContext = 4096;
constexpr uint64_t kBatch = 512;

uint64_t roundUp(uint64_t v, uint64_t m)
{
    return (v + m - 1) / m * m;
}

// One layer's KV cache on a GPU: keys and values, each (n_head_kv, context,
// head_dim) f16: 2 * context * n_head_kv * head_dim * 2 bytes (16 MiB for
// all four rigs' models: 8 kv heads of 128).
uint64_t handKvLayer(const ModelConfig& c)
{
    return 2 * kContext * c.headCountKv * c.headDim * 2;
}

// The GPU's activations buffer for one 512-token batch (memory_plan.cpp,
// planActivations), all f32 unless noted:
//   residual and normed, (batch, n_embd) each;
//   q and attention, (batch, n_head * head_dim) each; k and v, (batch, n_head_kv * head_dim) each;
//   gate and up, (batch, n_ff) each;
//   token ids and positions, batch u32 each;
//   decode attention's partials, n_head * splits * (head_dim + 2) floats, with
//     splits = min(2 workgroups x 64 compute units (DeviceLimits' default) / n_head_kv,
//                  context / 256) = min(16, 16) = 16 (decode_splits.h);
//   the RoPE table, rope_dims floats;
//   the logits, (rows, n_vocab), only on the part with the output, where
//     rows = 64 MiB / (4 n_vocab) (kLogitBudgetBytes): 110 rows, 64 MiB for
//     Qwen's 152064 tokens, 130 rows for Llama 3's 128256.
uint64_t handLogitRows(const ModelConfig& c)
{
    return std::min<uint64_t>(kBatch, (64ull << 20) / (4ull * c.vocabSize));
}

uint64_t handActivations(const ModelConfig& c, bool output)
{
    const uint64_t splits = std::min<uint64_t>((2 * 64 + c.headCountKv - 1) / c.headCountKv, kContext / 256);
    uint64_t bytes =
        4 * kBatch * (2ull * c.embeddingLength + 2ull * c.qDim() + 2ull * c.kvDim() + 2ull * c.feedForwardLength);
    bytes += 2 * 4 * kBatch;
    bytes += roundUp(uint64_t(c.headCount) * splits * (c.headDim + 2) * 4, 16);
    bytes += 4ull * c.ropeDimensions;
    if (output)
        bytes += 4 * handLogitRows(c) * c.vocabSize;
    return bytes;
}

struct HandGpuPart {
    uint64_t bytes = 0;  // device-local, before rounding
    uint64_t slack = 0;  // the most the planner's rounding may add
    uint64_t hostVisible = 0;
    uint64_t read = 0;   // matrix bytes read per token
};

// A GPU holding blocks [first, end), the embedding and/or the output:
// weights + KV cache + activations. The planner rounds each buffer up to
// 64 KiB (kBufferGranularity) and each tensor's and region's offset to 256
// bytes (DeviceLimits' storageOffsetAlignment), packing tensors into buffers
// of at most 1 GiB: each buffer but the last is filled past 1 GiB less the
// largest tensor, which bounds the buffer count. Staging (2 x 32 MiB) and
// the readback (the logits of handLogitRows positions, or the hidden rows
// of the batch) are host-visible: system memory, not counted against the card.
HandGpuPart handGpuPart(const HandModel& m, uint32_t first, uint32_t end, bool embedding, bool output)
{
    const ModelConfig& c = m.c;
    HandGpuPart g;
    uint64_t weights = 0, tensors = 0;
    for (uint32_t l = first; l < end; ++l)
        weights += m.layerWeights[l];
    tensors += uint64_t(end - first) * m.tensorsPerLayer;
    if (embedding)
        weights += m.embedding, ++tensors;
    if (output)
        weights += m.output, tensors += 2;
    if (end > first && m.ropeFreqs)
        weights += m.ropeFreqs, ++tensors;
    const uint64_t layers = end - first;
    const uint64_t kv = layers * handKvLayer(c);
    g.bytes = weights + kv + handActivations(c, output);
    const uint64_t weightBuffers = weights / (kGiB - m.largestTensor) + 1;
    const uint64_t kvBuffers = layers == 0 ? 0 : (layers + kGiB / handKvLayer(c) - 1) / (kGiB / handKvLayer(c));
    g.slack = (weightBuffers + kvBuffers + 1) * 64 * 1024 + 256 * (tensors + 2 * layers + 14);
    const uint64_t readback = output ? 4 * handLogitRows(c) * c.vocabSize : 4 * kBatch * c.embeddingLength;
    g.hostVisible = 2 * 32 * kMiB + roundUp(readback, 64 * 1024);
    for (const TensorDesc& t : m.tensors)
        if (t.dims.size() == 2 && t.name != "token_embd.weight" &&
            heldByRule(c, ModelPart{first, end, embedding, output}, t.name))
            g.read += t.bytes;
    return g;
}

// The CPU holding blocks [0, end) and the embedding, never the output here
// (cpu_memory_plan.cpp; every block 64-byte aligned, f32 widths rounded to 16):
//   the mapped weights, held in RAM: every tensor of those blocks and token_embd;
//   the KV cache, 2 * roundUp(n_head_kv * context * head_dim * 2, 64) per block;
//   the f32 scratch of a batch, 512 rows of n_embd (residual, normed, projected),
//     q and attention, k and v, gate and up, and the rope dims;
//   the inputs quantized for the K-quant matrices (Q8_K: a byte per value, a
//     float per 256, then on a cache line a float per 16, rows rounded to 64
//     bytes), 512 rows for
//     each of the five inputs: attention (n_embd), attention output (n_head *
//     head_dim), feed-forward (n_embd), down (n_ff) and output (n_embd);
//   each thread's attention scores, one f32 per context position for each
//     query head of a pass through the cache: the n_head / n_head_kv heads
//     sharing a kv head, at most 4;
//   the norms and biases as f32, (2 norms + q, k, v biases) per block, rope factors.
struct HandCpuPart {
    uint64_t needed = 0;     // what counts against free RAM
    uint64_t allocated = 0;  // all but the mapped weights
    uint64_t mapped = 0;
    uint64_t kv = 0;
    uint64_t read = 0;
};

HandCpuPart handCpuPart(const HandModel& m, uint32_t end, uint32_t threads)
{
    const ModelConfig& c = m.c;
    const auto floats16 = [](uint64_t n) { return roundUp(n, 16); };
    // A Q8_K row: int8 values, a float scale per 256, a float scaled sum
    // and an int16 sum per 16, each part from a cache line.
    const auto q8kRow = [](uint64_t w) {
        return roundUp(roundUp(roundUp(w + w / 256 * 4, 64) + w / 16 * 4, 64) + w / 16 * 2, 64);
    };
    HandCpuPart h;
    for (uint32_t l = 0; l < end; ++l)
        h.mapped += m.layerWeights[l];
    h.mapped += m.embedding + m.ropeFreqs;
    h.kv = uint64_t(end) * 2 * roundUp(uint64_t(c.headCountKv) * kContext * c.headDim * 2, 64);
    const uint64_t scratch =
        4 * (3 * floats16(kBatch * c.embeddingLength) + 2 * floats16(kBatch * c.qDim()) +
             2 * floats16(kBatch * c.kvDim()) + 2 * floats16(kBatch * c.feedForwardLength) +
             floats16(kBatch * c.ropeDimensions));
    const uint64_t quantized =
        kBatch * (3 * q8kRow(c.embeddingLength) + q8kRow(c.qDim()) + q8kRow(c.feedForwardLength));
    // Per thread, a row of scores over the context for each query head of
    // a pass through the cache: a kv head's group, up to 8 (attend_group.h).
    const uint64_t attention =
        uint64_t(threads) * std::min<uint64_t>(c.headCount / c.headCountKv, 8) * floats16(kContext) * 4;
    uint64_t vectors = uint64_t(end) * 2 * floats16(c.embeddingLength);
    if (c.hasQkvBias)
        vectors += uint64_t(end) * (floats16(c.qDim()) + 2 * floats16(c.kvDim()));
    if (c.hasRopeFreqs)
        vectors += floats16(c.ropeDimensions / 2);
    h.allocated = h.kv + scratch + quantized + attention + 4 * vectors;
    h.needed = h.allocated + h.mapped;
    for (const TensorDesc& t : m.tensors)
        if (t.dims.size() == 2 && t.name != "token_embd.weight" &&
            heldByRule(c, ModelPart{0, end, true, false}, t.name))
            h.read += t.bytes;
    return h;
}

// How many blocks a GPU holds when it takes the blocks that end at `end`
// (and the output when `output`): the most n whose bytes by hand fit `free`.
// seedRigs then checks the count is unambiguous: n blocks fit even with the
// planner's largest rounding, and n + 1 do not fit even without it.
uint32_t handFill(const HandModel& m, uint64_t free, uint32_t end, bool output)
{
    uint32_t n = 0;
    while (n < end && handGpuPart(m, end - (n + 1), end, false, output).bytes <= free)
        ++n;
    return n;
}

struct RigDevice {
    const char* name;
    double cardGiB;    // the card's (or RAM's) size
    double freeGiB;    // what it reports free: the card less 0.5 GiB (RAM: less 4 GiB for the system)
    double bandwidth;  // assumed read bandwidth, bytes/s (docs/SPLIT.md)
    bool isCpu;
};

struct Rig {
    const char* id;
    const char* shape;
    std::vector<RigDevice> devices;
    std::vector<uint32_t> expectedUnits;  // per device, as docs/SPLIT.md's table says
};

// Assumed bandwidths (docs/SPLIT.md): an 8 GB RTX 4060-class card 272 GB/s,
// a 6 GB card 192 GB/s (GTX 1660 class), a 4 GB card 128 GB/s (GTX 1650
// class), dual-channel DDR4 ~40 GB/s.
const RigDevice k8GB{"8 GB GPU", 8, 7.5, 272e9, false};
const RigDevice k6GB{"6 GB GPU", 6, 5.5, 192e9, false};
const RigDevice k4GB{"4 GB GPU", 4, 3.5, 128e9, false};
const RigDevice kRam{"CPU, 32 GB RAM", 32, 28, 40e9, true};

std::vector<Rig> seedRigList()
{
    return {
        {"a", "qwen-14b", {k8GB, kRam}, {41, 8}},
        {"b", "qwen-14b", {k8GB, k6GB, k6GB, k6GB}, {16, 11, 11, 11}},
        {"c", "qwen-32b", {k8GB, k6GB, k6GB, kRam}, {25, 18, 16, 6}},
        {"d", "llama-8b", {k4GB, kRam}, {22, 11}},
    };
}

std::vector<PlacementDevice> rigDevices(const Rig& rig)
{
    std::vector<PlacementDevice> devices;
    for (const RigDevice& d : rig.devices) {
        const uint64_t free = uint64_t(d.freeGiB * double(kGiB));
        devices.push_back(d.isCpu ? cpu(free, 8, d.bandwidth) : gpu(d.name, free, d.bandwidth));
    }
    return devices;
}

} // namespace

class TestPlacement : public QObject {
    Q_OBJECT

private slots:
    // One device holds the whole model: its one part is the whole model and
    // its bytes are the whole model's plan.
    void oneGpuHoldsTheWholeModel()
    {
        const ModelInfo info = known("qwen-14b");
        const std::vector<PlacementDevice> devices{gpu("big GPU", 24 * kGiB)};
        const PlacementRequest r = request();
        const auto p = planPlacement(info, r, devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        QCOMPARE(p->parts.size(), size_t(1));
        QVERIFY(!p->split());
        QVERIFY(p->parts[0].part.isWhole(info.config));
        QCOMPARE(p->parts[0].part, ModelPart::whole(info.config));
        QCOMPARE(p->totalUnits, 49u);
        QCOMPARE(p->gpuUnits, 49u);
        const auto whole = planMemory(info, r.plan, DeviceLimits{});
        QVERIFY(whole);
        QCOMPARE(p->parts[0].neededBytes, whole->deviceLocalBytes());
        QCOMPARE(p->parts[0].allocatedBytes, whole->totalBytes());
        QCOMPARE(p->parts[0].gpuPlan->tensors.size(), info.tensors.size());
        verifyChain(*p, info, devices);
        verifyPartBytes(*p, info, r, devices);

        // With the CPU beside it, a GPU that holds everything takes everything.
        const std::vector<PlacementDevice> withCpu{gpu("big GPU", 24 * kGiB), cpu(32 * kGiB)};
        const auto q = planPlacement(info, r, withCpu);
        QVERIFY(q);
        QCOMPARE(q->parts.size(), size_t(1));
        QCOMPARE(q->parts[0].device, size_t(0));
        QCOMPARE(q->parts[0].neededBytes, whole->deviceLocalBytes());
    }

    void cpuAloneHoldsTheWholeModel()
    {
        const ModelInfo info = known("qwen-14b");
        const PlacementRequest r = request();
        for (const auto& devices : {std::vector<PlacementDevice>{cpu(32 * kGiB)},
                                    std::vector<PlacementDevice>{gpu("GPU", 8 * kGiB), cpu(32 * kGiB)}}) {
            // The CPU alone, or a GPU asked for no layers.
            const auto p = planPlacement(info, devices.size() == 1 ? r : request(0u), devices);
            QVERIFY2(p, p ? "" : p.error().message.c_str());
            QCOMPARE(p->parts.size(), size_t(1));
            QCOMPARE(p->gpuUnits, 0u);
            QVERIFY(p->parts[0].part.isWhole(info.config));
            QVERIFY(devices[p->parts[0].device].cpu);
            const auto whole = planCpuMemory(info, r.plan, 8, CpuWeightPlacement::Mapped);
            QVERIFY(whole);
            QCOMPARE(p->parts[0].allocatedBytes, whole->allocatedBytes());
            // Plus every tensor of the file, mapped.
            QCOMPARE(p->parts[0].neededBytes, whole->allocatedBytes() + info.tensorBytes);
            verifyChain(*p, info, devices);
            verifyPartBytes(*p, info, r, devices);
        }
    }

    // A CPU that copies the weights into huge pages allocates them: its
    // plan holds them, counted once, and it needs no more RAM than a CPU
    // reading them in place, but for the copy's rounding.
    void cpuCopyingTheWeightsCountsThemOnce()
    {
        const ModelInfo info = known("qwen-14b");
        PlacementDevice copying = cpu(32 * kGiB);
        copying.weightPlacement = CpuWeightPlacement::HugePages;
        const std::vector<PlacementDevice> copyingDevices{copying}, mappingDevices{cpu(32 * kGiB)};
        const auto p = planPlacement(info, request(), copyingDevices);
        const auto mapped = planPlacement(info, request(), mappingDevices);
        QVERIFY(p && mapped);
        const PlacedPart& part = p->parts.front();
        QVERIFY(part.cpuPlan);
        QCOMPARE(part.cpuPlan->weightPlacement, CpuWeightPlacement::HugePages);
        QCOMPARE(part.neededBytes, part.allocatedBytes);
        QCOMPARE(part.allocatedBytes, part.cpuPlan->allocatedBytes());
        QVERIFY(part.cpuPlan->residentWeightBytes >= part.cpuPlan->weightBytes);
        QCOMPARE(part.cpuPlan->residentWeightBytes % kHugePageBytes, uint64_t(0));
        QVERIFY(part.neededBytes <= mapped->parts.front().neededBytes + test::cpuCopyExtraBytes(info) + kHugePageBytes + 64 * info.tensors.size());
        QVERIFY(part.neededBytes + 64 * kMiB > mapped->parts.front().neededBytes);
        verifyPartBytes(*p, info, request(), copyingDevices);
    }

    // GPU + CPU with the GPU given N units: the CPU's blocks first, the GPU's
    // after, the output (the 49th unit) on the GPU.
    void gpuAndCpuGivenLayers_data()
    {
        QTest::addColumn<uint32_t>("units");
        for (uint32_t n : {1u, 2u, 10u, 30u, 47u, 48u, 49u})
            QTest::newRow(qPrintable(QString::number(n) + " of 49")) << n;
    }

    void gpuAndCpuGivenLayers()
    {
        QFETCH(uint32_t, units);
        const ModelInfo info = known("qwen-14b");
        const std::vector<PlacementDevice> devices{gpu("GPU", 24 * kGiB), cpu(32 * kGiB)};
        const PlacementRequest r = request(units);
        const auto p = planPlacement(info, r, devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, devices);
        if (QTest::currentTestFailed())
            return;
        verifyPartBytes(*p, info, r, devices);
        QCOMPARE(p->gpuUnits, units);
        QCOMPARE(p->parts.size(), size_t(units == 49 ? 1 : 2));
        const PlacedPart& last = p->parts.back();
        QCOMPARE(last.device, size_t(0));
        QCOMPARE(last.layerUnits(), units);
        QCOMPARE(last.part, unitsPart(49 - units, 49, 48));
        if (units < 49) {
            QCOMPARE(p->parts[0].device, size_t(1));
            QCOMPARE(p->parts[0].part, (ModelPart{0, 49 - units, true, false}));
        }
        if (units == 1)
            QCOMPARE(ponder::describePart(last.part), std::string("output only"));
        // The read bytes of the parts add up to the whole model's.
        uint64_t read = 0;
        for (const PlacedPart& part : p->parts)
            read += part.readBytesPerToken;
        QCOMPARE(read, partReadBytesPerToken(info, ModelPart::whole(info.config)));
    }

    // The automatic choice is the most units that fit: N fits, N + 1 does
    // not (planned here by hand), and every count below N fits too.
    void automaticIsTheMostThatFit_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<double>("freeGiB");
        QTest::newRow("14B on 2 GiB") << "qwen-14b" << 2.0;
        QTest::newRow("14B on 4 GiB") << "qwen-14b" << 4.0;
        QTest::newRow("14B on 7.5 GiB") << "qwen-14b" << 7.5;
        QTest::newRow("14B on 9.0 GiB") << "qwen-14b" << 9.0;
        QTest::newRow("8B on 3.5 GiB") << "llama-8b" << 3.5;
        QTest::newRow("32B on 11.5 GiB") << "qwen-32b" << 11.5;
    }

    void automaticIsTheMostThatFit()
    {
        QFETCH(QString, shape);
        QFETCH(double, freeGiB);
        const ModelInfo info = known(qPrintable(shape));
        const uint32_t blocks = info.config.blockCount;
        const uint64_t free = uint64_t(freeGiB * double(kGiB));
        const std::vector<PlacementDevice> devices{gpu("GPU", free), cpu(64 * kGiB)};
        const PlacementRequest r = request();
        const auto p = planPlacement(info, r, devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, devices);
        verifyPartBytes(*p, info, r, devices);
        const uint32_t n = p->gpuUnits;
        QVERIFY(n > 0 && n < blocks + 1);
        QVERIFY(gpuBytes(info, unitsPart(blocks + 1 - n, blocks + 1, blocks)) <= free);
        QVERIFY(gpuBytes(info, unitsPart(blocks - n, blocks + 1, blocks)) > free);
        // Asking for N + 1 fails naming the GPU; every count up to N fits.
        const auto more = planPlacement(info, request(n + 1), devices);
        QVERIFY(!more);
        QCOMPARE(more.error().code, ErrorCode::OutOfMemory);
        QVERIFY2(more.error().message.find("GPU") != std::string::npos, more.error().message.c_str());
        for (uint32_t k = 0; k <= n; ++k)
            QVERIFY2(planPlacement(info, request(k), devices), qPrintable(QString::number(k)));
    }

    // The fit is exact: free memory of exactly a part's plan holds it, one
    // byte less does not.
    void fitIsExactToTheByte()
    {
        const ModelInfo info = known("qwen-14b");
        const ModelPart part = unitsPart(49 - 20, 49, 48);
        const uint64_t bytes = gpuBytes(info, part);
        // (The CPU may come anywhere in the list; its layers come first in the chain.)
        const auto exact = planPlacement(info, request(), std::vector{cpu(64 * kGiB), gpu("GPU", bytes)});
        QVERIFY(exact);
        QCOMPARE(exact->gpuUnits, 20u);
        QCOMPARE(exact->parts.back().neededBytes, bytes);
        const auto less = planPlacement(info, request(), std::vector{gpu("GPU", bytes - 1), cpu(64 * kGiB)});
        QVERIFY(less);
        QCOMPARE(less->gpuUnits, 19u);
    }

    // A GPU too small for even the output leaves the whole model to the CPU.
    void gpuTooSmallForAnything()
    {
        const ModelInfo info = known("qwen-14b");
        const std::vector<PlacementDevice> devices{gpu("tiny GPU", 256 * kMiB), cpu(32 * kGiB)};
        const auto p = planPlacement(info, request(), devices);
        QVERIFY(p);
        QCOMPARE(p->gpuUnits, 0u);
        QCOMPARE(p->parts.size(), size_t(1));
        QCOMPARE(p->parts[0].device, size_t(1));
        QVERIFY(p->parts[0].part.isWhole(info.config));
    }

    // Several GPUs, no CPU: units in proportion to free memory, by largest
    // remainder. 12/8/8/8 GiB of 49 units: 16.33, 10.89 x 3 -> 16 + 10 x 3
    // = 46, the 3 left to the largest remainders (the three .89s): 16/11/11/11.
    void severalGpusByFreeMemory()
    {
        const ModelInfo info = known("qwen-14b");
        const std::vector<PlacementDevice> devices{gpu("GPU 0", 12 * kGiB), gpu("GPU 1", 8 * kGiB),
                                                   gpu("GPU 2", 8 * kGiB), gpu("GPU 3", 8 * kGiB)};
        const PlacementRequest r = request();
        const auto p = planPlacement(info, r, devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, devices);
        verifyPartBytes(*p, info, r, devices);
        QCOMPARE(unitList(unitsByDevice(*p, 4)), QString("16/11/11/11"));
        QCOMPARE(p->parts[0].part, (ModelPart{0, 16, true, false}));
        QCOMPARE(p->parts[3].part, (ModelPart{38, 48, false, true}));
    }

    // Given shares (--split 8,6,6,6): 49 x 8/26 = 15.08, 49 x 6/26 = 11.31 x 3
    // -> 15 + 11 x 3 = 48, the one left to the first largest remainder: 15/12/11/11.
    void severalGpusByShares()
    {
        const ModelInfo info = known("qwen-14b");
        const std::vector<PlacementDevice> devices{gpu("GPU 0", 16 * kGiB), gpu("GPU 1", 16 * kGiB),
                                                   gpu("GPU 2", 16 * kGiB), gpu("GPU 3", 16 * kGiB)};
        const PlacementRequest r = request(std::nullopt, {8, 6, 6, 6});
        const auto p = planPlacement(info, r, devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, devices);
        verifyPartBytes(*p, info, r, devices);
        QCOMPARE(unitList(unitsByDevice(*p, 4)), QString("15/12/11/11"));

        // A share of 0 leaves a GPU out of the chain.
        const auto q = planPlacement(info, request(std::nullopt, {1, 0, 1, 0}), devices);
        QVERIFY(q);
        verifyChain(*q, info, devices);
        QCOMPARE(unitList(unitsByDevice(*q, 4)), QString("25/0/24/0"));
    }

    // By free memory, a GPU that overflows gives layers to one with room:
    // 6 + 3.8 GiB for 14B splits 49 as 30 / 19, and the 3.8 GiB GPU
    // cannot hold 18 blocks and the output (planned here); the placement
    // moves units to the 6 GiB GPU until both fit. With the same numbers
    // given as shares the split is the user's, and it does not fit.
    void rebalancesWhenOneOverflows()
    {
        const ModelInfo info = known("qwen-14b");
        const uint64_t small = uint64_t(3.8 * double(kGiB));
        const std::vector<PlacementDevice> devices{gpu("GPU 0", 6 * kGiB), gpu("GPU 1", small)};
        QVERIFY(gpuBytes(info, unitsPart(30, 49, 48)) > small);
        QVERIFY(gpuBytes(info, unitsPart(0, 31, 48)) <= 6 * kGiB);
        const PlacementRequest r = request();
        const auto p = planPlacement(info, r, devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, devices);
        verifyPartBytes(*p, info, r, devices);
        const auto units = unitsByDevice(*p, 2);
        QVERIFY(units[1] < 19);
        QCOMPARE(units[0] + units[1], 49u);

        const auto shares = planPlacement(info, request(std::nullopt, {6, 3.8}), devices);
        QVERIFY(!shares);
        QCOMPARE(shares.error().code, ErrorCode::OutOfMemory);
        QVERIFY2(shares.error().message.find("GPU 1") != std::string::npos, shares.error().message.c_str());
    }

    // A last GPU too small for even the output (14B's output matrix alone is
    // 609 MiB, and its part would add 64 MiB of logits) takes no units:
    // the output goes to the GPU before it. Without the CPU the model still
    // fits the other two; with it, the GPUs take as many units as the best
    // chain (17 here; the GPUs used to pass units back and forth and stop short).
    void gpuTooSmallForTheOutputIsLeftOut()
    {
        const ModelInfo info = known("qwen-14b");
        QVERIFY(gpuBytes(info, unitsPart(48, 49, 48)) > kGiB / 2);
        const std::vector<PlacementDevice> gpus{gpu("GPU 0", 6 * kGiB), gpu("GPU 1", 6 * kGiB), gpu("GPU 2", kGiB / 2)};
        const auto p = planPlacement(info, request(), gpus);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, gpus);
        verifyPartBytes(*p, info, request(), gpus);
        QCOMPARE(unitsByDevice(*p, 3)[2], 0u);
        QCOMPARE(p->parts.back().device, size_t(1));

        const std::vector<PlacementDevice> withCpu{gpu("GPU 0", 5 * kGiB / 2), gpu("GPU 1", 5 * kGiB / 4),
                                                   gpu("GPU 2", kGiB / 2), cpu(64 * kGiB)};
        const auto q = planPlacement(info, request(), withCpu);
        QVERIFY2(q, q ? "" : q.error().message.c_str());
        verifyChain(*q, info, withCpu);
        QCOMPARE(unitsByDevice(*q, 4)[2], 0u);
        QCOMPARE(q->gpuUnits, 49 - bestChainStart(info, withCpu, request().plan));
        QCOMPARE(q->gpuUnits, 17u);
    }

    // Rebalancing with the CPU taking part: the most units on the GPUs
    // (found by asking for each count) is what the automatic choice finds.
    void automaticWithSeveralGpusAndCpu()
    {
        const ModelInfo info = known("qwen-32b");
        const std::vector<PlacementDevice> devices{gpu("GPU 0", 7 * kGiB), gpu("GPU 1", 5 * kGiB),
                                                   gpu("GPU 2", 3 * kGiB), cpu(64 * kGiB)};
        const auto p = planPlacement(info, request(), devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, devices);
        verifyPartBytes(*p, info, request(), devices);
        uint32_t most = 0;
        for (uint32_t k = 0; k <= p->totalUnits; ++k)
            if (planPlacement(info, request(k), devices))
                most = k;
        QCOMPARE(p->gpuUnits, most);
    }

    // On random rigs (1-4 GPUs of 0.25-12 GiB, with or without the CPU,
    // five shapes, two contexts, f16 and q8_0 caches), the automatic choice
    // puts as many units on the GPUs as any chain can: the best chain fills
    // the GPUs from the end, each taking the most units that fit before the
    // one after it (exact plans of each candidate part). Without the CPU the
    // placement succeeds exactly when that chain reaches the first layer.
    // (A small last GPU that cannot hold the output used to take units
    // back and forth with the GPU before it until the moves ran out.)
    void automaticMatchesTheBestChain()
    {
        uint32_t seed = 12345;
        const auto random = [&] {
            seed = seed * 1664525u + 1013904223u;
            return seed >> 8;
        };
        for (const uint32_t context : {4096u, 32768u})
            for (const KvCacheType kv : {KvCacheType::F16, KvCacheType::Q8_0})
                for (const char* shape : {"qwen-1.5b", "qwen-7b", "llama-8b", "qwen-14b", "qwen-32b"}) {
                    const ModelInfo info = known(shape);
                    const uint32_t blocks = info.config.blockCount;
                    PlacementRequest r = request();
                    r.plan.contextLength = context;
                    r.plan.kvType = kv;
                    for (int trial = 0; trial < 30; ++trial) {
                        const size_t gpus = 1 + random() % 4;
                        const bool withCpu = random() % 3 != 0;
                        std::vector<PlacementDevice> devices;
                        QString rig = QString("%1, context %2, %3:").arg(shape).arg(context).arg(kvCacheTypeName(kv));
                        for (size_t k = 0; k < gpus; ++k) {
                            devices.push_back(gpu("GPU " + std::to_string(k), uint64_t(1 + random() % 48) * kGiB / 4));
                            rig += QString(" %1 GiB").arg(double(devices.back().freeBytes) / double(kGiB));
                        }
                        if (withCpu) {
                            devices.push_back(cpu(256 * kGiB));
                            rig += " + CPU";
                        }
                        const uint32_t endUnit = bestChainStart(info, devices, r.plan);
                        const auto p = planPlacement(info, r, devices);
                        if (!withCpu && endUnit > 0) {
                            QVERIFY2(!p, qPrintable(rig));
                            QCOMPARE(p.error().code, ErrorCode::OutOfMemory);
                            continue;
                        }
                        QVERIFY2(p, qPrintable(rig + ": " + QString::fromStdString(p ? "" : p.error().message)));
                        QVERIFY2(p->gpuUnits == blocks + 1 - endUnit,
                                 qPrintable(rig + QString(": %1 units on the GPUs (%2), the best chain has %3")
                                                      .arg(p->gpuUnits)
                                                      .arg(unitList(unitsByDevice(*p, devices.size())))
                                                      .arg(blocks + 1 - endUnit)));
                        verifyChain(*p, info, devices);
                    }
                }
    }

    void errors()
    {
        const ModelInfo info = known("qwen-14b");
        // The error's code by name, or "ok".
        const auto code = [&](const PlacementRequest& r, const std::vector<PlacementDevice>& devices) {
            const auto p = planPlacement(info, r, devices);
            return QString(p ? "ok" : errorCodeName(p.error().code));
        };
        const QString invalid = errorCodeName(ErrorCode::InvalidArgument);
        const std::vector<PlacementDevice> twoGpus{gpu("GPU 0", 24 * kGiB), gpu("GPU 1", 24 * kGiB)};
        // Shares not matching the GPUs, or not usable.
        QCOMPARE(code(request(std::nullopt, {1, 1, 1}), twoGpus), invalid);
        QCOMPARE(code(request(std::nullopt, {1}), twoGpus), invalid);
        QCOMPARE(code(request(std::nullopt, {1, -1}), twoGpus), invalid);
        QCOMPARE(code(request(std::nullopt, {1, std::nan("")}), twoGpus), invalid);
        QCOMPARE(code(request(std::nullopt, {0, 0}), twoGpus), invalid);
        QCOMPARE(code(request(std::nullopt, {1, INFINITY}), twoGpus), invalid);
        QCOMPARE(code(request(std::nullopt, {1}), {cpu(32 * kGiB)}), invalid);
        // More layers than the model has (49, the output counted).
        QCOMPARE(code(request(50u), {gpu("GPU", 24 * kGiB), cpu(32 * kGiB)}), invalid);
        QCOMPARE(code(request(49u), {gpu("GPU", 24 * kGiB), cpu(32 * kGiB)}), QString("ok"));
        // Fewer than all without the CPU to take the rest.
        QCOMPARE(code(request(48u), twoGpus), invalid);
        QCOMPARE(code(request(0u), {gpu("GPU", 24 * kGiB)}), invalid);
        // Layers on GPUs that are not there.
        QCOMPARE(code(request(10u), {cpu(32 * kGiB)}), invalid);
        // No devices; the CPU twice.
        QCOMPARE(code(request(), {}), invalid);
        QCOMPARE(code(request(), {cpu(32 * kGiB), cpu(32 * kGiB)}), invalid);
        // Unusable plan options reach the caller.
        PlacementRequest zero = request();
        zero.plan.contextLength = 0;
        QCOMPARE(code(zero, {gpu("GPU", 24 * kGiB), cpu(32 * kGiB)}), invalid);
    }

    // Nothing holds the model: OutOfMemory naming the device that overflows.
    void nothingFits_data()
    {
        QTest::addColumn<std::vector<PlacementDevice>>("devices");
        QTest::addColumn<std::optional<uint32_t>>("gpuLayers");
        QTest::addColumn<QString>("named");
        QTest::newRow("one GPU") << std::vector{gpu("Small GPU", 6 * kGiB)} << std::optional<uint32_t>() << "Small GPU";
        QTest::newRow("two GPUs") << std::vector{gpu("GPU A", 4 * kGiB), gpu("GPU B", 4 * kGiB)}
                                  << std::optional<uint32_t>() << "GPU";
        QTest::newRow("the CPU") << std::vector{cpu(6 * kGiB)} << std::optional<uint32_t>() << "CPU";
        QTest::newRow("GPU + CPU") << std::vector{gpu("Small GPU", 2 * kGiB), cpu(4 * kGiB)}
                                   << std::optional<uint32_t>() << "CPU";
        QTest::newRow("all asked of a small GPU")
            << std::vector{gpu("Small GPU", 4 * kGiB), cpu(32 * kGiB)} << std::optional<uint32_t>(49) << "Small GPU";
    }

    void nothingFits()
    {
        QFETCH(std::vector<PlacementDevice>, devices);
        QFETCH(std::optional<uint32_t>, gpuLayers);
        QFETCH(QString, named);
        const auto p = planPlacement(known("qwen-14b"), request(gpuLayers), devices);
        QVERIFY(!p);
        QCOMPARE(p.error().code, ErrorCode::OutOfMemory);
        QVERIFY2(p.error().message.find(named.toStdString()) != std::string::npos, p.error().message.c_str());
        QVERIFY2(p.error().message.find("GiB") != std::string::npos, p.error().message.c_str());
    }

    void holdsTensor()
    {
        const ModelConfig c = *knownModelConfig("qwen-14b");
        QVERIFY(!c.tiedOutput);
        const ModelPart first{0, 30, true, false};
        const ModelPart last{30, 48, false, true};
        const ModelPart outputOnly{48, 48, false, true};
        QVERIFY(first.holdsTensor(c, "token_embd.weight"));
        QVERIFY(first.holdsTensor(c, "blk.0.attn_q.weight"));
        QVERIFY(first.holdsTensor(c, "blk.29.ffn_down.weight"));
        QVERIFY(!first.holdsTensor(c, "blk.30.attn_q.weight"));
        QVERIFY(!first.holdsTensor(c, "output.weight"));
        QVERIFY(!first.holdsTensor(c, "output_norm.weight"));
        QVERIFY(!last.holdsTensor(c, "token_embd.weight"));
        QVERIFY(last.holdsTensor(c, "blk.30.attn_q.bias"));
        QVERIFY(last.holdsTensor(c, "blk.47.ffn_norm.weight"));
        QVERIFY(last.holdsTensor(c, "output.weight"));
        QVERIFY(last.holdsTensor(c, "output_norm.weight"));
        QVERIFY(outputOnly.holdsTensor(c, "output.weight"));
        QVERIFY(!outputOnly.holdsTensor(c, "token_embd.weight"));
        QVERIFY(!outputOnly.holdsTensor(c, "blk.47.attn_q.weight"));
        // Names that are not a layer's tensor belong to no part of a split,
        // while the whole model holds every tensor of its file.
        for (const char* name : {"blk.", "blk.7", "blk.x.attn_q.weight", "blk.99999999999.attn_q.weight",
                                 "blk..attn_q.weight", "outputs.weight", "token_embd", "whatever.weight"}) {
            QVERIFY2(!first.holdsTensor(c, name) && !last.holdsTensor(c, name), name);
            QVERIFY2(ModelPart::whole(c).holdsTensor(c, name), name);
        }
        QVERIFY(first.holdsTensor(c, "blk.007.attn_q.weight"));  // layer 7, as written

        // Every tensor of the model is held by exactly one part of a split
        // (untied, no rope_freqs).
        const ModelInfo info = known("qwen-14b");
        for (const TensorDesc& t : info.tensors)
            QCOMPARE(int(first.holdsTensor(c, t.name)) + int(last.holdsTensor(c, t.name)), 1);
    }

    // A model whose output reuses the embedding table (tie_word_embeddings;
    // none of the R1 distills, whose configs say false, so a tied variant of
    // the 1.5B shape here): both ends hold token_embd, the first to look up
    // rows, the last as its output matrix, which it reads every token.
    void tiedOutput()
    {
        ModelConfig c = *knownModelConfig("qwen-1.5b");
        QVERIFY(!c.tiedOutput);  // DeepSeek-R1-Distill-Qwen-1.5B's config: tie_word_embeddings false
        c.tiedOutput = true;
        const ModelInfo info = modelInfoFromConfig(c, QuantMix::Q4_K_M, "tied");
        QVERIFY(!info.findTensor("output.weight"));
        const TensorDesc* table = info.findTensor("token_embd.weight");
        QVERIFY(table);
        QCOMPARE(table->type, TensorType::Q6_K);  // as the output, it gets the output's bits
        const ModelPart outputOnly{28, 28, false, true};
        const ModelPart first{0, 28, true, false};
        QVERIFY(outputOnly.holdsTensor(c, "token_embd.weight"));
        QVERIFY(first.holdsTensor(c, "token_embd.weight"));
        QCOMPARE(partReadBytesPerToken(info, outputOnly), table->bytes);
        QCOMPARE(partReadBytesPerToken(info, first) + table->bytes,
                 partReadBytesPerToken(info, ModelPart::whole(c)));

        const std::vector<PlacementDevice> devices{gpu("GPU", 8 * kGiB), cpu(16 * kGiB)};
        const PlacementRequest r = request(1u);
        const auto p = planPlacement(info, r, devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, devices);
        verifyPartBytes(*p, info, r, devices);
        QCOMPARE(p->parts.size(), size_t(2));
        QVERIFY(p->parts[1].gpuPlan->findTensor("token_embd.weight"));
        QVERIFY(!p->parts[1].gpuPlan->findTensor("blk.27.attn_q.weight"));
        QCOMPARE(p->parts[1].readBytesPerToken, table->bytes);
        QCOMPARE(p->parts[0].readBytesPerToken + p->parts[1].readBytesPerToken,
                 partReadBytesPerToken(info, ModelPart::whole(c)));
    }

    // Llama 3's rope_freqs goes wherever layers run, not to an output-only part.
    void ropeFreqs()
    {
        const ModelInfo info = known("llama-8b");
        const ModelConfig& c = info.config;
        QVERIFY(c.hasRopeFreqs);
        QVERIFY(info.findTensor("rope_freqs.weight"));
        QVERIFY((ModelPart{0, 1, true, false}).holdsTensor(c, "rope_freqs.weight"));
        QVERIFY((ModelPart{10, 20, false, false}).holdsTensor(c, "rope_freqs.weight"));
        QVERIFY(!(ModelPart{32, 32, false, true}).holdsTensor(c, "rope_freqs.weight"));
        for (uint32_t units : {1u, 2u, 20u}) {
            const std::vector<PlacementDevice> devices{gpu("GPU", 8 * kGiB), cpu(16 * kGiB)};
            const PlacementRequest r = request(units);
            const auto p = planPlacement(info, r, devices);
            QVERIFY(p);
            verifyChain(*p, info, devices);
            verifyPartBytes(*p, info, r, devices);
            QCOMPARE(bool(p->parts.back().gpuPlan->findTensor("rope_freqs.weight")), units > 1);
        }
    }

    void checkPart()
    {
        const ModelConfig c = *knownModelConfig("qwen-14b");
        QVERIFY(ponder::checkPart(ModelPart::whole(c), c));
        QVERIFY(ponder::checkPart({0, 30, true, false}, c));
        QVERIFY(ponder::checkPart({10, 20, false, false}, c));
        QVERIFY(ponder::checkPart({48, 48, false, true}, c));  // the output alone
        QVERIFY(ponder::checkPart({0, 0, true, true}, c));      // embedding and output, no layers
        for (const ModelPart bad : {ModelPart{0, 49, true, true}, ModelPart{20, 10, false, false},
                                    ModelPart{10, 10, false, false}, ModelPart{0, 0, true, false},
                                    ModelPart{49, 49, false, true}}) {
            const auto result = ponder::checkPart(bad, c);
            QVERIFY(!result);
            QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        }
        // The planners refuse a bad part the same way.
        PlanOptions options;
        options.part = ModelPart{40, 50, false, true};
        QCOMPARE(planMemory(known("qwen-14b"), options, DeviceLimits{}).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(planCpuMemory(known("qwen-14b"), options, 4, CpuWeightPlacement::Mapped).error().code, ErrorCode::InvalidArgument);
    }

    void describePart()
    {
        QCOMPARE(ponder::describePart({0, 30, true, true}), std::string("layers 0-29 + output"));
        QCOMPARE(ponder::describePart({0, 30, true, false}), std::string("layers 0-29"));
        QCOMPARE(ponder::describePart({30, 48, false, false}), std::string("layers 30-47"));
        QCOMPARE(ponder::describePart({30, 48, false, true}), std::string("layers 30-47 + output"));
        QCOMPARE(ponder::describePart({48, 48, false, true}), std::string("output only"));
        // One layer reads "layers 47-47" (tst_cli expects that form).
        QCOMPARE(ponder::describePart({47, 48, false, true}), std::string("layers 47-47 + output"));
        QCOMPARE(ponder::describePart({0, 1, true, false}), std::string("layers 0-0"));
    }

    void readBytesPerToken()
    {
        const ModelInfo info = known("qwen-14b");
        const ModelConfig& c = info.config;
        uint64_t matrices = 0;
        for (const TensorDesc& t : info.tensors)
            if (t.dims.size() == 2)
                matrices += t.bytes;
        const uint64_t table = info.findTensor("token_embd.weight")->bytes;
        // The whole model reads every matrix but the embedding table.
        QCOMPARE(partReadBytesPerToken(info, ModelPart::whole(c)), matrices - table);
        // Parts add up, whatever the cut.
        for (uint32_t cut = 0; cut <= 48; cut += 8)
            QCOMPARE(partReadBytesPerToken(info, {0, cut, true, false}) +
                         partReadBytesPerToken(info, {cut, 48, false, true}),
                     matrices - table);
        QCOMPARE(partReadBytesPerToken(info, {48, 48, false, true}), info.findTensor("output.weight")->bytes);
        QCOMPARE(partReadBytesPerToken(info, {0, 0, true, false}), 0ull);
    }

    // 1 / the sum of each part's bytes over its device's bandwidth.
    void estimatedTokensPerSecond()
    {
        const ModelInfo info = known("qwen-14b");
        std::vector<PlacementDevice> devices{gpu("GPU", 24 * kGiB, 272e9), cpu(32 * kGiB, 8, 40e9)};
        const auto p = planPlacement(info, request(30u), devices);
        QVERIFY(p);
        const double seconds =
            double(p->parts[0].readBytesPerToken) / 40e9 + double(p->parts[1].readBytesPerToken) / 272e9;
        const auto estimate = p->estimatedTokensPerSecond(devices);
        QVERIFY(estimate);
        QVERIFY(std::abs(*estimate - 1 / seconds) < 1e-9 * *estimate);
        // One device alone.
        const auto alone = planPlacement(info, request(), std::vector{devices[0]});
        QVERIFY(alone);
        QVERIFY(std::abs(*alone->estimatedTokensPerSecond(std::vector{devices[0]}) -
                         272e9 / double(partReadBytesPerToken(info, ModelPart::whole(info.config)))) < 1e-9);
        // Unknown bandwidth on any device of the chain: no estimate.
        devices[1].readBytesPerSecond = 0;
        QVERIFY(!p->estimatedTokensPerSecond(devices));
        QVERIFY(!p->estimatedTokensPerSecond(std::span(devices).first(1)));  // a part on a device not given
        QVERIFY(!Placement{}.estimatedTokensPerSecond(devices));
    }

    // The paper estimates docs/SPLIT.md sets beside seed 000's measurements:
    // each rig at the assumed bandwidths; then "calibrated": the CPU's
    // bandwidth from seed 000's CPU-alone run of 14B (2.1 tok/s: it read 2.1
    // x one token's bytes per second) and the GPUs' scaled by what rig b,
    // GPUs only, reached of its paper figure (10.8 tok/s measured); and 14B
    // with Ollama's 30 of 49 layers on the 8 GB card, measured at 4.1.
    void paperEstimates()
    {
        const ModelInfo q14 = known("qwen-14b");
        const double cpuBandwidth = 2.1 * double(partReadBytesPerToken(q14, ModelPart::whole(q14.config)));
        const auto estimate = [&](const Rig& rig, std::optional<uint32_t> gpuLayers, double cpu, double gpuScale) {
            std::vector<PlacementDevice> devices = rigDevices(rig);
            for (PlacementDevice& d : devices)
                d.readBytesPerSecond = d.cpu ? (cpu > 0 ? cpu : d.readBytesPerSecond) : d.readBytesPerSecond * gpuScale;
            const auto p = planPlacement(known(rig.shape), request(gpuLayers), devices);
            return p ? p->estimatedTokensPerSecond(devices).value_or(0) : 0.0;
        };
        const std::vector<Rig> rigs = seedRigList();
        const double gpuScale = 10.8 / estimate(rigs[1], std::nullopt, 0, 1);
        QString text = QString("calibrated: CPU %1 GB/s, GPUs at %2 of the assumed bandwidth; ")
                           .arg(cpuBandwidth / 1e9, 0, 'f', 1)
                           .arg(gpuScale, 0, 'f', 3);
        for (const Rig& rig : rigs)
            text += QString("rig %1: %2 tok/s (calibrated %3); ")
                        .arg(rig.id)
                        .arg(estimate(rig, std::nullopt, 0, 1), 0, 'f', 1)
                        .arg(estimate(rig, std::nullopt, cpuBandwidth, gpuScale), 0, 'f', 1);
        const Rig cpuOnly{"14B CPU alone", "qwen-14b", {kRam}, {49}};
        text += QString("14B on the CPU alone: %1 tok/s (calibrated %2); ")
                    .arg(estimate(cpuOnly, std::nullopt, 0, 1), 0, 'f', 1)
                    .arg(estimate(cpuOnly, std::nullopt, cpuBandwidth, gpuScale), 0, 'f', 1);
        text += QString("14B with 30 of 49 on the 8 GB GPU: %1 tok/s (calibrated %2)")
                    .arg(estimate(rigs[0], 30u, 0, 1), 0, 'f', 1)
                    .arg(estimate(rigs[0], 30u, cpuBandwidth, gpuScale), 0, 'f', 1);
        qInfo("%s", qPrintable(text));
        QVERIFY(std::abs(estimate(cpuOnly, std::nullopt, cpuBandwidth, gpuScale) - 2.1) < 1e-9);
        QVERIFY(std::abs(estimate(rigs[1], std::nullopt, cpuBandwidth, gpuScale) - 10.8) < 1e-9);
        // More layers on the GPU read faster.
        QVERIFY(estimate(rigs[0], std::nullopt, cpuBandwidth, gpuScale) >
                estimate(rigs[0], 30u, cpuBandwidth, gpuScale));
        QVERIFY(estimate(rigs[0], 30u, cpuBandwidth, gpuScale) > 2.1);
    }

    // Seed 000's rigs (issue 13), at a 4096-token context, f16 cache, the
    // default batch and limits: the placement against a plan made by hand
    // from the tensor sizes. docs/SPLIT.md's table is these rows.
    void seedRigs_data()
    {
        QTest::addColumn<int>("index");
        const auto rigs = seedRigList();
        for (size_t i = 0; i < rigs.size(); ++i)
            QTest::newRow(rigs[i].id) << int(i);
    }

    void seedRigs()
    {
        QFETCH(int, index);
        const Rig rig = seedRigList()[size_t(index)];
        const ModelInfo info = known(rig.shape);
        const HandModel m = handModel(info.config, QuantMix::Q4_K_M);
        const uint32_t blocks = info.config.blockCount;
        const std::vector<PlacementDevice> devices = rigDevices(rig);
        const PlacementRequest r = request();
        const auto p = planPlacement(info, r, devices);
        QVERIFY2(p, p ? "" : p.error().message.c_str());
        verifyChain(*p, info, devices);
        verifyPartBytes(*p, info, r, devices);
        if (QTest::currentTestFailed())
            return;

        // By hand: the GPUs fill from the end of the chain (the last GPU has
        // the output), each taking as many blocks as fit, the CPU the rest;
        // or, without the CPU, the units by free memory (rig b).
        std::vector<uint32_t> handUnits(devices.size(), 0);
        const bool hasCpu = devices.back().cpu;
        const size_t gpus = devices.size() - (hasCpu ? 1 : 0);
        if (hasCpu) {
            uint32_t end = blocks;
            for (size_t k = gpus; k-- > 0;) {
                const bool output = k + 1 == gpus;
                const uint32_t n = handFill(m, devices[k].freeBytes, end, output);
                handUnits[k] = n + (output ? 1 : 0);
                end -= n;
            }
            handUnits.back() = end;  // the CPU's blocks
        } else {
            // 7.5 : 5.5 : 5.5 : 5.5 GiB of 49 units: 15.31, 11.23 x 3 ->
            // 15 + 11 x 3 = 48, the one left to the largest remainder (GPU 0).
            QCOMPARE(std::string(rig.id), std::string("b"));
            handUnits = {16, 11, 11, 11};
        }
        QCOMPARE(unitList(unitsByDevice(*p, devices.size())), unitList(handUnits));
        QCOMPARE(unitList(handUnits), unitList(rig.expectedUnits));

        // Each device's bytes by hand.
        double seconds = 0;
        std::vector<uint64_t> rounding(devices.size(), 0);
        for (const PlacedPart& part : p->parts) {
            const PlacementDevice& d = devices[part.device];
            const ModelPart& mp = part.part;
            if (d.cpu) {
                const HandCpuPart h = handCpuPart(m, mp.endLayer, d.threads);
                QCOMPARE(mp.firstLayer, 0u);
                QCOMPARE(part.neededBytes, h.needed);
                QCOMPARE(part.allocatedBytes, h.allocated);
                QCOMPARE(part.cpuPlan->kvCacheBytes, h.kv);
                QCOMPARE(part.readBytesPerToken, h.read);
            } else {
                const HandGpuPart g = handGpuPart(m, mp.firstLayer, mp.endLayer, mp.embedding, mp.output);
                QVERIFY2(part.neededBytes >= g.bytes && part.neededBytes <= g.bytes + g.slack,
                         qPrintable(QString("%1: planned %2, by hand %3 + up to %4")
                                        .arg(d.name.c_str())
                                        .arg(part.neededBytes)
                                        .arg(g.bytes)
                                        .arg(g.slack)));
                QVERIFY(g.bytes + g.slack <= d.freeBytes);
                rounding[part.device] = part.neededBytes - g.bytes;
                QCOMPARE(part.allocatedBytes - part.neededBytes, g.hostVisible);
                QCOMPARE(part.readBytesPerToken, g.read);
                // One more block would not fit, even before rounding (where
                // there is a block left to take).
                if (hasCpu && mp.firstLayer > 0)
                    QVERIFY(handGpuPart(m, mp.firstLayer - 1, mp.endLayer, false, mp.output).bytes > d.freeBytes);
            }
            seconds += double(part.readBytesPerToken) / d.readBytesPerSecond;
        }
        const auto estimate = p->estimatedTokensPerSecond(devices);
        QVERIFY(estimate);
        QVERIFY(std::abs(*estimate - 1 / seconds) < 1e-9 * *estimate);

        // The row of docs/SPLIT.md's table.
        QString row = QString("rig %1 (%2): ").arg(rig.id, rig.shape);
        for (const PlacedPart& part : p->parts) {
            const PlacementDevice& d = devices[part.device];
            const uint64_t host = d.cpu ? 0 : part.allocatedBytes - part.neededBytes;
            row += QString("%1: %2 units (%3), %4 GiB (%5 bytes, %6 KiB over the hand sum) of %7 GiB free, ")
                       .arg(d.name.c_str())
                       .arg(part.layerUnits())
                       .arg(ponder::describePart(part.part).c_str())
                       .arg(double(part.neededBytes) / double(kGiB), 0, 'f', 2)
                       .arg(part.neededBytes)
                       .arg(rounding[part.device] / 1024)
                       .arg(double(d.freeBytes) / double(kGiB), 0, 'f', 2);
            row += QString("%1 MiB host-visible, reads %2 GB/token; ")
                       .arg(double(host) / double(kMiB), 0, 'f', 0)
                       .arg(double(part.readBytesPerToken) / 1e9, 0, 'f', 3);
        }
        row += QString("GPU units %1 of %2, estimate %3 tok/s")
                   .arg(p->gpuUnits)
                   .arg(p->totalUnits)
                   .arg(*estimate, 0, 'f', 1);
        qInfo("%s", qPrintable(row));
    }
};

QTEST_GUILESS_MAIN(TestPlacement)
#include "tst_placement.moc"
