// llama.cpp's statistics (divergence_stats.h) against an independent
// computation: percentiles at awkward position counts against closed forms,
// and every statistic of reports built from hand-made logits against the
// same figures worked out here in long double, straight from the softmax.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "ponder/divergence_stats.h"
#include "ponder/quant_divergence.h"

using namespace ponder;

namespace {

// A report holding only KL values (the percentile tests need nothing else);
// the other per-position fields are filled so that summarizing is valid.
DivergenceReport klOnly(std::vector<double> kl)
{
    DivergenceReport report;
    report.sameTop.assign(kl.size(), 1);
    report.referenceLogProb.assign(kl.size(), -1.0);
    report.candidateLogProb.assign(kl.size(), -1.0);
    report.kl = std::move(kl);
    return report;
}

// Logits a fixed formula gives, so the test needs no random generator whose
// sequence could differ between standard libraries: values in about [-4, 4].
std::vector<float> madeUpLogits(size_t rows, size_t vocab, uint32_t salt)
{
    std::vector<float> logits(rows * vocab);
    uint32_t state = 2463534242u ^ salt;
    for (float& x : logits) {
        state ^= state << 13;  // xorshift32
        state ^= state >> 17;
        state ^= state << 5;
        x = float(double(state % 8001) / 1000.0 - 4.0);
    }
    return logits;
}

// What every statistic should be, from the logits alone.
struct Expected {
    std::vector<long double> kl;
    size_t same = 0;
    long double squaredDeltaP = 0, nllReference = 0, nllCandidate = 0;

    void add(std::span<const float> reference, std::span<const float> candidate, int32_t target)
    {
        const auto softmax = [](std::span<const float> row) {
            long double total = 0;
            for (float x : row)
                total += std::exp((long double)x);
            std::vector<long double> p;
            for (float x : row)
                p.push_back(std::exp((long double)x) / total);
            return p;
        };
        const auto p = softmax(reference), q = softmax(candidate);
        long double divergence = 0;
        size_t topP = 0, topQ = 0;
        for (size_t i = 0; i < p.size(); ++i) {
            divergence += p[i] * std::log(p[i] / q[i]);
            topP = p[i] > p[topP] ? i : topP;
            topQ = q[i] > q[topQ] ? i : topQ;
        }
        kl.push_back(divergence);
        same += topP == topQ ? 1 : 0;
        const long double deltaP = q[size_t(target)] - p[size_t(target)];
        squaredDeltaP += deltaP * deltaP;
        nllReference -= std::log(p[size_t(target)]);
        nllCandidate -= std::log(q[size_t(target)]);
    }

    // The percentile by the definition written out again: the value at
    // rank f * (n - 1), between its two neighbours.
    double percentile(double f) const
    {
        std::vector<long double> sorted = kl;
        std::sort(sorted.begin(), sorted.end());
        const long double rank = f * (long double)(sorted.size() - 1);
        const size_t low = size_t(rank);
        if (low + 1 >= sorted.size())
            return double(sorted.back());
        return double(sorted[low] + (rank - (long double)low) * (sorted[low + 1] - sorted[low]));
    }
};

bool near(double actual, double expected, double tolerance)
{
    return std::abs(actual - expected) <= tolerance * std::max(1.0, std::abs(expected));
}

// Relative (absolute below 1) tolerance `tolerance`.
#define VERIFY_WITHIN(actual, expected, tolerance)                                                              \
    QVERIFY2(near((actual), (expected), (tolerance)),                                                           \
             qPrintable(QStringLiteral("%1 = %2, expected %3").arg(#actual).arg((actual), 0, 'g', 17).arg(     \
                 (expected), 0, 'g', 17)))
// Both sides computed in double or better from the same floats.
#define VERIFY_NEAR(actual, expected) VERIFY_WITHIN(actual, expected, 1e-9)

} // namespace

