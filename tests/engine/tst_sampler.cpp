// The sampler: its distribution checked exactly against softmax arithmetic
// done here in the plainest way, its draws checked statistically (chi-square
// goodness of fit with a fixed seed, so the outcome is deterministic), and
// its random stream checked against an independent implementation.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "ponder/sampler.h"

using namespace ponder;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

SamplerConfig plainConfig(float temperature)
{
    SamplerConfig config;
    config.temperature = temperature;
    config.topK = 0;
    config.topP = 1.f;
    config.minP = 0.f;
    config.seed = 2024;
    return config;
}

Sampler makeSampler(const SamplerConfig& config)
{
    auto sampler = Sampler::create(config);
    if (!sampler)
        qFatal("sampler config rejected: %s", sampler.error().message.c_str());
    return std::move(*sampler);
}

// softmax(logits / T) over the finite logits, in double.
std::vector<double> softmax(const std::vector<float>& logits, double temperature)
{
    double maxValue = -std::numeric_limits<double>::infinity();
    for (float l : logits)
        if (std::isfinite(l))
            maxValue = std::max(maxValue, double(l));
    std::vector<double> p(logits.size(), 0.0);
    double sum = 0.0;
    for (size_t i = 0; i < logits.size(); ++i) {
        if (std::isfinite(logits[i])) {
            p[i] = std::exp((double(logits[i]) - maxValue) / temperature);
            sum += p[i];
        }
    }
    for (auto& v : p)
        v /= sum;
    return p;
}

// The whole pipeline done naively: full sort, then every cut in turn.
std::vector<TokenProbability> referenceDistribution(const std::vector<float>& logits, const SamplerConfig& config)
{
    const auto p = softmax(logits, config.temperature);
    std::vector<TokenProbability> all;
    for (size_t i = 0; i < p.size(); ++i)
        if (p[i] > 0.0)
            all.push_back({int32_t(i), p[i]});
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.probability > b.probability || (a.probability == b.probability && a.token < b.token);
    });
    const auto renormalise = [&all] {
        double sum = 0.0;
        for (const auto& c : all)
            sum += c.probability;
        for (auto& c : all)
            c.probability /= sum;
    };
    if (config.topK > 0 && size_t(config.topK) < all.size())
        all.resize(size_t(config.topK));
    renormalise();
    if (config.topP < 1.f) {
        double mass = 0.0;
        for (size_t i = 0; i < all.size(); ++i) {
            mass += all[i].probability;
            if (mass >= config.topP) {
                all.resize(i + 1);
                break;
            }
        }
    }
    const double threshold = double(config.minP) * all.front().probability;
    std::erase_if(all, [&](const auto& c) { return c.probability < threshold; });
    renormalise();
    return all;
}

std::vector<TokenProbability> copyDistribution(Sampler& sampler, const std::vector<float>& logits,
                                               std::span<const int32_t> history = {})
{
    const auto d = sampler.distribution(logits, history);
    if (!d)
        qFatal("distribution failed: %s", d.error().message.c_str());
    return {d->begin(), d->end()};
}

std::vector<int32_t> tokensOf(const std::vector<TokenProbability>& distribution)
{
    std::vector<int32_t> tokens;
    for (const auto& c : distribution)
        tokens.push_back(c.token);
    return tokens;
}

// Chi-square statistic of observed counts against expected probabilities;
// cells expected to hold fewer than 5 draws are pooled. `cells` gets the
// number of cells used.
double chiSquare(const std::vector<int>& counts, const std::vector<double>& expected, int draws, int& cells)
{
    double statistic = 0.0;
    double pooledObserved = 0.0;
    double pooledExpected = 0.0;
    cells = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        const double e = expected[i] * draws;
        if (e < 5.0) {
            pooledObserved += counts[i];
            pooledExpected += e;
            continue;
        }
        statistic += (counts[i] - e) * (counts[i] - e) / e;
        ++cells;
    }
    if (pooledExpected >= 5.0) {
        statistic += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
        ++cells;
    }
    return statistic;
}

