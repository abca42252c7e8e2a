// Shared by the CPU engine suites: generated test models (written once per
// suite into a temporary directory), loading a CpuBackend, and how far two
// sets of logits are apart.
#pragma once

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "model_generator.h"
#include "ponder/cpu_backend.h"
#include "ponder/model_file.h"

namespace ponder::test {

// The largest |a - b| over all logits, relative to the largest |b|.
inline double relativeError(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size())
        return INFINITY;
    double scale = 0, worst = 0;
    for (float v : b)
        scale = std::max(scale, double(std::abs(v)));
    for (size_t i = 0; i < b.size(); ++i)
        worst = std::max(worst, double(std::abs(a[i] - b[i])));
    return worst / scale;
}

inline std::unique_ptr<ModelFile> makeModel(const QTemporaryDir& dir, const QString& name,
                                            const testing::ModelSpec& spec)
{
    const QString path = dir.filePath(name);
    if (!QFile::exists(path)) {
        const auto written = testing::writeModel(path.toStdString(), spec, 2);
        if (!written)
            qFatal("%s", written.error().message.c_str());
    }
    auto model = ModelFile::open(path.toStdString());
    if (!model)
        qFatal("%s", model.error().message.c_str());
    return std::move(*model);
}

// A tiny model whose every matrix is `type`.
inline testing::ModelSpec tinySpec(Architecture arch, TensorType type, uint64_t seed = 21)
{
    testing::ModelSpec spec;
    spec.config = testing::tinyConfig(arch, 320);
    spec.matrixType = type;
    spec.seed = seed;
    return spec;
}

struct CpuLoad {
    KvCacheType kv = KvCacheType::F32;
    uint32_t context = 128;
    uint32_t batch = 16;
    uint32_t threads = 2;
    std::optional<CpuWeightPlacement> placement;  // unset: the machine's default
};

inline std::unique_ptr<CpuBackend> loadCpu(const ModelFile& file, const CpuLoad& load = {})
{
    CpuBackendOptions options;
    options.plan.contextLength = load.context;
    options.plan.batchSize = load.batch;
    options.plan.kvType = load.kv;
    options.threads = load.threads;
    options.weightPlacement = load.placement;
    auto backend = CpuBackend::load(file, options);
    if (!backend)
        qFatal("%s", backend.error().message.c_str());
    return std::move(*backend);
}

inline std::vector<int32_t> greedy(InferenceBackend& backend, std::vector<float> logits, int count)
{
    std::vector<int32_t> tokens;
    for (int i = 0; i < count; ++i) {
        const int32_t best = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
        tokens.push_back(best);
        auto next = backend.evaluate(std::span<const int32_t>(&best, 1), false);
        if (!next)
            qFatal("%s", next.error().message.c_str());
        logits = std::move(*next);
    }
    return tokens;
}

// Token ids 0 .. vocab-1 in a fixed scramble.
inline std::vector<int32_t> someTokens(size_t count, uint32_t vocab = 320)
{
    std::vector<int32_t> tokens(count);
    for (size_t i = 0; i < count; ++i)
        tokens[i] = int32_t((i * 37 + 5) % vocab);
    return tokens;
}

} // namespace ponder::test
