#include "ponder/gpu_session.h"

#include <algorithm>
#include <cstring>

#include "ponder/quant.h"
#include "ponder/vk/device.h"
#include "ponder/vk/transfer.h"

namespace ponder {
namespace {

// matVecBatch reads each weight once for up to this many token vectors;
// larger batches go through the tiled matMul. Up to 8 tokens the batched
// matvec wins: its tiles are not half empty, and its reads of W are the
// bandwidth-bound decode kernel's.
constexpr uint32_t kMaxMatVecBatch = 8;

KvCacheShape cacheShape(const ModelConfig& c, const MemoryPlan& plan)
{
    KvCacheShape shape;
    shape.headsKv = c.headCountKv;
    shape.headDim = c.headDim;
    shape.capacity = plan.options.contextLength;
    shape.type = plan.kv.type;
    return shape;
}

} // namespace

GpuSession::GpuSession(const Kernels& kernels, const GpuModel& model, const ModelWeights& weights)
    : m_kernels(kernels), m_model(model), m_weights(weights)
{
}

Result<std::unique_ptr<GpuSession>> GpuSession::create(const Kernels& kernels, const GpuModel& model,
                                                       const ModelWeights& weights)
{
    std::unique_ptr<GpuSession> session(new GpuSession(kernels, model, weights));
    const MemoryPlan& plan = model.plan();
    session->m_batch = plan.activations.batch;
    session->m_part = plan.options.partOf(model.config());
    for (size_t i = 0; i < plan.buffers.size(); ++i) {
        if (plan.buffers[i].role == BufferRole::Staging && !session->m_staging)
            session->m_staging = &model.buffer(uint32_t(i));
        if (plan.buffers[i].role == BufferRole::Readback)
            session->m_readback = &model.buffer(uint32_t(i));
    }
    if (!session->m_staging || !session->m_readback)
        return fail(ErrorCode::InvalidArgument, "the memory plan lacks a staging or readback buffer");

    for (auto* recorder : {&session->m_decode, &session->m_prefill}) {
        auto created = vk::CommandRecorder::create(model.device());
        if (!created)
            return std::unexpected(created.error());
        *recorder = std::move(*created);
    }

    // The RoPE frequency table, once per model.
    const ModelConfig& c = model.config();
    std::vector<float> factors;
    if (weights.ropeFreqs) {
        factors.resize(weights.ropeFreqs.rowLength());
        PONDER_TRY(dequantize(weights.ropeFreqs.type(), weights.ropeFreqs.data, factors));
    }
    auto table = ropeFrequencyTable(c.ropeDimensions, c.ropeFreqBase, factors);
    if (!table)
        return std::unexpected(table.error());
    const Region& region = plan.activations.ropeTable;
    PONDER_TRY(vk::uploadBytes(model.device(), *session->m_prefill, model.buffer(region.buffer),
                               std::as_bytes(std::span(*table)), region.offset));

    PONDER_TRY(session->m_decode->begin());
    PONDER_TRY(session->record(*session->m_decode, 1, 1));
    PONDER_TRY(session->m_decode->end());
    return session;
}

std::string GpuSession::deviceName() const
{
    return m_model.device().adapter().name;
}

Result<void> GpuSession::truncate(uint32_t length)
{
    if (length > m_length)
        return fail(ErrorCode::InvalidArgument, "cannot truncate the cache to more tokens than it holds");
    // Later tokens overwrite the dropped positions; attention never reads
    // past the current position, so nothing needs clearing.
    m_length = length;
    return {};
}

vk::BufferRange GpuSession::activation(const Region& region, uint64_t bytes) const
{
    return m_model.buffer(region.buffer).range(region.offset, std::min(bytes, region.size));
}

Result<std::vector<float>> GpuSession::evaluate(std::span<const int32_t> tokens, bool allLogits)
{
    const ModelConfig& c = config();
    PONDER_TRY(checkEvaluation(tokens, m_length, contextLength(), c.vocabSize));
    if (!m_part.isWhole(c))
        return fail(ErrorCode::InvalidArgument, "a part of a split model evaluates through its split backend");

    std::vector<float> logits;
    logits.reserve(size_t(allLogits ? tokens.size() : 1) * c.vocabSize);
    const uint32_t start = m_length;
    // Every position's logits must fit the logits buffer of one pass.
    const uint32_t chunk = allLogits ? std::min(m_batch, m_model.plan().activations.logitRows) : m_batch;
    for (size_t first = 0; first < tokens.size(); first += chunk) {
        if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
            m_length = start;  // as if the call had not begun
            return fail(ErrorCode::Cancelled, "cancelled");
        }
        const auto batch = tokens.subspan(first, std::min<size_t>(chunk, tokens.size() - first));
        const bool last = first + batch.size() == tokens.size();
        const uint32_t logitRows = allLogits ? uint32_t(batch.size()) : (last ? 1u : 0u);
        if (auto ran = runBatch({.tokens = batch}, start + uint32_t(first), logitRows); !ran) {
            m_length = start;  // the cache past `start` is unusable now
            return std::unexpected(ran.error());
        }
        const auto values = readback(logitRows, c.vocabSize);
        logits.insert(logits.end(), values.begin(), values.end());
        m_length = start + uint32_t(first + batch.size());
    }
    return logits;
}

