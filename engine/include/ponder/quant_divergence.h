// How far a quantization's predictions stray from a better one's on the
// same text: the measure behind comparing quants side by side. Both models
// read the same tokens (the reference's answer, "teacher forcing"), and at
// every position their next-token distributions are compared:
//
//   KL divergence  KL(P_ref || P_quant) = sum p_ref * (log p_ref - log p_quant),
//                  in nats; 0 when the two agree exactly;
//   top-1 agreement  whether both would pick the same most likely token;
//   perplexity     exp(mean -log p(token)) of the text under each model.
//
// The same measures llama.cpp's perplexity tool reports for its quants, so
// figures compare. Logits are turned into log-probabilities in double
// precision (log-sum-exp), so a vocabulary of 150k entries loses nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "ponder/backend.h"
#include "ponder/error.h"

namespace ponder {

struct DivergenceReport {
    std::vector<double> kl;          // per compared position, nats
    std::vector<uint8_t> sameTop;    // per position: 1 when both argmaxes agree
    std::vector<double> referenceLogProb;  // per position: log p_ref of the text's token
    std::vector<double> candidateLogProb;  // ... and log p_candidate
    double meanKl = 0;
    double maxKl = 0;
    double top1Agreement = 0;        // fraction of positions, 0..1
    double referencePerplexity = 0;  // of the target tokens under the reference
    double candidatePerplexity = 0;  // ... and under the candidate
};

// Compares two sets of logits, row by row: `reference` and `candidate` hold
// targets.size() rows of `vocabSize` floats; row i is each model's
// prediction for targets[i]. InvalidArgument when the sizes disagree or a
// target is outside the vocabulary.
Result<DivergenceReport> compareLogits(std::span<const float> reference, std::span<const float> candidate,
                                       size_t vocabSize, std::span<const int32_t> targets);

// Receives the rows of logits teacherForce() evaluates, a chunk at a time:
// `firstRow` counts from the row that predicts tokens[from]. An error
// stops the evaluation and is returned (a cancelled comparison).
using LogitRowsSink = std::function<Result<void>(size_t firstRow, std::span<const float> rows)>;

// Evaluates `tokens` on `backend` from an empty cache and hands `sink` the
// logits that predict tokens[from] ... tokens[size-1], `chunk` rows at a
// time, so that a long text never holds more than one chunk of rows (a
// comparison keeps what it needs of each and drops the rest).
Result<void> teacherForce(InferenceBackend& backend, std::span<const int32_t> tokens, size_t from, size_t chunk,
                          const LogitRowsSink& sink);

// Evaluates `tokens` on `backend` from an empty cache and returns the logits
// that predict tokens[from], tokens[from+1], ... tokens[size-1]: (size-from)
// rows of the vocabulary size. `from` must be at least 1 (the first token
// has nothing before it). The continuation is evaluated in `chunk`-token
// steps, so no more than that many rows are produced at once inside the
// backend. The cache holds `tokens` (minus the last) afterwards.
Result<std::vector<float>> teacherForcedLogits(InferenceBackend& backend, std::span<const int32_t> tokens,
                                               size_t from, size_t chunk = 64);

} // namespace ponder
