// Writes the starting corpus for fuzz_model_file into the directory given as
// the only argument: the headers (no tensor data) of tiny models of both
// architectures written by the test-model generator, each with a small
// byte-level BPE vocabulary trained on a sample text, special tokens and a
// chat template of one of the three formats; and hand-broken variants of
// one of them, each breaking one thing readModelInfo, the tokenizer or the
// memory plan must refuse or survive.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "model_generator.h"
#include "ponder/gguf.h"
#include "ponder/gguf_writer.h"
#include "tokenizer/byte_level.h"

using namespace ponder;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<std::byte>;

// English prose, code and Chinese: merges of letters, spaces, indentation
// and the bytes of CJK characters.
constexpr std::string_view kSample =
    "The quick brown fox jumps over the lazy dog. The model thinks before it answers, "
    "and then the answer follows the thinking. def solve(n):\n    return n * (n + 1) // 2\n"
    "\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C\xE3\x80\x82\xE4\xBD\xA0\xE5\xA5\xBD\xE5\x90\x97"
    "\xEF\xBC\x9F the the then there these";

// Byte-level BPE merges learnt from kSample the way BPE training does:
// words split before spaces, then repeatedly the most frequent adjacent
// pair becomes a token (ties broken by text, so the result is fixed).
void learnMerges(TokenizerVocab& vocab, int mergeCount)
{
    std::vector<std::vector<std::string>> words;
    size_t start = 0;
    for (size_t i = 1; i <= kSample.size(); ++i) {
        if (i == kSample.size() || kSample[i] == ' ') {
            std::vector<std::string> symbols;
            for (size_t k = start; k < i; ++k)
                symbols.push_back(byte_level::encode(kSample.substr(k, 1)));
            words.push_back(std::move(symbols));
            start = i;
        }
    }
    for (int m = 0; m < mergeCount; ++m) {
        std::map<std::pair<std::string, std::string>, int> counts;
        for (const auto& word : words)
            for (size_t i = 0; i + 1 < word.size(); ++i)
                ++counts[{word[i], word[i + 1]}];
        auto best = counts.begin();
        for (auto it = counts.begin(); it != counts.end(); ++it)
            if (it->second > best->second)
                best = it;
        if (best == counts.end())
            return;
        const auto [left, right] = best->first;
        vocab.merges.push_back(left + " " + right);
        vocab.tokens.push_back(left + right);
        vocab.tokenType.push_back(int32_t(TokenType::Normal));
        for (auto& word : words) {
            for (size_t i = 0; i + 1 < word.size(); ++i) {
                if (word[i] == left && word[i + 1] == right) {
                    word[i] += right;
                    word.erase(word.begin() + ptrdiff_t(i) + 1);
                }
            }
        }
    }
}

struct Special {
    std::string_view text;
    TokenType type;
};

TokenizerVocab trainedVocab(std::string pre, const std::vector<Special>& specials, std::string_view bos,
                            std::string_view eos)
{
    TokenizerVocab vocab;
    vocab.pre = std::move(pre);
    for (int b = 0; b < 256; ++b) {
        const char byte = char(b);
        vocab.tokens.push_back(byte_level::encode(std::string_view(&byte, 1)));
        vocab.tokenType.push_back(int32_t(TokenType::Normal));
    }
    learnMerges(vocab, 80);
    for (const Special& s : specials) {
        if (s.text == bos)
            vocab.bosTokenId = int32_t(vocab.tokens.size());
        if (s.text == eos)
            vocab.eosTokenId = int32_t(vocab.tokens.size());
        vocab.tokens.emplace_back(s.text);
        vocab.tokenType.push_back(int32_t(s.type));
    }
    vocab.addBosToken = !bos.empty();
    return vocab;
}

