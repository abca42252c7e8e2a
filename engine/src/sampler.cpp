// The sampler (see ponder/sampler.h for its steps and their semantics).
//
// The semantics are the plain algorithm's, which tst_sampler keeps as its
// reference: every weight is exp((logit - max) / T) in double, the total is
// their double sum in id order, top-p sorts by weight and cuts at the first
// prefix whose sorted-order sum reaches p times that total. Computing all of
// that over a 152k vocabulary costs about a millisecond (one double exp per
// token); this file gets the same kept set, order, weights and total, bit for
// bit, from far less work:
//   - SIMD passes (Highway, run-time dispatch, the targets of
//     cpu/hwy_targets.h) find the per-block maxima, estimate the total with
//     float exps inside proven error bounds, and collect the ids of the
//     tokens above a logit cutoff;
//   - only collected tokens get an exact double weight, and only they are
//     sorted; a cut is accepted when it is provably the exact one (its token
//     outweighs everything left out, and the estimated total's bounds cannot
//     move it); otherwise the cutoff is lowered, or the bounds tightened with
//     the collected tokens' exact weights, or failing that the exact total
//     summed (rare: a cut within ~1e-6 of the target among tiny weights).
// Temperature alone (no cut) still weighs every token in double.
// The SIMD kernels are compiled once per target from this file (foreach_target
// includes it again for each); the rest is in the HWY_ONCE part at the end.
#include "cpu/hwy_targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "sampler.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include <hwy/contrib/math/math-inl.h>
#include <cmath>
#include <cstddef>
#include <cstdint>

#ifndef PONDER_SAMPLER_CONSTANTS
#define PONDER_SAMPLER_CONSTANTS
namespace ponder::sampling {
// Logits per block maximum (scanLogits; top-k's cutoff).
constexpr size_t kBlock = 256;
// Ids Collect may write past its count: one vector of int32, on any target.
constexpr size_t kIdSlack = 64;

// SumExpCollect's result: float weights summed in double, apart for the
// collected tokens and the rest, and how many it collected.
struct ExpSums {
    double rest = 0.0;
    double collected = 0.0;
    size_t found = 0;
};
} // namespace ponder::sampling
#endif

HWY_BEFORE_NAMESPACE();
namespace ponder::sampling::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using Df = hn::ScalableTag<float>;
using Di = hn::RebindToSigned<Df>;

// Vectors per float partial sum (SumExpCollect): each of four accumulators
// adds at most 16 terms a lane in float before their sum moves to double,
// which keeps the summation error under 24 float ulps.
constexpr size_t kChunkVectors = 64;

// The largest of x[0, n), NaN skipped; -inf when there is none. Max(v, m)
// with m never NaN: on x86 a NaN in v leaves m as it is (maxps returns its
// second operand); where NaN comes through instead, the block is done again
// one value at a time (NaN never compares greater).
HWY_INLINE float rangeMax(const float* x, size_t n)
{
    const Df d;
    const size_t lanes = hn::Lanes(d);
    auto m0 = hn::Set(d, -HUGE_VALF);
    auto m1 = m0;
    auto m2 = m0;
    auto m3 = m0;
    size_t i = 0;
    for (; i + 4 * lanes <= n; i += 4 * lanes) {
        m0 = hn::Max(hn::LoadU(d, x + i), m0);
        m1 = hn::Max(hn::LoadU(d, x + i + lanes), m1);
        m2 = hn::Max(hn::LoadU(d, x + i + 2 * lanes), m2);
        m3 = hn::Max(hn::LoadU(d, x + i + 3 * lanes), m3);
    }
    for (; i + lanes <= n; i += lanes)
        m0 = hn::Max(hn::LoadU(d, x + i), m0);
    float best = hn::GetLane(hn::MaxOfLanes(d, hn::Max(hn::Max(m0, m1), hn::Max(m2, m3))));
    size_t from = i;
    if (best != best) {
        best = -HUGE_VALF;
        from = 0;
    }
    for (size_t j = from; j < n; ++j)
        best = x[j] > best ? x[j] : best;
    return best;
}

// The largest of x[0, n), NaN skipped; -inf when there is none.
float RangeMax(const float* x, size_t n) { return rangeMax(x, n); }

