// A reference model's next-token distributions, kept compactly so that one
// reference pass serves every quant compared against it. A row of Qwen's
// logits is 152k floats (600 KB); what a comparison needs of it is the few
// tokens that hold almost all the probability and the mass of the rest:
//
//   for each position, the most likely tokens as (id, log p), in falling
//   order, until they hold `coveredMass` of the probability (at least
//   minEntries, at most maxEntries); the log of the mass left over; and the
//   log-probability of the text's token there (for perplexity and Δp),
//   whether or not it is among the kept ones.
//
// KL divergence against a compact row is the KL of the two distributions
// with the tail merged into one outcome. That can only be smaller than the
// full KL (merging outcomes never adds divergence), and it misses at most
// what the tail hides: with 99.99% of the mass kept, far below the
// differences between quants (tst_compact_logits measures the gap).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ponder/error.h"
#include "ponder/quant_divergence.h"
#include "ponder/sampler.h"  // TokenProbability: a token and its probability, one type for both

namespace ponder {

struct CompactLogitsOptions {
    double coveredMass = 0.9999;
    size_t minEntries = 8;
    size_t maxEntries = 256;
};

class CompactLogits {
public:
    explicit CompactLogits(size_t vocabSize, CompactLogitsOptions options = {});

    // Appends one position: `logits` is the model's full row (vocabSize
    // floats), `target` the text's token it predicts.
    Result<void> append(std::span<const float> logits, int32_t target);

    size_t vocabSize() const { return m_vocabSize; }
    size_t rows() const { return m_restLogMass.size(); }
    std::span<const int32_t> ids(size_t row) const;
    std::span<const float> logProbabilities(size_t row) const;  // of ids(row), falling
    double restMass(size_t row) const;                          // probability not in ids(row)
    float targetLogProbability(size_t row) const;
    int32_t target(size_t row) const { return m_targets[row]; }
    size_t bytes() const;  // what the rows hold in memory

    // A little-endian byte image for storage (a SQLite blob, a file), and
    // back. fromBytes() checks every count, offset, id and probability, so a
    // damaged or hostile image is an error, never an out-of-range read.
    std::vector<uint8_t> toBytes() const;
    static Result<CompactLogits> fromBytes(std::span<const uint8_t> bytes);

private:
    size_t m_vocabSize;
    CompactLogitsOptions m_options;
    std::vector<uint32_t> m_offsets{0};  // rows() + 1 entries into m_ids / m_logProbs
    std::vector<int32_t> m_ids;
    std::vector<float> m_logProbs;
    std::vector<double> m_restLogMass;  // log of the mass left over; -inf when none is
    std::vector<float> m_targetLogProbs;
    std::vector<int32_t> m_targets;
};

// The `count` most likely tokens of a row of logits, most likely first
// (ties: the smaller id first), with their probabilities (the softmax of
// the whole row).
std::vector<TokenProbability> topTokens(std::span<const float> logits, size_t count);

// Compares a candidate's full logits (targets.size() rows, from row
// `firstRow` of the reference on) with the compact reference. The same
// report as compareLogits(), KL on the merged tail as described above.
Result<DivergenceReport> compareWithCompact(const CompactLogits& reference, size_t firstRow,
                                            std::span<const float> candidate);

} // namespace ponder
