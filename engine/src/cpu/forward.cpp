#include "cpu/forward.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "cpu/attend_group.h"
#include "cpu/vector_ops.h"
#include "ponder/quant.h"

namespace ponder::cpu {
namespace {

// y = W x for rows [r.begin, r.end) of every token, plus bias[row] when given.
void projectRows(const CpuMatrix& m, const QuantizedActivations& x, float* y, size_t stride, Range r,
                 const float* bias)
{
    if (r.begin >= r.end)
        return;
    m.multiply(r.begin, r.end, x, y, stride);
    if (!bias)
        return;
    for (size_t t = 0; t < x.tokens(); ++t)
        for (size_t row = r.begin; row < r.end; ++row)
            y[t * stride + row] += bias[row];
}

// Rotates the first 2 * pairs dimensions of one head by the angles whose
// (cos, sin) are in `table`, (pairs, 2).
void ropeHead(float* head, const float* table, uint32_t pairs, RopeLayout layout)
{
    for (uint32_t i = 0; i < pairs; ++i) {
        const uint32_t a = layout == RopeLayout::AdjacentPairs ? 2 * i : i;
        const uint32_t b = layout == RopeLayout::AdjacentPairs ? 2 * i + 1 : i + pairs;
        const float c = table[2 * i];
        const float s = table[2 * i + 1];
        const float x0 = head[a];
        const float x1 = head[b];
        head[a] = x0 * c - x1 * s;
        head[b] = x0 * s + x1 * c;
    }
}

} // namespace

template <typename Rows>
void Forward::forEachChunk(size_t count, size_t granularity, const Rows& rows)
{
    m_chunks.reset(count, granularity, m_pool.size());
    m_pool.run([&](unsigned thread) {
        for (Range r = m_chunks.next(thread); r.begin < r.end; r = m_chunks.next(thread))
            rows(r);
    });
}

Forward::Forward(const ModelInfo& info, const CpuWeights& weights, const CpuMemoryPlan& plan, ThreadPool& pool)
    : m_info(info), m_weights(weights), m_plan(plan), m_pool(pool),
      m_layout(scratchLayout(info.config, plan.options.batchSize)),
      m_kvLayerBytes(kvLayerBytes(info.config, plan.options.contextLength, plan.options.kvType)),
      m_rowBytes(kvRowBytes(plan.options.kvType, info.config.headDim)), m_kv(plan.kvCacheBytes),
      m_scratch(plan.activationBytes), m_scores(plan.attentionBytes), m_logits(plan.logitsBytes),
      m_chunks(pool.size())
{
    m_inputs.reserve(info, plan.options.batchSize);
}

uint64_t Forward::allocatedBytes() const
{
    return m_kv.bytes() + m_scratch.bytes() + m_scores.bytes() + m_logits.bytes() + m_inputs.allocatedBytes();
}

std::byte* Forward::keys(uint32_t layer, uint32_t kvHead) const
{
    return m_kv.data() + 2 * layer * m_kvLayerBytes +
           uint64_t(kvHead) * m_plan.options.contextLength * m_rowBytes;
}

std::byte* Forward::values(uint32_t layer, uint32_t kvHead) const
{
    return keys(layer, kvHead) + m_kvLayerBytes;
}

void Forward::normRows(float* normed, const float* x, const float* weight, uint32_t tokens) const
{
    const uint32_t n = m_info.config.embeddingLength;
    for (uint32_t t = 0; t < tokens; ++t) {
        const float* in = x + size_t(t) * n;
        float* out = normed + size_t(t) * n;
        const float squares = dotF32(in, in, n);
        const float scale = 1.0f / std::sqrt(squares / float(n) + m_info.config.rmsEpsilon);
        for (uint32_t i = 0; i < n; ++i)
            out[i] = in[i] * scale * weight[i];
    }
}

Result<void> Forward::run(const PartInput& input, uint32_t first, LogitsFor logits, const std::atomic<bool>* cancel)
{
    const ModelConfig& c = m_info.config;
    const std::span<const int32_t> tokens = input.tokens;
    const uint32_t n = uint32_t(tokens.size());
    const uint32_t width = c.embeddingLength;
    float* x = scratch(m_layout.residual);
    if (m_weights.part.embedding) {
        for (uint32_t t = 0; t < n; ++t)
            PONDER_TRY(dequantize(m_weights.embedding.type(), m_weights.embedding.row(uint64_t(tokens[t])),
                                  std::span<float>(x + size_t(t) * width, width)));
    } else {
        if (input.hidden.size() != size_t(n) * width)
            return fail(ErrorCode::InvalidArgument, "a part without the embedding needs n_embd hidden values per token");
        std::copy(input.hidden.begin(), input.hidden.end(), x);
    }

    // (cos, sin) of every rotated pair at every position of the batch.
    const uint32_t pairs = c.ropeDimensions / 2;
    float* table = scratch(m_layout.rope);
    for (uint32_t t = 0; t < n; ++t)
        for (uint32_t i = 0; i < pairs; ++i) {
            const double theta = double(first + t) * m_weights.ropeFrequencies[i];
            table[(size_t(t) * pairs + i) * 2] = float(std::cos(theta));
            table[(size_t(t) * pairs + i) * 2 + 1] = float(std::sin(theta));
        }

    for (uint32_t l = 0; l < m_weights.layers.size(); ++l) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return fail(ErrorCode::Cancelled, "cancelled");
        layer(l, n, first);
    }
    if (logits == LogitsFor::None || !m_weights.output)
        return {};

