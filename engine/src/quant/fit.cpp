#include "quant/fit.h"

#include <cmath>
#include <limits>

#include "ponder/half.h"

namespace ponder::quant {
namespace {

// Sums run in kLanes independent partial sums so the compiler can vectorize
// them without reassociating float additions itself. Every n passed below
// (8, 16, 32) is a multiple of it.
constexpr int kLanes = 8;

template <typename T>
T laneSum(const T (&lanes)[kLanes])
{
    T total = 0;
    for (const T v : lanes)
        total += v;
    return total;
}

// The grids below are as coarse as they can be without losing accuracy:
// on normal data, halving their spacing changes the RMS error of any format
// by under 0.1% of itself, and doubles the time.

// Candidate targets for the largest value: its end level moved by -0.9..+0.9.
constexpr int kTargetSteps = 7;
constexpr float kTargetFirst = -0.9f;
constexpr float kTargetDelta = 0.3f;

// Candidate steps for an offset fit: levelMax + kAffineFirst + k*kAffineDelta
// levels across the sub-block's range, k = 0..kAffineSteps.
constexpr int kAffineSteps = 10;
constexpr float kAffineFirst = -1.f;
constexpr float kAffineDelta = 0.2f;

// Rounds of re-rounding and refitting after a grid search.
constexpr int kRefineRounds = 4;

// Below this a sub-block's spread is treated as none: no f16 scale could
// express it anyway (the smallest is 2^-24), and inverting it would overflow.
constexpr float kTiny = 1e-20f;

struct AffineFit {
    float scale;   // x ≈ scale * level - offset
    float offset;  // >= 0: zero stays representable, since mins are stored unsigned
};

AffineFit fitAffine(const float* x, int n, int levelMax)
{
    float lo = x[0];
    float hi = x[0];
    float sumX = 0.f;
    float sumXX = 0.f;
    for (int i = 0; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
        sumX += x[i];
        sumXX += x[i] * x[i];
    }
    lo = std::min(lo, 0.f);
    if (!(hi - lo > kTiny))  // no spread: the offset alone represents the sub-block
        return {0.f, -lo};

    const float top = float(levelMax);
    AffineFit best{(hi - lo) / top, -lo};
    double bestError = std::numeric_limits<double>::infinity();
    // Levels l = round((x - origin) * inverse), then the least-squares s and
    // m for x ≈ s*l + m over them; keeps them if they beat the best so far.
    auto tryLevels = [&](float inverse, float origin) {
        float sl[kLanes] = {}, sll[kLanes] = {}, sxl[kLanes] = {};
        for (int i = 0; i < n; i += kLanes) {
            for (int j = 0; j < kLanes; ++j) {
                const float v = x[i + j];
                const float l = clampRound(inverse * (v - origin), 0.f, top);
                sl[j] += l;
                sll[j] += l * l;
                sxl[j] += v * l;
            }
        }
        // The error left is Σx² minus what the fit explains.
        const double sumL = laneSum(sl), sumLL = laneSum(sll), sumXL = laneSum(sxl);
        const double det = n * sumLL - sumL * sumL;
        if (!(det > 0.0))
            return false;
        // An intercept above zero cannot be stored (mins are unsigned): fit with m = 0.
        const bool interceptAboveZero = sumLL * sumX - sumL * sumXL > 0.0;
        const double explained = interceptAboveZero
                                     ? sumXL * sumXL / sumLL
                                     : (n * sumXL * sumXL - 2 * sumX * sumL * sumXL + sumLL * sumX * sumX) / det;
        const double error = sumXX - explained;
        if (!(error < bestError))  // also refuses a NaN
            return false;
        bestError = error;
        double s = sumXL / sumLL, m = 0.0;
        if (!interceptAboveZero) {
            s = (n * sumXL - sumX * sumL) / det;
            m = (sumLL * sumX - sumL * sumXL) / det;
        }
        // Levels rise with x, so s >= 0 up to rounding; clamp that away.
        best = {std::max(float(s), 0.f), float(-m)};
        return true;
    };
    // Grid: spread the range [lo, hi] over about levelMax steps.
    for (int k = 0; k <= kAffineSteps; ++k)
        tryLevels((top + kAffineFirst + kAffineDelta * float(k)) / (hi - lo), lo);
    // Alternate: re-round the levels against the fitted s and m, refit.
    // Each round can only lower the error; it matters most when clipping the
    // extremes pays, as in a sub-block with one outlier.
    for (int round = 0; round < kRefineRounds && best.scale > kTiny; ++round)
        if (!tryLevels(1.f / best.scale, -best.offset))
            break;
    return best;
}

// Squared error of x[0..n) against step*l - offset with l rounded to [0, levelMax].
float affineError(const float* x, int n, float step, float offset, float levelMax)
{
    const float inverse = step > 0.f ? 1.f / step : 0.f;
    float err[kLanes] = {};
    for (int i = 0; i < n; i += kLanes) {
        for (int j = 0; j < kLanes; ++j) {
            const float l = clampRound((x[i + j] + offset) * inverse, 0.f, levelMax);
            const float diff = step * l - offset - x[i + j];
            err[j] += diff * diff;
        }
    }
    return laneSum(err);
}

// Squared error of x[0..n) against step*l with l rounded to [levelMin, levelMax].
float symmetricError(const float* x, int n, float step, float levelMin, float levelMax)
{
    const float inverse = step != 0.f ? 1.f / step : 0.f;
    float err[kLanes] = {};
    for (int i = 0; i < n; i += kLanes) {
        for (int j = 0; j < kLanes; ++j) {
            const float l = clampRound(x[i + j] * inverse, levelMin, levelMax);
            const float diff = step * l - x[i + j];
            err[j] += diff * diff;
        }
    }
    return laneSum(err);
}

// The stored integer scale nearest to value/unit, clamped to [lo, hi].
int nearestLevel(float value, float unit, int lo, int hi)
{
    if (unit == 0.f)
        return 0;
    return int(clampRound(value / unit, float(lo), float(hi)));
}

} // namespace

float fitSymmetric(const float* x, int n, int levelMin, int levelMax)
{
    float peak = 0.f;  // the value of largest magnitude, with its sign
    for (int i = 0; i < n; ++i)
        if (std::fabs(x[i]) > std::fabs(peak))
            peak = x[i];
    if (!(std::fabs(peak) > kTiny))
        return 0.f;

    const float lo = float(levelMin), hi = float(levelMax);
    float best = 0.f;
    double bestGain = -1.0;
    // Levels l = round(x * inverse), then the least-squares scale over them;
    // keeps it if it beats the best so far.
    auto tryLevels = [&](float inverse) {
        float sxl[kLanes] = {}, sll[kLanes] = {};
        for (int i = 0; i < n; i += kLanes) {
            for (int j = 0; j < kLanes; ++j) {
                const float l = clampRound(inverse * x[i + j], lo, hi);
                sxl[j] += x[i + j] * l;
                sll[j] += l * l;
            }
        }
        // With s = Σxl/Σl² the error is Σx² - (Σxl)²/Σl²: maximise the gain.
        const double sumXL = laneSum(sxl), sumLL = laneSum(sll);
        if (!(sumLL > 0.0))
            return false;
        const double gain = sumXL * sumXL / sumLL;
        if (!(gain > bestGain))  // also refuses a NaN
            return false;
        bestGain = gain;
        best = float(sumXL / sumLL);
        return true;
    };
    // Grid: the peak lands near either end level.
    for (int k = 0; k < kTargetSteps; ++k) {
        const float delta = kTargetFirst + kTargetDelta * float(k);
        if (levelMin < 0)
            tryLevels((lo + delta) / peak);
        if (levelMax > 0)
            tryLevels((hi + delta) / peak);
    }
    // Alternate: re-round against the fitted scale, refit.
    for (int round = 0; round < kRefineRounds && std::fabs(best) > kTiny; ++round)
        if (!tryLevels(1.f / best))
            break;
    return best;
}

void fitAffineBlock(const float* x, const AffineLayout& layout, AffineBlock& block)
{
    const int count = layout.subBlocks;
    const int n = 256 / count;
    float scales[16], offsets[16];
    for (int j = 0; j < count; ++j) {
        const AffineFit fit = fitAffine(x + j * n, n, layout.levelMax);
        scales[j] = fit.scale;
        offsets[j] = fit.offset;
    }
    // Unweighted fits of the scales and offsets: weighting each sub-block by
    // its Σlevel² measured no better on normal data, and worse on blocks
    // with an outlier, whose large scale must not be clipped.
    block.d = floatToHalf(fitSymmetric(scales, count, 0, layout.scaleMax));
    block.dmin = floatToHalf(fitSymmetric(offsets, count, 0, layout.scaleMax));
    const float d = halfToFloat(block.d);
    const float dmin = halfToFloat(block.dmin);
    const float levelMax = float(layout.levelMax);

    for (int j = 0; j < count; ++j) {
        const float* xs = x + j * n;
        const int sc0 = nearestLevel(scales[j], d, 0, layout.scaleMax);
        const int m0 = nearestLevel(offsets[j], dmin, 0, layout.scaleMax);
        // Rounding the scale and offset separately is not always best
        // for the levels they produce together: try the neighbours.
        int bestSc = sc0, bestM = m0;
        float bestError = std::numeric_limits<float>::infinity();
        for (int sc = std::max(sc0 - 1, 0); sc <= std::min(sc0 + 1, layout.scaleMax); ++sc) {
            for (int m = std::max(m0 - 1, 0); m <= std::min(m0 + 1, layout.scaleMax); ++m) {
                const float error = affineError(xs, n, d * float(sc), dmin * float(m), levelMax);
                if (error < bestError) {
                    bestError = error;
                    bestSc = sc;
                    bestM = m;
                }
            }
        }
        block.scales[j] = uint8_t(bestSc);
        block.mins[j] = uint8_t(bestM);
        // The same arithmetic as the decoder: step d*sc, offset dmin*m.
        const float step = d * float(bestSc);
        const float offset = dmin * float(bestM);
        const float inverse = step > 0.f ? 1.f / step : 0.f;
        for (int i = 0; i < n; ++i)
            block.levels[j * n + i] = uint8_t(clampRound((xs[i] + offset) * inverse, 0.f, levelMax));
    }
}

void fitSymmetricBlock(const float* x, const SymmetricLayout& layout, SymmetricBlock& block)
{
    constexpr int kCount = 16, kN = 16;
    float scales[kCount];
    for (int j = 0; j < kCount; ++j)
        scales[j] = fitSymmetric(x + j * kN, kN, layout.levelMin, layout.levelMax);
    block.d = floatToHalf(fitSymmetric(scales, kCount, layout.scaleMin, layout.scaleMax));
    const float d = halfToFloat(block.d);
    const float levelMin = float(layout.levelMin), levelMax = float(layout.levelMax);

    for (int j = 0; j < kCount; ++j) {
        const float* xs = x + j * kN;
        const int sc0 = nearestLevel(scales[j], d, layout.scaleMin, layout.scaleMax);
        int bestSc = sc0;
        float bestError = std::numeric_limits<float>::infinity();
        for (int sc = std::max(sc0 - 1, layout.scaleMin); sc <= std::min(sc0 + 1, layout.scaleMax); ++sc) {
            const float error = symmetricError(xs, kN, d * float(sc), levelMin, levelMax);
            if (error < bestError) {
                bestError = error;
                bestSc = sc;
            }
        }
        block.scales[j] = int8_t(bestSc);
        const float step = d * float(bestSc);
        const float inverse = step != 0.f ? 1.f / step : 0.f;
        for (int i = 0; i < kN; ++i)
            block.levels[j * kN + i] = int8_t(clampRound(xs[i] * inverse, levelMin, levelMax));
    }
}

} // namespace ponder::quant
