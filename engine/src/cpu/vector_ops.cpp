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
using Dh = hn::Rebind<hwy::float16_t, Df>;

HWY_INLINE hn::Vec<Df> loadHalf(const uint16_t* p)
{
    return hn::PromoteTo(Df(), hn::LoadU(Dh(), reinterpret_cast<const hwy::float16_t*>(p)));
}

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

float DotF16(const float* a, const uint16_t* b, size_t n)
{
    const Df d;
    const size_t lanes = hn::Lanes(d);
    auto sum0 = hn::Zero(d);
    auto sum1 = hn::Zero(d);
    size_t i = 0;
    for (; i + 2 * lanes <= n; i += 2 * lanes) {
        sum0 = hn::MulAdd(hn::LoadU(d, a + i), loadHalf(b + i), sum0);
        sum1 = hn::MulAdd(hn::LoadU(d, a + i + lanes), loadHalf(b + i + lanes), sum1);
    }
    for (; i + lanes <= n; i += lanes)
        sum0 = hn::MulAdd(hn::LoadU(d, a + i), loadHalf(b + i), sum0);
    float sum = hn::GetLane(hn::SumOfLanes(d, hn::Add(sum0, sum1)));
    for (; i < n; ++i)
        sum += a[i] * halfToFloat(b[i]);
    return sum;
}

// Q8_0 blocks: 32 values each, in vectors of at most 32 lanes.
using Dq = hn::CappedTag<float, kKvQ8_0BlockValues>;

HWY_INLINE float blockScale(const std::byte* block)
{
    uint16_t bits;
    std::memcpy(&bits, block, sizeof bits);
    return halfToFloat(bits);
}

// Levels q[0 .. Lanes) widened to float.
HWY_INLINE hn::Vec<Dq> loadLevels(const std::byte* q)
{
    const Dq d;
    const hn::Rebind<int8_t, Dq> d8;
    const hn::Rebind<int32_t, Dq> d32;
    return hn::ConvertTo(d, hn::PromoteTo(d32, hn::LoadU(d8, reinterpret_cast<const int8_t*>(q))));
}

// sum over blocks of d * (sum of a[i] * q[i]): one multiply by the scale per block.
float DotQ8_0(const float* a, const std::byte* b, size_t n)
{
    const Dq d;
    const size_t lanes = hn::Lanes(d);
    auto sum = hn::Zero(d);
    for (size_t i = 0; i < n; i += kKvQ8_0BlockValues, b += kKvQ8_0BlockBytes) {
        auto block = hn::Zero(d);
        for (size_t j = 0; j < kKvQ8_0BlockValues; j += lanes)
            block = hn::MulAdd(hn::LoadU(d, a + i + j), loadLevels(b + 2 + j), block);
        sum = hn::MulAdd(hn::Set(d, blockScale(b)), block, sum);
    }
    return hn::GetLane(hn::SumOfLanes(d, sum));
}

void AxpyQ8_0(float* y, float w, const std::byte* x, size_t n)
{
    const Dq d;
    const size_t lanes = hn::Lanes(d);
    for (size_t i = 0; i < n; i += kKvQ8_0BlockValues, x += kKvQ8_0BlockBytes) {
        const auto weight = hn::Set(d, w * blockScale(x));
        for (size_t j = 0; j < kKvQ8_0BlockValues; j += lanes)
            hn::StoreU(hn::MulAdd(weight, loadLevels(x + 2 + j), hn::LoadU(d, y + i + j)), d, y + i + j);
    }
}

void AxpyF32(float* y, float w, const float* x, size_t n)
{
    const Df d;
    const size_t lanes = hn::Lanes(d);
    const auto weight = hn::Set(d, w);
    size_t i = 0;
    for (; i + lanes <= n; i += lanes)
        hn::StoreU(hn::MulAdd(weight, hn::LoadU(d, x + i), hn::LoadU(d, y + i)), d, y + i);
    for (; i < n; ++i)
        y[i] += w * x[i];
}

void AxpyF16(float* y, float w, const uint16_t* x, size_t n)
{
    const Df d;
    const size_t lanes = hn::Lanes(d);
    const auto weight = hn::Set(d, w);
    size_t i = 0;
    for (; i + lanes <= n; i += lanes)
        hn::StoreU(hn::MulAdd(weight, loadHalf(x + i), hn::LoadU(d, y + i)), d, y + i);
    for (; i < n; ++i)
        y[i] += w * halfToFloat(x[i]);
}

float ExpShifted(float* x, float shift, size_t n)
{
    const Df d;
    const size_t lanes = hn::Lanes(d);
    const auto by = hn::Set(d, shift);
    auto sum = hn::Zero(d);
    size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        const auto e = hn::Exp(d, hn::Sub(hn::LoadU(d, x + i), by));
        hn::StoreU(e, d, x + i);
        sum = hn::Add(sum, e);
    }
    float total = hn::GetLane(hn::SumOfLanes(d, sum));
    for (; i < n; ++i) {
        x[i] = std::exp(x[i] - shift);
        total += x[i];
    }
    return total;
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
HWY_EXPORT(DotF16);
HWY_EXPORT(AxpyF32);
HWY_EXPORT(AxpyF16);
HWY_EXPORT(DotQ8_0);
HWY_EXPORT(AxpyQ8_0);
HWY_EXPORT(ExpShifted);
HWY_EXPORT(SwiGlu);

float dotF32(const float* a, const float* b, size_t n)
{
    return HWY_DYNAMIC_DISPATCH(DotF32)(a, b, n);
}

float dotF16(const float* a, const uint16_t* b, size_t n)
{
    return HWY_DYNAMIC_DISPATCH(DotF16)(a, b, n);
}

float dotQ8_0(const float* a, const std::byte* b, size_t n)
{
    return HWY_DYNAMIC_DISPATCH(DotQ8_0)(a, b, n);
}

void axpyQ8_0(float* y, float w, const std::byte* x, size_t n)
{
    HWY_DYNAMIC_DISPATCH(AxpyQ8_0)(y, w, x, n);
}

void axpyF32(float* y, float w, const float* x, size_t n)
{
    HWY_DYNAMIC_DISPATCH(AxpyF32)(y, w, x, n);
}

void axpyF16(float* y, float w, const uint16_t* x, size_t n)
{
    HWY_DYNAMIC_DISPATCH(AxpyF16)(y, w, x, n);
}

float expShifted(float* x, float shift, size_t n)
{
    return HWY_DYNAMIC_DISPATCH(ExpShifted)(x, shift, n);
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

float dotKv(KvCacheType type, const float* a, const std::byte* row, size_t n)
{
    switch (type) {
    case KvCacheType::F16:
        return dotF16(a, reinterpret_cast<const uint16_t*>(row), n);
    case KvCacheType::Q8_0:
        return dotQ8_0(a, row, n);
    case KvCacheType::F32:
        break;
    }
    return dotF32(a, reinterpret_cast<const float*>(row), n);
}

void axpyKv(KvCacheType type, float* y, float w, const std::byte* row, size_t n)
{
    switch (type) {
    case KvCacheType::F16:
        return axpyF16(y, w, reinterpret_cast<const uint16_t*>(row), n);
    case KvCacheType::Q8_0:
        return axpyQ8_0(y, w, row, n);
    case KvCacheType::F32:
        break;
    }
    axpyF32(y, w, reinterpret_cast<const float*>(row), n);
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