const std::vector<Special> kR1Specials{
    {"<\xEF\xBD\x9C" "begin\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>", TokenType::Control},
    {"<\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>", TokenType::Control},
    {"<\xEF\xBD\x9CUser\xEF\xBD\x9C>", TokenType::Control},
    {"<\xEF\xBD\x9C" "Assistant\xEF\xBD\x9C>", TokenType::Control},
    {"<think>", TokenType::UserDefined},
    {"</think>", TokenType::UserDefined},
};
const std::vector<Special> kChatMlSpecials{
    {"<|endoftext|>", TokenType::Control},
    {"<|im_start|>", TokenType::Control},
    {"<|im_end|>", TokenType::Control},
};
const std::vector<Special> kLlama3Specials{
    {"<|begin_of_text|>", TokenType::Control},
    {"<|end_of_text|>", TokenType::Control},
    {"<|start_header_id|>", TokenType::Control},
    {"<|end_header_id|>", TokenType::Control},
    {"<|eot_id|>", TokenType::Control},
};

constexpr std::string_view kChatMlTemplate =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
constexpr std::string_view kLlama3Template =
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
    "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + "
    "'<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

// The first headerSize() bytes of a file: all that fuzz_model_file reads.
Bytes headerOf(const Bytes& file)
{
    const auto header = parseGgufHeader(file, file.size());
    if (!header)
        return {};
    return Bytes(file.begin(), file.begin() + ptrdiff_t(header->headerSize()));
}

Bytes readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Bytes bytes(chars.size());
    std::memcpy(bytes.data(), chars.data(), chars.size());
    return bytes;
}

// A tiny model of `architecture` with `vocab`, written by the generator;
// its header bytes.
Bytes modelHeader(const fs::path& scratch, Architecture architecture, TokenizerVocab vocab,
                  std::string_view chatTemplate)
{
    testing::ModelSpec spec;
    // Four unused rows past the vocabulary, as Qwen's files pad theirs.
    spec.config = testing::tinyConfig(architecture, uint32_t(vocab.tokens.size()) + 4);
    spec.mix = QuantMix::Q8_0;
    spec.vocab = std::move(vocab);
    spec.chatTemplate = std::string(chatTemplate);
    spec.name = "fuzz-seed";
    if (const auto written = testing::writeModel(scratch, spec, 1); !written) {
        std::fprintf(stderr, "make_model_seeds: %s\n", written.error().message.c_str());
        return {};
    }
    Bytes header = headerOf(readFile(scratch));
    fs::remove(scratch);
    return header;
}

// How a variant changes one metadata key: writes its replacement (or
// nothing, to drop the key). `value` is the key's old value, null when the
// file lacks the key (the edit then adds it).
using KeyEdit = std::function<void(GgufWriter&, std::string_view key, const GgufValue* value)>;
// How a variant changes the tensor list.
using TensorEdit = std::function<void(std::string_view name, std::vector<uint64_t>& dims)>;

// The header re-written with `edits` applied to their keys and `tensorEdit`
// to the tensor dims; tensor data is zeros.
Bytes variant(const Bytes& headerBytes, const std::map<std::string, KeyEdit>& edits, const TensorEdit& tensorEdit = {})
{
    const auto header = parseGgufHeader(headerBytes, uint64_t(1) << 40);
    if (!header)
        return {};
    GgufWriter w = GgufWriter::inMemory();
    for (const GgufKeyValue& kv : header->metadata()) {
        if (const auto edit = edits.find(std::string(kv.key)); edit != edits.end())
            edit->second(w, kv.key, &kv.value);
        else if (kv.key != "general.alignment")
            w.addValue(kv.key, kv.value);
    }
    for (const auto& [key, edit] : edits)
        if (!header->find(key))
            edit(w, key, nullptr);
    std::vector<uint64_t> sizes;
    for (const GgufTensorInfo& t : header->tensors()) {
        std::vector<uint64_t> dims = t.dims;
        if (tensorEdit)
            tensorEdit(t.name, dims);
        w.addTensor(t.name, t.type, dims);
        uint64_t count = 1;
        for (uint64_t d : dims)
            count *= d;
        sizes.push_back(tensorBytes(t.type, count));
    }
    for (uint64_t size : sizes) {
        const Bytes zeros(size);
        if (!w.writeTensorData(zeros))
            return {};
    }
    if (!w.finish())
        return {};
    return headerOf(w.takeBytes());
}

