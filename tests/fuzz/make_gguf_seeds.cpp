// Writes the starting corpus for fuzz_gguf into the directory given as the
// only argument: small valid files made with GgufWriter, covering every
// metadata type and several tensor types, and a few broken ones.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ponder/gguf.h"
#include "ponder/gguf_writer.h"

using namespace ponder;

namespace {

using Bytes = std::vector<std::byte>;

void put(Bytes& out, uint64_t value, int size)
{
    for (int i = 0; i < size; ++i)
        out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xff));
}

void putString(Bytes& out, std::string_view text)
{
    put(out, text.size(), 8);
    for (char c : text)
        out.push_back(static_cast<std::byte>(c));
}

// Declares the tensors, then fills each with a repeating byte.
Bytes finish(GgufWriter& w, const std::vector<std::tuple<const char*, TensorType, std::vector<uint64_t>>>& tensors)
{
    for (const auto& [name, type, dims] : tensors)
        w.addTensor(name, type, dims);
    int fill = 1;
    for (const auto& [name, type, dims] : tensors) {
        uint64_t count = 1;
        for (uint64_t d : dims)
            count *= d;
        const Bytes data(tensorBytes(type, count), static_cast<std::byte>(fill++));
        if (!w.writeTensorData(data))
            return {};
    }
    if (!w.finish())
        return {};
    return w.takeBytes();
}

Bytes minimal()
{
    GgufWriter w = GgufWriter::inMemory();
    return finish(w, {});
}

Bytes allTypes()
{
    GgufWriter w = GgufWriter::inMemory();
    w.addUint8("u8", 200);
    w.addInt8("i8", -3);
    w.addUint16("u16", 500);
    w.addInt16("i16", -500);
    w.addUint32("u32", 70000);
    w.addInt32("i32", -70000);
    w.addUint64("u64", uint64_t{1} << 40);
    w.addInt64("i64", -(int64_t{1} << 40));
    w.addFloat32("f32", 0.5f);
    w.addFloat64("f64", 1e-6);
    w.addBool("bool", true);
    w.addString("string", "deepseek-r1-qwen");
    w.addArray("u8s", std::vector<uint8_t>{1, 2});
    w.addArray("i32s", std::vector<int32_t>{1, -1, 3});
    w.addArray("u64s", std::vector<uint64_t>{7});
    w.addArray("f32s", std::vector<float>{0.25f, -1.f});
    w.addArray("f64s", std::vector<double>{2.0});
    w.addArray("strings", std::vector<std::string>{"<think>", "</think>", ""});
    return finish(w, {});
}

Bytes modelLike(uint64_t alignment)
{
    GgufWriter w = GgufWriter::inMemory();
    w.setAlignment(alignment);
    w.addString("general.architecture", "qwen2");
    w.addUint32("general.file_type", 15);
    w.addUint32("qwen2.block_count", 1);
    w.addUint32("qwen2.embedding_length", 32);
    w.addFloat32("qwen2.rope.freq_base", 1e6f);
    w.addString("tokenizer.ggml.model", "gpt2");
    w.addArray("tokenizer.ggml.tokens", std::vector<std::string>{"a", "b", "ab", "<｜User｜>"});
    w.addArray("tokenizer.ggml.merges", std::vector<std::string>{"a b"});
    w.addArray("tokenizer.ggml.token_type", std::vector<int32_t>{1, 1, 1, 3});
    w.addUint32("tokenizer.ggml.eos_token_id", 3);
    return finish(w, {{"token_embd.weight", TensorType::Q8_0, {32, 4}},
                      {"output_norm.weight", TensorType::F32, {32}},
                      {"blk.0.attn_q.bias", TensorType::F16, {8}},
                      {"blk.0.ffn_down.weight", TensorType::Q4_K, {256, 1}},
                      {"blk.0.attn_v.weight", TensorType::Q6_K, {256, 1, 1}}});
}

// Arrays of arrays, which GgufWriter cannot make: built by hand.
Bytes nestedArrays()
{
    Bytes out;
    for (char c : std::string_view("GGUF"))
        out.push_back(static_cast<std::byte>(c));
    put(out, 3, 4);
    put(out, 0, 8);
    put(out, 1, 8);
    putString(out, "nested");
    put(out, 9, 4);   // array
    put(out, 9, 4);   // of arrays
    put(out, 2, 8);
    put(out, 0, 4);   // [u8 x 2]
    put(out, 2, 8);
    put(out, 0x0201, 2);
    put(out, 8, 4);   // [string x 1]
    put(out, 1, 8);
    putString(out, "x");
    return out;
}

bool save(const std::filesystem::path& dir, const char* name, const Bytes& bytes)
{
    if (bytes.empty()) {
        std::fprintf(stderr, "make_gguf_seeds: could not make %s\n", name);
        return false;
    }
    std::ofstream out(dir / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_gguf_seeds <directory>\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);

    const Bytes model = modelLike(32);
    bool ok = save(dir, "minimal.gguf", minimal()) && save(dir, "all_types.gguf", allTypes())
              && save(dir, "model.gguf", model) && save(dir, "model_align64.gguf", modelLike(64))
              && save(dir, "model_align1.gguf", modelLike(1)) && save(dir, "nested_arrays.gguf", nestedArrays());

    // Broken variants of the model file.
    const auto header = parseGgufHeader(model, model.size());
    if (!ok || !header) {
        std::fprintf(stderr, "make_gguf_seeds: the model seed does not parse\n");
        return 1;
    }
    Bytes version2 = model;
    version2[4] = std::byte{2};
    Bytes badVersion = model;
    badVersion[4] = std::byte{4};
    Bytes truncatedHeader(model.begin(), model.begin() + static_cast<std::ptrdiff_t>(header->headerSize() / 2));
    Bytes truncatedData(model.begin(), model.end() - 100);
    Bytes overlapping = model;  // the last tensor info's offset, set to 0
    std::memset(overlapping.data() + header->headerSize() - 8, 0, 8);
    Bytes hugeCount = model;
    std::memset(hugeCount.data() + 8, 0xff, 8);
    ok = save(dir, "version2.gguf", version2) && save(dir, "version4.gguf", badVersion)
         && save(dir, "truncated_header.gguf", truncatedHeader) && save(dir, "truncated_data.gguf", truncatedData)
         && save(dir, "overlapping.gguf", overlapping) && save(dir, "huge_count.gguf", hugeCount);
    return ok ? 0 : 1;
}
