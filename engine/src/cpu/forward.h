// The CPU forward pass over one batch of tokens: the model's layers, read
// like the model (norm, qkv, rope, attention, output, ffn), each matrix
// product split across the thread pool by output rows (q, k and v by whole
// heads per thread, the others by a contiguous share per thread that the
// others help finish: ChunkQueue) and attention by (token, kv head). Owns the KV cache and every
// scratch buffer, allocated once from the memory plan; run() never allocates.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

#include "cpu/aligned_buffer.h"
#include "cpu/cpu_weights.h"
#include "cpu/inputs.h"
#include "cpu/scratch_layout.h"
#include "cpu/thread_pool.h"
#include "ponder/cpu_memory_plan.h"

namespace ponder::cpu {

// Which positions of a batch get logits.
enum class LogitsFor { None, Last, All };

class Forward {
public:
    // All references must outlive the forward pass.
    Forward(const ModelInfo& info, const CpuWeights& weights, const CpuMemoryPlan& plan, ThreadPool& pool);

    // Bytes of the KV cache and scratch this allocated.
    uint64_t allocatedBytes() const;

    // Evaluates the part's layers for input.tokens (at most the plan's
    // batch, ids already checked), or for the hidden rows of the part before
    // when the part has no embedding, at positions first .. first + size - 1,
    // storing their keys and values. Logits land in logits(): (1 or
    // tokens.size(), n_vocab); All needs tokens.size() <= the plan's
    // logitRows. A part without the output leaves every token's row in
    // hidden() instead. Cancelled, between layers, once *cancel reads true.
    Result<void> run(const PartInput& input, uint32_t first, LogitsFor logits, const std::atomic<bool>* cancel);
    const float* logits() const { return m_logits.floats(); }
    // (tokens, n_embd): the residual stream after the part's last layer.
    const float* hidden() const { return scratch(m_layout.residual); }

private:
    // `index` counts the part's layers (and its cache's), from 0.
    void layer(uint32_t index, uint32_t tokens, uint32_t first);
    // RoPE on q heads qHeads and kv heads kvHeads of every token, and those
    // kv heads' rows into the cache: the part of one thread.
    void rotateAndCache(uint32_t index, uint32_t tokens, uint32_t first, Range qHeads, Range kvHeads);
    void attention(uint32_t index, uint32_t tokens, uint32_t first);
    // One thread's part of decode attention: query heads `heads` of the one
    // token, in runs that share a kv head.
    void attendDecode(uint32_t index, uint32_t first, Range heads, unsigned thread);
    // Query heads `heads` (all in one kv head) of token t of the batch, on
    // `thread`'s scores scratch.
    void attendHeads(uint32_t index, uint32_t first, uint32_t t, Range heads, unsigned thread);
    // Calls rows(range) on the pool's threads for chunks of [0, count), in
    // multiples of `granularity`, each chunk once (ChunkQueue).
    template <typename Rows>
    void forEachChunk(size_t count, size_t granularity, const Rows& rows);
    // Row norms of `tokens` rows of n_embd: normed = x / rms(x) * weight.
    void normRows(float* normed, const float* x, const float* weight, uint32_t tokens) const;
    std::byte* keys(uint32_t layer, uint32_t kvHead) const;
    std::byte* values(uint32_t layer, uint32_t kvHead) const;
    float* scratch(size_t offset) const { return m_scratch.floats() + offset; }

    const ModelInfo& m_info;
    const CpuWeights& m_weights;
    const CpuMemoryPlan& m_plan;
    ThreadPool& m_pool;
    ScratchLayout m_layout;
    uint64_t m_kvLayerBytes = 0;
    uint64_t m_rowBytes = 0;      // of one cached row of head_dim values (kvRowBytes)
    AlignedBuffer m_kv;           // per layer of the part: keys (n_head_kv, context, head_dim), then values
    AlignedBuffer m_scratch;
    AlignedBuffer m_scores;       // per thread: (context) attention scores
    AlignedBuffer m_logits;
    MatrixInputs m_inputs;
    ChunkQueue m_chunks;
};

} // namespace ponder::cpu
