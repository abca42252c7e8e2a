#include "ponder/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace ponder {
namespace {

// Most likely first; equal values by ascending id, so every partial sort and
// partition below yields one well-defined set on every standard library.
bool moreLikely(const TokenProbability& a, const TokenProbability& b)
{
    return a.probability > b.probability || (a.probability == b.probability && a.token < b.token);
}

// Top-p first gathers the candidates whose weight (relative to the best
// token's 1) is at least this, then lowers the bar by kTopPThresholdStep
// until the gathered mass reaches p, and sorts only what it gathered: a
// peaked distribution over 152k tokens sorts a few dozen of them.
constexpr double kTopPFirstThreshold = 0x1.0p-10;
constexpr double kTopPThresholdStep = 0x1.0p-6;

// Top-k first looks only at tokens whose scaled logit is within this of the
// best (a weight ratio of e^-16, about 1e-7), widening by the growth factor
// until k are found; past the widest window it takes every finite logit.
constexpr double kTopKFirstWindow = 16.0;
constexpr double kTopKWindowGrowth = 2.0;
constexpr double kTopKWidestWindow = 1e6;

// The penalised value of each logit, for a scan in ascending id order: walks
// the sorted penalty window in step with the scan.
class PenaltyCursor {
public:
    PenaltyCursor(const std::vector<int32_t>& window, float penalty)
        : m_next(window.begin())
        , m_end(window.end())
        , m_penalty(penalty)
    {
    }

    double operator()(size_t id, float logit)
    {
        double value = logit;
        if (m_next != m_end && size_t(*m_next) == id) {
            value = value > 0.0 ? value / m_penalty : value * m_penalty;
            ++m_next;
        }
        return value;
    }

private:
    std::vector<int32_t>::const_iterator m_next;
    std::vector<int32_t>::const_iterator m_end;
    double m_penalty;
};

} // namespace

Result<void> validateSamplerConfig(const SamplerConfig& config)
{
    if (!std::isfinite(config.temperature))
        return fail(ErrorCode::InvalidArgument, "sampler temperature must be a finite number");
    if (config.topK < 0)
        return fail(ErrorCode::InvalidArgument, "sampler top-k must be >= 0, got " + std::to_string(config.topK));
    if (!(config.topP >= 0.f && config.topP <= 1.f))
        return fail(ErrorCode::InvalidArgument, "sampler top-p must be in [0, 1], got " + std::to_string(config.topP));
    if (!(config.minP >= 0.f && config.minP <= 1.f))
        return fail(ErrorCode::InvalidArgument, "sampler min-p must be in [0, 1], got " + std::to_string(config.minP));
    if (!(config.repetitionPenalty > 0.f) || !std::isfinite(config.repetitionPenalty))
        return fail(ErrorCode::InvalidArgument,
                    "sampler repetition penalty must be a finite number > 0, got "
                        + std::to_string(config.repetitionPenalty));
    if (config.repetitionWindow < 0)
        return fail(ErrorCode::InvalidArgument,
                    "sampler repetition window must be >= 0, got " + std::to_string(config.repetitionWindow));
    return {};
}

Result<Sampler> Sampler::create(const SamplerConfig& config)
{
    if (auto valid = validateSamplerConfig(config); !valid)
        return std::unexpected(valid.error());
    return Sampler(config);
}

Sampler::Sampler(const SamplerConfig& config)
    : m_config(config)
    , m_rng(config.seed)
{
}

Result<void> Sampler::setConfig(const SamplerConfig& config)
{
    if (auto valid = validateSamplerConfig(config); !valid)
        return valid;
    m_config = config;
    m_rng.seed(config.seed);
    return {};
}

void Sampler::reseed(uint64_t seed)
{
    m_config.seed = seed;
    m_rng.seed(seed);
}

Result<int32_t> Sampler::sample(std::span<const float> logits, std::span<const int32_t> history)
{
    if (auto scanned = scanLogits(logits, history); !scanned)
        return std::unexpected(scanned.error());
    if (m_config.greedy || m_config.temperature <= 0.f)
        return m_argmax;
    shapeWeights(logits);

    // Inverse transform over the kept weights in their (deterministic) order.
    // Rounding can leave the running sum a hair under the target near the
    // end: the last candidate takes that sliver.
    const double target = uniform01() * m_total;
    double cumulative = 0.0;
    for (size_t i = 0; i < m_count; ++i) {
        cumulative += m_candidates[i].probability;
        if (target < cumulative)
            return m_candidates[i].token;
    }
    return m_candidates[m_count - 1].token;
}

