// GgufParts: finding, opening and checking the parts of a split model
// (llama.cpp's gguf-split layout, see gguf_parts.h).
#include "ponder/gguf_parts.h"

#include <cstdio>
#include <optional>
#include <string>

#include "gguf/format.h"

namespace ponder {
namespace {

// u16 in the files; a larger count is garbage.
constexpr uint64_t kMaxParts = 0xffff;

struct SplitKeys {
    uint32_t no = 0;
    uint32_t count = 0;
    uint64_t tensors = 0;
};

// "'model-00002-of-00003.gguf'": the parts share a directory.
std::string fileName(const std::filesystem::path& path)
{
    return gguf::quotedPath(path.filename());
}

std::string fileName(const GgufFile& file)
{
    return fileName(file.path());
}

// split.count of a file: nullopt when absent (not split), an error when it
// is there but not a count.
Result<std::optional<uint32_t>> splitCount(const GgufFile& file)
{
    if (!file.header().find(kSplitCountKey))
        return std::nullopt;
    const auto count = file.header().getUint(kSplitCountKey);
    if (!count || *count > kMaxParts)
        return fail(ErrorCode::Malformed, fileName(file) + ": split.count is not a part count");
    return uint32_t(*count);
}

// The three split keys of one part, each required.
Result<SplitKeys> splitKeys(const GgufFile& file)
{
    const GgufHeader& h = file.header();
    for (std::string_view key : {kSplitNoKey, kSplitCountKey, kSplitTensorsCountKey})
        if (!h.find(key))
            return fail(ErrorCode::Malformed, fileName(file) + " is not a part of a split model: it lacks the key " +
                                                  std::string(key));
    const auto no = h.getUint(kSplitNoKey);
    const auto count = h.getUint(kSplitCountKey);
    const auto tensors = h.getUint(kSplitTensorsCountKey);
    if (!no || !count || !tensors || *count > kMaxParts || *no >= *count)
        return fail(ErrorCode::Malformed, fileName(file) + ": split.no, split.count or split.tensors.count is not a "
                                                           "part number, part count or tensor count");
    return SplitKeys{uint32_t(*no), uint32_t(*count), *tensors};
}

std::string splitSuffix(uint32_t index, uint32_t count)
{
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "-%05u-of-%05u.gguf", index + 1, count);
    return suffix;
}

} // namespace

std::filesystem::path ggufSplitPath(const std::filesystem::path& prefix, uint32_t index, uint32_t count)
{
    std::filesystem::path path = prefix;
    path += splitSuffix(index, count);
    return path;
}

Result<GgufParts> GgufParts::open(const std::filesystem::path& path)
{
    auto given = GgufFile::open(path);
    if (!given)
        return std::unexpected(given.error());
    GgufParts parts;
    auto count = splitCount(*given);
    if (!count)
        return std::unexpected(count.error());
    // gguf-split --merge writes split.count 0 into the file it merges to.
    if (!*count || **count <= 1) {
        parts.m_parts.push_back(std::move(*given));
        PONDER_TRY(parts.collectTensors());
        return parts;
    }

    auto keys = splitKeys(*given);
    if (!keys)
        return std::unexpected(keys.error());
    const SplitKeys self = *keys;
    const std::string name = path.filename().string();
    const std::string suffix = splitSuffix(self.no, self.count);
    if (!name.ends_with(suffix))
        return fail(ErrorCode::Malformed, fileName(path) + " is part " + std::to_string(self.no + 1) + " of " +
                                              std::to_string(self.count) + " of a split model, but its name does not " +
                                              "end in " + gguf::quotedPath(suffix) +
                                              ", so its other parts cannot be found");
    const std::filesystem::path prefix = path.parent_path() / name.substr(0, name.size() - suffix.size());

    parts.m_parts.reserve(self.count);
    for (uint32_t i = 0; i < self.count; ++i) {
        if (i == self.no) {
            parts.m_parts.push_back(std::move(*given));
            continue;
        }
        const std::filesystem::path partPath = ggufSplitPath(prefix, i, self.count);
        auto part = GgufFile::open(partPath);
        if (!part && part.error().code == ErrorCode::NotFound)
            return fail(ErrorCode::NotFound, "part " + std::to_string(i + 1) + " of " + std::to_string(self.count) +
                                                 " of the model is missing: " + gguf::quotedPath(partPath) +
                                                 " does not exist");
        if (!part)
            return std::unexpected(part.error());
        auto partKeys = splitKeys(*part);
        if (!partKeys)
            return std::unexpected(partKeys.error());
        const std::string which = fileName(*part);
        if (partKeys->count != self.count)
            return fail(ErrorCode::Malformed, which + " says the model has " + std::to_string(partKeys->count) +
                                                  " parts, but " + fileName(path) + " says " +
                                                  std::to_string(self.count) + ": are they parts of different models?");
        if (partKeys->no != i)
            return fail(ErrorCode::Malformed, which + " says it is part " + std::to_string(partKeys->no + 1) +
                                                  ", but its name says part " + std::to_string(i + 1));
        if (partKeys->tensors != self.tensors)
            return fail(ErrorCode::Malformed, which + " says the model has " + std::to_string(partKeys->tensors) +
                                                  " tensors, but " + fileName(path) + " says " +
                                                  std::to_string(self.tensors) +
                                                  ": are they parts of different models?");
        parts.m_parts.push_back(std::move(*part));
    }

    PONDER_TRY(parts.collectTensors());
    if (parts.m_tensors.size() != self.tensors)
        return fail(ErrorCode::Malformed, "the " + std::to_string(self.count) + " parts of " +
                                              fileName(parts.metadata()) + " hold " +
                                              std::to_string(parts.m_tensors.size()) +
                                              " tensors, but split.tensors.count says " +
                                              std::to_string(self.tensors));
    return parts;
}

// The union of the parts' tensors; a tensor in two parts is an error.
Result<void> GgufParts::collectTensors()
{
    size_t total = 0;
    for (const GgufFile& part : m_parts)
        total += part.header().tensors().size();
    m_tensors.reserve(total);
    m_partIndex.reserve(total);
    m_byName.reserve(total);
    for (uint32_t p = 0; p < m_parts.size(); ++p) {
        for (const GgufTensorInfo& tensor : m_parts[p].header().tensors()) {
            const auto [it, added] = m_byName.emplace(tensor.name, m_tensors.size());
            if (!added)
                return fail(ErrorCode::Malformed, "tensor '" + gguf::quoted(tensor.name) + "' is in both " +
                                                      fileName(m_parts[m_partIndex[it->second]]) + " and " +
                                                      fileName(m_parts[p]));
            m_tensors.push_back(tensor);
            m_partIndex.push_back(p);
        }
    }
    return {};
}

const GgufTensorInfo* GgufParts::findTensor(std::string_view name) const
{
    const auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : &m_tensors[it->second];
}

const GgufFile* GgufParts::partOf(std::string_view name) const
{
    const auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : &m_parts[m_partIndex[it->second]];
}

std::span<const std::byte> GgufParts::tensorData(std::string_view name) const
{
    const auto it = m_byName.find(name);
    if (it == m_byName.end())
        return {};
    return m_parts[m_partIndex[it->second]].tensorData(m_tensors[it->second]);
}

void GgufParts::releaseTensorPages() const
{
    for (const GgufFile& part : m_parts)
        for (const GgufTensorInfo& tensor : part.header().tensors())
            part.release(tensor);
}

std::string GgufParts::displayName() const
{
    std::string name = metadata().path().filename().string();
    if (isSplit())
        name += " (" + std::to_string(m_parts.size()) + " parts)";
    return name;
}

} // namespace ponder