Result<std::span<const float>> GpuSession::runPart(const PartInput& input, uint32_t first, uint32_t outputRows)
{
    const ModelConfig& c = config();
    const uint32_t n = uint32_t(input.tokens.size());
    PONDER_TRY(checkPartBatch(m_part, c, input, first, outputRows,
                              {.cached = m_length, .capacity = contextLength(), .batch = m_batch,
                               .logitRows = logitRows()}));
    const uint32_t rows = m_part.output ? outputRows : n;
    if (auto ran = runBatch(input, first, rows); !ran) {
        m_length = first;
        return std::unexpected(ran.error());
    }
    m_length = first + n;
    return readback(rows, m_part.output ? c.vocabSize : c.embeddingLength);
}

std::span<const float> GpuSession::readback(uint32_t rows, uint32_t width) const
{
    if (rows == 0)
        return {};
    m_readback->invalidate();
    return {reinterpret_cast<const float*>(m_readback->mapped()), size_t(rows) * width};
}

Result<void> GpuSession::runBatch(const PartInput& input, uint32_t firstPosition, uint32_t logitRows)
{
    const uint32_t n = uint32_t(input.tokens.size());
    // Ids at the start of the staging buffer, positions right after, and a
    // part's incoming hidden rows at stagedHiddenOffset.
    auto* staged = reinterpret_cast<uint32_t*>(m_staging->mapped());
    for (uint32_t i = 0; i < n; ++i) {
        staged[i] = uint32_t(input.tokens[i]);
        staged[m_batch + i] = firstPosition + i;
    }
    if (!m_part.embedding)
        std::memcpy(m_staging->mapped() + stagedHiddenOffset(m_batch), input.hidden.data(),
                    input.hidden.size_bytes());

    // A part without the output returns every token's hidden row, whatever
    // logitRows says: the decode recording serves it whenever n is 1.
    vk::CommandRecorder* recorder = m_decode.get();
    if (n != 1 || (logitRows != 1 && m_part.output)) {
        recorder = m_prefill.get();
        if (m_prefillTokens != n || m_prefillLogitRows != logitRows) {
            m_prefillTokens = 0;
            PONDER_TRY(recorder->begin());
            PONDER_TRY(record(*recorder, n, logitRows));
            PONDER_TRY(recorder->end());
            m_prefillTokens = n;
            m_prefillLogitRows = logitRows;
        }
    }
    PONDER_TRY(recorder->submitAndWait());
    m_lastRun = recorder;
    return {};
}

Result<void> GpuSession::project(vk::CommandRecorder& rec, TensorType type, uint32_t rows, uint32_t cols,
                                 uint32_t tokens, const vk::BufferRange& y, const vk::BufferRange& w,
                                 const vk::BufferRange& x, const Projection& extra) const
{
    if (tokens <= kMaxMatVecBatch)
        return m_kernels.matVecBatch(rec, type, rows, cols, tokens, y, w, x,
                                     {.bias = extra.bias,
                                      .residual = extra.residual,
                                      .normWeight = extra.normWeight,
                                      .normEpsilon = config().rmsEpsilon});  // read only with normWeight
    if (extra.normWeight.size)
        return fail(ErrorCode::InvalidArgument, "a folded norm on the matmul path");
    return m_kernels.matMul(rec, type, rows, cols, tokens, y, w, x, {.bias = extra.bias, .residual = extra.residual});
}

bool GpuSession::foldsNorm(uint32_t tokens) const
{
    return tokens <= kMaxMatVecBatch && m_kernels.matVecVariant() != MatVecVariant::RowPerInvocation;
}

