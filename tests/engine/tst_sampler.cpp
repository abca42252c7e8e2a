// The sampler: its distribution checked exactly against softmax arithmetic
// done here in the plainest way, and bit for bit against the plain algorithm
// it replaced (every weight in double, a full sort) over many shapes of
// logits, configs and vocabulary sizes; its draws checked token for token
// against that algorithm's draws and statistically (chi-square goodness of
// fit with a fixed seed, so the outcome is deterministic), and its random
// stream checked against an independent implementation.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <hwy/targets.h>

#include "cpu/dot_kernels.h"
#include "ponder/sampler.h"

using namespace ponder;

// Every allocation in this process, counted while g_countAllocations is set:
// the sampler promises none once its buffers have grown.
namespace {
std::atomic<bool> g_countAllocations{false};
std::atomic<int> g_allocations{0};
} // namespace

void* operator new(size_t size)
{
    if (g_countAllocations.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

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

bool moreLikelyPlain(const TokenProbability& a, const TokenProbability& b)
{
    return a.probability > b.probability || (a.probability == b.probability && a.token < b.token);
}

// The sampler's plain algorithm, every step over the whole vocabulary in
// double: what Sampler::distribution() and sample() computed before they
// learned to skip work, and must still give bit for bit. The kept tokens
// with unnormalised weights, in the order sample() walks them, and their
// total; nothing kept when every logit is NaN or -inf.
struct PlainResult {
    std::vector<TokenProbability> kept;
    double total = 0.0;
};

PlainResult plainAlgorithm(const std::vector<float>& logits, const std::vector<int32_t>& history,
                           const SamplerConfig& config)
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    const size_t vocab = logits.size();
    // 1. Repetition penalty, once per distinct recent token.
    std::vector<double> value(logits.begin(), logits.end());
    if (config.repetitionPenalty != 1.f && config.repetitionWindow > 0) {
        const double penalty = config.repetitionPenalty;
        const size_t window = std::min(history.size(), size_t(config.repetitionWindow));
        std::set<int32_t> seen;
        for (size_t i = history.size() - window; i < history.size(); ++i)
            if (history[i] >= 0 && size_t(history[i]) < vocab)
                seen.insert(history[i]);
        for (const int32_t id : seen)
            value[size_t(id)] = value[size_t(id)] > 0.0 ? value[size_t(id)] / penalty : value[size_t(id)] * penalty;
    }
    // 2. Greedy: the first largest value.
    double maxValue = -inf;
    int32_t argmax = -1;
    for (size_t i = 0; i < vocab; ++i)
        if (value[i] > maxValue) {
            maxValue = value[i];
            argmax = int32_t(i);
        }
    PlainResult result;
    if (argmax < 0)
        return result;
    if (config.greedy || config.temperature <= 0.f) {
        result.kept = {{argmax, 1.0}};
        result.total = 1.0;
        return result;
    }
    // 3-5. Temperature, top-k and softmax weights (the best token's is 1).
    const double invT = 1.0 / double(config.temperature);
    auto& kept = result.kept;
    bool sorted = false;
    if (maxValue == inf) {
        for (size_t i = 0; i < vocab; ++i)
            if (value[i] == inf && (config.topK == 0 || kept.size() < size_t(config.topK)))
                kept.push_back({int32_t(i), 1.0});
        result.total = double(kept.size());
        sorted = true;
    } else if (config.topK > 0 && size_t(config.topK) < vocab) {
        for (size_t i = 0; i < vocab; ++i)
            if (value[i] > -inf)
                kept.push_back({int32_t(i), (value[i] - maxValue) * invT});
        std::sort(kept.begin(), kept.end(), moreLikelyPlain);
        kept.resize(std::min(kept.size(), size_t(config.topK)));
        std::vector<TokenProbability> weighed;
        for (const auto& c : kept) {
            const double weight = std::exp(c.probability);
            if (weight > 0.0) {
                weighed.push_back({c.token, weight});
                result.total += weight;
            }
        }
        kept = weighed;
        sorted = true;
    } else {
        for (size_t i = 0; i < vocab; ++i) {
            if (!(value[i] > -inf))
                continue;
            const double weight = std::exp((value[i] - maxValue) * invT);
            if (weight > 0.0) {
                kept.push_back({int32_t(i), weight});
                result.total += weight;
            }
        }
    }
    // 6. Top-p: the shortest sorted prefix reaching p of the total.
    if (config.topP < 1.f && kept.size() > 1) {
        if (!sorted)
            std::sort(kept.begin(), kept.end(), moreLikelyPlain);
        sorted = true;
        const double target = double(config.topP) * result.total;
        double mass = 0.0;
        size_t count = kept.size();
        for (size_t i = 0; i < kept.size(); ++i) {
            mass += kept[i].probability;
            if (mass >= target) {
                count = i + 1;
                break;
            }
        }
        kept.resize(count);
        result.total = mass;
    }
    // 7. Min-p against the best weight, 1; the total summed again.
    if (config.minP > 0.f && kept.size() > 1) {
        const double threshold = config.minP;
        std::erase_if(kept, [threshold](const TokenProbability& c) { return c.probability < threshold; });
        result.total = 0.0;
        for (const auto& c : kept)
            result.total += c.probability;
    }
    return result;
}

// sample()'s draw over a plain result with the same generator and
// conversion.
int32_t plainDraw(const PlainResult& plain, std::mt19937_64& rng)
{
    const double target = double(rng() >> 11) * 0x1.0p-53 * plain.total;
    double cumulative = 0.0;
    for (const auto& c : plain.kept) {
        cumulative += c.probability;
        if (target < cumulative)
            return c.token;
    }
    return plain.kept.back().token;
}

// Logits of a named shape: `peaked` (normal(0, 2.5) and five boosted tokens,
// like a confident model), `tail` (normal(0, 2.5) alone), `flat` (normal(0,
// 0.3)), `wide` (normal(0, 30)), `ties` (quarter steps: many equal values),
// `specials` (peaked, with 2% NaN and -inf), `infinite` (two +inf among
// normals), `lonely` (one finite value among NaN and -inf),
// `huge` (around 1e6, where floats are 1/16 apart), `sliver` (values within
// 1e-30 of each other: distinct logits, equal weights).
std::vector<float> shapedLogits(const std::string& shape, size_t vocab, uint32_t seed)
{
    constexpr float nan = std::numeric_limits<float>::quiet_NaN();
    constexpr float inf = std::numeric_limits<float>::infinity();
    std::mt19937 rng(seed);
    const float spread = shape == "flat" ? 0.3f : shape == "wide" ? 30.f : shape == "huge" ? 3.f : 2.5f;
    std::normal_distribution<float> normal(0.f, spread);
    std::uniform_int_distribution<size_t> anyId(0, vocab - 1);
    std::vector<float> logits(vocab);
    for (auto& l : logits)
        l = normal(rng);
    if (shape == "peaked" || shape == "specials")
        for (float boost : {20.f, 19.f, 18.f, 17.f, 16.f})
            logits[anyId(rng)] = boost;
    if (shape == "ties")
        for (auto& l : logits)
            l = std::round(l * 4.f) / 4.f;
    if (shape == "specials")
        for (size_t i = 0; i < vocab / 50 + 1; ++i)
            logits[anyId(rng)] = i % 2 ? nan : -inf;
    if (shape == "infinite") {
        logits[anyId(rng)] = inf;
        logits[anyId(rng)] = inf;
    }
    if (shape == "lonely") {
        for (size_t i = 0; i < vocab; ++i)
            logits[i] = i % 3 ? -inf : nan;
        logits[anyId(rng)] = -4.f;
    }
    if (shape == "huge")
        for (auto& l : logits)
            l += 1e6f;
    if (shape == "sliver")
        for (auto& l : logits)
            l *= 1e-30f;
    return logits;
}

// A history for the penalty: the best token, repeats, ids outside the
// vocabulary and random ids, 80 in all (more than the usual window).
std::vector<int32_t> penaltyHistory(const std::vector<float>& logits, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int32_t> anyId(0, int32_t(logits.size()) - 1);
    std::vector<int32_t> history;
    for (int i = 0; i < 80; ++i)
        history.push_back(anyId(rng));
    const auto best = std::max_element(logits.begin(), logits.end(), [](float a, float b) {
        return std::isnan(a) || (!std::isnan(b) && a < b);
    });
    history[70] = history[75] = int32_t(best - logits.begin());
    history[72] = -3;
    history[73] = int32_t(logits.size()) + 5;
    return history;
}

struct NamedConfig {
    const char* name;
    SamplerConfig config;
    bool penalty;  // pass penaltyHistory()
};

std::vector<NamedConfig> comparedConfigs()
{
    std::vector<NamedConfig> list;
    const auto add = [&list](const char* name, auto change, bool penalty = false) {
        SamplerConfig config;
        config.seed = 99;
        change(config);
        list.push_back({name, config, penalty});
    };
    add("default (T 0.6, top-p 0.95)", [](SamplerConfig&) {});
    add("greedy", [](SamplerConfig& c) { c.greedy = true; });
    add("temperature 1 alone", [](SamplerConfig& c) { c.temperature = 1.f; c.topP = 1.f; });
    add("top-p 0", [](SamplerConfig& c) { c.topP = 0.f; });
    add("top-p 0.5, T 2", [](SamplerConfig& c) { c.topP = 0.5f; c.temperature = 2.f; });
    add("top-p 0.999", [](SamplerConfig& c) { c.topP = 0.999f; });
    add("top-p 0.9, T 0.05", [](SamplerConfig& c) { c.topP = 0.9f; c.temperature = 0.05f; });
    add("top-p 0.95, T 40", [](SamplerConfig& c) { c.temperature = 40.f; });
    add("top-k 1", [](SamplerConfig& c) { c.topK = 1; c.topP = 1.f; });
    add("top-k 40 (and top-p)", [](SamplerConfig& c) { c.topK = 40; });
    add("top-k 5000", [](SamplerConfig& c) { c.topK = 5000; c.topP = 1.f; });
    add("top-k 40, top-p 0.9, min-p 0.02", [](SamplerConfig& c) { c.topK = 40; c.topP = 0.9f; c.minP = 0.02f; });
    add("min-p 0.05 alone", [](SamplerConfig& c) { c.minP = 0.05f; c.topP = 1.f; });
    add("min-p 1 alone", [](SamplerConfig& c) { c.minP = 1.f; c.topP = 1.f; });
    add("min-p 0.1 and top-p", [](SamplerConfig& c) { c.minP = 0.1f; });
    add("penalty 1.3", [](SamplerConfig& c) { c.repetitionPenalty = 1.3f; }, true);
    add("penalty 0.7, top-k 5", [](SamplerConfig& c) { c.repetitionPenalty = 0.7f; c.topK = 5; }, true);
    add("penalty 1.1, min-p 0.05 alone", [](SamplerConfig& c) {
        c.repetitionPenalty = 1.1f;
        c.minP = 0.05f;
        c.topP = 1.f;
    }, true);
    add("penalty 1.1, greedy", [](SamplerConfig& c) { c.repetitionPenalty = 1.1f; c.greedy = true; }, true);
    return list;
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

    // Same kept tokens, same order, same probabilities to the last bit, and
    // the same tokens drawn from the same seed, for every config, on each
    // of `targets` (Highway target bits; 0: the best this CPU runs).
    void checkAgainstPlain(const QString& shape, int vocab, const std::vector<int64_t>& targets = {0})
    {
        const auto logits = shapedLogits(shape.toStdString(), size_t(vocab), uint32_t(vocab) * 31u + uint32_t(qHash(shape)));
        for (const auto& named : comparedConfigs()) {
            const auto history = named.penalty ? penaltyHistory(logits, 7) : std::vector<int32_t>{};
            const auto plain = plainAlgorithm(logits, history, named.config);
            for (const int64_t target : targets) {
                hwy::SetSupportedTargetsForTest(target);
                const QString where = QString("%1 %2").arg(target ? hwy::TargetName(target) : "").arg(named.name);
                checkConfig(logits, history, named.config, plain, vocab > 5000 ? 4 : 40, where);
                if (QTest::currentTestFailed())
                    return;
            }
        }
    }

    void checkConfig(const std::vector<float>& logits, const std::vector<int32_t>& history,
                     const SamplerConfig& config, const PlainResult& plain, int draws, const QString& where)
    {
        auto sampler = makeSampler(config);
        const auto d = sampler.distribution(logits, history);
        if (plain.kept.empty()) {
            QVERIFY2(!d && !sampler.sample(logits, history), qPrintable(where));
            return;
        }
        QVERIFY2(d, qPrintable(where));
        QVERIFY2(d->size() == plain.kept.size(), qPrintable(QString("%1: %2 tokens kept, the plain algorithm keeps %3")
                                                                .arg(where).arg(d->size()).arg(plain.kept.size())));
        for (size_t i = 0; i < d->size(); ++i) {
            const auto& got = (*d)[i];
            const auto& want = plain.kept[i];
            QVERIFY2(got.token == want.token && got.probability == want.probability / plain.total,
                     qPrintable(QString("%1: at %2, token %3 p %4, plain token %5 p %6")
                                    .arg(where).arg(i).arg(got.token).arg(got.probability, 0, 'g', 17)
                                    .arg(want.token).arg(want.probability / plain.total, 0, 'g', 17)));
        }
        // Few draws over a big vocabulary: a flat nucleus of 150k tokens
        // costs ~10 ms a draw.
        std::mt19937_64 rng(config.seed);
        for (int i = 0; i < draws; ++i) {
            const auto token = sampler.sample(logits, history);
            QVERIFY2(token, qPrintable(where));
            const int32_t expected = plainDraw(plain, rng);
            QVERIFY2(*token == expected, qPrintable(QString("%1: draw %2 gave %3, the plain algorithm %4")
                                                        .arg(where).arg(i).arg(*token).arg(expected)));
        }
    }

private slots:
    void cleanup() { hwy::SetSupportedTargetsForTest(0); }

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

    void matchesPlainAlgorithm_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("vocab");
        for (const char* shape : {"peaked", "tail", "flat", "wide", "ties", "specials", "infinite", "lonely", "huge",
                                  "sliver"})
            for (int vocab : {1, 2, 3, 17, 300, 4099, 152064})
                QTest::newRow(qPrintable(QString("%1, %2").arg(shape).arg(vocab))) << QString(shape) << vocab;
    }

    void matchesPlainAlgorithm()
    {
        QFETCH(QString, shape);
        QFETCH(int, vocab);
        checkAgainstPlain(shape, vocab);
    }

    void everySimdTargetMatches_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("vocab");
        for (const char* shape : {"peaked", "tail", "specials", "lonely", "sliver"})
            for (int vocab : {17, 300, 4099})
                QTest::newRow(qPrintable(QString("%1, %2").arg(shape).arg(vocab))) << QString(shape) << vocab;
        QTest::newRow("peaked, 30000") << QString("peaked") << 30000;
        QTest::newRow("specials, 30000") << QString("specials") << 30000;
    }

    void everySimdTargetMatches()
    {
        // The SIMD passes on each target this CPU runs (the portable EMU128
        // one included: no fused multiply-add, NaN through max), against the
        // same plain algorithm.
        QFETCH(QString, shape);
        QFETCH(int, vocab);
        const int64_t compiled = hwy::SupportedTargets() & cpu::compiledKernelTargets();
        std::vector<int64_t> targets;
        for (int64_t target = 1; target != 0 && target <= compiled; target <<= 1)
            if (compiled & target)
                targets.push_back(target);
        QVERIFY(!targets.empty());
        checkAgainstPlain(shape, vocab, targets);
    }

    void nucleusEdgeNearTheTarget_data()
    {
        // Tokens 5 and 9 weigh 1, the rest of the vocabulary e^tail each; at
        // p = 0.5 the target is 1 + (their sum) / 2, a hair above token 5's
        // mass, so whether token 9 joins hangs on that sum. The float
        // estimate of the total decides at a tail of -20 (sum 3e-4), only
        // the exact weights of the collected tokens plus the estimate of the
        // rest at -25 (2e-6), and only the exact total at -40 (6e-13).
        QTest::addColumn<float>("tail");
        QTest::addColumn<float>("topP");
        QTest::newRow("estimate decides") << -20.f << 0.5f;
        QTest::newRow("refined bounds decide") << -25.f << 0.5f;
        QTest::newRow("exact total decides") << -40.f << 0.5f;
        QTest::newRow("p just under: refined bounds decide") << -40.f << 0.49999997f;
        QTest::newRow("no tail: target exactly 1") << -std::numeric_limits<float>::infinity() << 0.5f;
    }

    void nucleusEdgeNearTheTarget()
    {
        QFETCH(float, tail);
        QFETCH(float, topP);
        std::vector<float> logits(152064, tail);
        logits[5] = logits[9] = 0.f;
        auto config = plainConfig(1.f);
        config.topP = topP;
        auto sampler = makeSampler(config);
        const auto plain = plainAlgorithm(logits, {}, config);
        const auto d = copyDistribution(sampler, logits);
        QCOMPARE(d.size(), plain.kept.size());
        for (size_t i = 0; i < d.size(); ++i) {
            QCOMPARE(d[i].token, plain.kept[i].token);
            QVERIFY(d[i].probability == plain.kept[i].probability / plain.total);
        }
    }

    void allocatesNothingOnceGrown()
    {
        const auto logits = shapedLogits("peaked", 152064, 3);
        const auto history = penaltyHistory(logits, 4);
        for (const auto& named : comparedConfigs()) {
            auto sampler = makeSampler(named.config);
            for (int i = 0; i < 2; ++i) {  // grows the buffers
                QVERIFY(sampler.sample(logits, history));
                QVERIFY(sampler.distribution(logits, history));
            }
            g_allocations = 0;
            g_countAllocations = true;
            for (int i = 0; i < 3; ++i) {
                (void)sampler.sample(logits, history);
                (void)sampler.distribution(logits, history);
            }
            g_countAllocations = false;
            QVERIFY2(g_allocations == 0, qPrintable(QString("%1: %2 allocations").arg(named.name).arg(g_allocations)));
        }
    }

    void largeVocabularyDrawsMatchDistribution()
    {
        // The default config over 152,064 logits with no dominant token:
        // the nucleus holds ~1800 tokens. Chi-square of 40,000 draws against
        // the plain algorithm's probabilities (cells expected under 5 draws
        // pooled), at the 0.1% level, and the same counts must reject the
        // distribution at a 10% higher temperature.
        const auto logits = shapedLogits("tail", 152064, 11);
        SamplerConfig config;
        config.seed = 31337;
        auto sampler = makeSampler(config);
        const auto plain = plainAlgorithm(logits, {}, config);
        std::vector<double> expected(logits.size(), 0.0);
        for (const auto& c : plain.kept)
            expected[size_t(c.token)] = c.probability / plain.total;
        constexpr int draws = 40000;
        std::vector<int> counts(logits.size(), 0);
        for (int i = 0; i < draws; ++i) {
            const auto token = sampler.sample(logits, {});
            QVERIFY(token);
            if (expected[size_t(*token)] == 0.0)
                QFAIL(qPrintable(QString("token %1 was cut but got drawn").arg(*token)));
            ++counts[size_t(*token)];
        }
        int cells = 0;
        const double statistic = chiSquare(counts, expected, draws, cells);
        QVERIFY2(cells > 20, qPrintable(QString("only %1 cells").arg(cells)));
        QVERIFY2(statistic < chiSquareCritical(cells - 1),
                 qPrintable(QString("chi-square %1 over %2 cells").arg(statistic).arg(cells)));

        auto warmer = config;
        warmer.temperature *= 1.1f;
        const auto other = plainAlgorithm(logits, {}, warmer);
        std::vector<double> wrong(logits.size(), 0.0);
        for (const auto& c : other.kept)
            wrong[size_t(c.token)] = c.probability / other.total;
        int wrongCells = 0;
        const double wrongStatistic = chiSquare(counts, wrong, draws, wrongCells);
        QVERIFY2(wrongStatistic > 3 * chiSquareCritical(wrongCells - 1),
                 qPrintable(QString("chi-square %1 over %2 cells against T 0.66").arg(wrongStatistic).arg(wrongCells)));
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