KeyEdit setUint32(uint32_t value)
{
    return [value](GgufWriter& w, std::string_view key, const GgufValue*) { w.addUint32(key, value); };
}

KeyEdit setUint64(uint64_t value)
{
    return [value](GgufWriter& w, std::string_view key, const GgufValue*) { w.addUint64(key, value); };
}

KeyEdit setString(std::string value)
{
    return [value](GgufWriter& w, std::string_view key, const GgufValue*) { w.addString(key, value); };
}

KeyEdit setStrings(std::function<void(std::vector<std::string>&)> change)
{
    return [change](GgufWriter& w, std::string_view key, const GgufValue* value) {
        const auto views = value ? value->toStringArray().value_or(std::vector<std::string_view>{})
                                 : std::vector<std::string_view>{};
        std::vector<std::string> strings(views.begin(), views.end());
        change(strings);
        w.addArray(key, std::span<const std::string>(strings));
    };
}

KeyEdit setInts(std::function<void(std::vector<int64_t>&)> change)
{
    return [change](GgufWriter& w, std::string_view key, const GgufValue* value) {
        std::vector<int64_t> ints = value ? value->toIntArray().value_or(std::vector<int64_t>{}) : std::vector<int64_t>{};
        change(ints);
        w.addArray(key, std::span<const int64_t>(ints));
    };
}

const KeyEdit kDrop = [](GgufWriter&, std::string_view, const GgufValue*) {};

