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
    // penalised logit and its lowest id; copies nothing.
    Result<void> scanLogits(std::span<const float> logits, std::span<const int32_t> history);
    // Steps 3-7: leaves the kept tokens in m_candidates[0, m_count) with
    // unnormalised weights (the best token's is 1) summing to m_total.
    void shapeWeights(std::span<const float> logits);
    void keepTopP();
    void keepMinP();
    double uniform01();

    SamplerConfig m_config;
    std::mt19937_64 m_rng;
    std::vector<TokenProbability> m_candidates; // (vocab) buffer; the first m_count are kept
    size_t m_count = 0;
    std::vector<int32_t> m_window;              // distinct ids in the penalty window, ascending
    double m_maxLogit = 0.0;                    // largest penalised logit, NaN skipped
    int32_t m_argmax = -1;                      // its lowest id; -1 when all are NaN or -inf
    double m_total = 0.0;                       // sum of the kept weights
    bool m_sorted = false;                      // the kept tokens are most likely first
};

} // namespace ponder
