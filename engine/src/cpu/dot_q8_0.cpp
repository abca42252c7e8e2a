// Q4_0 and Q8_0 weights times Q8_0 activations (blocks of 32), compiled once
// per SIMD target, a tile of up to kWideTile tokens per pass over a weight
// row (row_tiles-inl.h walks the tiles).
//   Q4_0: w = dw*(q - 8), q in [0, 15] unsigned, so
//         dot = dw*da*(sum q*a) - 8*dw*da*(sum a), the second term from the
//         activation block's sum, once per block.
//   Q8_0: w = dw*q, q signed: the signed-by-signed product (DotI8I8).
#include "cpu/hwy_targets.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "cpu/dot_q8_0.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>

#include "hwy/highway.h"
#include "cpu/decode_prefetch.h"
#include "cpu/dot_kernels.h"
#include "cpu/k_blocks-inl.h"
#include "cpu/row_tiles-inl.h"

HWY_BEFORE_NAMESPACE();
#include "cpu/vnni_target-inl.h"  // NOLINT(build/include)
namespace ponder::cpu::HWY_NAMESPACE {
namespace {

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

// Activation pointers and accumulators of one token tile.
template <size_t T>
struct Tile {
    const int8_t* quants[T];
    const float* scales[T];
    const int16_t* sums[T];
    float offsets[T];  // Q4_0: sum over blocks of dw*da*(sum a)
};

// Where vectors are 512 bits, two blocks per vector: [b | b+1] levels, and
// per-lane scales [dw*da of b (8 lanes) | of b+1]. Returns the blocks done.
template <bool kQ4, size_t T, bool kPortable, class DW>
HWY_INLINE size_t BlockPairs(DW dw, const std::byte* row, size_t blocks, Tile<T>& tile, float* out)
{
    if constexpr (hn::MaxLanes(DW()) != 64) {
        return 0;
    } else {
        constexpr size_t kBlockBytes = kQ4 ? 18 : 34;
        const hn::Repartition<int8_t, DW> dwi8;
        const hn::Repartition<int32_t, DW> dw32;
        const hn::Repartition<float, DW> dwf;
        const hn::Half<decltype(dwf)> dhf;
        const DI8 di8;
        hn::Vec<decltype(dwf)> acc[T];
        for (size_t t = 0; t < T; ++t)
            acc[t] = hn::Zero(dwf);
        size_t b = 0;
        for (; b + 2 <= blocks; b += 2) {
            const std::byte* block = row + b * kBlockBytes;
            if constexpr (T == 1) {  // decode (decode_prefetch.h)
                prefetchAhead(block);
                prefetchAhead(block + kBlockBytes);
            }
            const auto dws = hn::Combine(dwf, hn::Set(dhf, halfAt(block + kBlockBytes, 0)), hn::Set(dhf, halfAt(block, 0)));
            hn::Vec<DW> levels;
            hn::Vec<decltype(dwi8)> weights;
            if constexpr (kQ4) {
                VU8 low, high;
                UnpackQ4_0<1>(block, &low);
                UnpackQ4_0<1>(block + kBlockBytes, &high);
                levels = hn::Combine(dw, high, low);
            } else {
                const auto* q = reinterpret_cast<const int8_t*>(block + 2);
                weights = hn::Combine(dwi8, hn::LoadU(di8, q + kBlockBytes), hn::LoadU(di8, q));
            }
            for (size_t t = 0; t < T; ++t) {
                const auto a = hn::LoadU(dwi8, tile.quants[t] + 32 * b);
                VecI32<DW> dot;
                if constexpr (kQ4)
                    dot = DotU8I8<kPortable>(dw, hn::Zero(dw32), levels, a);
                else
                    dot = DotI8I8<kPortable>(dw, hn::Zero(dw32), weights, a);
                const float* da = tile.scales[t] + b;
                const auto das = hn::Combine(dwf, hn::Set(dhf, da[1]), hn::Set(dhf, da[0]));
                acc[t] = hn::MulAdd(hn::ConvertTo(dwf, dot), hn::Mul(dws, das), acc[t]);
                if constexpr (kQ4)
                    tile.offsets[t] += halfAt(block, 0) * da[0] * float(tile.sums[t][b]) +
                                       halfAt(block + kBlockBytes, 0) * da[1] * float(tile.sums[t][b + 1]);
            }
        }
        float sums[T];
        SumEach<T>(dwf, acc, sums);
        for (size_t t = 0; t < T; ++t)
            out[t] += sums[t];
        return b;
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
    Tile<T> tile;
    VF32 acc[T];
    for (size_t t = 0; t < T; ++t) {
        tile.quants[t] = x.quants(t0 + t);
        tile.scales[t] = x.scales(t0 + t);
        tile.sums[t] = x.sums(t0 + t);
        tile.offsets[t] = 0.f;
        acc[t] = hn::Zero(df);
        out[t] = 0.f;
    }
    // Blocks one at a time: all of them on narrower vectors, an odd last one on 512 bits.
    for (size_t b = BlockPairs<kQ4, T, kPortable>(DW8(), row, blocks, tile, out); b < blocks; ++b) {
        const std::byte* block = row + b * kBlockBytes;
        if constexpr (T == 1)
            prefetchAhead(block);
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
                const VI8 a = hn::LoadU(di8, tile.quants[t] + 32 * b + v * kBytesPerVector);
                if constexpr (kQ4)
                    dot = DotU8I8<kPortable>(D8(), dot, levels[v], a);
                else
                    dot = DotI8I8<kPortable>(D8(), dot, weights[v], a);
            }
            const float scale = dw * tile.scales[t][b];
            acc[t] = hn::MulAdd(hn::ConvertTo(df, dot), hn::Set(df, scale), acc[t]);
            if constexpr (kQ4)
                tile.offsets[t] += scale * float(tile.sums[t][b]);
        }
    }
    float sums[T];
    SumEach<T>(df, acc, sums);
    for (size_t t = 0; t < T; ++t)
        out[t] += sums[t] - 8.f * tile.offsets[t];
}

template <bool kQ4, bool kPortable>
void MultiplyRows(const MatrixProduct& p)
{
    ForEachRowTile(p, [&]<size_t T>(const std::byte* row, size_t t, float* out) PONDER_ALWAYS_INLINE {
        RowTile<kQ4, T, kPortable>(row, p.rowLength / 32, *p.x, t, out);
    });
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