// Upper 0.1% point of chi-square with `df` degrees of freedom
// (Wilson-Hilferty; within a few percent for df >= 2).
double chiSquareCritical(int df)
{
    const double z = 3.090;
    const double a = 2.0 / (9.0 * df);
    return df * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

const std::vector<float> kEightLogits{2.0f, 1.5f, 1.0f, 0.5f, 0.0f, -0.5f, -1.0f, -1.5f};

// Logits whose softmax at T = 1 is exactly {1/2, 1/4, 1/8, 1/16, 1/16},
// listed out of order: token 1 is the most likely.
const std::vector<float> kHalvingLogits{std::log(0.0625f), std::log(0.5f), std::log(0.125f), std::log(0.25f),
                                        std::log(0.0625f)};

} // namespace

Q_DECLARE_METATYPE(std::vector<float>)
Q_DECLARE_METATYPE(std::vector<int32_t>)

class TestSampler : public QObject {
    Q_OBJECT

private slots:
    void greedyIsArgmax_data()
    {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<float>("temperature");
        QTest::addColumn<bool>("greedy");
        QTest::addColumn<int>("expected");
        QTest::newRow("plain") << std::vector<float>{0.1f, 3.f, -2.f, 2.9f} << 0.f << false << 1;
        QTest::newRow("tie: lowest id") << std::vector<float>{1.f, 5.f, 2.f, 5.f, 5.f} << 0.f << false << 1;
        QTest::newRow("NaN ignored") << std::vector<float>{kNaN, 1.f, kNaN, 4.f, kNaN} << 0.f << false << 3;
        QTest::newRow("-inf around one") << std::vector<float>{-kInf, -kInf, -7.f} << 0.f << false << 2;
        QTest::newRow("+inf wins, lowest") << std::vector<float>{9.f, kInf, kInf} << 0.f << false << 1;
        QTest::newRow("greedy flag at T=1") << std::vector<float>{0.f, 0.5f, 0.4f} << 1.f << true << 1;
        QTest::newRow("negative temperature") << std::vector<float>{0.f, -1.f, 0.4f} << -1.f << false << 2;
        QTest::newRow("single token") << std::vector<float>{-3.f} << 0.f << false << 0;
    }

    void greedyIsArgmax()
    {
        QFETCH(std::vector<float>, logits);
        QFETCH(float, temperature);
        QFETCH(bool, greedy);
        QFETCH(int, expected);
        auto config = plainConfig(temperature);
        config.greedy = greedy;
        auto sampler = makeSampler(config);
        for (int i = 0; i < 5; ++i) {
            const auto token = sampler.sample(logits, {});
            QVERIFY(token);
            QCOMPARE(*token, expected);
        }
        const auto d = copyDistribution(sampler, logits);
        QCOMPARE(int(d.size()), 1);
        QCOMPARE(d[0].token, expected);
        QCOMPARE(d[0].probability, 1.0);
    }

    void rejectsUnusableLogits_data()
    {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<float>("temperature");
        QTest::newRow("empty, sampling") << std::vector<float>{} << 0.6f;
        QTest::newRow("empty, greedy") << std::vector<float>{} << 0.f;
        QTest::newRow("all NaN, sampling") << std::vector<float>{kNaN, kNaN} << 0.6f;
        QTest::newRow("all NaN, greedy") << std::vector<float>{kNaN, kNaN} << 0.f;
        QTest::newRow("all -inf, sampling") << std::vector<float>{-kInf, -kInf, -kInf} << 1.f;
        QTest::newRow("all -inf, greedy") << std::vector<float>{-kInf, -kInf} << 0.f;
        QTest::newRow("NaN and -inf") << std::vector<float>{kNaN, -kInf} << 1.f;
    }

    void rejectsUnusableLogits()
    {
        QFETCH(std::vector<float>, logits);
        QFETCH(float, temperature);
        auto sampler = makeSampler(plainConfig(temperature));
        const auto token = sampler.sample(logits, {});
        QVERIFY(!token);
        QCOMPARE(token.error().code, ErrorCode::InvalidArgument);
        QVERIFY(!token.error().message.empty());
        QVERIFY(!sampler.distribution(logits, {}));
    }