    // h_out = W_out · norm(h) for the rows that want logits.
    const uint32_t rows = logits == LogitsFor::All ? n : 1;
    const float* last = x + size_t(n - rows) * width;
    float* normed = scratch(m_layout.normed);
    normRows(normed, last, m_weights.outputNorm, rows);
    const CpuMatrix& output = *m_weights.output;
    m_inputs.quantize(Input::Output, {&output}, normed, rows, width);
    const QuantizedActivations& in = m_inputs(Input::Output, output);
    float* out = m_logits.floats();
    forEachChunk(output.rows(), output.rowGranularity(),
                 [&](Range r) { projectRows(output, in, out, c.vocabSize, r, nullptr); });
    return {};
}

// h += Wo·attention(rope(Wq·n(h) + bq), rope(Wk·n(h) + bk), Wv·n(h) + bv)
// h += Wdown·(silu(Wgate·n(h)) * Wup·n(h))
void Forward::layer(uint32_t index, uint32_t tokens, uint32_t first)
{
    const ModelConfig& c = m_info.config;
    const CpuLayer& w = m_weights.layers[index];
    const unsigned threads = m_pool.size();
    const uint32_t width = c.embeddingLength;
    float* x = scratch(m_layout.residual);
    float* normed = scratch(m_layout.normed);
    float* projected = scratch(m_layout.projected);

    normRows(normed, x, w.attnNorm, tokens);
    m_inputs.quantize(Input::Attention, {&w.q, &w.k, &w.v}, normed, tokens, width);
    // Whole heads per thread, so each rotates and caches the heads it
    // projected without another meeting of the threads (one of six per
    // layer). Where threads outnumber heads some get no q rows; q is ~5% of
    // a layer's weights.
    const size_t dim = c.headDim;
    const size_t qGranularity = std::lcm(size_t(w.q.rowGranularity()), dim);
    const size_t kvGranularity =
        std::lcm(std::lcm(size_t(w.k.rowGranularity()), size_t(w.v.rowGranularity())), dim);
    // Decode where every thread's query heads read only kv heads it
    // projects itself (two threads over Qwen-1.5B's two groups): attention
    // follows in the same run, one meeting of the threads fewer (a few
    // microseconds each on the 2-core VM, and the wait for the later one).
    const auto heads = [&](unsigned thread) {
        const Range qRows = splitRange(c.qDim(), qGranularity, thread, threads);
        const Range kvRows = splitRange(c.kvDim(), kvGranularity, thread, threads);
        return std::pair{Range{qRows.begin / dim, qRows.end / dim}, Range{kvRows.begin / dim, kvRows.end / dim}};
    };
    const size_t group = c.headCount / c.headCountKv;
    bool attendInRun = tokens == 1;
    for (unsigned thread = 0; thread < threads && attendInRun; ++thread) {
        const auto [qHeads, kvHeads] = heads(thread);
        attendInRun = qHeads.begin == qHeads.end ||
                      (qHeads.begin / group >= kvHeads.begin && (qHeads.end - 1) / group < kvHeads.end);
    }
    m_pool.run([&](unsigned thread) {
        const auto [qHeads, kvHeads] = heads(thread);
        const Range qRows{qHeads.begin * dim, qHeads.end * dim}, kvRows{kvHeads.begin * dim, kvHeads.end * dim};
        projectRows(w.q, m_inputs(Input::Attention, w.q), scratch(m_layout.q), c.qDim(), qRows, w.qBias);
        projectRows(w.k, m_inputs(Input::Attention, w.k), scratch(m_layout.k), c.kvDim(), kvRows, w.kBias);
        projectRows(w.v, m_inputs(Input::Attention, w.v), scratch(m_layout.v), c.kvDim(), kvRows, w.vBias);
        rotateAndCache(index, tokens, first, qHeads, kvHeads);
        if (attendInRun)
            attendDecode(index, first, qHeads, thread);
    });
    if (!attendInRun)
        attention(index, tokens, first);

    m_inputs.quantize(Input::AttentionOutput, {&w.output}, scratch(m_layout.attention), tokens, c.qDim());
    forEachChunk(w.output.rows(), w.output.rowGranularity(), [&](Range r) {
        projectRows(w.output, m_inputs(Input::AttentionOutput, w.output), projected, width, r, nullptr);
        for (uint32_t t = 0; t < tokens; ++t)
            for (size_t row = r.begin; row < r.end; ++row)
                x[size_t(t) * width + row] += projected[size_t(t) * width + row];
    });

    normRows(normed, x, w.ffnNorm, tokens);
    m_inputs.quantize(Input::FeedForward, {&w.gate, &w.up}, normed, tokens, width);
    const uint32_t ff = c.feedForwardLength;
    float* gate = scratch(m_layout.gate);
    float* up = scratch(m_layout.up);
    // One row range for gate and up, so each chunk combines its own rows.
    const size_t granularity = std::lcm(size_t(w.gate.rowGranularity()), size_t(w.up.rowGranularity()));
    forEachChunk(ff, granularity, [&](Range r) {
        projectRows(w.gate, m_inputs(Input::FeedForward, w.gate), gate, ff, r, nullptr);
        projectRows(w.up, m_inputs(Input::FeedForward, w.up), up, ff, r, nullptr);
        for (uint32_t t = 0; t < tokens; ++t)
            swiGlu(gate + size_t(t) * ff + r.begin, up + size_t(t) * ff + r.begin, r.end - r.begin);
    });

    m_inputs.quantize(Input::FeedForwardDown, {&w.down}, gate, tokens, ff);
    forEachChunk(w.down.rows(), w.down.rowGranularity(), [&](Range r) {
        projectRows(w.down, m_inputs(Input::FeedForwardDown, w.down), projected, width, r, nullptr);
        for (uint32_t t = 0; t < tokens; ++t)
            for (size_t row = r.begin; row < r.end; ++row)
                x[size_t(t) * width + row] += projected[size_t(t) * width + row];
    });
}