// x for the projections after an RMS norm: the residual itself when they
// fold the norm in (its weights go to each projection), else the norm's
// output, recorded here with the barrier its readers need.
Result<GpuSession::NormedInput> GpuSession::normInput(vk::CommandRecorder& rec, uint32_t rows,
                                                      const vk::BufferRange& residual, const vk::BufferRange& normed,
                                                      const vk::BufferRange& weight) const
{
    if (foldsNorm(rows))
        return NormedInput{residual, weight};
    PONDER_TRY(m_kernels.rmsNorm(rec, rows, config().embeddingLength, config().rmsEpsilon, normed, residual, weight));
    rec.barrier();
    return NormedInput{normed, {}};
}

Result<void> GpuSession::setProfiling(bool on)
{
    PONDER_TRY(m_decode->setProfiling(on));
    PONDER_TRY(m_prefill->setProfiling(on));
    m_prefillTokens = 0;  // re-recorded on its next use
    m_lastRun = nullptr;
    PONDER_TRY(m_decode->begin());
    PONDER_TRY(record(*m_decode, 1, 1));
    return m_decode->end();
}

Result<std::vector<vk::KernelTime>> GpuSession::lastProfile() const
{
    if (!m_lastRun)
        return fail(ErrorCode::InvalidArgument, "no batch has run since profiling was switched");
    return m_lastRun->profile();
}

Result<void> GpuSession::record(vk::CommandRecorder& rec, uint32_t n, uint32_t logitRows) const
{
    const ModelConfig& c = config();
    const ActivationLayout& a = m_model.plan().activations;
    const uint64_t embdBytes = uint64_t(n) * c.embeddingLength * 4;

    // Positions and token ids (or the part before's hidden rows) from the staging buffer.
    rec.copy(m_staging->range(uint64_t(m_batch) * 4, n * 4), activation(a.positions, n * 4));
    if (m_part.embedding)
        rec.copy(m_staging->range(0, n * 4), activation(a.tokens, n * 4));
    else
        rec.copy(m_staging->range(stagedHiddenOffset(m_batch), embdBytes), activation(a.residual, embdBytes));
    rec.barrier();

    if (m_part.embedding) {
        const WeightView& table = m_weights.tokenEmbedding;
        PONDER_TRY(m_kernels.embed(rec, table.type(), c.embeddingLength, c.vocabSize, n,
                                   activation(a.residual, embdBytes), m_model.tensor(table),
                                   activation(a.tokens, n * 4)));
        rec.barrier();
    }
    for (uint32_t l = m_part.firstLayer; l < m_part.endLayer; ++l)
        PONDER_TRY(recordLayer(rec, l, n));

    if (!m_part.output) {
        // The hidden rows go on to the next part.
        rec.copy(activation(a.residual, embdBytes), m_readback->range(0, embdBytes));
        return {};
    }
    if (logitRows == 0)
        return {};
    // Logits of the last `logitRows` tokens: norm those rows, then the output matrix.
    const uint64_t rowBytes = uint64_t(c.embeddingLength) * 4;
    const Region& residual = a.residual;
    const vk::BufferRange lastRows = m_model.buffer(residual.buffer)
                                         .range(residual.offset + (n - logitRows) * rowBytes, logitRows * rowBytes);
    const vk::BufferRange normed = activation(a.normed, logitRows * rowBytes);
    auto input = normInput(rec, logitRows, lastRows, normed, m_model.tensor(m_weights.outputNorm));
    if (!input)
        return std::unexpected(input.error());
    const uint64_t logitBytes = uint64_t(logitRows) * c.vocabSize * 4;
    const vk::BufferRange logits = activation(a.logits, logitBytes);
    PONDER_TRY(project(rec, m_weights.output.type(), c.vocabSize, c.embeddingLength, logitRows, logits,
                       m_model.tensor(m_weights.output), input->x, {.normWeight = input->normWeight}));
    rec.barrier();
    rec.copy(logits, m_readback->range(0, logitBytes));
    return {};
}

