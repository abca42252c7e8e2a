// The CPU engine's kernels (engine/src/cpu) against the quant reference, as
// tests/engine/tst_cpu_matrix.cpp checks them, without Qt: built for another
// architecture (Arm NEON, with and without sdot) and run under an emulator
// (run-arm64.sh), where Qt is not at hand. The same cases, tolerances and
// references as that suite: every weight type at sizes the kernels do not
// tile by, 1 to 45 tokens, on every compiled SIMD target this CPU runs and on
// both the intrinsic and the portable 8-bit path; the activation quantizer;
// row splits; the KV cache's row loops. Prints the cases per target and path
// and exits 1 on any mismatch.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <hwy/targets.h>

#include "ponder/model_weights.h"
#include "ponder/quant.h"
#include "cpu/attend_group.h"
#include "cpu/cpu_matrix.h"
#include "cpu/dot_kernels.h"
#include "cpu/vector_ops.h"
#include "cpu_matrix_data.h"

using namespace ponder;
using namespace ponder::cpu;
using namespace ponder::cpu::test;

namespace {

int g_failures = 0;
std::map<std::string, int> g_cases;       // "<target> <what>" -> cases checked
std::map<std::string, size_t> g_outputs;  // "<target> <path>" -> output values compared
std::map<std::string, int> g_failed;      // "<target> <what>" -> cases failed

// Counts a case under `key`; prints and counts a failure when !ok.
void check(bool ok, const std::string& key, const std::string& what)
{
    ++g_cases[key];
    if (ok)
        return;
    ++g_failed[key];
    if (++g_failures <= 30)
        std::printf("FAIL %s: %s\n", key.c_str(), what.c_str());
}

std::string targetName(int64_t target) { return hwy::TargetName(target); }

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

// Every target quantizes to the same bytes, and those are the blocks'
// amax / 127 scales, levels within half a step and exact group sums.
void activationsRoundTrip(ActivationFormat format, size_t width)
{
    const size_t tokens = 5, stride = width + 3;
    std::vector<float> x = makeInputs(tokens, stride, 7);
    std::fill(x.begin() + stride, x.begin() + stride + width, 0.f);  // an all-zero token
    x[2 * stride + 1] = 1000.f;                                        // an outlier
    QuantizedActivations q;
    std::vector<std::byte> first;
    for (int64_t target : runnableTargets()) {
        hwy::SetSupportedTargetsForTest(target);
        q.reserve(format, width, tokens);
        q.quantize(x.data(), tokens, stride);
        const std::vector<std::byte> bytes(q.row(0), q.row(0) + q.rowBytes() * tokens);
        if (first.empty())
            first = bytes;
        check(bytes == first, targetName(target) + " activations", "bytes differ from the first target's");
    }
    hwy::SetSupportedTargetsForTest(0);
    const std::string key = targetName(activeKernelTarget()) + " activations";
    check(q.rowBytes() % 64 == 0 && q.capacityBytes() >= q.rowBytes() * tokens, key, "row layout");
    if (format == ActivationFormat::Float32) {
        for (size_t t = 0; t < tokens; ++t)
            check(std::equal(q.floats(t), q.floats(t) + width, x.begin() + t * stride), key, "floats copied");
        return;
    }
    const size_t block = format == ActivationFormat::Q8_K ? 256 : 32;
    const size_t group = block == 256 ? 16 : 32;
    for (size_t t = 0; t < tokens; ++t) {
        const float* in = x.data() + t * stride;
        bool levelsOk = true, sumsOk = true;
        for (size_t b = 0; b < width / block; ++b) {
            float amax = 0.f;
            for (size_t i = 0; i < block; ++i)
                amax = std::max(amax, std::fabs(in[b * block + i]));
            check(q.scales(t)[b] == amax / 127.f, key, "block scale, token " + std::to_string(t));
            for (size_t i = b * block; i < (b + 1) * block; ++i)
                levelsOk = levelsOk && std::abs(q.quants(t)[i]) <= 127 &&
                           std::fabs(q.scales(t)[b] * q.quants(t)[i] - in[i]) <= amax / 254.f * 1.0001f + 1e-30f;
        }
        for (size_t g = 0; g < width / group; ++g) {
            int sum = 0;
            for (size_t i = 0; i < group; ++i)
                sum += q.quants(t)[g * group + i];
            // Both keep the integer; Q8_K also the sum times its block's scale.
            sumsOk = sumsOk && int(q.sums(t)[g]) == sum &&
                     (block != 256 || q.scaledSums(t)[g] == q.scales(t)[g * group / block] * float(sum));
        }
        check(levelsOk, key, "levels, token " + std::to_string(t));
        check(sumsOk, key, "group sums, token " + std::to_string(t));
    }
    check(std::all_of(q.quants(1), q.quants(1) + width, [](int8_t v) { return v == 0; }), key, "zero token");
}

// One matrix, every token count, target and path against dotRow in double
// (tst_cpu_matrix's header gives the tolerances).
void products(TensorType type, size_t rows, size_t width, bool randomLevels)
{
    const std::string name = std::string(traits(type).name) + " " + std::to_string(rows) + "x" +
                             std::to_string(width) + (randomLevels ? " random levels" : "");
    const TestMatrix w = makeMatrix(type, rows, width, randomLevels, 11u + uint32_t(width));
    auto prepared = CpuMatrix::prepare(w.view());
    check(prepared.has_value() && prepared->rows() == rows && prepared->weightBytes() == w.bytes.size(), "setup",
          "prepare " + name);
    if (!prepared)
        return;
    const CpuMatrix& m = *prepared;
    const bool integer = m.inputFormat() != ActivationFormat::Float32;
    std::vector<std::vector<float>> weights(rows, std::vector<float>(width));
    for (size_t r = 0; r < rows; ++r)
        check(dequantizeRow(type, w.bytes, width, r, weights[r]).has_value(), "setup", "dequantizeRow " + name);
    const size_t block = m.inputFormat() == ActivationFormat::Q8_K ? 256 : 32;

    // 13 = 8 + 4 + 1: every tile size; 45 crosses token chunks (16)
    for (size_t tokens : {1, 3, 9, 13, 17, 45}) {
        const std::vector<float> x = makeInputs(tokens, width, uint32_t(tokens));
        QuantizedActivations q;
        q.reserve(m.inputFormat(), width, 45);
        q.quantize(x.data(), tokens, width);
        std::vector<double> onQuantized(tokens * rows), onInput(tokens * rows), scale(tokens * rows),
            bound(tokens * rows);
        for (size_t t = 0; t < tokens; ++t) {
            const std::vector<float> xq = dequantizedRow(q, t);
            const std::span<const float> xt(x.data() + t * width, width);
            std::vector<double> amax(width / block + 1, 0.0);  // per activation block
            for (size_t i = 0; i < width; ++i)
                amax[i / block] = std::max(amax[i / block], double(std::fabs(xt[i])));
            for (size_t r = 0; r < rows; ++r) {
                const size_t i0 = t * rows + r;
                onQuantized[i0] = *dotRow(type, w.view().row(r), xq);
                onInput[i0] = *dotRow(type, w.view().row(r), xt);
                double magnitude = 0.0, quantization = 0.0;
                for (size_t i = 0; i < width; ++i) {
                    magnitude += std::fabs(double(weights[r][i]) * xq[i]);
                    if (integer)
                        quantization += std::fabs(weights[r][i]) * amax[i / block] / 254.0;
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
                const std::string key =
                    targetName(target) + (path == KernelPath::Portable ? " portable" : " intrinsics");
                const bool dispatched = activeKernelTarget() == target;
                std::vector<float> y(tokens * rows, NAN);
                m.multiply(0, rows, q, y.data(), rows);
                size_t bad = 0, firstBad = 0;
                for (size_t i = 0; i < y.size(); ++i) {
                    const double err = std::fabs(double(y[i]) - onQuantized[i]);
                    if (!(err <= 1e-5 * scale[i] + 1e-30) || !(std::fabs(y[i] - onInput[i]) <= bound[i]))
                        if (bad++ == 0)
                            firstBad = i;
                }
                char detail[256] = "";
                if (bad)
                    std::snprintf(detail, sizeof detail, ": %zu of %zu wrong, first token %zu row %zu: %g, reference %g (on x: %g)",
                                  bad, y.size(), firstBad / rows, firstBad % rows, double(y[firstBad]),
                                  onQuantized[firstBad], onInput[firstBad]);
                g_outputs[key] += y.size();
                check(dispatched && bad == 0, key,
                      name + ", " + std::to_string(tokens) + " tokens" + detail +
                          (dispatched ? "" : ", dispatched to " + targetName(activeKernelTarget())));
            }
    }
    hwy::SetSupportedTargetsForTest(0);
    setKernelPathForTest(KernelPath::Intrinsics);
}

// Row ranges split at the granularity give the same bits as one call and
// write only their own rows (on the best target, intrinsics).
void rowRangesSplit(TensorType type)
{
    const size_t width = traits(type).blockSize == 256 ? 512 : 96, rows = 29, tokens = 6;
    const TestMatrix w = makeMatrix(type, rows, width, false, 3);
    auto m = CpuMatrix::prepare(w.view());
    if (!m)
        return check(false, "setup", "prepare");
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
    bool padding = true;
    for (size_t t = 0; t < tokens; ++t)
        for (size_t r = rows; r < stride; ++r)
            padding = padding && whole[t * stride + r] == -1.f;
    const std::string key = targetName(activeKernelTarget()) + " row splits";
    check(whole == split && padding, key, std::string(traits(type).name));
}

// The KV cache's rows on every target: stored as quantize() makes them,
// and attention over them (attend_group.h) for 1, 3, 6 and 8 query heads
// within 5e-6 of the largest value of softmax · V in double, as
// tst_cpu_matrix checks it on x86.
void kvCacheRows(KvCacheType cacheType, size_t n)
{
    const std::string name = std::string(kvCacheTypeName(cacheType)) + " " + std::to_string(n);
    const size_t rows = 37;
    const std::optional<CachedRows> cache = makeCachedRows(cacheType, rows, n, 11);
    if (!cache)
        return check(false, "setup", "kv " + name);
    const std::vector<float> x = makeInputs(1, n, 11);  // the first key's values
    const std::vector<std::byte> want(cache->keys.begin(), cache->keys.begin() + ptrdiff_t(cache->rowBytes));
    std::vector<float> queries = makeInputs(8, n, 12);  // the most heads below
    for (float& v : queries)
        v *= 3.0f;
    const float scale = 1.0f / std::sqrt(float(n));
    for (int64_t target : runnableTargets()) {
        hwy::SetSupportedTargetsForTest(target);
        const std::string key = targetName(target) + " kv rows";
        std::vector<std::byte> row(cache->rowBytes);
        storeKv(cacheType, row.data(), x.data(), n);
        check(row == want, key, name + " store");
        for (const size_t heads : {size_t(1), size_t(3), size_t(6), size_t(8)}) {
            const std::vector<double> expected = referenceAttention(queries, *cache, heads, n, scale);
            std::vector<float> scores(std::min(heads, kHeadsPerPass) * rows), out(heads * n);
            attendGroup({.type = cacheType, .queries = queries.data(), .heads = heads, .keys = cache->keys.data(),
                         .values = cache->values.data(), .rowBytes = cache->rowBytes, .visible = rows, .dim = n,
                         .scale = scale, .scores = scores.data(), .out = out.data()});
            double worst = 0;
            for (size_t i = 0; i < out.size(); ++i)
                worst = std::max(worst, std::abs(out[i] - expected[i]));
            check(worst <= 5e-6 * cache->largestValue, key, name + " attention, " + std::to_string(heads) + " heads");
        }
    }
    hwy::SetSupportedTargetsForTest(0);
}

} // namespace

int main()
{
    const std::vector<int64_t> targets = runnableTargets();
    std::string names;
    for (int64_t t : targets)
        names += targetName(t) + " ";
#if defined(__ARM_FEATURE_DOTPROD)
    const char* dotprod = ", compiled with the Arm dot product (sdot)";
#elif defined(__aarch64__)
    const char* dotprod = ", compiled without the Arm dot product (no sdot)";
#else
    const char* dotprod = "";
#endif
    std::printf("kernel targets on this CPU: %s(dispatching to %s)%s\n", names.c_str(),
                targetName(activeKernelTarget()).c_str(), dotprod);
    if (targets.empty()) {
        std::printf("FAIL: no compiled kernel target runs here\n");
        return 1;
    }

    activationsRoundTrip(ActivationFormat::Q8_0, 32 * 7);
    activationsRoundTrip(ActivationFormat::Q8_K, 256 * 3);
    activationsRoundTrip(ActivationFormat::Float32, 37);

    for (TensorType type : kAllTypes) {
        const size_t block = traits(type).blockSize;
        const std::vector<size_t> widths = block == 1    ? std::vector<size_t>{37, 32 * 7, 256 * 3 + 5}
                                           : block == 32 ? std::vector<size_t>{32, 32 * 7, 256 * 3}
                                                         : std::vector<size_t>{256, 256 * 3};
        for (size_t width : widths)
            for (bool random : {false, true})
                if (!random || block != 1)
                    products(type, 13, width, random);
        rowRangesSplit(type);
    }

    for (size_t n : {64, 96, 128}) {
        kvCacheRows(KvCacheType::Q8_0, n);
        kvCacheRows(KvCacheType::F16, n);
    }
    kvCacheRows(KvCacheType::F32, 37);

    TensorDesc unsupported{"w", TensorType::Q8_K, {256, 2}, tensorBytes(TensorType::Q8_K, 512)};
    std::vector<std::byte> bytes(unsupported.bytes);
    auto m = CpuMatrix::prepare(WeightView{&unsupported, bytes});
    check(!m.has_value() && m.error().code == ErrorCode::Unsupported, "setup", "Q8_K is refused");

    // Products: one case per matrix (type, width, levels) and token count.
    for (const auto& [key, count] : g_cases)
        if (g_outputs.count(key))
            std::printf("%-24s %4d products, %6zu outputs, %d failed\n", key.c_str(), count, g_outputs[key],
                        g_failed[key]);
        else
            std::printf("%-24s %4d cases, %d failed\n", key.c_str(), count, g_failed[key]);
    std::printf("%s: %d failed\n", g_failures ? "FAIL" : "PASS", g_failures);
    return g_failures ? 1 : 0;
}