// RoPE on q heads [qHeads.begin, qHeads.end) and kv heads kvHeads of every
// token, and those kv heads' k and v into the cache.
void Forward::rotateAndCache(uint32_t index, uint32_t tokens, uint32_t first, Range qHeads, Range kvHeads)
{
    const ModelConfig& c = m_info.config;
    const uint32_t dim = c.headDim;
    const uint32_t pairs = c.ropeDimensions / 2;
    float* q = scratch(m_layout.q);
    float* k = scratch(m_layout.k);
    const float* v = scratch(m_layout.v);
    const float* table = scratch(m_layout.rope);
    const KvCacheType type = m_plan.options.kvType;
    for (uint32_t t = 0; t < tokens; ++t) {
        const float* angles = table + size_t(t) * pairs * 2;
        for (size_t h = qHeads.begin; h < qHeads.end; ++h)
            ropeHead(q + size_t(t) * c.qDim() + h * dim, angles, pairs, c.ropeLayout);
        for (size_t kvHead = kvHeads.begin; kvHead < kvHeads.end; ++kvHead) {
            float* key = k + size_t(t) * c.kvDim() + kvHead * dim;
            const float* value = v + size_t(t) * c.kvDim() + kvHead * dim;
            ropeHead(key, angles, pairs, c.ropeLayout);
            const size_t slot = size_t(first + t) * m_rowBytes;
            storeKv(type, keys(index, uint32_t(kvHead)) + slot, key, dim);
            storeKv(type, values(index, uint32_t(kvHead)) + slot, value, dim);
        }
    }
}

