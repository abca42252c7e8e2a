#include "ponder/quant_divergence.h"

#include "divergence/log_softmax.h"
#include "divergence/report_totals.h"
#include "ponder/divergence_stats.h"

#include <algorithm>
#include <cmath>

namespace ponder {
namespace {

using divergence::logProbabilities;

size_t argmax(std::span<const float> row)
{
    return size_t(std::max_element(row.begin(), row.end()) - row.begin());
}

} // namespace

void divergence::completeTotals(DivergenceReport& report)
{
    const DivergenceStatistics stats = summarizeDivergence(report);
    report.meanKl = stats.meanKl;
    report.maxKl = stats.maxKl;
    report.top1Agreement = stats.sameTopPercent / 100.0;
    report.referencePerplexity = stats.referencePerplexity;
    report.candidatePerplexity = stats.candidatePerplexity;
}

Result<DivergenceReport> compareLogits(std::span<const float> reference, std::span<const float> candidate,
                                       size_t vocabSize, std::span<const int32_t> targets)
{
    const size_t rows = targets.size();
    if (vocabSize == 0 || rows == 0 || reference.size() != rows * vocabSize || candidate.size() != rows * vocabSize)
        return fail(ErrorCode::InvalidArgument, "compareLogits: " + std::to_string(rows) + " targets need " +
                                                    std::to_string(rows * vocabSize) + " logits from each model, got " +
                                                    std::to_string(reference.size()) + " and " +
                                                    std::to_string(candidate.size()));
    DivergenceReport report;
    report.kl.reserve(rows);
    report.sameTop.reserve(rows);
    report.referenceLogProb.reserve(rows);
    report.candidateLogProb.reserve(rows);
    std::vector<double> logP, logQ;
    for (size_t r = 0; r < rows; ++r) {
        const int32_t target = targets[r];
        if (target < 0 || size_t(target) >= vocabSize)
            return fail(ErrorCode::InvalidArgument, "compareLogits: token " + std::to_string(target) +
                                                        " is outside the vocabulary of " + std::to_string(vocabSize));
        const auto p = reference.subspan(r * vocabSize, vocabSize);
        const auto q = candidate.subspan(r * vocabSize, vocabSize);
        logProbabilities(p, logP);
        logProbabilities(q, logQ);
        double kl = 0;
        for (size_t i = 0; i < vocabSize; ++i)
            kl += std::exp(logP[i]) * (logP[i] - logQ[i]);
        kl = std::max(0.0, kl);  // rounding can make a perfect match a hair negative
        report.kl.push_back(kl);
        report.sameTop.push_back(argmax(p) == argmax(q) ? 1 : 0);
        report.referenceLogProb.push_back(logP[size_t(target)]);
        report.candidateLogProb.push_back(logQ[size_t(target)]);
    }
    divergence::completeTotals(report);
    return report;
}

Result<void> teacherForce(InferenceBackend& backend, std::span<const int32_t> tokens, size_t from, size_t chunk,
                          const LogitRowsSink& sink)
{
    if (from < 1 || from >= tokens.size() || chunk == 0)
        return fail(ErrorCode::InvalidArgument, "teacherForce: nothing to predict from position " +
                                                    std::to_string(from) + " of " + std::to_string(tokens.size()));
    if (auto cleared = backend.truncate(0); !cleared)
        return std::unexpected(cleared.error());
    // The prefix up to the token before `from`, whose logits are not needed...
    if (from > 1) {
        if (auto prefix = backend.evaluate(tokens.first(from - 1), false); !prefix)
            return std::unexpected(prefix.error());
    }
    // ...then tokens[from-1 .. size-2], whose logits predict tokens[from .. size-1].
    const auto inputs = tokens.subspan(from - 1, tokens.size() - from);
    for (size_t at = 0; at < inputs.size(); at += chunk) {
        auto rows = backend.evaluate(inputs.subspan(at, std::min(chunk, inputs.size() - at)), true);
        if (!rows)
            return std::unexpected(rows.error());
        if (auto taken = sink(at, *rows); !taken)
            return std::unexpected(taken.error());
    }
    return {};
}

Result<std::vector<float>> teacherForcedLogits(InferenceBackend& backend, std::span<const int32_t> tokens,
                                               size_t from, size_t chunk)
{
    std::vector<float> logits;
    auto done = teacherForce(backend, tokens, from, chunk, [&](size_t, std::span<const float> rows) -> Result<void> {
        logits.insert(logits.end(), rows.begin(), rows.end());
        return {};
    });
    if (!done)
        return std::unexpected(done.error());
    return logits;
}

} // namespace ponder