class TestDivergenceStats : public QObject {
    Q_OBJECT

private slots:
    void percentileOfSortedAtAwkwardCounts()
    {
        QCOMPARE(percentileOfSorted({}, 0.5), 0.0);
        const std::vector<double> one{0.25};
        for (double f : {0.0, 0.5, 0.99, 0.999, 1.0})
            QCOMPARE(percentileOfSorted(one, f), 0.25);
        // Two: rank f between them.
        const std::vector<double> two{1.0, 3.0};
        VERIFY_NEAR(percentileOfSorted(two, 0.5), 2.0);
        VERIFY_NEAR(percentileOfSorted(two, 0.99), 1.0 + 0.99 * 2.0);
        VERIFY_NEAR(percentileOfSorted(two, 0.999), 1.0 + 0.999 * 2.0);
        // Seven (0, 1, 4, ... 36): the median is the fourth; 99% sits at
        // rank 5.94, between 25 and 36; 99.9% at 5.994.
        std::vector<double> seven;
        for (int i = 0; i < 7; ++i)
            seven.push_back(i * i);
        VERIFY_NEAR(percentileOfSorted(seven, 0.5), 9.0);
        VERIFY_NEAR(percentileOfSorted(seven, 0.99), 25.0 + 0.94 * 11.0);
        VERIFY_NEAR(percentileOfSorted(seven, 0.999), 25.0 + 0.994 * 11.0);
        QCOMPARE(percentileOfSorted(seven, 1.0), 36.0);
        QCOMPARE(percentileOfSorted(seven, 0.0), 0.0);
        // A thousand (i squared): ranks 499.5, 989.01 and 998.001.
        std::vector<double> thousand;
        for (int i = 0; i < 1000; ++i)
            thousand.push_back(double(i) * i);
        VERIFY_NEAR(percentileOfSorted(thousand, 0.5), (499.0 * 499 + 500.0 * 500) / 2);
        VERIFY_NEAR(percentileOfSorted(thousand, 0.99), 989.0 * 989 + 0.01 * (990.0 * 990 - 989.0 * 989));
        VERIFY_NEAR(percentileOfSorted(thousand, 0.999), 998.0 * 998 + 0.001 * (999.0 * 999 - 998.0 * 998));
        // Out-of-range fractions are clamped, not read past the ends.
        QCOMPARE(percentileOfSorted(seven, -1.0), 0.0);
        QCOMPARE(percentileOfSorted(seven, 2.0), 36.0);
    }

    // summarizeDivergence sorts the positions itself: KL values given out of
    // order give the closed-form percentiles above.
    void percentilesOfReports_data()
    {
        QTest::addColumn<int>("count");
        QTest::newRow("1") << 1;
        QTest::newRow("2") << 2;
        QTest::newRow("7") << 7;
        QTest::newRow("1000") << 1000;
    }

    void percentilesOfReports()
    {
        QFETCH(int, count);
        std::vector<double> kl;  // i squared / 1000, i = 0 .. count-1, shuffled by a stride
        for (int i = 0; i < count; ++i) {
            const int j = int((int64_t(i) * 7919) % count);
            kl.push_back(double(j) * j / 1000.0);
        }
        const DivergenceStatistics stats = summarizeDivergence(klOnly(kl));
        const auto at = [&](double rank) {
            const int low = int(std::floor(rank));
            const int high = std::min(low + 1, count - 1);
            const double weight = rank - low;
            return (double(low) * low + weight * (double(high) * high - double(low) * low)) / 1000.0;
        };
        QCOMPARE(stats.positions, size_t(count));
        VERIFY_NEAR(stats.medianKl, at(0.5 * (count - 1)));
        VERIFY_NEAR(stats.kl99, at(0.99 * (count - 1)));
        VERIFY_NEAR(stats.kl999, at(0.999 * (count - 1)));
        VERIFY_NEAR(stats.maxKl, double(count - 1) * (count - 1) / 1000.0);
        // Mean of i^2 / 1000 over 0..n-1: (n-1) n (2n-1) / 6000n.
        VERIFY_NEAR(stats.meanKl, double(count - 1) * (2.0 * count - 1) / 6000.0);
    }