// Causal grouped-query attention over q (rotated) and the cache: query head
// h of token t reads kv head h / (n_head / n_head_kv) at positions
// 0 .. first + t.
void Forward::attention(uint32_t index, uint32_t tokens, uint32_t first)
{
    const unsigned threads = m_pool.size();
    const uint32_t headsKv = m_info.config.headCountKv;
    const uint32_t group = m_info.config.headCount / headsKv;
    // Decode: each thread takes a contiguous run of query heads, so it
    // reads the cache of as few kv heads as it can (a group's heads share
    // one, which then stays in its L2). Prefill: units (token, kv head)
    // dealt out round-robin: later tokens see more positions, so contiguous
    // ranges would load the last thread most.
    m_pool.run([&](unsigned thread) {
        if (tokens == 1)
            return attendDecode(index, first, splitRange(m_info.config.headCount, 1, thread, threads), thread);
        for (size_t u = thread; u < size_t(tokens) * headsKv; u += threads) {
            const size_t kvHead = u % headsKv;
            attendHeads(index, first, uint32_t(u / headsKv), {kvHead * group, (kvHead + 1) * group}, thread);
        }
    });
}

void Forward::attendDecode(uint32_t index, uint32_t first, Range heads, unsigned thread)
{
    const uint32_t group = m_info.config.headCount / m_info.config.headCountKv;
    for (size_t h = heads.begin; h < heads.end;) {
        const size_t end = std::min<size_t>(heads.end, (h / group + 1) * group);
        attendHeads(index, first, 0, {h, end}, thread);
        h = end;
    }
}

void Forward::attendHeads(uint32_t index, uint32_t first, uint32_t t, Range heads, unsigned thread)
{
    const ModelConfig& c = m_info.config;
    const uint32_t dim = c.headDim;
    const uint32_t group = c.headCount / c.headCountKv;
    const size_t offset = size_t(t) * c.qDim() + heads.begin * dim;
    attendGroup({.type = m_plan.options.kvType,
                 .queries = scratch(m_layout.q) + offset,
                 .heads = heads.end - heads.begin,
                 .keys = keys(index, uint32_t(heads.begin / group)),
                 .values = values(index, uint32_t(heads.begin / group)),
                 .rowBytes = m_rowBytes,
                 .visible = size_t(first) + t + 1,
                 .dim = dim,
                 .scale = 1.0f / std::sqrt(float(dim)),
                 .scores = m_scores.floats() + thread * attentionScratchFloats(group, m_plan.options.contextLength),
                 .out = scratch(m_layout.attention) + offset});
}

} // namespace ponder::cpu
