// Activation quantization (activations.h), compiled once per SIMD target:
// per block, the largest magnitude sets the scale (amax / 127), values round
// to the nearest int8 (ties to even), and group sums of the int8 values are
// kept for the kernels (Q8_K's also times the block scale, so the K-quant
// kernels fold minimums out with one float multiply-add per group). Runs
// once per input per layer, over `width` values per token, against the
// matrices' width * rows; SIMD keeps it a few percent of a decode step
// rather than a tenth.
#include "cpu/hwy_targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "cpu/quant_act.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "cpu/quant_act.h"

HWY_BEFORE_NAMESPACE();
namespace ponder::cpu::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// width / block blocks of `block` values; sums per `group` values (group
// divides block; block and group are multiples of 16).
void QuantizeRow(const float* x, size_t width, size_t block, size_t group, int8_t* q, float* scales,
                 int16_t* sums, float* scaledSums)
{
    const hn::CappedTag<float, 16> df;
    const hn::Rebind<int32_t, decltype(df)> d32;
    const hn::Rebind<int8_t, decltype(df)> d8;
    const size_t lanes = hn::Lanes(df);
    for (size_t b = 0; b < width / block; ++b) {
        const float* in = x + b * block;
        auto amax = hn::Zero(df);
        for (size_t i = 0; i < block; i += lanes)
            amax = hn::Max(amax, hn::Abs(hn::LoadU(df, in + i)));
        const float m = hn::GetLane(hn::MaxOfLanes(df, amax));
        scales[b] = m / 127.f;
        const auto inverse = hn::Set(df, m > 0.f ? 127.f / m : 0.f);
        for (size_t g = 0; g < block; g += group) {
            auto sum = hn::Zero(d32);
            for (size_t i = g; i < g + group; i += lanes) {
                const auto levels = hn::NearestInt(hn::Mul(hn::LoadU(df, in + i), inverse));
                sum = hn::Add(sum, levels);
                hn::StoreU(hn::DemoteTo(d8, levels), d8, q + b * block + i);
            }
            const int32_t total = hn::GetLane(hn::SumOfLanes(d32, sum));
            sums[(b * block + g) / group] = int16_t(total);
            if (scaledSums)
                scaledSums[(b * block + g) / group] = scales[b] * float(total);
        }
    }
}

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ponder::cpu {

HWY_EXPORT(QuantizeRow);

void quantizeActivationRow(const float* x, size_t width, size_t block, size_t group, int8_t* q, float* scales,
                           int16_t* sums, float* scaledSums)
{
    HWY_DYNAMIC_DISPATCH(QuantizeRow)(x, width, block, group, q, scales, sums, scaledSums);
}

} // namespace ponder::cpu
#endif