Result<std::span<const TokenProbability>> Sampler::distribution(std::span<const float> logits,
                                                                std::span<const int32_t> history)
{
    if (auto scanned = scanLogits(logits, history); !scanned)
        return std::unexpected(scanned.error());
    if (m_config.greedy || m_config.temperature <= 0.f) {
        m_candidates[0] = {m_argmax, 1.0};
        m_count = 1;
        m_sorted = true;
    } else {
        shapeWeights(logits);
        for (size_t i = 0; i < m_count; ++i)
            m_candidates[i].probability /= m_total;
    }
    return std::span<const TokenProbability>(m_candidates.data(), m_count);
}

Result<void> Sampler::scanLogits(std::span<const float> logits, std::span<const int32_t> history)
{
    if (logits.empty())
        return fail(ErrorCode::InvalidArgument, "sampler got an empty row of logits");
    if (logits.size() > size_t(std::numeric_limits<int32_t>::max()))
        return fail(ErrorCode::InvalidArgument,
                    "sampler got " + std::to_string(logits.size()) + " logits, more than token ids can name");
    const size_t vocab = logits.size();
    if (m_candidates.size() < vocab)
        m_candidates.resize(vocab);

    // The distinct ids in the window, ascending, so a scan meets them in
    // order. Each is penalised once, however often it recurs.
    m_window.clear();
    const float penalty = m_config.repetitionPenalty;
    if (penalty != 1.f && m_config.repetitionWindow > 0) {
        const auto recent = history.last(std::min(history.size(), size_t(m_config.repetitionWindow)));
        for (const int32_t token : recent)
            if (token >= 0 && size_t(token) < vocab)
                m_window.push_back(token);
        std::sort(m_window.begin(), m_window.end());
        m_window.erase(std::unique(m_window.begin(), m_window.end()), m_window.end());
    }

    // A strict comparison in ascending id order keeps the lowest id on ties,
    // and NaN never compares greater.
    PenaltyCursor penalised(m_window, penalty);
    m_maxLogit = -std::numeric_limits<double>::infinity();
    m_argmax = -1;
    for (size_t i = 0; i < vocab; ++i) {
        const double logit = penalised(i, logits[i]);
        if (logit > m_maxLogit) {
            m_maxLogit = logit;
            m_argmax = int32_t(i);
        }
    }
    if (m_argmax < 0)
        return fail(ErrorCode::InvalidArgument, "every logit is NaN or -inf: no token can be chosen");
    return {};
}

