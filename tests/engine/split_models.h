// Helpers for the split-model suites: one model written both as a single
// file and in parts, and a comparison of memory plans that says what differs.
#pragma once

#include <QtTest>

#include <filesystem>
#include <string>

#include "model_generator.h"
#include "ponder/memory_plan.h"

namespace ponder::test {

struct SingleAndSplit {
    std::filesystem::path single;  // "<name>.gguf"
    std::filesystem::path first;   // "<name>-split-00001-of-0000N.gguf"
};

// Writes the model of `spec` (its `parts` ignored) as `<name>.gguf`, and as
// `parts` parts `<name>-split-0000i-of-0000N.gguf`, into `dir`.
inline SingleAndSplit writeSingleAndSplit(const QTemporaryDir& dir, const QString& name, testing::ModelSpec spec,
                                          uint32_t parts, bool metadataOnlyFirstPart = false)
{
    SingleAndSplit paths;
    paths.single = dir.filePath(name + ".gguf").toStdString();
    const std::filesystem::path split = dir.filePath(name + "-split.gguf").toStdString();
    paths.first = testing::splitPartPath(split, 0, parts);
    spec.parts = 1;
    if (auto written = testing::writeModel(paths.single, spec, 2); !written)
        qFatal("%s", written.error().message.c_str());
    spec.parts = parts;
    spec.metadataOnlyFirstPart = metadataOnlyFirstPart;
    if (auto written = testing::writeModel(split, spec, 2); !written)
        qFatal("%s", written.error().message.c_str());
    return paths;
}

// Empty when the plans are the same buffer for buffer and tensor for tensor;
// otherwise the first difference.
inline std::string planDifference(const MemoryPlan& a, const MemoryPlan& b)
{
    if (a.buffers.size() != b.buffers.size())
        return "buffer count " + std::to_string(a.buffers.size()) + " != " + std::to_string(b.buffers.size());
    for (size_t i = 0; i < a.buffers.size(); ++i) {
        const PlannedBuffer& x = a.buffers[i];
        const PlannedBuffer& y = b.buffers[i];
        if (x.role != y.role || x.memory != y.memory || x.size != y.size || x.label != y.label)
            return "buffer " + std::to_string(i) + ": " + x.label + " " + std::to_string(x.size) + " != " + y.label +
                   " " + std::to_string(y.size);
    }
    if (a.tensors.size() != b.tensors.size())
        return "tensor count " + std::to_string(a.tensors.size()) + " != " + std::to_string(b.tensors.size());
    for (size_t i = 0; i < a.tensors.size(); ++i) {
        const PlannedTensor& x = a.tensors[i];
        const PlannedTensor& y = b.tensors[i];
        if (x.name != y.name || x.buffer != y.buffer || x.offset != y.offset || x.bytes != y.bytes)
            return "tensor " + x.name + " vs " + y.name + ": buffer " + std::to_string(x.buffer) + "/" +
                   std::to_string(y.buffer) + ", offset " + std::to_string(x.offset) + "/" +
                   std::to_string(y.offset);
    }
    if (a.totalBytes() != b.totalBytes() || a.kv.keyBytes != b.kv.keyBytes ||
        a.activations.logits.size != b.activations.logits.size)
        return "totals differ";
    return {};
}

} // namespace ponder::test