    // Two positions worked out by hand over a vocabulary of two; the
    // logits hold float(ln 3), so the figures agree to about 1e-8.
    void handComputed()
    {
        // Position 1: p = (1/2, 1/2), q = (3/4, 1/4), target 1: KL = 1/2 ln(4/3),
        // Δp = 1/4 - 1/2, tops agree (ties go to the first token).
        // Position 2: p = q = (1/4, 3/4), target 0: KL 0, Δp 0, tops agree.
        const std::vector<float> reference{0.f, 0.f, 0.f, float(std::log(3.0))};
        const std::vector<float> candidate{float(std::log(3.0)), 0.f, 0.f, float(std::log(3.0))};
        const auto report = compareLogits(reference, candidate, 2, std::vector<int32_t>{1, 0});
        QVERIFY(report.has_value());
        const DivergenceStatistics stats = summarizeDivergence(*report);
        QCOMPARE(stats.positions, size_t(2));
        VERIFY_WITHIN(stats.meanKl, 0.25 * std::log(4.0 / 3.0), 1e-7);
        VERIFY_WITHIN(stats.medianKl, 0.25 * std::log(4.0 / 3.0), 1e-7);
        VERIFY_WITHIN(stats.maxKl, 0.5 * std::log(4.0 / 3.0), 1e-7);
        QCOMPARE(stats.sameTopPercent, 100.0);
        VERIFY_WITHIN(stats.rmsDeltaPPercent, 100.0 * std::sqrt(0.0625 / 2), 1e-7);
        VERIFY_WITHIN(stats.referencePerplexity, std::exp((std::log(2.0) + std::log(4.0)) / 2), 1e-7);
        VERIFY_WITHIN(stats.candidatePerplexity, std::exp((std::log(4.0) + std::log(4.0)) / 2), 1e-7);
        VERIFY_WITHIN(stats.perplexityRatio, std::sqrt(16.0) / std::sqrt(8.0), 1e-7);

        // The candidate's top token differs at one of two positions: 50%.
        const std::vector<float> flipped{0.f, 1.f, 0.f, 2.f};
        const std::vector<float> original{1.f, 0.f, 0.f, 2.f};
        const auto half = compareLogits(original, flipped, 2, std::vector<int32_t>{0, 1});
        QVERIFY(half.has_value());
        QCOMPARE(summarizeDivergence(*half).sameTopPercent, 50.0);
    }

    // Every statistic of one report from made-up logits, at the awkward
    // counts, against the long double computation.
    void everyStatisticFromLogits_data()
    {
        QTest::addColumn<int>("rows");
        QTest::newRow("1") << 1;
        QTest::newRow("2") << 2;
        QTest::newRow("7") << 7;
        QTest::newRow("1000") << 1000;
    }

    void everyStatisticFromLogits()
    {
        QFETCH(int, rows);
        const size_t vocab = 37;
        const std::vector<float> reference = madeUpLogits(size_t(rows), vocab, 1);
        std::vector<float> candidate = reference;
        const std::vector<float> noise = madeUpLogits(size_t(rows), vocab, 2);
        for (size_t i = 0; i < candidate.size(); ++i)
            candidate[i] += 0.1f * noise[i];  // a quant's error: enough to flip some top tokens
        std::vector<int32_t> targets;
        Expected expected;
        for (int r = 0; r < rows; ++r) {
            targets.push_back(int32_t((r * 11 + 5) % int(vocab)));
            expected.add(std::span(reference).subspan(size_t(r) * vocab, vocab),
                         std::span(candidate).subspan(size_t(r) * vocab, vocab), targets.back());
        }
        const auto report = compareLogits(reference, candidate, vocab, targets);
        QVERIFY(report.has_value());
        const DivergenceStatistics stats = summarizeDivergence(*report);
        const double n = rows;
        long double klSum = 0;
        for (long double kl : expected.kl)
            klSum += kl;
        QCOMPARE(stats.positions, size_t(rows));
        VERIFY_NEAR(stats.meanKl, double(klSum / n));
        VERIFY_NEAR(stats.medianKl, expected.percentile(0.5));
        VERIFY_NEAR(stats.kl99, expected.percentile(0.99));
        VERIFY_NEAR(stats.kl999, expected.percentile(0.999));
        VERIFY_NEAR(stats.maxKl, double(*std::max_element(expected.kl.begin(), expected.kl.end())));
        VERIFY_NEAR(stats.sameTopPercent, 100.0 * double(expected.same) / n);
        VERIFY_NEAR(stats.rmsDeltaPPercent, double(100.0L * std::sqrt(expected.squaredDeltaP / n)));
        VERIFY_NEAR(stats.referencePerplexity, double(std::exp(expected.nllReference / n)));
        VERIFY_NEAR(stats.candidatePerplexity, double(std::exp(expected.nllCandidate / n)));
        VERIFY_NEAR(stats.perplexityRatio, double(std::exp((expected.nllCandidate - expected.nllReference) / n)));
        // Not vacuous: over many positions the noise flips some tops, but not most.
        QVERIFY2(rows < 1000 || (expected.same > 500 && expected.same < 1000),
                 qPrintable(QString::number(expected.same)));
    }

