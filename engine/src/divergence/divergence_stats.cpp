#include "ponder/divergence_stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ponder {

double percentileOfSorted(std::span<const double> sorted, double fraction)
{
    if (sorted.empty())
        return 0;
    const double rank = std::clamp(fraction, 0.0, 1.0) * double(sorted.size() - 1);
    const size_t below = size_t(std::floor(rank));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (rank - double(below)) * (sorted[above] - sorted[below]);
}

DivergenceStatistics summarizeDivergence(std::span<const DivergenceReport> reports)
{
    std::vector<double> kl;
    double klSum = 0, squaredDeltaP = 0, nllReference = 0, nllCandidate = 0;
    size_t same = 0;
    for (const DivergenceReport& report : reports) {
        kl.insert(kl.end(), report.kl.begin(), report.kl.end());
        for (size_t i = 0; i < report.kl.size(); ++i) {
            klSum += report.kl[i];
            same += report.sameTop[i] ? 1 : 0;
            const double deltaP = std::exp(report.candidateLogProb[i]) - std::exp(report.referenceLogProb[i]);
            squaredDeltaP += deltaP * deltaP;
            nllReference -= report.referenceLogProb[i];
            nllCandidate -= report.candidateLogProb[i];
        }
    }
    DivergenceStatistics stats;
    stats.positions = kl.size();
    if (kl.empty())
        return stats;
    std::sort(kl.begin(), kl.end());
    const double n = double(kl.size());
    stats.meanKl = klSum / n;
    stats.medianKl = percentileOfSorted(kl, 0.5);
    stats.kl99 = percentileOfSorted(kl, 0.99);
    stats.kl999 = percentileOfSorted(kl, 0.999);
    stats.maxKl = kl.back();
    stats.sameTopPercent = 100.0 * double(same) / n;
    stats.rmsDeltaPPercent = 100.0 * std::sqrt(squaredDeltaP / n);
    stats.referencePerplexity = std::exp(nllReference / n);
    stats.candidatePerplexity = std::exp(nllCandidate / n);
    stats.perplexityRatio = stats.candidatePerplexity / stats.referencePerplexity;
    return stats;
}

} // namespace ponder
