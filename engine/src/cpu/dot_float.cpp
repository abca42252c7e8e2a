// F32, F16 and BF16 weights times float activations, compiled once per SIMD
// target: weights widened to float in registers (F16C on x86), fused
// multiply-adds, a tile of up to kTile tokens per pass over a weight row.
// Rows of any length: a scalar tail finishes what full vectors leave.
#include "cpu/hwy_targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "cpu/dot_float.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <bit>
#include <cstring>

#include "hwy/highway.h"
#include "ponder/half.h"
#include "cpu/decode_prefetch.h"
#include "cpu/dot_kernels.h"

HWY_BEFORE_NAMESPACE();
#include "cpu/vnni_target-inl.h"  // NOLINT(build/include)
namespace ponder::cpu::HWY_NAMESPACE {
namespace {
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
constexpr size_t kTile = 4;  // tokens per pass over a weight row

struct F32 {
    using Stored = float;
    static HWY_INLINE hn::Vec<DF> Load(DF df, const Stored* p) { return hn::LoadU(df, p); }
    static float Scalar(const Stored* p) { return *p; }
};

struct F16 {
    using Stored = hwy::float16_t;
    static HWY_INLINE hn::Vec<DF> Load(DF df, const Stored* p)
    {
        return hn::PromoteTo(df, hn::LoadU(hn::Rebind<Stored, DF>(), p));
    }
    static float Scalar(const Stored* p)
    {
        uint16_t bits;
        std::memcpy(&bits, p, sizeof bits);
        return halfToFloat(bits);
    }
};

struct BF16 {
    using Stored = hwy::bfloat16_t;
    static HWY_INLINE hn::Vec<DF> Load(DF df, const Stored* p)
    {
        return hn::PromoteTo(df, hn::LoadU(hn::Rebind<Stored, DF>(), p));
    }
    static float Scalar(const Stored* p)
    {
        uint16_t bits;
        std::memcpy(&bits, p, sizeof bits);
        return std::bit_cast<float>(uint32_t(bits) << 16);
    }
};

template <class Kind, size_t T>
HWY_NOINLINE void RowTile(const typename Kind::Stored* w, size_t n, const QuantizedActivations& x, size_t t0,
                          float* out)
{
    const DF df;
    const size_t lanes = hn::Lanes(df);
    const float* in[T];
    hn::Vec<DF> acc[T];
    for (size_t t = 0; t < T; ++t) {
        in[t] = x.floats(t0 + t);
        acc[t] = hn::Zero(df);
    }
    // Values a line holds: decode asks for a line at a time (decode_prefetch.h).
    constexpr size_t kLineValues = 64 / sizeof(typename Kind::Stored);
    size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        if constexpr (T == 1)
            if (i % kLineValues == 0)
                prefetchAhead(w + i);
        const auto wv = Kind::Load(df, w + i);
        for (size_t t = 0; t < T; ++t)
            acc[t] = hn::MulAdd(wv, hn::LoadU(df, in[t] + i), acc[t]);
    }
    for (size_t t = 0; t < T; ++t) {
        float sum = hn::GetLane(hn::SumOfLanes(df, acc[t]));
        for (size_t j = i; j < n; ++j)
            sum += Kind::Scalar(w + j) * in[t][j];
        out[t] = sum;
    }
}

// Tokens per pass over the weights: 8 float rows of a 1536-wide input (48
// KB) are about what L1 holds beside the weight row.
constexpr size_t kTokenChunk = 8;

template <class Kind>
void MultiplyRows(const MatrixProduct& p)
{
    const size_t tokens = p.x->tokens();
    for (size_t chunk = 0; chunk < tokens; chunk += kTokenChunk) {
        const size_t end = std::min(tokens, chunk + kTokenChunk);
        for (uint64_t r = p.rowBegin; r < p.rowEnd; ++r) {
            const auto* row = reinterpret_cast<const typename Kind::Stored*>(p.weights + r * p.rowBytes);
            float out[kTile];
            size_t t = chunk;
            for (; t + kTile <= end; t += kTile) {
                RowTile<Kind, kTile>(row, p.rowLength, *p.x, t, out);
                for (size_t i = 0; i < kTile; ++i)
                    p.y[(t + i) * p.yStride + r] = out[i];
            }
            for (; t < end; ++t) {
                RowTile<Kind, 1>(row, p.rowLength, *p.x, t, out);
                p.y[t * p.yStride + r] = out[0];
            }
        }
    }
}

} // namespace

void MultiplyFloat(const MatrixProduct& p)
{
    switch (p.type) {
    case TensorType::F32: return MultiplyRows<F32>(p);
    case TensorType::F16: return MultiplyRows<F16>(p);
    case TensorType::BF16: return MultiplyRows<BF16>(p);
    default: return;
    }
}

int64_t ActiveTarget() { return HWY_TARGET; }

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ponder::cpu {

HWY_EXPORT(MultiplyFloat);
HWY_EXPORT(ActiveTarget);

void multiplyFloat(const MatrixProduct& p) { HWY_DYNAMIC_DISPATCH(MultiplyFloat)(p); }

int64_t activeKernelTarget() { return HWY_DYNAMIC_DISPATCH(ActiveTarget)(); }

int64_t compiledKernelTargets() { return HWY_TARGETS; }

} // namespace ponder::cpu
#endif
