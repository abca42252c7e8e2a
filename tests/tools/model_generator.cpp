#include "model_generator.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <thread>
#include <vector>

#include "ponder/gguf_parts.h"
#include "ponder/gguf_writer.h"
#include "ponder/known_models.h"
#include "ponder/quant.h"
#include "ponder/tokenizer_gguf.h"
#include "synthetic_vocab.h"

namespace ponder::testing {
namespace {

// splitmix64: a fast, well-mixed stream; each tensor chunk gets its own seed
// so the bytes do not depend on the thread count.
struct SplitMix {
    uint64_t state;
    uint64_t next()
    {
        uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // Approximately normal (Irwin-Hall of four uniforms), mean 0, variance 1.
    float normal()
    {
        double sum = 0;
        for (int i = 0; i < 4; ++i)
            sum += double(next() >> 11) * 0x1p-53;
        return float((sum - 2.0) * std::sqrt(3.0));
    }
};

uint64_t hashName(std::string_view name, uint64_t seed)
{
    uint64_t h = 1469598103934665603ull ^ seed;
    for (unsigned char c : name)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

enum class Fill { Matrix, Embedding, Norm, Bias };

Fill fillFor(std::string_view name)
{
    if (name == "token_embd.weight")
        return Fill::Embedding;
    if (name.ends_with("norm.weight"))
        return Fill::Norm;
    if (name.ends_with(".bias"))
        return Fill::Bias;
    return Fill::Matrix;
}

// Random values with unit-scale activations: matrices N(0, 1/in), so a
// layer's output has about the variance of its input.
void fillRows(float* out, uint64_t rows, uint64_t rowLength, Fill fill, uint64_t seed)
{
    SplitMix rng{seed};
    const float scale = fill == Fill::Matrix ? float(1.0 / std::sqrt(double(rowLength)))
                        : fill == Fill::Bias ? 0.1f
                                             : 1.0f;
    for (uint64_t i = 0; i < rows * rowLength; ++i) {
        const float v = rng.normal();
        out[i] = fill == Fill::Norm ? 1.0f + 0.1f * v : v * scale;
    }
}

Result<void> writeTensorData(GgufWriter& writer, const TensorDesc& tensor, const ModelSpec& spec, unsigned threads)
{
    const uint64_t rowLength = tensor.dims[0];
    const uint64_t rows = tensor.dims.size() > 1 ? tensor.dims[1] : 1;
    if (tensor.name == "rope_freqs.weight") {
        const auto factors = llama3RopeFactors(spec.config.ropeDimensions, spec.config.ropeFreqBase);
        return writer.writeTensorData(std::as_bytes(std::span(factors)));
    }
    const Fill fill = fillFor(tensor.name);
    const uint64_t tensorSeed = hashName(tensor.name, spec.seed);
    // Chunks of about 16M values: bounded memory for any tensor.
    const uint64_t rowsPerChunk = std::max<uint64_t>(1, (16ull << 20) / rowLength);
    std::vector<float> values;
    std::vector<std::byte> encoded;
    for (uint64_t first = 0; first < rows; first += rowsPerChunk) {
        const uint64_t count = std::min(rowsPerChunk, rows - first);
        values.resize(count * rowLength);
        // Each 64-row block has its own seed, so the data is the same however
        // the rows are chunked or threaded.
        const uint64_t blocks = (count + 63) / 64;
        std::vector<std::thread> workers;
        const unsigned n = std::max(1u, std::min<unsigned>(threads, unsigned(blocks)));
        for (unsigned w = 0; w < n; ++w)
            workers.emplace_back([&, w] {
                for (uint64_t b = w; b < blocks; b += n) {
                    const uint64_t row = b * 64;
                    const uint64_t blockRows = std::min<uint64_t>(64, count - row);
                    fillRows(values.data() + row * rowLength, blockRows, rowLength, fill,
                             tensorSeed + (first + row) / 64);
                }
            });
        for (auto& worker : workers)
            worker.join();
        encoded.resize(tensorBytes(tensor.type, values.size()));
        PONDER_TRY(quantizeRows(tensor.type, values, rowLength, encoded, threads));
        PONDER_TRY(writer.writeTensorData(encoded));
    }
    return {};
}

void writeConfig(GgufWriter& writer, const ModelSpec& spec, const TokenizerVocab& vocab)
{
    const ModelConfig& c = spec.config;
    const std::string arch(architectureName(c.architecture));
    writer.addString("general.architecture", arch);
    writer.addString("general.name", spec.name);
    writer.addUint32("general.file_type", spec.matrixType ? 0u : quantMixFileType(spec.mix));
    writer.addUint32(arch + ".context_length", c.contextLength);
    writer.addUint32(arch + ".embedding_length", c.embeddingLength);
    writer.addUint32(arch + ".block_count", c.blockCount);
    writer.addUint32(arch + ".feed_forward_length", c.feedForwardLength);
    writer.addUint32(arch + ".attention.head_count", c.headCount);
    writer.addUint32(arch + ".attention.head_count_kv", c.headCountKv);
    writer.addFloat32(arch + ".rope.freq_base", c.ropeFreqBase);
    writer.addFloat32(arch + ".attention.layer_norm_rms_epsilon", c.rmsEpsilon);
    if (c.architecture == Architecture::Llama)
        writer.addUint32(arch + ".rope.dimension_count", c.ropeDimensions);
    writeTokenizerVocab(writer, vocab);
    writer.addString("tokenizer.chat_template", spec.chatTemplate.empty() ? r1ChatTemplate() : spec.chatTemplate);
}

struct SplitKeys {
    uint16_t no;
    uint16_t count;
    int32_t tensors;  // in all parts
};

// One GGUF file: the model's metadata when `vocab` is set, the split keys
// when `split` is, and `tensors` with their random data.
Result<void> writeFile(const std::filesystem::path& path, const ModelSpec& spec, const TokenizerVocab* vocab,
                       std::span<const TensorDesc> tensors, std::optional<SplitKeys> split, unsigned threads)
{
    auto writer = GgufWriter::create(path);
    if (!writer)
        return std::unexpected(writer.error());
    if (vocab)
        writeConfig(*writer, spec, *vocab);
    if (split) {
        writer->addUint16(kSplitNoKey, split->no);
        writer->addUint16(kSplitCountKey, split->count);
        writer->addInt32(kSplitTensorsCountKey, split->tensors);
    }
    for (const auto& t : tensors)
        writer->addTensor(t.name, t.type, t.dims);
    PONDER_TRY(writer->writeHeader());
    for (const auto& t : tensors)
        PONDER_TRY(writeTensorData(*writer, t, spec, threads));
    return writer->finish();
}

// The part (0 to parts - 1) of each tensor: contiguous runs in order with
// about the same bytes each, none empty (parts <= tensors.size()).
std::vector<uint32_t> assignParts(std::span<const TensorDesc> tensors, uint32_t parts)
{
    uint64_t total = 0;
    for (const auto& t : tensors)
        total += t.bytes;
    std::vector<uint32_t> assigned(tensors.size());
    uint32_t part = 0;
    uint64_t done = 0;  // bytes of the tensors before this one
    size_t inPart = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const bool full = done * parts >= total * (part + 1);
        const bool needed = tensors.size() - i < size_t(parts - part);  // the rest must fill the later parts
        if (inPart > 0 && part + 1 < parts && (full || needed)) {
            ++part;
            inPart = 0;
        }
        assigned[i] = part;
        ++inPart;
        done += tensors[i].bytes;
    }
    return assigned;
}

} // namespace

ModelConfig tinyConfig(Architecture architecture, uint32_t vocabSize)
{
    ModelConfig c;
    c.architecture = architecture;
    c.embeddingLength = 256;
    c.blockCount = 2;
    c.feedForwardLength = 512;
    c.headCount = 4;
    c.headCountKv = 2;
    c.headDim = 64;
    c.ropeDimensions = 64;
    c.vocabSize = vocabSize;
    c.contextLength = 2048;
    c.rmsEpsilon = architecture == Architecture::Llama ? 1e-5f : 1e-6f;
    c.ropeFreqBase = architecture == Architecture::Llama ? 500000.f : 10000.f;
    c.ropeLayout = architecture == Architecture::Llama ? RopeLayout::AdjacentPairs : RopeLayout::Neox;
    c.hasQkvBias = architecture == Architecture::Qwen2;
    c.hasRopeFreqs = architecture == Architecture::Llama;
    return c;
}

Result<void> writeModel(const std::filesystem::path& path, const ModelSpec& spec, unsigned threads)
{
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    TokenizerVocab vocab = spec.vocab ? *spec.vocab : syntheticR1Vocab(spec.config.vocabSize);
    if (vocab.tokens.size() > spec.config.vocabSize)
        return fail(ErrorCode::InvalidArgument, "the vocabulary has " + std::to_string(vocab.tokens.size()) +
                                                    " tokens, more than the model's " +
                                                    std::to_string(spec.config.vocabSize));
    while (vocab.tokens.size() < spec.config.vocabSize) {
        if (vocab.tokenType.empty())
            vocab.tokenType.assign(vocab.tokens.size(), int32_t(TokenType::Normal));
        vocab.tokens.push_back("[PAD" + std::to_string(vocab.tokens.size()) + "]");
        vocab.tokenType.push_back(int32_t(TokenType::Unused));
    }

    std::vector<TensorDesc> tensors = standardTensors(spec.config, spec.mix);
    if (spec.matrixType)
        for (auto& t : tensors)
            if (fillFor(t.name) == Fill::Matrix || fillFor(t.name) == Fill::Embedding)
                if (t.name != "rope_freqs.weight") {
                    t.type = *spec.matrixType;
                    uint64_t count = 1;
                    for (uint64_t d : t.dims)
                        count *= d;
                    if (t.dims[0] % traits(t.type).blockSize != 0)
                        return fail(ErrorCode::InvalidArgument, "tensor '" + t.name + "' rows of " +
                                                                    std::to_string(t.dims[0]) +
                                                                    " values are not whole blocks of " +
                                                                    std::string(tensorTypeName(t.type)));
                    t.bytes = tensorBytes(t.type, count);
                }

    if (spec.parts <= 1)
        return writeFile(path, spec, &vocab, tensors, std::nullopt, threads);

    const uint32_t first = spec.metadataOnlyFirstPart ? 1 : 0;  // parts before the first with tensors
    if (spec.parts > 0xffff || spec.parts - first > tensors.size())
        return fail(ErrorCode::InvalidArgument, "cannot write " + std::to_string(tensors.size()) + " tensors as " +
                                                    std::to_string(spec.parts - first) + " parts with tensors");
    const auto assigned = assignParts(tensors, spec.parts - first);
    for (uint32_t part = 0; part < spec.parts; ++part) {
        std::vector<TensorDesc> own;
        for (size_t i = 0; i < tensors.size(); ++i)
            if (assigned[i] + first == part)
                own.push_back(tensors[i]);
        const SplitKeys split{uint16_t(part), uint16_t(spec.parts), int32_t(tensors.size())};
        PONDER_TRY(writeFile(splitPartPath(path, part, spec.parts), spec, part == 0 ? &vocab : nullptr, own, split,
                             threads));
    }
    return {};
}

std::filesystem::path splitPartPath(const std::filesystem::path& path, uint32_t index, uint32_t parts)
{
    std::filesystem::path prefix = path;
    if (prefix.extension() == ".gguf")
        prefix.replace_extension();
    return ggufSplitPath(prefix, index, parts);
}

const std::string& r1ChatTemplate()
{
    // The DeepSeek-R1-Distill template's recognisable core: detection keys on
    // its turn markers, and the engine renders the format in C++.
    static const std::string text =
        "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
        "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
        "{{'<｜User｜>' + message['content']}}{% endif %}{% if message['role'] == 'assistant' %}"
        "{% set content = message['content'] %}{% if '</think>' in content %}"
        "{% set content = content.split('</think>')[-1] %}{% endif %}"
        "{{'<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'}}{% endif %}{% endfor %}"
        "{% if add_generation_prompt %}{{'<｜Assistant｜><think>\\n'}}{% endif %}";
    return text;
}

} // namespace ponder::testing
