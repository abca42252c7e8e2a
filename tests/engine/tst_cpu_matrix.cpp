// The CPU engine's matrix kernels against the quant reference (dotRow), for
// every weight type, at sizes that are not multiples of anything the kernels
// tile by, on every SIMD target this machine runs and on both the intrinsic
// and the portable 8-bit path; plus the activation quantizer and row splits.
//
// Tolerances. The 8-bit kernels multiply by quantized activations x^ (each
// x^_i within half a step, amax(block)/254, of x_i), so they are checked twice:
//  - against dotRow(w, x^) in double: the integer sums are exact, so only
//    float rounding of per-block partial sums remains, bounded by
//    1e-5 * sum|w_i x^_i| (blocks <= 36, a few roundings each of 6e-8);
//  - against dotRow(w, x): additionally the quantization error itself,
//    at most sum_i |w_i| * amax(block of i) / 254, which a wrong group scale
//    or offset exceeds by orders of magnitude.
// Float weights see the exact inputs: 1e-5 * sum|w_i x_i|.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <span>
#include <vector>

#include <hwy/targets.h>
#include <time.h>

#include "ponder/model_info.h"
#include "ponder/quant.h"
#include "cpu/attend_group.h"
#include "cpu/cpu_matrix.h"
#include "cpu/dot_kernels.h"
#include "cpu/huge_page_memory.h"
#include "cpu/rows16.h"
#include "cpu/rows16_amx.h"
#include "cpu/row_interleave.h"
#include "cpu/thread_pool.h"
#include "cpu/vector_ops.h"
#include "cpu_matrix_data.h"

using namespace ponder;
using namespace ponder::cpu;
using namespace ponder::cpu::test;

namespace {

// The benchmark's copies on 2 MiB pages, as the engine holds its weights.
HugePageMemory benchmarkMemory(uint64_t bytes)
{
    HugePageMemory memory(bytes);
    if (bytes > 0 && !memory)
        qFatal("benchmark: cannot map %llu bytes", static_cast<unsigned long long>(bytes));
    return memory;
}

} // namespace

Q_DECLARE_METATYPE(ponder::TensorType)

namespace {

std::vector<float> rowValues(const TestMatrix& m, size_t r)
{
    std::vector<float> out(m.desc.dims[0]);
    [&] { QVERIFY(dequantizeRow(m.desc.type, m.bytes, m.desc.dims[0], r, out).has_value()); }();
    return out;
}

std::string targetName(int64_t target) { return hwy::TargetName(target); }

// The calling thread's CPU time in seconds, for benchmarks on a busy
// machine: unlike wall time it does not count while other work has the core.
// (This VM has no hardware cycle counters.)
double threadSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Every compiled target this CPU runs, best first. Clears any target a
// check chose before: SupportedTargets() reports only that one until then, so
// a loop over token counts would otherwise check the best targets only on
// its first pass (and the last target on every later one).
std::vector<int64_t> runnableTargets()
{
    hwy::SetSupportedTargetsForTest(0);
    std::vector<int64_t> out;
    const int64_t targets = hwy::SupportedTargets() & compiledKernelTargets();
    for (int64_t bit = 1; bit != 0 && bit <= targets; bit <<= 1)
        if (targets & bit)
            out.push_back(bit);
    return out;
}

} // namespace

class TestCpuMatrix : public QObject {
    Q_OBJECT

    // PONDER_CPU_BENCH_TARGET=AVX2 (a Highway target name) has the
    // benchmarks measure that target's kernels.
    static void useBenchTarget()
    {
        const QByteArray targetFilter = qgetenv("PONDER_CPU_BENCH_TARGET");
        for (int64_t target : runnableTargets())
            if (targetFilter == QByteArray(targetName(target).c_str()))
                hwy::SetSupportedTargetsForTest(target);
        qInfo("kernels: %s", targetName(activeKernelTarget()).c_str());
    }

private slots:
    void cleanup()
    {
        hwy::SetSupportedTargetsForTest(0);
        setKernelPathForTest(KernelPath::Intrinsics);
    }

    void targetsAreCompiled()
    {
        const auto targets = runnableTargets();
        QVERIFY(!targets.empty());
        std::string names;
        for (int64_t t : targets)
            names += targetName(t) + " ";
        qInfo("kernel targets on this CPU: %s(dispatching to %s)", names.c_str(),
              targetName(activeKernelTarget()).c_str());
    }

