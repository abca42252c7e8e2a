// The statistics of a comparison between a quant and its reference, named as
// llama.cpp's perplexity tool names them (--kl-divergence), so figures from
// both compare: mean, median, 99% and 99.9% KLD, maximum KLD, "same top p"
// and RMS Δp, and PPL(Q)/PPL(base).
//
// Reasoning chains are long and one badly wrong token can derail one, so
// the tail of the divergence matters as much as its mean: hence the high
// percentiles and the maximum beside the mean.
#pragma once

#include <cstddef>
#include <span>

#include "ponder/quant_divergence.h"

namespace ponder {

struct DivergenceStatistics {
    size_t positions = 0;
    double meanKl = 0;       // nats
    double medianKl = 0;
    double kl99 = 0;         // the 99th percentile of KL over positions
    double kl999 = 0;        // the 99.9th
    double maxKl = 0;
    double sameTopPercent = 0;  // positions where both models' most likely token is the same, 0..100
    double rmsDeltaPPercent = 0;  // RMS over positions of p_quant(t) - p_ref(t), t the text's token, in points
    double referencePerplexity = 0;
    double candidatePerplexity = 0;
    double perplexityRatio = 0;  // PPL(Q) / PPL(base)
};

// The value at `fraction` (0..1) of `sorted` (ascending, not empty), linearly
// interpolated between the two closest ranks: rank fraction * (n - 1), as
// NumPy's default percentile. 0 for an empty span.
double percentileOfSorted(std::span<const double> sorted, double fraction);

// The statistics over every position of `reports` pooled together (several
// prompts of an evaluation set give one figure each). All zero when there
// are no positions.
DivergenceStatistics summarizeDivergence(std::span<const DivergenceReport> reports);

inline DivergenceStatistics summarizeDivergence(const DivergenceReport& report)
{
    return summarizeDivergence(std::span<const DivergenceReport>(&report, 1));
}

} // namespace ponder
