// The CPU kernels' test data, shared by tst_cpu_matrix and the arm64 check
// (tests/cross/cpu_kernels_check.cpp, which runs without Qt): weight
// matrices of every type, inputs, activations as the kernels see them, and
// KV cache rows with attention over them in double.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ponder/kv_cache_type.h"
#include "ponder/model_weights.h"
#include "ponder/quant.h"
#include "cpu/activations.h"

namespace ponder::cpu::test {

inline const std::vector<TensorType> kAllTypes = {TensorType::F32,  TensorType::F16,  TensorType::BF16,
                                                  TensorType::Q4_0, TensorType::Q8_0, TensorType::Q2_K,
                                                  TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K,
                                                  TensorType::Q6_K};

// A (rows, width) matrix of `type` from normal data whose rows have
// different magnitudes. With randomLevels, every byte but the f16 block
// scales is then overwritten at random, reaching the formats' extremes
// (Q8_0's -128, Q6_K's scale -128, 6-bit minimums of 63) that fitted data
// rarely produces.
struct TestMatrix {
    TensorDesc desc;
    std::vector<std::byte> bytes;
    WeightView view() const { return {&desc, bytes}; }
};

// Byte ranges [begin, end) of a block's f16 scales.
inline std::vector<std::pair<size_t, size_t>> halfFields(TensorType type)
{
    switch (type) {
    case TensorType::Q4_0:
    case TensorType::Q8_0: return {{0, 2}};
    case TensorType::Q2_K: return {{80, 84}};
    case TensorType::Q3_K: return {{108, 110}};
    case TensorType::Q4_K:
    case TensorType::Q5_K: return {{0, 4}};
    case TensorType::Q6_K: return {{208, 210}};
    default: return {};
    }
}

inline TestMatrix makeMatrix(TensorType type, size_t rows, size_t width, bool randomLevels, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.f, 1.f);
    std::vector<float> values(rows * width);
    for (size_t r = 0; r < rows; ++r) {
        const float magnitude = 0.01f * float(1 + r % 7);
        for (size_t i = 0; i < width; ++i)
            values[r * width + i] = magnitude * normal(rng);
    }
    TestMatrix m;
    m.desc = {"w", type, {width, rows}, tensorBytes(type, rows * width)};
    m.bytes.resize(m.desc.bytes);
    if (!quantize(type, values, m.bytes)) {
        // The engine's own quantizer on finite data: a broken test set-up.
        std::fprintf(stderr, "cannot quantize test data to %s\n", std::string(traits(type).name).c_str());
        std::abort();
    }
    if (randomLevels) {
        const TensorTypeTraits& t = traits(type);
        const auto keep = halfFields(type);
        for (size_t b = 0; b < m.bytes.size() / t.blockBytes; ++b)
            for (size_t i = 0; i < t.blockBytes; ++i) {
                const bool isScale =
                    std::any_of(keep.begin(), keep.end(), [&](auto f) { return i >= f.first && i < f.second; });
                if (!isScale)
                    m.bytes[b * t.blockBytes + i] = std::byte(rng() & 0xFF);
            }
    }
    return m;
}

inline std::vector<float> makeInputs(size_t tokens, size_t width, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.f, 1.f);
    std::vector<float> x(tokens * width);
    for (float& v : x)
        v = normal(rng);
    return x;
}

// Token t's activations as the kernels see them (x^), in floats.
inline std::vector<float> dequantizedRow(const QuantizedActivations& q, size_t t)
{
    std::vector<float> out(q.width());
    if (q.format() == ActivationFormat::Float32) {
        std::copy_n(q.floats(t), q.width(), out.begin());
        return out;
    }
    const size_t block = q.format() == ActivationFormat::Q8_K ? 256 : 32;
    for (size_t i = 0; i < q.width(); ++i)
        out[i] = q.scales(t)[i / block] * float(q.quants(t)[i]);
    return out;
}

// The tensor type whose blocks a KV cache of `type` stores its rows in.
inline TensorType tensorTypeOf(KvCacheType type)
{
    switch (type) {
    case KvCacheType::Q8_0: return TensorType::Q8_0;
    case KvCacheType::F16: return TensorType::F16;
    case KvCacheType::F32: break;
    }
    return TensorType::F32;
}

// `rows` cached keys and values of `dim` values each from normal data: the
// bytes the cache holds (as quantize() makes them) and the floats the codec
// decodes them to.
struct CachedRows {
    size_t rowBytes = 0;
    std::vector<std::byte> keys, values;
    std::vector<float> decodedKeys, decodedValues;
    double largestValue = 0;  // of |decodedValues|
};

inline std::optional<CachedRows> makeCachedRows(KvCacheType type, size_t rows, size_t dim, uint32_t seed)
{
    CachedRows c;
    c.rowBytes = kvRowBytes(type, uint32_t(dim));
    const std::vector<float> keys = makeInputs(rows, dim, seed), values = makeInputs(rows, dim, seed + 1);
    c.keys.resize(rows * c.rowBytes);
    c.values.resize(rows * c.rowBytes);
    c.decodedKeys.resize(rows * dim);
    c.decodedValues.resize(rows * dim);
    const TensorType t = tensorTypeOf(type);
    for (size_t j = 0; j < rows; ++j) {
        const auto in = [&](const std::vector<float>& x) { return std::span(x).subspan(j * dim, dim); };
        const auto row = [&](std::vector<std::byte>& bytes) { return std::span(bytes).subspan(j * c.rowBytes, c.rowBytes); };
        const auto decoded = [&](std::vector<float>& x) { return std::span(x).subspan(j * dim, dim); };
        if (!quantize(t, in(keys), row(c.keys)) || !quantize(t, in(values), row(c.values)) ||
            !dequantize(t, row(c.keys), decoded(c.decodedKeys)) || !dequantize(t, row(c.values), decoded(c.decodedValues)))
            return std::nullopt;
    }
    for (const float v : c.decodedValues)
        c.largestValue = std::max(c.largestValue, double(std::abs(v)));
    return c;
}

// softmax(scale * K·q_h) · V in double for each of `heads` queries of `dim`
// values (one after another) over every row of `cache`.
inline std::vector<double> referenceAttention(const std::vector<float>& queries, const CachedRows& cache, size_t heads,
                                              size_t dim, float scale)
{
    const size_t rows = cache.decodedKeys.size() / dim;
    std::vector<double> out(heads * dim, 0.0);
    for (size_t h = 0; h < heads; ++h) {
        std::vector<double> p(rows);
        double best = -1e300, total = 0;
        for (size_t j = 0; j < rows; ++j) {
            double dot = 0;
            for (size_t i = 0; i < dim; ++i)
                dot += double(queries[h * dim + i]) * cache.decodedKeys[j * dim + i];
            p[j] = dot * scale;
            best = std::max(best, p[j]);
        }
        for (double& w : p)
            total += (w = std::exp(w - best));
        for (size_t j = 0; j < rows; ++j)
            for (size_t i = 0; i < dim; ++i)
                out[h * dim + i] += p[j] / total * cache.decodedValues[j * dim + i];
    }
    return out;
}

} // namespace ponder::cpu::test