void Sampler::shapeWeights(std::span<const float> logits)
{
    constexpr double infinity = std::numeric_limits<double>::infinity();
    const size_t vocab = logits.size();
    const double maxLogit = m_maxLogit;
    const double inverseTemperature = 1.0 / double(m_config.temperature);
    const size_t topK = size_t(m_config.topK);
    PenaltyCursor penalised(m_window, m_config.repetitionPenalty);
    const auto first = m_candidates.begin();
    m_sorted = false;
    m_total = 0.0;
    m_count = 0;

    if (maxLogit == infinity) {
        // Only the +inf tokens can win, and they share the mass equally;
        // top-k keeps the lowest ids among them.
        const size_t limit = topK > 0 ? topK : vocab;
        for (size_t i = 0; i < vocab && m_count < limit; ++i)
            if (penalised(i, logits[i]) == infinity)
                m_candidates[m_count++] = {int32_t(i), 1.0};
        m_total = double(m_count);
        m_sorted = true;  // equal weights in ascending id order
    } else if (topK > 0 && topK < vocab) {
        // Scaled logits relative to the best (so the best is 0). Gather those
        // within a window below the best, widening it until it holds k, so
        // top-k partitions a short list instead of the whole vocabulary.
        double window = kTopKFirstWindow;
        for (;;) {
            m_count = 0;
            PenaltyCursor scan(m_window, m_config.repetitionPenalty);
            for (size_t i = 0; i < vocab; ++i) {
                const double logit = scan(i, logits[i]);
                if (!(logit > -infinity))  // -inf and NaN
                    continue;
                const double scaled = (logit - maxLogit) * inverseTemperature;
                if (scaled >= -window)
                    m_candidates[m_count++] = {int32_t(i), scaled};
            }
            if (m_count >= topK || window == infinity)
                break;
            window = window < kTopKWidestWindow ? window * kTopKWindowGrowth : infinity;
        }
        if (topK < m_count) {
            std::nth_element(first, first + ptrdiff_t(topK), first + ptrdiff_t(m_count), moreLikely);
            m_count = topK;
        }
        std::sort(first, first + ptrdiff_t(m_count), moreLikely);
        m_sorted = true;
        size_t kept = 0;
        for (size_t i = 0; i < m_count; ++i) {
            const double weight = std::exp(m_candidates[i].probability);
            if (weight > 0.0) {
                m_candidates[kept++] = {m_candidates[i].token, weight};
                m_total += weight;
            }
        }
        m_count = kept;
    } else {
        // Weights straight from the logits in one pass, in id order; tokens
        // whose weight underflows to 0 can never be drawn and are dropped.
        for (size_t i = 0; i < vocab; ++i) {
            const double logit = penalised(i, logits[i]);
            if (!(logit > -infinity))
                continue;
            const double weight = std::exp((logit - maxLogit) * inverseTemperature);
            if (weight > 0.0) {
                m_candidates[m_count++] = {int32_t(i), weight};
                m_total += weight;
            }
        }
    }

    if (m_config.topP < 1.f && m_count > 1)
        keepTopP();
    if (m_config.minP > 0.f && m_count > 1)
        keepMinP();
}

void Sampler::keepTopP()
{
    // The nucleus is the shortest most-likely-first prefix whose weight
    // reaches p of the total. Every token of it outweighs every token outside
    // it, so once the tokens above some threshold hold enough weight, the
    // nucleus lies among them and only they need sorting.
    const double target = double(m_config.topP) * m_total;
    const auto first = m_candidates.begin();
    const auto last = first + ptrdiff_t(m_count);
    size_t gathered = m_sorted ? m_count : 0;
    double gatheredWeight = m_sorted ? m_total : 0.0;
    double threshold = kTopPFirstThreshold;
    for (;;) {
        while ((gathered == 0 || gatheredWeight < target) && gathered < m_count) {
            const auto end = std::partition(first + ptrdiff_t(gathered), last, [threshold](const TokenProbability& c) {
                return c.probability >= threshold;
            });
            for (auto it = first + ptrdiff_t(gathered); it != end; ++it)
                gatheredWeight += it->probability;
            gathered = size_t(end - first);
            threshold *= kTopPThresholdStep;  // reaches 0 eventually, which gathers everything
        }
        if (!m_sorted)
            std::sort(first, first + ptrdiff_t(gathered), moreLikely);
        m_sorted = true;
        double mass = 0.0;
        for (size_t i = 0; i < gathered; ++i) {
            mass += m_candidates[i].probability;
            if (mass >= target) {
                m_count = i + 1;
                m_total = mass;
                return;
            }
        }
        if (gathered == m_count) {
            // Rounding kept the total a hair under p: every candidate stays.
            m_total = mass;
            return;
        }
        // Summed in sorted order the gathered weight fell just short of the
        // target it reached unsorted: gather more and sort again (rare).
        gatheredWeight = mass;
        m_sorted = false;
    }
}

void Sampler::keepMinP()
{
    // Relative to the best token, whose weight is exp(0) = 1.
    const double threshold = double(m_config.minP);
    const auto first = m_candidates.begin();
    const auto last = first + ptrdiff_t(m_count);
    const auto below = [threshold](const TokenProbability& c) { return c.probability < threshold; };
    // A sorted list ends with its dropped tokens; otherwise remove_if keeps
    // the survivors in id order.
    const auto end = m_sorted ? std::find_if(first, last, below) : std::remove_if(first, last, below);
    m_count = size_t(end - first);
    m_total = 0.0;
    for (size_t i = 0; i < m_count; ++i)
        m_total += m_candidates[i].probability;
}

double Sampler::uniform01()
{
    // The top 53 bits of one 64-bit output: a multiple of 2^-53 in [0, 1).
    return double(m_rng() >> 11) * 0x1.0p-53;
}

} // namespace ponder