// out[b] = RangeMax over block b of x[0, n).
void BlockMax(const float* x, size_t n, float* out)
{
    for (size_t begin = 0, b = 0; begin < n; begin += kBlock, ++b)
        out[b] = rangeMax(x + begin, n - begin < kBlock ? n - begin : kBlock);
}

// 2^t for t <= 0, NaN and -inf included: t is raised to -126 first (x86's
// max returns its second operand for NaN; elsewhere NaN may come through,
// which the caller's bounds check catches), so results are normal floats
// >= 2^-126. Round t to an integer n with the 1.5 * 2^23 trick (whose low
// mantissa bits then hold n + 127, shifted into place as 2^n) and multiply
// by a polynomial for 2^f, f = t - n in [-0.5, 0.5]: a least-squares fit of
// the relative error, 1.9e-9 at most in exact arithmetic and, evaluated in
// float, 1.34 ulp with fused multiply-adds and 1.68 without (checked on 2e7
// values of t in [-126, 0] against exp2l). Half the operations of
// hn::Exp, which rounds to 1 ulp: the sum below only estimates the total.
HWY_INLINE hn::Vec<Df> exp2Negative(Df d, hn::Vec<Df> t)
{
    const Di di;
    t = hn::Max(t, hn::Set(d, -126.f));
    const auto magic = hn::Set(d, 12582912.f + 127.f);
    const auto rounded = hn::Add(t, magic);
    const auto f = hn::Sub(t, hn::Sub(rounded, magic));
    const auto power = hn::BitCast(d, hn::ShiftLeft<23>(hn::BitCast(di, rounded)));
    auto p = hn::Set(d, 1.534579496e-04f);
    p = hn::MulAdd(p, f, hn::Set(d, 1.339993090e-03f));
    p = hn::MulAdd(p, f, hn::Set(d, 9.618489072e-03f));
    p = hn::MulAdd(p, f, hn::Set(d, 5.550328642e-02f));
    p = hn::MulAdd(p, f, hn::Set(d, 2.402264625e-01f));
    p = hn::MulAdd(p, f, hn::Set(d, 6.931471825e-01f));
    p = hn::MulAdd(p, f, hn::Set(d, 1.0f));
    return hn::Mul(p, power);
}

// Sums exp((x[i] - shift) / T) = 2^((x[i] - shift) * scale), scale =
// log2(e) / T, over x[0, n), each x <= shift (NaN and -inf count 2^-126 at
// most, see exp2Negative): apart for the x[i] >= low, whose ids first + i
// it writes to ids, ascending (and may write up to one vector past them),
// and for the rest.
ExpSums SumExpCollect(const float* x, size_t n, float shift, float scale, float low, int32_t first, int32_t* ids)
{
    const Df d;
    const Di di;
    const size_t lanes = hn::Lanes(d);
    const auto vShift = hn::Set(d, shift);
    const auto vScale = hn::Set(d, scale);
    const auto vLow = hn::Set(d, low);
    ExpSums sums{};
    // Adds one vector's weights to rest and collected.
    const auto add = [&](size_t at, hn::Vec<Df> v, hn::Vec<Df>& rest, hn::Vec<Df>& collected) HWY_ATTR {
        const auto weight = exp2Negative(d, hn::Mul(hn::Sub(v, vShift), vScale));
        const auto keep = hn::Ge(v, vLow);
        if (hn::AllFalse(d, keep)) {
            rest = hn::Add(rest, weight);
        } else {
            const auto id = hn::Iota(di, first + int32_t(at));
            sums.found += hn::CompressStore(id, hn::RebindMask(di, keep), di, ids + sums.found);
            rest = hn::Add(rest, hn::IfThenZeroElse(keep, weight));
            collected = hn::Add(collected, hn::IfThenElseZero(keep, weight));
        }
    };
    const auto flush = [&](hn::Vec<Df> rest, hn::Vec<Df> collected) HWY_ATTR {
        sums.rest += double(hn::GetLane(hn::SumOfLanes(d, rest)));
        if (sums.found > 0)
            sums.collected += double(hn::GetLane(hn::SumOfLanes(d, collected)));
    };
    const size_t full = n / lanes * lanes;
    size_t i = 0;
    while (i < full) {
        const size_t end = full - i < kChunkVectors * lanes ? full : i + kChunkVectors * lanes;
        auto r0 = hn::Zero(d);
        auto r1 = r0;
        auto r2 = r0;
        auto r3 = r0;
        auto c0 = r0;
        auto c1 = r0;
        auto c2 = r0;
        auto c3 = r0;
        for (; i + 4 * lanes <= end; i += 4 * lanes) {
            add(i, hn::LoadU(d, x + i), r0, c0);
            add(i + lanes, hn::LoadU(d, x + i + lanes), r1, c1);
            add(i + 2 * lanes, hn::LoadU(d, x + i + 2 * lanes), r2, c2);
            add(i + 3 * lanes, hn::LoadU(d, x + i + 3 * lanes), r3, c3);
        }
        for (; i < end; i += lanes)
            add(i, hn::LoadU(d, x + i), r0, c0);
        flush(hn::Add(hn::Add(r0, r1), hn::Add(r2, r3)), hn::Add(hn::Add(c0, c1), hn::Add(c2, c3)));
    }
    if (i < n) {
        // The tail through the same code, padded with -inf (never
        // collected), whose weights are then dropped.
        HWY_ALIGN float tail[HWY_MAX_BYTES / sizeof(float)];
        for (size_t j = 0; j < lanes; ++j)
            tail[j] = i + j < n ? x[i + j] : -HUGE_VALF;
        auto rest = hn::Zero(d);
        auto collected = rest;
        add(i, hn::Load(d, tail), rest, collected);
        flush(hn::IfThenElseZero(hn::FirstN(d, n - i), rest), collected);
    }
    return sums;
}