    // Several prompts' reports pooled: every position counts once, so the
    // mean is weighted by length (not a mean of means), perplexity is over
    // all tokens, and the percentiles are those of all positions together.
    void poolingSeveralReports()
    {
        const size_t vocab = 23;
        const std::vector<int> lengths{1, 7, 40, 3};
        std::vector<DivergenceReport> reports;
        Expected expected;
        std::vector<double> meansOfEach;
        for (size_t k = 0; k < lengths.size(); ++k) {
            const size_t rows = size_t(lengths[k]);
            const std::vector<float> reference = madeUpLogits(rows, vocab, uint32_t(10 + k));
            std::vector<float> candidate = madeUpLogits(rows, vocab, uint32_t(20 + k));
            for (size_t i = 0; i < candidate.size(); ++i)
                candidate[i] = reference[i] + float(k + 1) * 0.2f * candidate[i];  // later prompts stray further
            std::vector<int32_t> targets;
            for (size_t r = 0; r < rows; ++r) {
                targets.push_back(int32_t((r * 5 + k) % vocab));
                expected.add(std::span(reference).subspan(r * vocab, vocab),
                             std::span(candidate).subspan(r * vocab, vocab), targets.back());
            }
            auto report = compareLogits(reference, candidate, vocab, targets);
            QVERIFY(report.has_value());
            meansOfEach.push_back(report->meanKl);
            reports.push_back(std::move(*report));
        }
        reports.insert(reports.begin() + 2, DivergenceReport{});  // an empty report counts for nothing

        const DivergenceStatistics pooled = summarizeDivergence(reports);
        const double n = double(expected.kl.size());
        long double klSum = 0;
        for (long double kl : expected.kl)
            klSum += kl;
        QCOMPARE(pooled.positions, size_t(51));
        VERIFY_NEAR(pooled.meanKl, double(klSum / n));
        double meanOfMeans = 0;
        for (double m : meansOfEach)
            meanOfMeans += m / double(meansOfEach.size());
        QVERIFY(std::abs(pooled.meanKl - meanOfMeans) > 1e-3);  // the weighting matters for these lengths
        VERIFY_NEAR(pooled.medianKl, expected.percentile(0.5));
        VERIFY_NEAR(pooled.kl99, expected.percentile(0.99));
        VERIFY_NEAR(pooled.kl999, expected.percentile(0.999));
        VERIFY_NEAR(pooled.maxKl, double(*std::max_element(expected.kl.begin(), expected.kl.end())));
        VERIFY_NEAR(pooled.sameTopPercent, 100.0 * double(expected.same) / n);
        VERIFY_NEAR(pooled.rmsDeltaPPercent, double(100.0L * std::sqrt(expected.squaredDeltaP / n)));
        VERIFY_NEAR(pooled.referencePerplexity, double(std::exp(expected.nllReference / n)));
        VERIFY_NEAR(pooled.candidatePerplexity, double(std::exp(expected.nllCandidate / n)));
        VERIFY_NEAR(pooled.perplexityRatio, pooled.candidatePerplexity / pooled.referencePerplexity);
    }

    void nothingToSummarize()
    {
        const DivergenceStatistics none = summarizeDivergence(std::span<const DivergenceReport>{});
        QCOMPARE(none.positions, size_t(0));
        QCOMPARE(none.meanKl, 0.0);
        QCOMPARE(none.perplexityRatio, 0.0);
        const std::vector<DivergenceReport> empties(3);
        const DivergenceStatistics alsoNone = summarizeDivergence(empties);
        QCOMPARE(alsoNone.positions, size_t(0));
        QCOMPARE(alsoNone.kl99, 0.0);
        QCOMPARE(alsoNone.sameTopPercent, 0.0);
    }

    // A model compared with itself: every divergence is zero, every top agrees.
    void identicalModels()
    {
        const size_t vocab = 19;
        const std::vector<float> logits = madeUpLogits(12, vocab, 7);
        std::vector<int32_t> targets;
        for (int r = 0; r < 12; ++r)
            targets.push_back(r % int(vocab));
        const auto report = compareLogits(logits, logits, vocab, targets);
        QVERIFY(report.has_value());
        const DivergenceStatistics stats = summarizeDivergence(*report);
        QVERIFY(stats.maxKl < 1e-12);
        QCOMPARE(stats.sameTopPercent, 100.0);
        QVERIFY(stats.rmsDeltaPPercent < 1e-9);
        VERIFY_NEAR(stats.perplexityRatio, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestDivergenceStats)
#include "tst_divergence_stats.moc"