    void activationsRoundTrip_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("width");
        QTest::newRow("Q8_0 x 7 blocks") << int(ActivationFormat::Q8_0) << 32 * 7;
        QTest::newRow("Q8_K x 3 blocks") << int(ActivationFormat::Q8_K) << 256 * 3;
        QTest::newRow("Float32 odd width") << int(ActivationFormat::Float32) << 37;
    }

    void activationsRoundTrip()
    {
        QFETCH(int, format);
        QFETCH(int, width);
        const size_t tokens = 5, stride = size_t(width) + 3;
        std::vector<float> x = makeInputs(tokens, stride, 7);
        std::fill(x.begin() + stride, x.begin() + stride + width, 0.f);  // an all-zero token
        x[2 * stride + 1] = 1000.f;                                        // an outlier
        // Every target quantizes to the same bytes; those are then checked.
        QuantizedActivations q;
        std::vector<std::byte> first;
        for (int64_t target : runnableTargets()) {
            hwy::SetSupportedTargetsForTest(target);
            q.reserve(ActivationFormat(format), size_t(width), tokens);
            q.quantize(x.data(), tokens, stride);
            const std::vector<std::byte> bytes(q.row(0), q.row(0) + q.rowBytes() * tokens);
            if (first.empty())
                first = bytes;
            QVERIFY2(bytes == first, targetName(target).c_str());
        }
        QCOMPARE(q.tokens(), tokens);
        QVERIFY(q.rowBytes() % 64 == 0);
        QVERIFY(q.capacityBytes() >= q.rowBytes() * tokens);
        if (ActivationFormat(format) == ActivationFormat::Float32) {
            for (size_t t = 0; t < tokens; ++t)
                QVERIFY(std::equal(q.floats(t), q.floats(t) + width, x.begin() + t * stride));
            return;
        }
        const size_t block = ActivationFormat(format) == ActivationFormat::Q8_K ? 256 : 32;
        const size_t group = block == 256 ? 16 : 32;
        for (size_t t = 0; t < tokens; ++t) {
            const float* in = x.data() + t * stride;
            for (size_t b = 0; b < size_t(width) / block; ++b) {
                float amax = 0.f;
                for (size_t i = 0; i < block; ++i)
                    amax = std::max(amax, std::fabs(in[b * block + i]));
                QCOMPARE(q.scales(t)[b], amax / 127.f);
                for (size_t i = b * block; i < (b + 1) * block; ++i) {
                    QVERIFY(std::abs(q.quants(t)[i]) <= 127);
                    QVERIFY(std::fabs(q.scales(t)[b] * q.quants(t)[i] - in[i]) <= amax / 254.f * 1.0001f + 1e-30f);
                }
            }
            for (size_t g = 0; g < size_t(width) / group; ++g) {
                int sum = 0;
                for (size_t i = 0; i < group; ++i)
                    sum += q.quants(t)[g * group + i];
                // Both keep the integer; Q8_K also the sum times its block's scale.
                QCOMPARE(int(q.sums(t)[g]), sum);
                if (block == 256)
                    QCOMPARE(q.scaledSums(t)[g], q.scales(t)[g * group / block] * float(sum));
            }
        }
        for (size_t i = 0; i < size_t(width); ++i)
            QCOMPARE(int(q.quants(1)[i]), 0);
    }

    void products_data()
    {
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("randomLevels");
        for (TensorType type : kAllTypes) {
            const int block = int(traits(type).blockSize);
            const std::string name(traits(type).name);
            std::vector<int> widths;
            if (block == 1)
                widths = {37, 32 * 7, 256 * 3 + 5};
            else if (block == 32)
                widths = {32, 32 * 7, 256 * 3};
            else
                widths = {256, 256 * 3};
            for (int width : widths)
                for (bool random : {false, true}) {
                    if (random && block == 1)
                        continue;
                    const std::string row = name + " " + std::to_string(13) + "x" + std::to_string(width) +
                                            (random ? " random levels" : "");
                    QTest::newRow(row.c_str()) << type << 13 << width << random;
                }
        }
    }

    // Every token count, target and path against dotRow in double.
    void products()
    {
        QFETCH(TensorType, type);
        QFETCH(int, rows);
        QFETCH(int, width);
        QFETCH(bool, randomLevels);
        const TestMatrix w = makeMatrix(type, size_t(rows), size_t(width), randomLevels, 11u + uint32_t(width));
        auto prepared = CpuMatrix::prepare(w.view());
        QVERIFY(prepared.has_value());
        const CpuMatrix& m = *prepared;
        QCOMPARE(m.rows(), uint64_t(rows));
        QCOMPARE(m.weightBytes(), uint64_t(w.bytes.size()));
        const bool integer = m.inputFormat() != ActivationFormat::Float32;

        std::vector<std::vector<float>> weights(static_cast<size_t>(rows));
        for (size_t r = 0; r < size_t(rows); ++r)
            weights[r] = rowValues(w, r);
        const size_t block = m.inputFormat() == ActivationFormat::Q8_K ? 256 : 32;

        // 13 = 8 + 4 + 1: every tile size; 45 crosses token chunks (16)
        for (size_t tokens : {1, 3, 9, 13, 17, 45}) {
            const std::vector<float> x = makeInputs(tokens, size_t(width), uint32_t(tokens));
            QuantizedActivations q;
            q.reserve(m.inputFormat(), size_t(width), 45);
            q.quantize(x.data(), tokens, size_t(width));
            // References: exact on x^, and on x with the quantization bound.
            std::vector<double> onQuantized(tokens * rows), onInput(tokens * rows), scale(tokens * rows),
                bound(tokens * rows);
            for (size_t t = 0; t < tokens; ++t) {
                const std::vector<float> xq = dequantizedRow(q, t);
                const std::span<const float> xt(x.data() + t * width, size_t(width));
                for (size_t r = 0; r < size_t(rows); ++r) {
                    const size_t i0 = t * rows + r;
                    onQuantized[i0] = *dotRow(type, w.view().row(r), xq);
                    onInput[i0] = *dotRow(type, w.view().row(r), xt);
                    double magnitude = 0.0, quantization = 0.0;
                    for (size_t i = 0; i < size_t(width); ++i) {
                        magnitude += std::fabs(double(weights[r][i]) * xq[i]);
                        if (integer) {
                            double amax = 0.0;
                            for (size_t j = i / block * block; j < (i / block + 1) * block; ++j)
                                amax = std::max(amax, double(std::fabs(xt[j])));
                            quantization += std::fabs(weights[r][i]) * amax / 254.0;
                        }
                    }
                    scale[i0] = magnitude;
                    bound[i0] = quantization * 1.0001 + 1e-5 * magnitude;
                }
            }
            for (int64_t target : runnableTargets())
                for (KernelPath path : {KernelPath::Intrinsics, KernelPath::Portable}) {
                    if (path == KernelPath::Portable && !integer)
                        continue;
                    hwy::SetSupportedTargetsForTest(target);
                    setKernelPathForTest(path);
                    QCOMPARE(activeKernelTarget(), target);
                    std::vector<float> y(tokens * rows, NAN);
                    m.multiply(0, uint64_t(rows), q, y.data(), size_t(rows));
                    for (size_t i = 0; i < y.size(); ++i) {
                        const double err = std::fabs(double(y[i]) - onQuantized[i]);
                        if (!(err <= 1e-5 * scale[i] + 1e-30) || !(std::fabs(y[i] - onInput[i]) <= bound[i]))
                            QFAIL(qPrintable(QString("%1 %2, %3 tokens, token %4 row %5: %6, reference %7 (on x: %8)")
                                                 .arg(targetName(target).c_str())
                                                 .arg(path == KernelPath::Portable ? "portable" : "intrinsics")
                                                 .arg(tokens)
                                                 .arg(i / rows)
                                                 .arg(i % rows)
                                                 .arg(y[i])
                                                 .arg(onQuantized[i])
                                                 .arg(onInput[i])));
                    }
                }
        }
    }

    // A token gives the same bits in a tile of 8 or 4 as alone, on every
    // target: the next layer quantizes the result to int8, where a last-bit
    // difference can become a whole step, so batch shapes must not change it.
    void tilesMatchSingleTokens()
    {
        for (const int64_t target : runnableTargets()) {
            hwy::SetSupportedTargetsForTest(target);
            for (TensorType type : kAllTypes) {
                const size_t width = traits(type).blockSize == 256 ? 768 : 224, rows = 11, tokens = 13;
                const TestMatrix w = makeMatrix(type, rows, width, false, 7);
                auto m = CpuMatrix::prepare(w.view());
                QVERIFY(m.has_value());
                const std::vector<float> x = makeInputs(tokens, width, 9);
                QuantizedActivations all, one;
                all.reserve(m->inputFormat(), width, tokens);
                all.quantize(x.data(), tokens, width);
                one.reserve(m->inputFormat(), width, 1);
                std::vector<float> tiled(tokens * rows), alone(rows);
                m->multiply(0, rows, all, tiled.data(), rows);
                for (size_t t = 0; t < tokens; ++t) {
                    one.quantize(x.data() + t * width, 1, width);
                    m->multiply(0, rows, one, alone.data(), rows);
                    const std::string what = targetName(target) + " " + std::string(traits(type).name) + " token " +
                                             std::to_string(t);
                    QVERIFY2(std::equal(alone.begin(), alone.end(), tiled.begin() + t * rows), what.c_str());
                }
            }
        }
        hwy::SetSupportedTargetsForTest(0);
    }

    // Rows interleaved four at a time (the experiment of BENCHMARKS.md's
    // "Rows interleaved four at a time") give the row-by-row decode's bits,
    // on every target and both kernel paths, and a range writes only its rows.
    void interleavedRowsMatchRowByRow()
    {
        for (const int64_t target : runnableTargets())
            for (KernelPath path : {KernelPath::Intrinsics, KernelPath::Portable})
                for (TensorType type : {TensorType::Q4_K, TensorType::Q6_K}) {
                    hwy::SetSupportedTargetsForTest(target);
                    setKernelPathForTest(path);
                    const size_t width = 5 * 256, rows = 12;
                    const TestMatrix w = makeMatrix(type, rows, width, false, 13);
                    auto m = CpuMatrix::prepare(w.view());
                    QVERIFY(m.has_value());
                    const uint64_t rowBytes = tensorBytes(type, width);
                    std::vector<std::byte> interleaved(w.bytes.size());
                    interleaveRows4(w.bytes, interleaved, rows, rowBytes, traits(type).blockBytes);
                    QVERIFY(interleaved != w.bytes);
                    const std::vector<float> x = makeInputs(1, width, 3);
                    QuantizedActivations q;
                    q.reserve(m->inputFormat(), width, 1);
                    q.quantize(x.data(), 1, width);
                    std::vector<float> byRow(rows), byGroup(rows, NAN);
                    m->multiply(0, rows, q, byRow.data(), rows);
                    const MatrixProduct product{type, interleaved.data(), rowBytes, width, 4, rows, &q, byGroup.data(),
                                                rows};
                    multiplyKQuantsInterleaved4(product);
                    const std::string what = targetName(target) + (path == KernelPath::Portable ? " portable " : " ") +
                                             std::string(traits(type).name);
                    QVERIFY2(std::all_of(byGroup.begin(), byGroup.begin() + 4, [](float v) { return std::isnan(v); }),
                             what.c_str());
                    QVERIFY2(std::equal(byRow.begin() + 4, byRow.end(), byGroup.begin() + 4), what.c_str());
                }
        hwy::SetSupportedTargetsForTest(0);
        setKernelPathForTest(KernelPath::Intrinsics);
    }

    // Q2_K, Q3_K, Q4_K, Q5_K, Q6_K and Q8_0 rows interleaved sixteen to a vector (rows16.h)
    // against the quant reference on the quantized inputs (the tolerance of
    // products(): integer sums are exact, a few float roundings per block
    // remain), for 37 tokens: two tiles of 16 on AMX where the CPU has it
    // (rows16_amx.h), then tiles of 4 and one alone on AVX-512. A range of
    // groups writes only its rows; each token gives the same bits alone (on
    // AVX-512) as in the batch, and the batch the same bits with AMX turned
    // off. Q8_0's 7 * 256 values are 56 blocks, and 7 * 32 (odd) pads each
    // group to a cache line.
    void rows16MatchesReference()
    {
        if (!rows16Supported())
            QSKIP("this CPU lacks AVX-512 VNNI");
        qInfo("AMX tiles: %s", rows16AmxSupported() ? "yes" : "no, this CPU lacks AMX-INT8");
        using Case = std::pair<TensorType, size_t>;  // type, row length
        for (const auto& [type, width] : {Case{TensorType::Q2_K, 7 * 256}, Case{TensorType::Q3_K, 7 * 256},
                                          Case{TensorType::Q4_K, 7 * 256},
                                          Case{TensorType::Q5_K, 7 * 256},
                                          Case{TensorType::Q6_K, 7 * 256},
                                          Case{TensorType::Q8_0, 7 * 256}, Case{TensorType::Q8_0, 7 * 32}})
            for (const bool randomLevels : {false, true}) {
                const size_t rows = 48, tokens = 37;
                const TestMatrix w = makeMatrix(type, rows, width, randomLevels, 21);
                std::vector<std::byte> packed(rows16Bytes(type, rows, width));
                interleaveRows16(type, w.bytes, packed, rows, width);
                const std::vector<float> x = makeInputs(tokens, width, 5);
                QuantizedActivations q;
                q.reserve(activationFormatFor(type), width, tokens);
                q.quantize(x.data(), tokens, width);
                std::vector<float> y(tokens * rows, NAN), withoutAmx(tokens * rows, NAN);
                multiplyRows16({type, packed.data(), 0, width, 16, rows, &q, y.data(), rows});
                setRows16AmxForTest(false);
                multiplyRows16({type, packed.data(), 0, width, 16, rows, &q, withoutAmx.data(), rows});
                setRows16AmxForTest(true);
                const std::string what = std::string(traits(type).name) + (randomLevels ? " random levels" : "");
                QVERIFY2(std::equal(y.begin(), y.end(), withoutAmx.begin(),
                                    [](float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); }),
                         what.c_str());
                for (size_t t = 0; t < tokens; ++t) {
                    const std::vector<float> xq = dequantizedRow(q, t);
                    for (size_t r = 0; r < rows; ++r) {
                        const float got = y[t * rows + r];
                        if (r < 16) {
                            QVERIFY2(std::isnan(got), what.c_str());
                            continue;
                        }
                        const double expected = *dotRow(type, w.view().row(r), xq);
                        const std::vector<float> weights = rowValues(w, r);
                        double magnitude = 0.0;
                        for (size_t i = 0; i < width; ++i)
                            magnitude += std::fabs(double(weights[i]) * xq[i]);
                        QVERIFY2(std::fabs(got - expected) <= 1e-5 * magnitude,
                                 qPrintable(QString("%1 token %2 row %3: %4, reference %5")
                                                .arg(what.c_str())
                                                .arg(t)
                                                .arg(r)
                                                .arg(got)
                                                .arg(expected)));
                    }
                    QuantizedActivations one;
                    one.reserve(activationFormatFor(type), width, 1);
                    one.quantize(x.data() + t * width, 1, width);
                    std::vector<float> alone(rows, NAN);
                    multiplyRows16({type, packed.data(), 0, width, 16, rows, &one, alone.data(), rows});
                    QVERIFY2(std::equal(alone.begin() + 16, alone.end(), y.begin() + t * rows + 16), what.c_str());
                }
            }
    }

    // Row ranges split at the granularity give the same bits as one call and
    // write only their own rows; for one token (decode: Q4_K and Q6_K take
    // their own kernel) as for several.
    void rowRangesSplit_data()
    {
        QTest::addColumn<int>("tokenCount");
        QTest::newRow("1 token") << 1;
        QTest::newRow("6 tokens") << 6;
    }

    void rowRangesSplit()
    {
        QFETCH(int, tokenCount);
        const auto tokens = size_t(tokenCount);
        for (TensorType type : kAllTypes) {
            const size_t width = traits(type).blockSize == 256 ? 512 : 96, rows = 29;
            const TestMatrix w = makeMatrix(type, rows, width, false, 3);
            auto m = CpuMatrix::prepare(w.view());
            QVERIFY(m.has_value());
            const std::vector<float> x = makeInputs(tokens, width, 5);
            QuantizedActivations q;
            q.reserve(m->inputFormat(), width, tokens);
            q.quantize(x.data(), tokens, width);
            const size_t stride = rows + 4;  // y rows padded: the padding must stay untouched
            std::vector<float> whole(tokens * stride, -1.f), split(tokens * stride, -1.f);
            m->multiply(0, rows, q, whole.data(), stride);
            const size_t g = m->rowGranularity();
            for (size_t begin = 0; begin < rows; begin += 2 * g)
                m->multiply(begin, std::min<size_t>(rows, begin + 2 * g), q, split.data(), stride);
            QVERIFY2(whole == split, std::string(traits(type).name).c_str());
            for (size_t t = 0; t < tokens; ++t)
                for (size_t r = rows; r < stride; ++r)
                    QCOMPARE(whole[t * stride + r], -1.f);
        }
    }

    // The KV cache's rows on every target, against the codec: a row is
    // stored as quant.h's quantize makes it (f16 and Q8_0: the same bytes).
    void kvCacheRows_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("n");
        for (const int n : {64, 96, 128}) {
            QTest::addRow("q8_0 %d", n) << int(KvCacheType::Q8_0) << n;
            QTest::addRow("f16 %d", n) << int(KvCacheType::F16) << n;
        }
        QTest::newRow("f32 37") << int(KvCacheType::F32) << 37;
    }

    void kvCacheRows()
    {
        QFETCH(int, type);
        QFETCH(int, n);
        const auto cacheType = KvCacheType(type);
        const std::vector<float> x = makeInputs(1, size_t(n), 11);
        std::vector<std::byte> want(kvRowBytes(cacheType, uint32_t(n)));
        QVERIFY(quantize(tensorTypeOf(cacheType), x, want));
        for (int64_t target : runnableTargets()) {
            hwy::SetSupportedTargetsForTest(target);
            std::vector<std::byte> row(want.size());
            storeKv(cacheType, row.data(), x.data(), size_t(n));
            QVERIFY2(row == want, targetName(target).c_str());
        }
    }

    // Attention of a group of query heads over cached rows (attend_group.h,
    // the CPU engine's attention) on every target, against softmax(scale *
    // K·q) · V in double over the rows as the codec decodes them: within
    // 5e-6 of the largest cached value (float32 sums of up to 70 rows, the
    // scores made peaked so exp's error counts; the worst seen is 4.3e-7 of
    // it). Heads 1..8 cover every pass size (passes of up to 8 heads on
    // AVX-512 and Arm, 4 on AVX2 and SSE4) and 11 several passes; lengths that are not whole vectors take the scalar
    // tails; the scores' scratch is exactly what the kernel asks for
    // (min(heads, kHeadsPerPass) rows of `visible`), and nothing past it or
    // past the output is written.
    void attentionOverTheCache_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("dim");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("visible");
        const std::pair<KvCacheType, int> rows[] = {{KvCacheType::F16, 128}, {KvCacheType::F16, 40},
                                                    {KvCacheType::Q8_0, 128}, {KvCacheType::Q8_0, 64},
                                                    {KvCacheType::F32, 37}, {KvCacheType::F32, 128}};
        for (const auto& [type, dim] : rows)
            for (const int heads : {1, 2, 3, 4, 5, 6, 7, 8, 11})
                for (const int visible : {1, 7, 70})
                    QTest::addRow("%s dim %d, %d heads, %d rows", kvCacheTypeName(type), dim,
                                  heads, visible)
                        << int(type) << dim << heads << visible;
    }

    void attentionOverTheCache()
    {
        QFETCH(int, type);
        QFETCH(int, dim);
        QFETCH(int, heads);
        QFETCH(int, visible);
        const auto cacheType = KvCacheType(type);
        const size_t n = size_t(dim), h = size_t(heads), rows = size_t(visible);
        std::vector<float> queries = makeInputs(h, n, 31);
        for (float& v : queries)
            v *= 3.0f;  // peaked scores
        const std::optional<CachedRows> cache = makeCachedRows(cacheType, rows, n, 32);
        QVERIFY(cache.has_value());
        const float scale = 1.0f / std::sqrt(float(dim));
        const std::vector<double> want = referenceAttention(queries, *cache, h, n, scale);
        constexpr float kGuard = -7.5f;
        constexpr size_t kGuardFloats = 64;
        const size_t scratch = std::min(h, kHeadsPerPass) * rows;
        for (int64_t target : runnableTargets()) {
            hwy::SetSupportedTargetsForTest(target);
            const std::string name = targetName(target);
            std::vector<float> scores(scratch + kGuardFloats, kGuard), out(h * n + kGuardFloats, kGuard);
            attendGroup({.type = cacheType,
                         .queries = queries.data(),
                         .heads = h,
                         .keys = cache->keys.data(),
                         .values = cache->values.data(),
                         .rowBytes = cache->rowBytes,
                         .visible = rows,
                         .dim = n,
                         .scale = scale,
                         .scores = scores.data(),
                         .out = out.data()});
            double worst = 0;
            for (size_t i = 0; i < h * n; ++i)
                worst = std::max(worst, std::abs(out[i] - want[i]));
            QVERIFY2(worst <= 5e-6 * cache->largestValue,
                     qPrintable(QString("%1: off by %2 of %3").arg(name.c_str()).arg(worst).arg(cache->largestValue)));
            QVERIFY2(std::all_of(scores.begin() + ptrdiff_t(scratch), scores.end(), [](float f) { return f == kGuard; }),
                     name.c_str());
            QVERIFY2(std::all_of(out.begin() + ptrdiff_t(h * n), out.end(), [](float f) { return f == kGuard; }),
                     name.c_str());
        }
    }

    // The feed-forward's gate on every target: within a few float roundings
    // of silu(g) * u in double, 0 (not NaN) far below zero, and the same bits
    // for a value whatever range it comes in (the threads' chunks of rows).
    void swiGluOnEveryTarget()
    {
        std::vector<float> gate = makeInputs(1, 101, 21), up = makeInputs(1, 101, 22);
        for (size_t i = 0; i < gate.size(); ++i)
            gate[i] *= 12.0f;
        const std::vector<float> extremes{-1000.0f, -104.0f, -88.5f, -30.0f, -0.0f, 0.0f, 30.0f, 88.5f, 1000.0f};
        std::copy(extremes.begin(), extremes.end(), gate.begin() + 40);
        for (int64_t target : runnableTargets()) {
            hwy::SetSupportedTargetsForTest(target);
            const std::string name = targetName(target);
            std::vector<float> whole = gate;
            swiGlu(whole.data(), up.data(), whole.size());
            for (size_t i = 0; i < gate.size(); ++i) {
                const double g = gate[i];
                const double expected = g / (1.0 + std::exp(-g)) * up[i];
                QVERIFY2(std::isfinite(whole[i]), name.c_str());
                QVERIFY2(std::abs(whole[i] - expected) <= 4e-6 * std::abs(expected) + 1e-30,
                         qPrintable(QStringLiteral("%1: gate %2, up %3: %4, want %5")
                                        .arg(name.c_str())
                                        .arg(gate[i])
                                        .arg(up[i])
                                        .arg(whole[i])
                                        .arg(expected)));
            }
            for (size_t cut : {size_t(1), size_t(7), size_t(33), size_t(100)}) {
                std::vector<float> pieces = gate;
                swiGlu(pieces.data(), up.data(), cut);
                swiGlu(pieces.data() + cut, up.data() + cut, pieces.size() - cut);
                QVERIFY2(std::memcmp(pieces.data(), whole.data(), whole.size() * sizeof(float)) == 0, name.c_str());
            }
        }
    }

    void unsupportedTypeFails()
    {
        TensorDesc desc{"w", TensorType::Q8_K, {256, 2}, tensorBytes(TensorType::Q8_K, 512)};
        std::vector<std::byte> bytes(desc.bytes);
        auto m = CpuMatrix::prepare(WeightView{&desc, bytes});
        QVERIFY(!m.has_value());
        QCOMPARE(m.error().code, ErrorCode::Unsupported);
    }

    // Not a check: with PONDER_CPU_BENCH=1, one group's attention over the
    // cache as decode runs it: the Qwen-1.5B's six query heads per kv head,
    // 128 dims, f16 (PONDER_CPU_BENCH_ROWS cached rows, 2080 unless set),
    // from the caches (one copy) and from memory (copies of the cache, 256
    // MiB in all, taken in turn), one thread.
    void attentionBenchmark()
    {
        if (qEnvironmentVariableIntValue("PONDER_CPU_BENCH") == 0)
            QSKIP("set PONDER_CPU_BENCH=1 to measure");
        useBenchTarget();
        const size_t rows = qEnvironmentVariableIsSet("PONDER_CPU_BENCH_ROWS")
                                ? size_t(qEnvironmentVariableIntValue("PONDER_CPU_BENCH_ROWS"))
                                : 2080;
        constexpr size_t kHeads = 6, kDim = 128;
        const std::optional<CachedRows> cache = makeCachedRows(KvCacheType::F16, rows, kDim, 41);
        QVERIFY(cache.has_value());
        const size_t cacheBytes = cache->keys.size() + cache->values.size();
        const std::vector<float> queries = makeInputs(kHeads, kDim, 42);
        std::vector<float> scores(std::min(kHeads, kHeadsPerPass) * rows), out(kHeads * kDim);
        for (const bool fromMemory : {false, true}) {
            const size_t copies = fromMemory ? std::max<size_t>(1, (size_t(256) << 20) / cacheBytes) : 1;
            std::vector<std::vector<std::byte>> keys(copies, cache->keys), values(copies, cache->values);
            std::vector<double> seconds;
            for (int rep = 0; rep < 300; ++rep) {
                const size_t c = size_t(rep) % copies;
                const auto start = std::chrono::steady_clock::now();
                attendGroup({.type = KvCacheType::F16,
                             .queries = queries.data(),
                             .heads = kHeads,
                             .keys = keys[c].data(),
                             .values = values[c].data(),
                             .rowBytes = cache->rowBytes,
                             .visible = rows,
                             .dim = kDim,
                             .scale = 1.0f / std::sqrt(float(kDim)),
                             .scores = scores.data(),
                             .out = out.data()});
                seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            }
            std::sort(seconds.begin(), seconds.end());
            qInfo("attention, %zu heads over %zu f16 rows of %zu, %s: median %.1f us, best %.1f us "
                  "(%.2f ns a row and head)",
                  kHeads, rows, kDim, fromMemory ? "from memory" : "from the caches", seconds[seconds.size() / 2] * 1e6,
                  seconds[0] * 1e6, seconds[seconds.size() / 2] * 1e9 / double(rows * kHeads));
        }
    }

    // Not a check: with PONDER_CPU_BENCH=1, the speed of one (1536, 8960)
    // matrix (Qwen-1.5B's ffn_gate/ffn_up: rows of 1536, 8960 rows) per
    // weight type, for decode (1 token: GB/s of weights) and prefill (64
    // tokens: Gop/s), on 1 and 2 threads, with the timing thread's CPU time
    // per product (steadier on a busy machine than wall time).
    // PONDER_CPU_BENCH_TYPES=Q4_K,Q8_0 and PONDER_CPU_BENCH_TOKENS=64 pick
    // what is measured.
    void benchmark()
    {
        if (qEnvironmentVariableIntValue("PONDER_CPU_BENCH") == 0)
            QSKIP("set PONDER_CPU_BENCH=1 to measure");
        useBenchTarget();
        // PONDER_CPU_BENCH_AMX=0 leaves AMX out: prefill in tiles of 4 tokens
        // on AVX-512, as on a CPU without AMX (Zen 4/5, Ice Lake).
        const bool amx = qgetenv("PONDER_CPU_BENCH_AMX") != "0";
        setRows16AmxForTest(amx);
        const auto restoreAmx = qScopeGuard([] { setRows16AmxForTest(true); });
        const QList<QByteArray> typeNames = qgetenv("PONDER_CPU_BENCH_TYPES").split(',');
        const QByteArray tokenFilter = qgetenv("PONDER_CPU_BENCH_TOKENS");
        for (TensorType type : {TensorType::Q4_K, TensorType::Q6_K, TensorType::Q8_0, TensorType::Q4_0, TensorType::Q2_K,
                                TensorType::Q3_K, TensorType::Q5_K}) {
            if (!qEnvironmentVariableIsEmpty("PONDER_CPU_BENCH_TYPES") &&
                !typeNames.contains(QByteArray(std::string(traits(type).name).c_str())))
                continue;
            // PONDER_CPU_BENCH_SHAPE=ROWSxWIDTH measures another shape.
            const QList<QByteArray> shape = qgetenv("PONDER_CPU_BENCH_SHAPE").split('x');
            const size_t rows = shape.size() == 2 ? shape[0].toULong() : 8960;
            const size_t width = shape.size() == 2 ? shape[1].toULong() : 1536;
            const TestMatrix w = makeMatrix(type, rows, width, false, 1);
            // Copies of the matrix, 1 GiB in all (PONDER_CPU_BENCH_MB sets
            // another size), taken in turn so decode streams its weights
            // from memory rather than from the caches: with 128 MB, the
            // CI machine's host cache held part of them, and two threads
            // "streamed" Q6_K at 67-70 GB/s where 1 GiB gave 52-53, as the
            // engine's 1 GB of weights does. PONDER_CPU_BENCH_HOT=1 takes
            // one copy, so a matrix that fits the caches measures the
            // kernel's compute alone. The copies sit on 2 MiB pages, as the
            // engine's weights do (resident_weights.h).
            const int megabytes = qEnvironmentVariableIsSet("PONDER_CPU_BENCH_MB")
                                      ? qEnvironmentVariableIntValue("PONDER_CPU_BENCH_MB")
                                      : 1024;
            const size_t copyCount = qEnvironmentVariableIntValue("PONDER_CPU_BENCH_HOT") != 0
                                         ? 1
                                         : std::max<size_t>(1, (size_t(megabytes) << 20) / w.bytes.size());
            const HugePageMemory onHugePages = benchmarkMemory(copyCount * w.bytes.size());
            std::vector<std::span<const std::byte>> copies;
            std::vector<CpuMatrix> matrices;
            for (size_t c = 0; c < copyCount; ++c) {
                const std::span<std::byte> bytes = onHugePages.span().subspan(c * w.bytes.size(), w.bytes.size());
                std::memcpy(bytes.data(), w.bytes.data(), bytes.size());
                copies.push_back(bytes);
                auto prepared = CpuMatrix::prepare(WeightView{&w.desc, bytes});
                QVERIFY(prepared.has_value());
                matrices.push_back(std::move(*prepared));
            }
            // PONDER_CPU_BENCH_INTERLEAVED=1 also measures Q4_K and Q6_K
            // decode with rows interleaved four at a time (row_interleave.h).
            const uint64_t rowBytes = tensorBytes(type, width);
            const bool measureInterleaved = qEnvironmentVariableIntValue("PONDER_CPU_BENCH_INTERLEAVED") != 0 &&
                                            (type == TensorType::Q4_K || type == TensorType::Q6_K) && rows % 4 == 0;
            std::vector<std::vector<std::byte>> interleavedCopies;
            if (measureInterleaved)
                for (const std::span<const std::byte> copy : copies) {
                    interleavedCopies.emplace_back(copy.size());
                    interleaveRows4(copy, interleavedCopies.back(), rows, rowBytes, traits(type).blockBytes);
                }
            // PONDER_CPU_BENCH_ROWS16=1 also measures the rows16 types (Q2_K..Q6_K, Q8_0)
            // with rows interleaved sixteen to a vector (rows16.h), 1 and 64
            // tokens.
            const bool measureRows16 = qEnvironmentVariableIntValue("PONDER_CPU_BENCH_ROWS16") != 0 &&
                                       fitsRows16(type, rows, width);
            const uint64_t sixteenBytes = rows16Bytes(type, rows, width);
            const HugePageMemory rows16 = benchmarkMemory(measureRows16 ? copyCount * sixteenBytes : 0);
            if (measureRows16)
                for (size_t c = 0; c < copyCount; ++c)
                    interleaveRows16(type, copies[c], rows16.span().subspan(c * sixteenBytes, sixteenBytes), rows,
                                     width);
            for (size_t variant : {size_t(1), size_t(64), size_t(0), size_t(2), size_t(3)}) {
                // 0: one token against the interleaved rows; 2, 3: one and
                // 64 tokens against the rows16 copy.
                const bool interleaved = variant == 0;
                const bool sixteen = variant == 2 || variant == 3;
                const size_t tokens = interleaved || variant == 2 ? 1 : variant == 3 ? 64 : variant;
                if ((interleaved && !measureInterleaved) || (sixteen && !measureRows16) ||
                    (!tokenFilter.isEmpty() && tokenFilter.toULong() != tokens))
                    continue;
                const CpuMatrix* m = &matrices[0];
                const std::vector<float> x = makeInputs(tokens, width, 2);
                QuantizedActivations q;
                q.reserve(m->inputFormat(), width, tokens);
                q.quantize(x.data(), tokens, width);
                std::vector<float> y(tokens * rows);
                for (unsigned threads : {1u, 2u}) {
                    // The engine's pool and chunk queue, as decode meets its
                    // threads (forward.cpp), so the product is timed as the
                    // engine runs it: a std::barrier's futex wake cost tens
                    // of microseconds per product here.
                    const int reps = tokens == 1 ? 600 : 30;
                    ThreadPool pool(threads);
                    ChunkQueue chunks(threads);
                    const size_t granularity = sixteen ? 16 : interleaved ? 4 : m->rowGranularity();
                    auto product = [&](Range r, int rep) {
                        const size_t copy = tokens == 1 ? size_t(rep) % matrices.size() : 0;
                        if (interleaved)
                            multiplyKQuantsInterleaved4({type, interleavedCopies[copy].data(), rowBytes, width,
                                                         r.begin, r.end, &q, y.data(), rows});
                        else if (sixteen)
                            multiplyRows16({type, rows16.span().data() + copy * sixteenBytes, 0, width, r.begin,
                                            r.end, &q, y.data(), rows});
                        else
                            m[copy].multiply(r.begin, r.end, q, y.data(), rows);
                    };
                    // Each product timed alone: the median, and the best
                    // (least disturbed by other work on the machine).
                    std::vector<double> seconds;
                    std::vector<double> cpu;
                    for (int rep = 0; rep < reps; ++rep) {
                        chunks.reset(rows, granularity, threads);
                        const auto start = std::chrono::steady_clock::now();
                        const double startCpu = threadSeconds();
                        pool.run([&](unsigned thread) {
                            for (Range r = chunks.next(thread); r.begin < r.end; r = chunks.next(thread))
                                product(r, rep);
                        });
                        cpu.push_back(threadSeconds() - startCpu);
                        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
                    }
                    std::sort(seconds.begin(), seconds.end());
                    std::sort(cpu.begin(), cpu.end());
                    const double median = seconds[seconds.size() / 2], best = seconds[0];
                    const double bytes = double(sixteen ? sixteenBytes : w.bytes.size()), ops = 2.0 * double(rows * width * tokens);
                    qInfo("%s%s %zux%zu, %2zu tokens, %u threads: median %.3f ms (%.1f GB/s of weights, %.0f Gop/s), "
                          "best %.3f ms (%.1f GB/s, %.0f Gop/s); thread 0's CPU time: median %.3f ms",
                          std::string(traits(type).name).c_str(),
                          interleaved ? " interleaved x4" : sixteen ? " rows16" : "", rows, width,
                          tokens, threads, median * 1e3,
                          bytes / median / 1e9, ops / median / 1e9, best * 1e3, bytes / best / 1e9, ops / best / 1e9,
                          cpu[cpu.size() / 2] * 1e3);
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestCpuMatrix)
#include "tst_cpu_matrix.moc"