// Writes first + i for each i with low <= x[i] < high (so never NaN) to out,
// ascending; returns how many. May write up to one vector past that count.
size_t Collect(const float* x, size_t n, float low, float high, int32_t first, int32_t* out)
{
    const Df d;
    const Di di;
    const size_t lanes = hn::Lanes(d);
    const auto vLow = hn::Set(d, low);
    const auto vHigh = hn::Set(d, high);
    const auto step = hn::Set(di, int32_t(lanes));
    auto ids = hn::Iota(di, first);
    size_t count = 0;
    size_t i = 0;
    for (; i + lanes <= n; i += lanes, ids = hn::Add(ids, step)) {
        const auto v = hn::LoadU(d, x + i);
        const auto keep = hn::And(hn::Ge(v, vLow), hn::Lt(v, vHigh));
        if (!hn::AllFalse(d, keep))
            count += hn::CompressStore(ids, hn::RebindMask(di, keep), di, out + count);
    }
    for (; i < n; ++i)
        if (x[i] >= low && x[i] < high)
            out[count++] = first + int32_t(i);
    return count;
}

} // namespace ponder::sampling::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE

#include <algorithm>
#include <functional>
#include <limits>
#include <string>

#include "ponder/sampler.h"

namespace ponder {
namespace sampling {

HWY_EXPORT(RangeMax);
HWY_EXPORT(BlockMax);
HWY_EXPORT(SumExpCollect);
HWY_EXPORT(Collect);

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

float rangeMax(const float* x, size_t n) { return HWY_DYNAMIC_DISPATCH(RangeMax)(x, n); }
void blockMax(const float* x, size_t n, float* out) { HWY_DYNAMIC_DISPATCH(BlockMax)(x, n, out); }
ExpSums sumExpCollect(const float* x, size_t n, float shift, float scale, float low, int32_t first, int32_t* ids)
{
    return HWY_DYNAMIC_DISPATCH(SumExpCollect)(x, n, shift, scale, low, first, ids);
}
size_t collectIds(const float* x, size_t n, float low, float high, int32_t first, int32_t* out)
{
    return HWY_DYNAMIC_DISPATCH(Collect)(x, n, low, high, first, out);
}

} // namespace
} // namespace sampling