    void rejectsBadConfig_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<float>("value");
        QTest::newRow("temperature NaN") << "temperature" << kNaN;
        QTest::newRow("temperature inf") << "temperature" << kInf;
        QTest::newRow("top-k negative") << "topK" << -1.f;
        QTest::newRow("top-p above 1") << "topP" << 1.5f;
        QTest::newRow("top-p negative") << "topP" << -0.1f;
        QTest::newRow("top-p NaN") << "topP" << kNaN;
        QTest::newRow("min-p above 1") << "minP" << 2.f;
        QTest::newRow("min-p NaN") << "minP" << kNaN;
        QTest::newRow("penalty zero") << "repetitionPenalty" << 0.f;
        QTest::newRow("penalty negative") << "repetitionPenalty" << -1.f;
        QTest::newRow("penalty inf") << "repetitionPenalty" << kInf;
        QTest::newRow("window negative") << "repetitionWindow" << -1.f;
    }

    void rejectsBadConfig()
    {
        QFETCH(QString, field);
        QFETCH(float, value);
        SamplerConfig bad;
        if (field == "temperature") bad.temperature = value;
        else if (field == "topK") bad.topK = int(value);
        else if (field == "topP") bad.topP = value;
        else if (field == "minP") bad.minP = value;
        else if (field == "repetitionPenalty") bad.repetitionPenalty = value;
        else bad.repetitionWindow = int(value);
        const auto created = Sampler::create(bad);
        QVERIFY(!created);
        QCOMPARE(created.error().code, ErrorCode::InvalidArgument);
        QVERIFY(!validateSamplerConfig(bad));

        auto sampler = makeSampler(plainConfig(1.f));
        QVERIFY(!sampler.setConfig(bad));
        QCOMPARE(sampler.config().temperature, 1.f);  // the old config stays
    }

    void defaultsFollowDeepSeek()
    {
        const SamplerConfig config;
        QCOMPARE(config.temperature, 0.6f);
        QCOMPARE(config.topP, 0.95f);
        QVERIFY(validateSamplerConfig(config));
    }

    void seedReproducesSequence()
    {
        auto config = plainConfig(1.f);
        config.seed = 7;
        auto a = makeSampler(config);
        auto b = makeSampler(config);
        config.seed = 8;
        auto c = makeSampler(config);
        std::vector<int32_t> first, second, other;
        for (int i = 0; i < 500; ++i) {
            first.push_back(*a.sample(kEightLogits, {}));
            second.push_back(*b.sample(kEightLogits, {}));
            other.push_back(*c.sample(kEightLogits, {}));
        }
        QCOMPARE(first, second);
        QVERIFY(first != other);

        a.reseed(7);
        std::vector<int32_t> again;
        for (int i = 0; i < 500; ++i)
            again.push_back(*a.sample(kEightLogits, {}));
        QCOMPARE(again, first);
    }

    void goldenSequence()
    {
        // Ten equal logits, seed 12345: the tokens an independent Python
        // implementation of mt19937_64 (checked against the standard's
        // 10000th output) gives with our uniform conversion and draw.
        auto config = plainConfig(1.f);
        config.seed = 12345;
        auto sampler = makeSampler(config);
        const std::vector<float> equal(10, 0.25f);
        const std::vector<int32_t> expected{3, 4, 6, 5, 5, 2, 0, 6, 4, 2, 0, 0, 4, 6, 8, 4, 2, 0, 1, 3, 0, 9, 6, 9};
        std::vector<int32_t> actual;
        for (size_t i = 0; i < expected.size(); ++i)
            actual.push_back(*sampler.sample(equal, {}));
        QCOMPARE(actual, expected);
    }

    void distributionIsSoftmax_data()
    {
        QTest::addColumn<float>("temperature");
        QTest::newRow("T=0.5") << 0.5f;
        QTest::newRow("T=1") << 1.f;
        QTest::newRow("T=2") << 2.f;
        QTest::newRow("T=0.6") << 0.6f;
    }

    void distributionIsSoftmax()
    {
        QFETCH(float, temperature);
        auto sampler = makeSampler(plainConfig(temperature));
        const auto d = copyDistribution(sampler, kEightLogits);
        const auto expected = softmax(kEightLogits, temperature);
        QCOMPARE(d.size(), expected.size());
        for (size_t i = 0; i < d.size(); ++i) {
            QCOMPARE(d[i].token, int32_t(i));  // no cut: id order
            QVERIFY(std::abs(d[i].probability - expected[i]) < 1e-12);
        }
    }

    void drawsMatchDistribution_data()
    {
        QTest::addColumn<float>("temperature");
        QTest::addColumn<int>("topK");
        QTest::addColumn<float>("topP");
        QTest::newRow("T=0.5") << 0.5f << 0 << 1.f;
        QTest::newRow("T=1") << 1.f << 0 << 1.f;
        QTest::newRow("T=2") << 2.f << 0 << 1.f;
        QTest::newRow("T=1, top-k 3") << 1.f << 3 << 1.f;
        QTest::newRow("T=1, top-p 0.8") << 1.f << 0 << 0.8f;
    }

    void drawsMatchDistribution()
    {
        QFETCH(float, temperature);
        QFETCH(int, topK);
        QFETCH(float, topP);
        auto config = plainConfig(temperature);
        config.topK = topK;
        config.topP = topP;
        auto sampler = makeSampler(config);
        const auto kept = referenceDistribution(kEightLogits, config);
        std::vector<double> expected(kEightLogits.size(), 0.0);
        for (const auto& c : kept)
            expected[size_t(c.token)] = c.probability;

        constexpr int draws = 200000;
        std::vector<int> counts(kEightLogits.size(), 0);
        for (int i = 0; i < draws; ++i) {
            const auto token = sampler.sample(kEightLogits, {});
            QVERIFY(token && *token >= 0 && size_t(*token) < counts.size());
            if (expected[size_t(*token)] == 0.0)
                QFAIL(qPrintable(QString("token %1 was cut but got drawn").arg(*token)));
            ++counts[size_t(*token)];
        }
        int cells = 0;
        const double statistic = chiSquare(counts, expected, draws, cells);
        QVERIFY2(statistic < chiSquareCritical(cells - 1),
                 qPrintable(QString("chi-square %1 over %2 cells").arg(statistic).arg(cells)));

        // The test has power: the same counts clearly reject a neighbouring
        // temperature's distribution.
        auto wrongConfig = config;
        wrongConfig.temperature = temperature * 1.1f;
        std::vector<double> wrong(kEightLogits.size(), 0.0);
        for (const auto& c : referenceDistribution(kEightLogits, wrongConfig))
            wrong[size_t(c.token)] = c.probability;
        int wrongCells = 0;
        const double wrongStatistic = chiSquare(counts, wrong, draws, wrongCells);
        QVERIFY(wrongStatistic > 10 * chiSquareCritical(wrongCells - 1));
    }

    void topK_data()
    {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<int>("k");
        QTest::addColumn<std::vector<int32_t>>("kept");  // most likely first
        QTest::newRow("k=3") << kEightLogits << 3 << std::vector<int32_t>{0, 1, 2};
        QTest::newRow("k=1") << std::vector<float>{0.f, 2.f, 1.f} << 1 << std::vector<int32_t>{1};
        QTest::newRow("ties at the edge: lower ids") << std::vector<float>{1.f, 2.f, 2.f, 2.f, 0.f} << 2
                                                     << std::vector<int32_t>{1, 2};
        QTest::newRow("out of order") << std::vector<float>{-1.f, 3.f, 0.f, 2.f, 5.f} << 3
                                      << std::vector<int32_t>{4, 1, 3};
        QTest::newRow("NaN not counted") << std::vector<float>{kNaN, 1.f, kNaN, 0.f} << 2
                                         << std::vector<int32_t>{1, 3};
        QTest::newRow("k spans a wide range") << std::vector<float>{0.f, -20.f, -30.f, 10.f, -kInf} << 3
                                              << std::vector<int32_t>{3, 0, 1};
    }

    void topK()
    {
        QFETCH(std::vector<float>, logits);
        QFETCH(int, k);
        QFETCH(std::vector<int32_t>, kept);
        auto config = plainConfig(1.f);
        config.topK = k;
        auto sampler = makeSampler(config);
        const auto d = copyDistribution(sampler, logits);
        QCOMPARE(tokensOf(d), kept);
        // Renormalised softmax of the kept logits.
        double sum = 0.0;
        for (int32_t t : kept)
            sum += std::exp(double(logits[size_t(t)]));
        for (const auto& c : d)
            QVERIFY(std::abs(c.probability - std::exp(double(logits[size_t(c.token)])) / sum) < 1e-12);
    }

    void topKAtLeastVocabIsOff()
    {
        auto config = plainConfig(1.f);
        config.topK = 8;
        auto sampler = makeSampler(config);
        const auto d = copyDistribution(sampler, kEightLogits);
        QCOMPARE(tokensOf(d), (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
    }

    void topP_data()
    {
        // Probabilities 1/2 (token 1), 1/4 (3), 1/8 (2), 1/16 (0), 1/16 (4).
        QTest::addColumn<float>("p");
        QTest::addColumn<std::vector<int32_t>>("kept");
        QTest::newRow("p=0 keeps the best") << 0.f << std::vector<int32_t>{1};
        QTest::newRow("just under 1/2") << 0.4999f << std::vector<int32_t>{1};
        QTest::newRow("just over 1/2") << 0.5001f << std::vector<int32_t>{1, 3};
        QTest::newRow("just under 3/4") << 0.7499f << std::vector<int32_t>{1, 3};
        QTest::newRow("just over 3/4") << 0.7501f << std::vector<int32_t>{1, 3, 2};
        QTest::newRow("0.9: equal tail, lower id first") << 0.9f << std::vector<int32_t>{1, 3, 2, 0};
        QTest::newRow("0.95 needs both tails") << 0.95f << std::vector<int32_t>{1, 3, 2, 0, 4};
        QTest::newRow("p=1 is off: id order") << 1.f << std::vector<int32_t>{0, 1, 2, 3, 4};
    }

    void topP()
    {
        QFETCH(float, p);
        QFETCH(std::vector<int32_t>, kept);
        auto config = plainConfig(1.f);
        config.topP = p;
        auto sampler = makeSampler(config);
        const auto d = copyDistribution(sampler, kHalvingLogits);
        QCOMPARE(tokensOf(d), kept);
        const auto full = softmax(kHalvingLogits, 1.0);
        double mass = 0.0;
        for (int32_t t : kept)
            mass += full[size_t(t)];
        for (const auto& c : d)
            QVERIFY(std::abs(c.probability - full[size_t(c.token)] / mass) < 1e-12);
    }

    void topPEqualProbabilities()
    {
        auto config = plainConfig(1.f);
        config.topP = 0.5f;
        auto sampler = makeSampler(config);
        const auto d = copyDistribution(sampler, std::vector<float>(4, 1.f));
        QCOMPARE(tokensOf(d), (std::vector<int32_t>{0, 1}));
        QVERIFY(std::abs(d[0].probability - 0.5) < 1e-12);
    }

    void minP_data()
    {
        QTest::addColumn<float>("minP");
        QTest::addColumn<float>("topP");
        QTest::addColumn<std::vector<int32_t>>("kept");
        // Relative to the best token's 1/2: 1/4 is 0.5 of it, 1/8 is 0.25.
        QTest::newRow("just under 1/4: id order") << 0.2499f << 1.f << std::vector<int32_t>{1, 2, 3};
        QTest::newRow("just over 1/4") << 0.2501f << 1.f << std::vector<int32_t>{1, 3};
        QTest::newRow("1: only the best") << 1.f << 1.f << std::vector<int32_t>{1};
        QTest::newRow("after top-p: sorted") << 0.1f << 0.9f << std::vector<int32_t>{1, 3, 2, 0};
        QTest::newRow("tighter than top-p") << 0.3f << 0.9f << std::vector<int32_t>{1, 3};
    }

    void minP()
    {
        QFETCH(float, minP);
        QFETCH(float, topP);
        QFETCH(std::vector<int32_t>, kept);
        auto config = plainConfig(1.f);
        config.minP = minP;
        config.topP = topP;
        auto sampler = makeSampler(config);
        const auto d = copyDistribution(sampler, kHalvingLogits);
        QCOMPARE(tokensOf(d), kept);
        double sum = 0.0;
        for (const auto& c : d)
            sum += c.probability;
        QVERIFY(std::abs(sum - 1.0) < 1e-12);
    }

    void repetitionPenalty_data()
    {
        QTest::addColumn<float>("penalty");
        QTest::addColumn<int>("window");
        QTest::addColumn<std::vector<int32_t>>("history");
        QTest::addColumn<std::vector<float>>("penalised");  // what the logits should become
        const std::vector<float> logits{2.f, -2.f, 1.f, 0.5f, 3.f};
        QTest::newRow("positive divided, negative multiplied, once per token")
            << 2.f << 64 << std::vector<int32_t>{0, 1, 1, 1} << std::vector<float>{1.f, -4.f, 1.f, 0.5f, 3.f};
        QTest::newRow("repeats then another token") << 2.f << 64 << std::vector<int32_t>{1, 1, 4, 1}
                                                   << std::vector<float>{2.f, -4.f, 1.f, 0.5f, 1.5f};
        QTest::newRow("window keeps the most recent") << 2.f << 2 << std::vector<int32_t>{0, 1, 4}
                                                     << std::vector<float>{2.f, -4.f, 1.f, 0.5f, 1.5f};
        QTest::newRow("below 1 encourages") << 0.5f << 64 << std::vector<int32_t>{0, 1}
                                            << std::vector<float>{4.f, -1.f, 1.f, 0.5f, 3.f};
        QTest::newRow("ids outside the vocabulary ignored") << 2.f << 64 << std::vector<int32_t>{-5, 99, 2}
                                                           << std::vector<float>{2.f, -2.f, 0.5f, 0.5f, 3.f};
        QTest::newRow("window 0 is off") << 2.f << 0 << std::vector<int32_t>{0, 1}
                                         << std::vector<float>{2.f, -2.f, 1.f, 0.5f, 3.f};
        QTest::newRow("penalty 1 is off") << 1.f << 64 << std::vector<int32_t>{0, 1} << logits;
    }

    void repetitionPenalty()
    {
        QFETCH(float, penalty);
        QFETCH(int, window);
        QFETCH(std::vector<int32_t>, history);
        QFETCH(std::vector<float>, penalised);
        const std::vector<float> logits{2.f, -2.f, 1.f, 0.5f, 3.f};
        auto config = plainConfig(1.f);
        config.repetitionPenalty = penalty;
        config.repetitionWindow = window;
        auto sampler = makeSampler(config);
        const auto d = copyDistribution(sampler, logits, history);
        const auto expected = softmax(penalised, 1.0);
        QCOMPARE(d.size(), expected.size());
        for (const auto& c : d)
            QVERIFY2(std::abs(c.probability - expected[size_t(c.token)]) < 1e-12,
                     qPrintable(QString("token %1: %2, expected %3").arg(c.token).arg(c.probability)
                                    .arg(expected[size_t(c.token)])));

        // Greedy sees the penalised logits too.
        config.greedy = true;
        QVERIFY(sampler.setConfig(config));
        const auto best = sampler.sample(logits, history);
        QVERIFY(best);
        QCOMPARE(*best, int32_t(std::max_element(penalised.begin(), penalised.end()) - penalised.begin()));
    }

    void infiniteLogitsShareTheMass()
    {
        auto sampler = makeSampler(plainConfig(0.6f));
        const std::vector<float> logits{0.f, kInf, 1.f, kInf, kNaN};
        const auto d = copyDistribution(sampler, logits);
        QCOMPARE(tokensOf(d), (std::vector<int32_t>{1, 3}));
        QCOMPARE(d[0].probability, 0.5);
        QCOMPARE(d[1].probability, 0.5);
        for (int i = 0; i < 200; ++i) {
            const auto token = sampler.sample(logits, {});
            QVERIFY(token && (*token == 1 || *token == 3));
        }
    }

    void infiniteLogitsWithTopK()
    {
        auto config = plainConfig(1.f);
        config.topK = 2;
        auto sampler = makeSampler(config);
        const auto d = copyDistribution(sampler, {kInf, 0.f, kInf, kInf});
        QCOMPARE(tokensOf(d), (std::vector<int32_t>{0, 2}));
        QCOMPARE(d[1].probability, 0.5);
    }

    void nanAndNegativeInfinityNeverDrawn()
    {
        auto sampler = makeSampler(plainConfig(2.f));
        const std::vector<float> logits{kNaN, 0.f, -kInf, 0.1f, kNaN, -0.2f};
        const auto d = copyDistribution(sampler, logits);
        QCOMPARE(tokensOf(d), (std::vector<int32_t>{1, 3, 5}));
        for (int i = 0; i < 2000; ++i) {
            const auto token = sampler.sample(logits, {});
            QVERIFY(token && (*token == 1 || *token == 3 || *token == 5));
        }
    }

    void underflowedTokensOmitted()
    {
        auto sampler = makeSampler(plainConfig(1.f));
        const auto d = copyDistribution(sampler, {0.f, -1000.f, -0.5f});
        QCOMPARE(tokensOf(d), (std::vector<int32_t>{0, 2}));
    }

    void largeVocabularyMatchesReference_data()
    {
        QTest::addColumn<float>("spread");  // standard deviation of the logits
        QTest::addColumn<float>("temperature");
        QTest::addColumn<int>("topK");
        QTest::addColumn<float>("topP");
        QTest::addColumn<float>("minP");
        QTest::newRow("peaked, R1 defaults") << 4.f << 0.6f << 0 << 0.95f << 0.f;
        QTest::newRow("flat, top-p grows chunks") << 0.3f << 1.f << 0 << 0.95f << 0.f;
        QTest::newRow("flat, top-p 0.5") << 0.05f << 1.f << 0 << 0.5f << 0.f;
        QTest::newRow("top-k 40 then top-p") << 2.f << 0.8f << 40 << 0.9f << 0.f;
        QTest::newRow("top-k 5000") << 1.f << 1.f << 5000 << 1.f << 0.f;
        QTest::newRow("top-k 5000 over a wide spread") << 10.f << 0.5f << 5000 << 1.f << 0.f;
        QTest::newRow("min-p alone") << 2.f << 0.7f << 0 << 1.f << 0.05f;
        QTest::newRow("everything") << 3.f << 0.6f << 100 << 0.95f << 0.02f;
    }

    void largeVocabularyMatchesReference()
    {
        QFETCH(float, spread);
        QFETCH(float, temperature);
        QFETCH(int, topK);
        QFETCH(float, topP);
        QFETCH(float, minP);
        std::mt19937 rng(uint32_t(spread * 1000 + temperature * 10 + float(topK)));
        std::normal_distribution<float> normal(0.f, spread);
        std::vector<float> logits(152064);
        for (auto& l : logits)
            l = normal(rng);
        auto config = plainConfig(temperature);
        config.topK = topK;
        config.topP = topP;
        config.minP = minP;
        auto sampler = makeSampler(config);
        auto actual = copyDistribution(sampler, logits);
        const auto expected = referenceDistribution(logits, config);

        const bool cut = (topK > 0 && size_t(topK) < logits.size()) || topP < 1.f;
        for (size_t i = 1; i < actual.size(); ++i) {
            const auto& a = actual[i - 1];
            const auto& b = actual[i];
            QVERIFY(cut ? (a.probability > b.probability || (a.probability == b.probability && a.token < b.token))
                        : a.token < b.token);
        }
        QCOMPARE(actual.size(), expected.size());
        std::sort(actual.begin(), actual.end(), [](const auto& a, const auto& b) {
            return a.probability > b.probability || (a.probability == b.probability && a.token < b.token);
        });
        for (size_t i = 0; i < actual.size(); ++i) {
            QCOMPARE(actual[i].token, expected[i].token);
            QVERIFY(std::abs(actual[i].probability - expected[i].probability) < 1e-12);
        }
    }

    void reusesBuffers()
    {
        auto sampler = makeSampler(SamplerConfig{});
        std::vector<float> logits(151936);
        std::mt19937 rng(5);
        std::normal_distribution<float> normal(0.f, 3.f);
        std::vector<int32_t> history;
        const void* first = nullptr;
        for (int step = 0; step < 20; ++step) {
            for (auto& l : logits)
                l = normal(rng);
            const auto d = sampler.distribution(logits, history);
            QVERIFY(d);
            if (!first)
                first = d->data();
            QCOMPARE(static_cast<const void*>(d->data()), first);
            const auto token = sampler.sample(logits, history);
            QVERIFY(token);
            history.push_back(*token);
        }
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
