// log-softmax in double precision, the one both comparisons share: a
// vocabulary of 152k entries summed in float would lose the tail.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace ponder::divergence {

// log(sum(exp(logits))), computed around the largest logit so nothing overflows.
inline double logSumExp(std::span<const float> logits)
{
    const double top = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (const float x : logits)
        sum += std::exp(double(x) - top);
    return top + std::log(sum);
}

inline void logProbabilities(std::span<const float> logits, std::vector<double>& out)
{
    const double logSum = logSumExp(logits);
    out.resize(logits.size());
    for (size_t i = 0; i < logits.size(); ++i)
        out[i] = double(logits[i]) - logSum;
}

} // namespace ponder::divergence