namespace {

using sampling::kBlock;
using sampling::kIdSlack;
using sampling::kInfinity;

// Most likely first; equal values by ascending id, so every partial sort and
// partition below yields one well-defined set on every standard library.
// (An object, not a function, so std::sort inlines it.)
struct MoreLikely {
    bool operator()(const TokenProbability& a, const TokenProbability& b) const
    {
        return a.probability > b.probability || (a.probability == b.probability && a.token < b.token);
    }
};
constexpr MoreLikely moreLikely;

// Top-p gathers the collected tokens whose scaled logit (logit - max) / T is
// at least these, in turn, until they hold p of the total; past the last
// everything (a weight below e^-745 is 0 in double anyway).
constexpr double kTopPLevels[] = {-3, -6, -9, -12, -18, -24, -36, -48, -72, -96, -144, -192, -288, -384, -576};
constexpr size_t kTopPLevelCount = std::size(kTopPLevels);

constexpr double kFloatUlp = 0x1.0p-24;

double penalise(float logit, double penalty)
{
    const double value = logit;
    return value > 0.0 ? value / penalty : value * penalty;
}

// The smallest float >= value, so `x >= roundUp(value)` is `x >= value` for
// every float x; -FLT_MAX for anything below it (so -inf is never taken).
float roundUp(double value)
{
    constexpr float largest = std::numeric_limits<float>::max();
    if (value > double(largest))
        return std::numeric_limits<float>::infinity();
    if (!(value > -double(largest)))
        return -largest;
    float f = float(value);
    if (double(f) < value)
        f = std::nextafter(f, std::numeric_limits<float>::infinity());
    return f;
}

// Calls run(begin, end) for each stretch of unpenalised ids in [begin, end)
// and penalised(id) for each penalised id between them, in id order.
template <class Run, class Penalised>
void forEachRun(const std::vector<int32_t>& window, size_t begin, size_t end, Run&& run, Penalised&& penalised)
{
    auto it = std::lower_bound(window.begin(), window.end(), int32_t(begin));
    size_t at = begin;
    for (; it != window.end() && size_t(*it) < end; ++it) {
        if (at < size_t(*it))
            run(at, size_t(*it));
        penalised(size_t(*it));
        at = size_t(*it) + 1;
    }
    if (at < end)
        run(at, end);
}

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