// h += Wo·attention(rope(Wq·n(h) + bq), rope(Wk·n(h) + bk), Wv·n(h) + bv)
// h += Wdown·(silu(Wgate·n(h)) * Wup·n(h))
Result<void> GpuSession::recordLayer(vk::CommandRecorder& rec, uint32_t index, uint32_t n) const
{
    const ModelConfig& c = config();
    const LayerWeights& w = m_weights.layers[index];
    const ActivationLayout& a = m_model.plan().activations;
    const LayerKv& kv = m_model.plan().kv.layers[index - m_model.plan().kv.firstLayer];
    const uint64_t embd = uint64_t(n) * c.embeddingLength * 4;
    const uint64_t qBytes = uint64_t(n) * c.qDim() * 4;
    const uint64_t kvBytes = uint64_t(n) * c.kvDim() * 4;
    const uint64_t ffBytes = uint64_t(n) * c.feedForwardLength * 4;
    const auto residual = activation(a.residual, embd);
    const auto normed = activation(a.normed, embd);
    const auto q = activation(a.q, qBytes);
    const auto k = activation(a.k, kvBytes);
    const auto v = activation(a.v, kvBytes);
    const auto attended = activation(a.attention, qBytes);
    const auto gate = activation(a.gate, ffBytes);
    const auto up = activation(a.up, ffBytes);
    const auto positions = activation(a.positions, n * 4);
    const auto ropeTable = activation(a.ropeTable, a.ropeTable.size);
    const auto kCache = m_model.range(kv.keys);
    const auto vCache = m_model.range(kv.values);

    auto attnIn = normInput(rec, n, residual, normed, m_model.tensor(w.attnNorm));
    if (!attnIn)
        return std::unexpected(attnIn.error());
    PONDER_TRY(project(rec, w.attnQ.type(), c.qDim(), c.embeddingLength, n, q, m_model.tensor(w.attnQ), attnIn->x,
                       {.bias = m_model.tensor(w.attnQBias), .normWeight = attnIn->normWeight}));
    PONDER_TRY(project(rec, w.attnK.type(), c.kvDim(), c.embeddingLength, n, k, m_model.tensor(w.attnK), attnIn->x,
                       {.bias = m_model.tensor(w.attnKBias), .normWeight = attnIn->normWeight}));
    PONDER_TRY(project(rec, w.attnV.type(), c.kvDim(), c.embeddingLength, n, v, m_model.tensor(w.attnV), attnIn->x,
                       {.bias = m_model.tensor(w.attnVBias), .normWeight = attnIn->normWeight}));
    rec.barrier();

    const RopeShape rope{c.ropeDimensions, c.ropeLayout};
    const KvCacheShape cache = cacheShape(c, m_model.plan());
    PONDER_TRY(m_kernels.rope(rec, n, c.headCount, c.headDim, rope, q, q, positions, ropeTable));
    PONDER_TRY(m_kernels.kvStore(rec, cache, n, kCache, vCache, k, v, positions,
                                 {.rope = rope, .freqTable = ropeTable}));
    rec.barrier();

    AttentionShape shape;
    shape.cache = cache;
    shape.heads = c.headCount;
    // Decode dispatches the plan's most splits (its partials are sized for
    // them); each replay of the recording uses as many as the cached tokens
    // call for, computed on the GPU from the position.
    shape.splits = a.decodeSplits;
    if (n == 1)
        PONDER_TRY(m_kernels.attentionDecode(rec, shape, attended, q, kCache, vCache, positions,
                                             activation(a.partials, a.partials.size)));
    else
        PONDER_TRY(m_kernels.attentionPrefill(rec, shape, n, attended, q, kCache, vCache, positions));
    rec.barrier();
    PONDER_TRY(project(rec, w.attnOutput.type(), c.embeddingLength, c.qDim(), n, residual,
                                     m_model.tensor(w.attnOutput), attended, {.residual = residual}));
    rec.barrier();

    auto ffnIn = normInput(rec, n, residual, normed, m_model.tensor(w.ffnNorm));
    if (!ffnIn)
        return std::unexpected(ffnIn.error());
    PONDER_TRY(project(rec, w.ffnGate.type(), c.feedForwardLength, c.embeddingLength, n, gate,
                       m_model.tensor(w.ffnGate), ffnIn->x, {.normWeight = ffnIn->normWeight}));
    PONDER_TRY(project(rec, w.ffnUp.type(), c.feedForwardLength, c.embeddingLength, n, up, m_model.tensor(w.ffnUp),
                       ffnIn->x, {.normWeight = ffnIn->normWeight}));
    rec.barrier();
    PONDER_TRY(m_kernels.siluMul(rec, uint64_t(n) * c.feedForwardLength, gate, gate, up));
    rec.barrier();
    PONDER_TRY(project(rec, w.ffnDown.type(), c.embeddingLength, c.feedForwardLength, n, residual,
                                     m_model.tensor(w.ffnDown), gate, {.residual = residual}));
    rec.barrier();
    return {};
}

} // namespace ponder
