// Compiled once per SIMD target: foreach_target.h includes this file again
// for each, with HWY_NAMESPACE naming the target.
#include "cpu/hwy_targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "cpu/vector_ops.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include <hwy/contrib/math/math-inl.h>
#include <cmath>
#include <cstring>

#include "cpu/vector_ops.h"
#include "ponder/half.h"
#include "ponder/kv_cache_type.h"
#include "quant/codec.h"

HWY_BEFORE_NAMESPACE();
namespace ponder::cpu::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using Df = hn::ScalableTag<float>;

// Two accumulators hide the latency of the fused multiply-add.
float DotF32(const float* a, const float* b, size_t n)
{
    const Df d;
    const size_t lanes = hn::Lanes(d);
    auto sum0 = hn::Zero(d);
    auto sum1 = hn::Zero(d);
    size_t i = 0;
    for (; i + 2 * lanes <= n; i += 2 * lanes) {
        sum0 = hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), sum0);
        sum1 = hn::MulAdd(hn::LoadU(d, a + i + lanes), hn::LoadU(d, b + i + lanes), sum1);
    }
    for (; i + lanes <= n; i += lanes)
        sum0 = hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), sum0);
    float sum = hn::GetLane(hn::SumOfLanes(d, hn::Add(sum0, sum1)));
    for (; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

// SwiGLU's gate: g / (1 + exp(-g)) * u. exp's argument is capped at 88,
// where it is still finite (Highway's Exp is defined up to 104): below g =
// -88 the gate is 0 to within 1e-36 either way.
HWY_INLINE hn::Vec<Df> SiluTimes(Df d, hn::Vec<Df> g, hn::Vec<Df> u)
{
    const auto e = hn::Exp(d, hn::Min(hn::Neg(g), hn::Set(d, 88.0f)));
    return hn::Mul(hn::Div(g, hn::Add(hn::Set(d, 1.0f), e)), u);
}

// The last partial vector goes through a padded copy, so every value takes
// the same path whatever the range it came in: the threads' chunks of rows
// change with the thread count, the values must not.
void SwiGlu(float* gate, const float* up, size_t n)
{
    const Df d;
    const size_t lanes = hn::Lanes(d);
    size_t i = 0;
    for (; i + lanes <= n; i += lanes)
        hn::StoreU(SiluTimes(d, hn::LoadU(d, gate + i), hn::LoadU(d, up + i)), d, gate + i);
    if (i == n)
        return;
    HWY_ALIGN float g[hn::MaxLanes(d)] = {};
    HWY_ALIGN float u[hn::MaxLanes(d)] = {};
    std::memcpy(g, gate + i, (n - i) * sizeof(float));
    std::memcpy(u, up + i, (n - i) * sizeof(float));
    hn::Store(SiluTimes(d, hn::Load(d, g), hn::Load(d, u)), d, g);
    std::memcpy(gate + i, g, (n - i) * sizeof(float));
}

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ponder::cpu {

HWY_EXPORT(DotF32);
HWY_EXPORT(SwiGlu);

float dotF32(const float* a, const float* b, size_t n)
{
    return HWY_DYNAMIC_DISPATCH(DotF32)(a, b, n);
}

void swiGlu(float* gate, const float* up, size_t n)
{
    HWY_DYNAMIC_DISPATCH(SwiGlu)(gate, up, n);
}

// Plain: a few hundred values per token and layer, and Highway's f16
// demotion on targets without F16C may round differently from half.h.
void storeF16(uint16_t* y, const float* x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        y[i] = floatToHalf(x[i]);
}

void storeQ8_0(std::byte* y, const float* x, size_t n)
{
    quant::quantizeQ8_0(x, y, n / kKvQ8_0BlockValues);
}

void storeKv(KvCacheType type, std::byte* row, const float* x, size_t n)
{
    switch (type) {
    case KvCacheType::F16:
        return storeF16(reinterpret_cast<uint16_t*>(row), x, n);
    case KvCacheType::Q8_0:
        return storeQ8_0(row, x, n);
    case KvCacheType::F32:
        break;
    }
    std::memcpy(row, x, n * sizeof(float));
}

} // namespace ponder::cpu
#endif