    // Ids may skip ahead, but never go back.
    double operator()(size_t id, float logit)
    {
        while (m_next != m_end && size_t(*m_next) < id)
            ++m_next;
        if (m_next != m_end && size_t(*m_next) == id)
            return penalise(logit, m_penalty);
        return logit;
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
    const size_t blocks = (vocab + kBlock - 1) / kBlock;
    if (m_candidates.size() < vocab)
        m_candidates.resize(vocab);
    if (m_ids.size() < vocab + kIdSlack)
        m_ids.resize(vocab + kIdSlack);
    if (m_blockMax.size() < blocks) {
        m_blockMax.resize(blocks);
        m_blockOrder.resize(blocks);
        m_blockMaxRaw.resize(blocks);
    }

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

    // Per-block maxima of the raw logits, then again for the few blocks that
    // hold penalised ids, with their penalised values.
    sampling::blockMax(logits.data(), vocab, m_blockMaxRaw.data());
    for (size_t b = 0; b < blocks; ++b)
        m_blockMax[b] = m_blockMaxRaw[b];
    for (auto it = m_window.begin(); it != m_window.end();) {
        const size_t begin = size_t(*it) / kBlock * kBlock;
        const size_t end = std::min(begin + kBlock, vocab);
        double best = -kInfinity;
        forEachRun(
            m_window, begin, end,
            [&](size_t a, size_t b) { best = std::max(best, double(sampling::rangeMax(logits.data() + a, b - a))); },
            [&](size_t id) {
                const double value = penalise(logits[id], penalty);
                best = value > best ? value : best;
            });
        m_blockMax[begin / kBlock] = best;
        while (it != m_window.end() && size_t(*it) < end)
            ++it;
    }

    // The lowest id holding the largest value: the first block that has it,
    // then the first id in that block. NaN never compares greater.
    m_maxLogit = -kInfinity;
    size_t bestBlock = 0;
    for (size_t b = 0; b < blocks; ++b) {
        if (m_blockMax[b] > m_maxLogit) {
            m_maxLogit = m_blockMax[b];
            bestBlock = b;
        }
    }
    m_argmax = -1;
    if (!(m_maxLogit > -kInfinity))
        return fail(ErrorCode::InvalidArgument, "every logit is NaN or -inf: no token can be chosen");
    const size_t begin = bestBlock * kBlock;
    const size_t end = std::min(begin + kBlock, vocab);
    PenaltyCursor penalised(m_window, penalty);
    for (size_t i = begin; i < end && m_argmax < 0; ++i)
        if (penalised(i, logits[i]) == m_maxLogit)
            m_argmax = int32_t(i);
    return {};
}

void Sampler::shapeWeights(std::span<const float> logits)
{
    const size_t vocab = logits.size();
    const size_t topK = size_t(m_config.topK);
    m_inverseTemperature = 1.0 / double(m_config.temperature);
    m_sorted = false;
    m_total = 0.0;
    m_count = 0;

    if (m_maxLogit == kInfinity) {
        weighInfinite(logits);
        if (m_config.topP < 1.f && m_count > 1)
            keepSortedTopP();
    } else if (topK > 0 && topK < vocab) {
        keepTopK(logits);
        if (m_config.topP < 1.f && m_count > 1)
            keepSortedTopP();
    } else if (m_config.topP < 1.f) {
        keepNucleus(logits);
    } else if (m_config.minP > 0.f) {
        keepAboveMinP(logits);
        return;  // min-p already applied
    } else {
        weighEverything(logits);
    }
    if (m_config.minP > 0.f && m_count > 1)
        keepMinP();
}

double Sampler::weightOf(double value) const
{
    return std::exp((value - m_maxLogit) * m_inverseTemperature);
}

void Sampler::weighInfinite(std::span<const float> logits)
{
    // Only the +inf tokens can win, and they share the mass equally; top-k
    // keeps the lowest ids among them.
    const size_t vocab = logits.size();
    const size_t topK = size_t(m_config.topK);
    const size_t limit = topK > 0 ? topK : vocab;
    PenaltyCursor penalised(m_window, m_config.repetitionPenalty);
    for (size_t i = 0; i < vocab && m_count < limit; ++i)
        if (penalised(i, logits[i]) == kInfinity)
            m_candidates[m_count++] = {int32_t(i), 1.0};
    m_total = double(m_count);
    m_sorted = true;  // equal weights in ascending id order
}

void Sampler::weighEverything(std::span<const float> logits)
{
    // Weights straight from the logits in one pass, in id order; tokens whose
    // weight underflows to 0 can never be drawn and are dropped.
    const size_t vocab = logits.size();
    PenaltyCursor penalised(m_window, m_config.repetitionPenalty);
    for (size_t i = 0; i < vocab; ++i) {
        const double logit = penalised(i, logits[i]);
        if (!(logit > -kInfinity))
            continue;
        const double weight = weightOf(logit);
        if (weight > 0.0) {
            m_candidates[m_count++] = {int32_t(i), weight};
            m_total += weight;
        }
    }
}

void Sampler::computeExactTotal(std::span<const float> logits)
{
    // The same sum, in the same order, as weighEverything's.
    const size_t vocab = logits.size();
    PenaltyCursor penalised(m_window, m_config.repetitionPenalty);
    double total = 0.0;
    for (size_t i = 0; i < vocab; ++i) {
        const double logit = penalised(i, logits[i]);
        if (!(logit > -kInfinity))
            continue;
        const double weight = weightOf(logit);
        if (weight > 0.0)
            total += weight;
    }
    m_totalLow = m_totalHigh = total;
    m_totalExact = true;
    m_totalRefined = true;
}

size_t Sampler::estimateTotal(std::span<const float> logits, double low)
{
    // Float weights relative to `shift`, a float >= every unpenalised logit,
    // rescaled to the largest value afterwards; see totalError() for how far
    // they can be from the exact sum.
    const double invT = m_inverseTemperature;
    const float shift = roundUp(m_maxLogit);
    const double scaleD = invT / std::log(2.0);
    // A subnormal scale would lose the precision the bound counts on.
    const bool normal = scaleD >= double(std::numeric_limits<float>::min())
                        && scaleD <= double(std::numeric_limits<float>::max());
    m_totalRefined = false;
    if (!std::isfinite(shift) || !normal) {
        computeExactTotal(logits);
        return collect(logits, low, kInfinity, 0);
    }
    const float scale = float(scaleD);
    const float lowF = roundUp(low);
    const double penalty = m_config.repetitionPenalty;
    int32_t* ids = m_ids.data();
    sampling::ExpSums sums;
    forEachRun(
        m_window, 0, logits.size(),
        [&](size_t a, size_t b) {
            const auto part =
                sampling::sumExpCollect(logits.data() + a, b - a, shift, scale, lowF, int32_t(a), ids + sums.found);
            sums.rest += part.rest;
            sums.collected += part.collected;
            sums.found += part.found;
        },
        [&](size_t id) {
            const double value = penalise(logits[id], penalty);
            if (!(value > -kInfinity))
                return;
            const double weight = std::exp((value - double(shift)) * invT);
            if (value >= low) {
                ids[sums.found++] = int32_t(id);
                sums.collected += weight;
            } else {
                sums.rest += weight;
            }
        });
    const size_t vocab = logits.size();
    const double rescale = std::exp((double(shift) - m_maxLogit) * invT);
    const double estimate = (sums.rest + sums.collected) * rescale;
    const double error = floatSumError(sums.rest + sums.collected, vocab) * rescale;
    const double rounding = double(vocab) * 0x1.0p-52;
    m_totalLow = (estimate - error) * (1.0 - rounding);
    m_totalHigh = (estimate + error) * (1.0 + rounding);
    m_totalExact = false;
    m_firstLow = low;
    m_restEstimate = sums.rest * rescale;
    m_restError = floatSumError(sums.rest, vocab) * rescale;
    if (!std::isfinite(m_totalHigh) || !(m_totalLow > 0.0))
        computeExactTotal(logits);
    return toCandidates(logits, sums.found, 0);
}

double Sampler::floatSumError(double sum, size_t terms)
{
    // How far SumExpCollect's sum of `terms` float weights w = 2^t <= 1 can
    // be from the exact sum of exp in double (u = 2^-24):
    //   - each float exp2 is within 1.7u (see exp2Negative), say 2u;
    //   - the float argument t = (x - shift) * (log2(e) / T) is within 3u|t|
    //     (three roundings), so each weight within 3u|ln w|; and over the
    //     sum S, sum w |ln w| <= S ln(terms / S) (w ln(1/w) is concave);
    //   - the float partial sums (<= 16 terms a lane, two levels across the
    //     accumulators and up to six across lanes) add <= 24u;
    //   - NaN, -inf and arguments below -126 count up to 2^-126 each.
    // The bound doubles the first three for safety.
    if (!(sum > 0.0))
        return double(terms) * 0x1.0p-125;
    const double spread = std::max(0.0, std::log(double(terms) / (sum * 0.99)));
    return sum * 2.0 * kFloatUlp * (2.0 + 24.0 + 3.0 * spread) + double(terms) * 0x1.0p-125;
}

void Sampler::refineTotal(std::span<const float> logits, size_t collected, size_t gathered)
{
    // The tokens estimateTotal() collected, now weighed exactly, plus its
    // float estimate of the rest: much tighter when they hold most of the
    // mass. Gathered tokens hold their weight, waiting ones their value.
    double exact = 0.0;
    for (size_t i = 0; i < collected; ++i) {
        const auto& c = m_candidates[i];
        const double value = i < gathered ? valueOf(logits, c.token) : c.probability;
        if (value >= m_firstLow)
            exact += i < gathered ? c.probability : weightOf(value);
    }
    const double rounding = double(logits.size()) * 0x1.0p-52;
    m_totalLow = (exact * (1.0 - rounding) + m_restEstimate - m_restError) * (1.0 - rounding);
    m_totalHigh = (exact * (1.0 + rounding) + m_restEstimate + m_restError) * (1.0 + rounding);
    m_totalRefined = true;
}

double Sampler::valueOf(std::span<const float> logits, int32_t token) const
{
    const float logit = logits[size_t(token)];
    return std::binary_search(m_window.begin(), m_window.end(), token) ? penalise(logit, m_config.repetitionPenalty)
                                                                       : double(logit);
}

size_t Sampler::collect(std::span<const float> logits, double low, double high, size_t count)
{
    const float lowF = roundUp(low);
    const float highF = roundUp(high);
    const double penalty = m_config.repetitionPenalty;
    int32_t* ids = m_ids.data();
    size_t found = 0;
    forEachRun(
        m_window, 0, logits.size(),
        [&](size_t a, size_t b) {
            found += sampling::collectIds(logits.data() + a, b - a, lowF, highF, int32_t(a), ids + found);
        },
        [&](size_t id) {
            const double value = penalise(logits[id], penalty);
            if (value >= low && value < high && value > -kInfinity)
                ids[found++] = int32_t(id);
        });
    return toCandidates(logits, found, count);
}

size_t Sampler::toCandidates(std::span<const float> logits, size_t found, size_t count)
{
    PenaltyCursor penalised(m_window, m_config.repetitionPenalty);
    for (size_t i = 0; i < found; ++i) {
        const size_t id = size_t(m_ids[i]);
        m_candidates[count++] = {int32_t(id), penalised(id, logits[id])};
    }
    return count;
}

double Sampler::largestBelow(std::span<const float> logits, double low) const
{
    const float lowF = roundUp(low);
    double largest = lowF > -std::numeric_limits<float>::max()
                         ? double(std::nextafter(lowF, -std::numeric_limits<float>::infinity()))
                         : -kInfinity;
    for (const int32_t id : m_window) {
        const double value = penalise(logits[size_t(id)], m_config.repetitionPenalty);
        if (value < low && value > largest)
            largest = value;
    }
    return largest;
}

void Sampler::keepTopK(std::span<const float> logits)
{
    // The k-th largest block maximum is a safe cutoff: each of the k blocks
    // whose maxima reach it holds a token that does, so at least k tokens are
    // collected, and every one left out ranks below them. Fewer than k blocks:
    // take every finite logit.
    const size_t topK = size_t(m_config.topK);
    const size_t blocks = (logits.size() + kBlock - 1) / kBlock;
    double cutoff = -kInfinity;
    if (topK <= blocks) {
        std::copy_n(m_blockMax.begin(), blocks, m_blockOrder.begin());
        const auto first = m_blockOrder.begin();
        std::nth_element(first, first + ptrdiff_t(topK - 1), first + ptrdiff_t(blocks), std::greater<double>());
        cutoff = m_blockOrder[topK - 1];
    }
    const auto first = m_candidates.begin();
    for (;;) {
        // Scaled logits relative to the best (so the best is 0).
        m_count = collect(logits, cutoff, kInfinity, 0);
        for (size_t i = 0; i < m_count; ++i)
            m_candidates[i].probability = (m_candidates[i].probability - m_maxLogit) * m_inverseTemperature;
        if (topK < m_count) {
            std::nth_element(first, first + ptrdiff_t(topK), first + ptrdiff_t(m_count), moreLikely);
            m_count = topK;
        }
        std::sort(first, first + ptrdiff_t(m_count), moreLikely);
        if (cutoff == -kInfinity)
            break;
        // Rounding could give a token left out the same scaled value as the
        // last one kept (then ids decide); never seen, but then take all.
        const double outside = (largestBelow(logits, cutoff) - m_maxLogit) * m_inverseTemperature;
        if (m_count == topK && m_candidates[m_count - 1].probability > outside)
            break;
        cutoff = -kInfinity;
    }
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
}

void Sampler::keepNucleus(std::span<const float> logits)
{
    // The nucleus is the shortest most-likely-first prefix whose weight
    // reaches p of the total. Gather the tokens above falling levels, weigh
    // them exactly, and once they hold enough, sort them: their sorted prefix
    // is the nucleus if its last token outweighs every token not gathered
    // and the total's bounds agree on where the prefix reaches the target.
    const double p = m_config.topP;
    const double temperature = m_config.temperature;
    const auto first = m_candidates.begin();
    const auto levelCutoff = [&](size_t level) {
        return level < kTopPLevelCount ? m_maxLogit + kTopPLevels[level] * temperature : -kInfinity;
    };
    // Two levels at a time: one scan of the vocabulary usually suffices.
    double collectedDown = levelCutoff(2);  // every token with a value >= this is collected
    size_t collected = estimateTotal(logits, collectedDown);
    size_t gathered = 0;  // [0, gathered) weighed, [gathered, collected) waiting
    double gatheredWeight = 0.0;
    for (size_t level = 0;; ++level) {
        const double cutoff = levelCutoff(level);
        const bool everything = cutoff == -kInfinity;
        if (cutoff < collectedDown) {
            const double down = levelCutoff(level + 2);
            collected = collect(logits, down, collectedDown, collected);
            collectedDown = down;
        }
        const auto end = std::partition(first + ptrdiff_t(gathered), first + ptrdiff_t(collected),
                                        [cutoff](const TokenProbability& c) { return c.probability >= cutoff; });
        size_t kept = gathered;
        for (auto it = first + ptrdiff_t(gathered); it != end; ++it) {
            const double weight = weightOf(it->probability);
            if (weight > 0.0) {  // 0 only past the last level, in practice
                m_candidates[kept++] = {it->token, weight};
                gatheredWeight += weight;
            }
        }
        // Close the gap dropped tokens left before the waiting ones.
        if (first + ptrdiff_t(kept) != end) {
            std::move(end, first + ptrdiff_t(collected), first + ptrdiff_t(kept));
            collected -= size_t(end - (first + ptrdiff_t(kept)));
        }
        gathered = kept;
        // Min-p (applied after this) keeps only weights >= minP: once every
        // such token is gathered, a nucleus reaching past them all need not
        // be found, since min-p would cut it back to them anyway.
        const double outside = everything ? 0.0 : weightOf(largestBelow(logits, cutoff));
        const bool holdsMinP = everything || (m_config.minP > 0.f && outside < double(m_config.minP));
        if (gatheredWeight < p * m_totalHigh && !holdsMinP)
            continue;

        std::sort(first, first + ptrdiff_t(gathered), moreLikely);
        for (;;) {
            const double targetLow = p * m_totalLow;
            const double targetHigh = p * m_totalHigh;
            double mass = 0.0;
            double before = 0.0;
            size_t cut = 0;
            for (; cut < gathered; ++cut) {
                before = mass;
                mass += m_candidates[cut].probability;
                if (mass >= targetHigh)
                    break;
            }
            if (cut == gathered) {
                if (!holdsMinP)
                    break;  // the sorted sum fell short: gather more
                if (mass < targetLow) {
                    // The nucleus reaches past every gathered token: all of
                    // them stay (for min-p to cut), or with everything
                    // gathered, rounding kept the total a hair under p.
                    m_count = gathered;
                    m_total = mass;
                    m_sorted = true;
                    return;
                }
            } else if (cut == 0 || before < targetLow) {
                if (!(m_candidates[cut].probability > outside))
                    break;  // a token not gathered may weigh as much
                m_count = cut + 1;
                m_total = mass;
                m_sorted = true;
                return;
            }
            // The bounds straddle the cut: tighten them, or failing that sum
            // the exact total (exact bounds never straddle), and look again.
            if (m_totalRefined)
                computeExactTotal(logits);
            else
                refineTotal(logits, collected, gathered);
        }
    }
}

void Sampler::keepSortedTopP()
{
    // The kept tokens are sorted and hold the whole total: the nucleus is
    // their shortest prefix reaching p of it.
    const double target = double(m_config.topP) * m_total;
    double mass = 0.0;
    for (size_t i = 0; i < m_count; ++i) {
        mass += m_candidates[i].probability;
        if (mass >= target) {
            m_count = i + 1;
            m_total = mass;
            return;
        }
    }
    m_total = mass;  // rounding kept the total a hair under p: every token stays
}

void Sampler::keepAboveMinP(std::span<const float> logits)
{
    // Min-p alone keeps the tokens whose weight is at least minP (the best
    // token's weight being 1), in id order: those whose scaled logit is at
    // least ln(minP), collected with a little margin and then checked
    // exactly, provided nothing left out could reach minP.
    const double threshold = m_config.minP;
    double cutoff = m_maxLogit + (std::log(threshold) - 1e-3) * double(m_config.temperature);
    if (!(cutoff < m_maxLogit) || !(weightOf(largestBelow(logits, cutoff)) < threshold))
        cutoff = -kInfinity;
    const size_t found = collect(logits, cutoff, kInfinity, 0);
    for (size_t i = 0; i < found; ++i) {
        const double weight = weightOf(m_candidates[i].probability);
        if (weight >= threshold) {
            m_candidates[m_count++] = {m_candidates[i].token, weight};
            m_total += weight;
        }
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

#endif  // HWY_ONCE
