// Picks the next token from a row of logits. The steps, in order:
//   1. repetition penalty (CTRL style) on tokens seen in the recent history;
//   2. greedy: argmax, when `greedy` is set or temperature <= 0;
//   3. temperature: logits / T;
//   4. top-k: keep the k largest;
//   5. softmax;
//   6. top-p: keep the smallest most-likely set whose mass is >= p;
//   7. min-p: keep tokens with probability >= minP * the largest probability;
//   8. renormalise and draw with a seeded generator.
// Steps 1 and 3-8 are one pure computation, Sampler::distribution(), which
// tests check exactly; sample() draws from its result.
//
// Determinism: ties are always broken towards the lower token id, and the
// random stream is std::mt19937_64 (whose output the C++ standard fixes) with
// our own conversion to uniform doubles, so a seed gives the same tokens on
// every platform for the same logits.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "ponder/error.h"

namespace ponder {

// Defaults follow DeepSeek's advice for R1: temperature 0.6, top-p 0.95.
struct SamplerConfig {
    // Divides the logits. Typical 0.5-1.0; <= 0 means greedy. Must be finite.
    float temperature = 0.6f;
    // Keep only the k most likely tokens; 0 turns it off. >= 0.
    int topK = 0;
    // Nucleus mass in [0, 1]; 1 turns it off, 0 keeps the single best token.
    float topP = 0.95f;
    // Drop tokens less likely than minP times the best token's probability,
    // in [0, 1]; 0 turns it off.
    float minP = 0.f;
    // > 0; 1 turns it off. A seen token's positive logit is divided by it and
    // a negative one multiplied, so values > 1 discourage repeats.
    float repetitionPenalty = 1.0f;
    // How many of the most recent history tokens the penalty looks at; >= 0.
    int repetitionWindow = 64;
    // Seeds the generator; the app picks a fresh one per reply unless the
    // user fixes it to reproduce a reply.
    uint64_t seed = 0;
    // Always take the most likely token (after the repetition penalty).
    bool greedy = false;
};

// InvalidArgument naming the first field out of its range.
Result<void> validateSamplerConfig(const SamplerConfig& config);

struct TokenProbability {
    int32_t token;
    double probability;
};

class Sampler {
public:
    // Fails on a config validateSamplerConfig() rejects.
    static Result<Sampler> create(const SamplerConfig& config);

    const SamplerConfig& config() const { return m_config; }
    // Replaces the config; restarts the generator from the new seed.
    Result<void> setConfig(const SamplerConfig& config);
    // Restarts the generator, keeping the rest of the config.
    void reseed(uint64_t seed);

    // The next token for one position. `logits` has one value per vocabulary
    // entry (NaN entries are never picked); `history` is the tokens so far,
    // oldest first (ids outside the vocabulary are ignored). Fails when
    // logits is empty or larger than INT32_MAX, or when every logit is NaN or
    // -inf, so no token can be chosen. Allocates nothing once its buffers have
    // grown to the vocabulary size.
    Result<int32_t> sample(std::span<const float> logits, std::span<const int32_t> history);

    // The final distribution sample() would draw from, probabilities summing
    // to 1, zero-probability tokens omitted. Order: most likely first (ties by
    // id) when top-k or top-p ran, else ascending id. Greedy gives the argmax
    // alone. Where some logits are +inf, those tokens share the mass equally.
    // The span stays valid until the next call on this sampler.
    Result<std::span<const TokenProbability>> distribution(std::span<const float> logits,
                                                           std::span<const int32_t> history);

private:
    explicit Sampler(const SamplerConfig& config);

    // Checks the logits, collects the penalty window and finds the largest
    // penalised logit and its lowest id (through the per-block maxima, which
    // top-k uses again); copies nothing.
    Result<void> scanLogits(std::span<const float> logits, std::span<const int32_t> history);
    // Steps 3-7: leaves the kept tokens in m_candidates[0, m_count) with
    // unnormalised weights (the best token's is 1) summing to m_total.
    void shapeWeights(std::span<const float> logits);
    // The shapes of shapeWeights(), one per set of active cuts.
    void weighInfinite(std::span<const float> logits);
    void weighEverything(std::span<const float> logits);
    void keepTopK(std::span<const float> logits);
    void keepNucleus(std::span<const float> logits);
    void keepAboveMinP(std::span<const float> logits);
    void keepSortedTopP();
    void keepMinP();

    // Bounds m_totalLow <= the exact total <= m_totalHigh from one float
    // pass, which also collects what collect(low, +inf) would (returns the
    // count).
    size_t estimateTotal(std::span<const float> logits, double low);
    // Tighter bounds once the collected tokens' weights are known: [0,
    // gathered) of m_candidates hold weights, [gathered, collected) values.
    void refineTotal(std::span<const float> logits, size_t collected, size_t gathered);
    // The exact total (the double sum in id order); both bounds become it.
    void computeExactTotal(std::span<const float> logits);
    // A bound on the error of a float sum of `terms` weights (estimateTotal).
    static double floatSumError(double sum, size_t terms);
    // Appends the tokens whose penalised logit v has low <= v < high to
    // m_candidates from `count`, in id order, v in .probability; returns the
    // new count.
    size_t collect(std::span<const float> logits, double low, double high, size_t count);
    // Appends the first `found` of m_ids to m_candidates from `count`, as
    // collect() does.
    size_t toCandidates(std::span<const float> logits, size_t found, size_t count);
    // The largest penalised logit a token that collect(low, ...) leaves out
    // can have; -inf when low is -inf.
    double largestBelow(std::span<const float> logits, double low) const;
    double valueOf(std::span<const float> logits, int32_t token) const;  // penalised
    double weightOf(double value) const;
    double uniform01();

    SamplerConfig m_config;
    std::mt19937_64 m_rng;
    std::vector<TokenProbability> m_candidates; // (vocab) buffer; the first m_count are kept
    size_t m_count = 0;
    std::vector<int32_t> m_ids;                 // (vocab + slack) ids found by one SIMD scan
    std::vector<double> m_blockMax;             // (vocab / block) largest penalised logit per block
    std::vector<double> m_blockOrder;           // (vocab / block) scratch for top-k's cutoff
    std::vector<float> m_blockMaxRaw;           // (vocab / block) the same before the penalty
    std::vector<int32_t> m_window;              // distinct ids in the penalty window, ascending
    double m_maxLogit = 0.0;                    // largest penalised logit, NaN skipped
    int32_t m_argmax = -1;                      // its lowest id; -1 when all are NaN or -inf
    double m_inverseTemperature = 1.0;          // 1 / T in double, as every weight uses it
    double m_total = 0.0;                       // sum of the kept weights
    double m_totalLow = 0.0;                    // bounds on the sum of every weight
    double m_totalHigh = 0.0;
    bool m_totalExact = false;                  // m_totalLow == m_totalHigh == that sum
    bool m_totalRefined = false;                // refineTotal() has run (or the total is exact)
    double m_firstLow = 0.0;                    // estimateTotal() collected the values >= this
    double m_restEstimate = 0.0;                // its float sum of the others' weights
    double m_restError = 0.0;                   // and a bound on that sum's error
    bool m_sorted = false;                      // the kept tokens are most likely first
};

} // namespace ponder
