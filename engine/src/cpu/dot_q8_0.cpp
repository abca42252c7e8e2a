// Q4_0 and Q8_0 weights times Q8_0 activations (blocks of 32), compiled once
// per SIMD target, a tile of up to kTile tokens per pass over a weight row.
//   Q4_0: w = dw*(q - 8), q in [0, 15] unsigned, so
//         dot = dw*da*(sum q*a) - 8*dw*da*(sum a), the second term from the
//         activation block's sum, once per block.
//   Q8_0: w = dw*q, q signed: the signed-by-signed product (DotI8I8).
#include "cpu/hwy_targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "cpu/dot_q8_0.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "cpu/dot_kernels.h"
#include "cpu/k_blocks-inl.h"

HWY_BEFORE_NAMESPACE();
#include "cpu/vnni_target-inl.h"  // NOLINT(build/include)
namespace ponder::cpu::HWY_NAMESPACE {
namespace {

constexpr size_t kTile = 4;  // tokens per pass over a weight row
constexpr size_t kVectorsPerBlock = 32 / kBytesPerVector;

// The 32 levels of a Q4_0 block in value order, as kVectors (1 or 2) vectors.
template <size_t kVectors>
HWY_INLINE void UnpackQ4_0(const std::byte* block, VU8* levels)
{
    if constexpr (kVectors == 1) {
        const hn::Half<D8> dh;
        const auto packed = hn::LoadU(dh, bytesAt(block, 2));
        levels[0] = hn::Combine(D8(), hn::ShiftRight<4>(packed), hn::And(packed, hn::Set(dh, 15)));
    } else {
        const D8 d8;
        const VU8 packed = hn::LoadU(d8, bytesAt(block, 2));
        levels[0] = hn::And(packed, hn::Set(d8, 15));
        levels[1] = hn::ShiftRight<4>(packed);
    }
}

template <bool kQ4, size_t T, bool kPortable>
HWY_NOINLINE void RowTile(const std::byte* row, size_t blocks, const QuantizedActivations& x, size_t t0,
                          float* out)
{
    constexpr size_t kBlockBytes = kQ4 ? 18 : 34;
    const DI8 di8;
    const DI32 d32;
    const DF32 df;
    const int8_t* quants[T];
    const float* scales[T];
    const int16_t* sums[T];
    VF32 acc[T];
    float offsets[T];  // Q4_0: sum over blocks of dw*da*(sum a)
    for (size_t t = 0; t < T; ++t) {
        quants[t] = x.quants(t0 + t);
        scales[t] = x.scales(t0 + t);
        sums[t] = x.sums(t0 + t);
        acc[t] = hn::Zero(df);
        offsets[t] = 0.f;
    }
    for (size_t b = 0; b < blocks; ++b) {
        const std::byte* block = row + b * kBlockBytes;
        const float dw = halfAt(block, 0);
        VU8 levels[kVectorsPerBlock];
        VI8 weights[kVectorsPerBlock];
        if constexpr (kQ4)
            UnpackQ4_0<kVectorsPerBlock>(block, levels);
        else
            for (size_t v = 0; v < kVectorsPerBlock; ++v)
                weights[v] = hn::LoadU(di8, reinterpret_cast<const int8_t*>(block + 2) + v * kBytesPerVector);
        for (size_t t = 0; t < T; ++t) {
            VI32 dot = hn::Zero(d32);
            for (size_t v = 0; v < kVectorsPerBlock; ++v) {
                const VI8 a = hn::LoadU(di8, quants[t] + 32 * b + v * kBytesPerVector);
                if constexpr (kQ4)
                    dot = DotU8I8<kPortable>(D8(), dot, levels[v], a);
                else
                    dot = DotI8I8<kPortable>(D8(), dot, weights[v], a);
            }
            const float scale = dw * scales[t][b];
            acc[t] = hn::MulAdd(hn::ConvertTo(df, dot), hn::Set(df, scale), acc[t]);
            if constexpr (kQ4)
                offsets[t] += scale * float(sums[t][b]);
        }
    }
    for (size_t t = 0; t < T; ++t)
        out[t] = SumLanes(acc[t]) - 8.f * offsets[t];
}

template <bool kQ4, bool kPortable>
void MultiplyRows(const MatrixProduct& p)
{
    const size_t blocks = p.rowLength / 32, tokens = p.x->tokens();
    for (uint64_t r = p.rowBegin; r < p.rowEnd; ++r) {
        const std::byte* row = p.weights + r * p.rowBytes;
        float out[kTile];
        size_t t = 0;
        for (; t + kTile <= tokens; t += kTile) {
            RowTile<kQ4, kTile, kPortable>(row, blocks, *p.x, t, out);
            for (size_t i = 0; i < kTile; ++i)
                p.y[(t + i) * p.yStride + r] = out[i];
        }
        for (; t < tokens; ++t) {
            RowTile<kQ4, 1, kPortable>(row, blocks, *p.x, t, out);
            p.y[t * p.yStride + r] = out[0];
        }
    }
}

template <bool kPortable>
void MultiplyType(const MatrixProduct& p)
{
    if (p.type == TensorType::Q4_0)
        MultiplyRows<true, kPortable>(p);
    else if (p.type == TensorType::Q8_0)
        MultiplyRows<false, kPortable>(p);
}

} // namespace

void MultiplyQ8_0Blocks(const MatrixProduct& p, bool portable)
{
    if (portable)
        MultiplyType<true>(p);
    else
        MultiplyType<false>(p);
}

} // namespace ponder::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ponder::cpu {

HWY_EXPORT(MultiplyQ8_0Blocks);

void multiplyQ8_0Blocks(const MatrixProduct& p)
{
    HWY_DYNAMIC_DISPATCH(MultiplyQ8_0Blocks)(p, kernelPath() == KernelPath::Portable);
}

} // namespace ponder::cpu
#endif