bool save(const fs::path& dir, const std::string& name, const Bytes& bytes)
{
    if (bytes.empty()) {
        std::fprintf(stderr, "make_model_seeds: could not make %s\n", name.c_str());
        return false;
    }
    std::ofstream out(dir / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    return bool(out);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_model_seeds <directory>\n");
        return 2;
    }
    const fs::path dir = argv[1];
    fs::create_directories(dir);
    const fs::path scratch = dir / "model.gguf.tmp";

    const std::string bos = "<\xEF\xBD\x9C" "begin\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";
    const std::string eos = "<\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";
    const Bytes qwenR1 = modelHeader(scratch, Architecture::Qwen2, trainedVocab("deepseek-r1-qwen", kR1Specials, bos, eos),
                                     testing::r1ChatTemplate());
    bool ok = save(dir, "qwen2_r1.gguf", qwenR1);
    ok = save(dir, "llama_r1.gguf", modelHeader(scratch, Architecture::Llama,
                                                trainedVocab("llama-bpe", kR1Specials, bos, eos),
                                                testing::r1ChatTemplate())) && ok;
    ok = save(dir, "qwen2_chatml.gguf", modelHeader(scratch, Architecture::Qwen2,
                                                    trainedVocab("qwen2", kChatMlSpecials, "", "<|endoftext|>"),
                                                    kChatMlTemplate)) && ok;
    ok = save(dir, "llama3.gguf", modelHeader(scratch, Architecture::Llama,
                                              trainedVocab("llama-bpe", kLlama3Specials, "<|begin_of_text|>",
                                                           "<|eot_id|>"),
                                              kLlama3Template)) && ok;
    if (!ok)
        return 1;

    // Broken variants of the Qwen2 R1 model, one fault each.
    const std::map<std::string, std::map<std::string, KeyEdit>> broken{
        {"heads_uneven", {{"qwen2.attention.head_count", setUint32(3)}}},
        {"heads_wrap", {{"qwen2.attention.head_count", setUint32(4)},
                        {"qwen2.attention.key_length", setUint32((1u << 30) + 64)}}},
        {"head_dim_odd", {{"qwen2.attention.key_length", setUint32(63)}}},
        {"no_layers", {{"qwen2.block_count", setUint32(0)}}},
        {"many_layers", {{"qwen2.block_count", setUint32(4000)}}},
        {"huge_context", {{"qwen2.context_length", setUint32(0xffffffffu)}}},
        {"rope_wider_than_head", {{"qwen2.rope.dimension_count", setUint32(66)}}},
        {"no_architecture", {{"general.architecture", kDrop}}},
        {"file_type_wide", {{"general.file_type", setUint64((uint64_t(1) << 32) + 15)}}},
        {"unknown_architecture", {{"general.architecture", setString("mamba")}}},
        {"unknown_pre", {{"tokenizer.ggml.pre", setString("gpt-4o")}}},
        {"no_pre", {{"tokenizer.ggml.pre", kDrop}}},
        {"unknown_model", {{"tokenizer.ggml.model", setString("llama")}}},
        {"bos_outside", {{"tokenizer.ggml.bos_token_id", setUint32(100000)}}},
        {"types_short", {{"tokenizer.ggml.token_type", setInts([](auto& t) { t.pop_back(); })}}},
        {"type_unknown", {{"tokenizer.ggml.token_type", setInts([](auto& t) { t[300] = 9; })}}},
        {"type_wide", {{"tokenizer.ggml.token_type", setInts([](auto& t) { t[300] = (int64_t(1) << 32) + 1; })}}},
        {"type_negative", {{"tokenizer.ggml.token_type", setInts([](auto& t) { t[5] = -1; })}}},
        {"merge_no_space", {{"tokenizer.ggml.merges", setStrings([](auto& m) { m[0] = "ab"; })}}},
        {"merge_unknown_parts", {{"tokenizer.ggml.merges", setStrings([](auto& m) { m.push_back("zzz yyy"); })}}},
        {"merge_to_special", {{"tokenizer.ggml.merges", setStrings([](auto& m) { m.push_back("</ think>"); })}}},
        {"token_invalid_utf8", {{"tokenizer.ggml.tokens", setStrings([](auto& t) { t[300] = "\xE4\xBD<"; })}}},
        {"token_empty", {{"tokenizer.ggml.tokens", setStrings([](auto& t) { t[300] = ""; t[301] = ""; })}}},
        {"token_duplicate", {{"tokenizer.ggml.tokens", setStrings([](auto& t) { t[300] = t[65]; })}}},
        {"byte_token", {{"tokenizer.ggml.tokens", setStrings([](auto& t) { t[300] = "<0xE4>"; })},
                        {"tokenizer.ggml.token_type", setInts([](auto& t) { t[300] = 6; })}}},
        {"tokens_empty", {{"tokenizer.ggml.tokens", setStrings([](auto& t) { t.clear(); })},
                          {"tokenizer.ggml.token_type", kDrop}}},
        {"tokens_as_ints", {{"tokenizer.ggml.tokens", setInts([](auto&) {})}}},
        {"chatml_template", {{"tokenizer.chat_template", setString(std::string(kChatMlTemplate))}}},
        {"no_template", {{"tokenizer.chat_template", kDrop}}},
    };
    for (const auto& [name, edits] : broken)
        ok = save(dir, "broken_" + name + ".gguf", variant(qwenR1, edits)) && ok;

    // Tensor faults: a vocabulary longer than the embedding table, and a
    // q projection whose shape disagrees with the heads.
    ok = save(dir, "broken_vocab_over_embedding.gguf",
              variant(qwenR1, {}, [](std::string_view name, std::vector<uint64_t>& dims) {
                  if (name == "token_embd.weight" || name == "output.weight")
                      dims[1] = 100;
              })) && ok;
    ok = save(dir, "broken_q_shape.gguf", variant(qwenR1, {}, [](std::string_view name, std::vector<uint64_t>& dims) {
              if (name == "blk.1.attn_q.weight")
                  dims[1] = 128;
          })) && ok;
    return ok ? 0 : 1;
}
