// ponder-compare: how far quantizations of one model stray from a better
// one on the same prompt. The reference model answers; each other model
// answers the same prompt with the same sampler and seed (to read side by
// side), then reads the reference's answer token by token, and at each
// token its next-token distribution is compared with the reference's
// (quant_divergence.h: KL divergence, top-1 agreement, perplexity). JSON on
// stdout. One model is in memory at a time; the reference's logits are kept
// (tokens x vocabulary x 4 bytes: 150 MB for 256 tokens of Qwen's vocabulary).
//
//   ponder-compare --reference Q8_0.gguf --models Q4_K_M.gguf,Q2_K.gguf --prompt "..."
//                  [--max-tokens 256] [--seed 1] [--temperature 0.6] [--greedy]
//                  [--device vulkan|vulkan:N|cpu|cpu-reference] [--threads N] [--context 4096]
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "arguments.h"
#include "backends.h"
#include "json_writer.h"
#include "ponder/generator.h"
#include "ponder/model_file.h"
#include "ponder/quant_divergence.h"

using namespace ponder;

namespace {

constexpr const char* kUsage =
    "usage: ponder-compare --reference FILE --models FILE[,FILE...] --prompt TEXT\n"
    "                      [--max-tokens N] [--seed N] [--temperature T] [--greedy]\n"
    "                      [--device vulkan|vulkan:N|cpu|cpu-reference] [--threads N] [--context N]\n";

struct Answer {
    std::string text;
    std::vector<int32_t> tokens;  // prompt and answer, as the model's cache holds them
    size_t promptTokens = 0;
    uint32_t generatedTokens = 0;
};

Result<Answer> answer(InferenceBackend& backend, const ModelFile& model, const GenerationRequest& request)
{
    Generator generator(backend, model.tokenizer(), model.chatFormat());
    Answer result;
    auto prompt = generator.promptTokens(request.messages);
    if (!prompt)
        return std::unexpected(prompt.error());
    result.promptTokens = prompt->size();
    auto stats = generator.generate(request, [&](std::string_view text) { result.text += text; });
    if (!stats)
        return std::unexpected(stats.error());
    result.generatedTokens = stats->generatedTokens;
    result.tokens.assign(generator.cachedTokens().begin(), generator.cachedTokens().end());
    return result;
}

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> items;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = std::min(text.find(',', start), text.size());
        if (end > start)
            items.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return items;
}

void writeModel(tools::JsonWriter& json, const std::string& path, const ModelFile& model, const Answer& reply)
{
    json.field("file", path);
    json.field("fileType", model.info().fileType);
    json.field("answer", reply.text);
    json.field("generatedTokens", reply.generatedTokens);
}

Result<void> run(int argc, char** argv)
{
    tools::Arguments args({"reference", "models", "prompt", "max-tokens", "seed", "temperature", "device", "context", "threads"},
                          {"greedy", "help"});
    PONDER_TRY(args.parse(argc, argv));
    if (args.has("help")) {
        std::fputs(kUsage, stdout);
        return {};
    }
    const auto referencePath = args.text("reference");
    const auto modelList = args.text("models");
    const auto prompt = args.text("prompt");
    if (!referencePath || !modelList || !prompt)
        return fail(ErrorCode::InvalidArgument, "--reference, --models and --prompt are required (see --help)");
    auto maxTokens = args.integer("max-tokens", 2, 1 << 16);
    auto seed = args.integer("seed", 0, 1ll << 62);
    auto temperature = args.number("temperature", 0, 10);
    auto context = args.integer("context", 16, 1 << 20);
    auto threads = args.integer("threads", 1, 1024);
    PONDER_TRY(threads);
    PONDER_TRY(maxTokens);
    PONDER_TRY(seed);
    PONDER_TRY(temperature);
    PONDER_TRY(context);
    const std::string device = args.text("device").value_or("vulkan");
    GenerationRequest request;
    request.messages = {{ChatRole::User, *prompt}};
    request.maxTokens = uint32_t(maxTokens->value_or(256));
    request.sampler.seed = uint64_t(seed->value_or(1));
    request.sampler.temperature = float(temperature->value_or(0.6));
    request.sampler.greedy = args.has("greedy");
    const uint32_t contextLength = uint32_t(context->value_or(4096));

    // The reference: its answer, and its predictions along it.
    auto reference = ModelFile::open(*referencePath);
    if (!reference)
        return std::unexpected(reference.error());
    Answer referenceAnswer;
    std::vector<float> referenceLogits;
    {
        auto backend = tools::openBackend(device, **reference, contextLength, uint32_t(threads->value_or(0)));
        if (!backend)
            return std::unexpected(backend.error());
        auto reply = answer(**backend, **reference, request);
        if (!reply)
            return std::unexpected(reply.error());
        referenceAnswer = std::move(*reply);
        if (referenceAnswer.tokens.size() < referenceAnswer.promptTokens + 1)
            return fail(ErrorCode::InvalidArgument, "the reference answered nothing to compare against");
        auto logits = teacherForcedLogits(**backend, referenceAnswer.tokens, referenceAnswer.promptTokens);
        if (!logits)
            return std::unexpected(logits.error());
        referenceLogits = std::move(*logits);
    }
    const uint32_t vocab = (*reference)->info().config.vocabSize;
    const std::span<const int32_t> targets =
        std::span<const int32_t>(referenceAnswer.tokens).subspan(referenceAnswer.promptTokens);

    tools::JsonWriter json;
    json.beginObject();
    json.field("prompt", *prompt);
    json.field("device", device);
    json.field("comparedTokens", uint64_t(targets.size()));
    json.key("reference").beginObject();
    writeModel(json, *referencePath, **reference, referenceAnswer);
    json.endObject();
    json.key("models").beginArray();
    for (const std::string& path : splitList(*modelList)) {
        auto model = ModelFile::open(path);
        if (!model)
            return std::unexpected(model.error());
        if ((*model)->info().config.vocabSize != vocab)
            return fail(ErrorCode::InvalidArgument, path + " has another vocabulary than the reference: not comparable");
        auto backend = tools::openBackend(device, **model, contextLength, uint32_t(threads->value_or(0)));
        if (!backend)
            return std::unexpected(backend.error());
        auto reply = answer(**backend, **model, request);
        if (!reply)
            return std::unexpected(reply.error());
        auto logits = teacherForcedLogits(**backend, referenceAnswer.tokens, referenceAnswer.promptTokens);
        if (!logits)
            return std::unexpected(logits.error());
        auto report = compareLogits(referenceLogits, *logits, vocab, targets);
        if (!report)
            return std::unexpected(report.error());
        json.beginObject();
        writeModel(json, path, **model, *reply);
        json.field("meanKl", report->meanKl);
        json.field("maxKl", report->maxKl);
        json.field("top1Agreement", report->top1Agreement);
        json.field("perplexity", report->candidatePerplexity);
        json.field("referencePerplexity", report->referencePerplexity);
        json.endObject();
    }
    json.endArray();
    json.endObject();
    std::fputs(json.text().c_str(), stdout);
    std::fputc('\n', stdout);
    return {};
}

} // namespace

int main(int argc, char** argv)
{
    if (auto result = run(argc, argv); !result) {
        std::fprintf(stderr, "ponder-compare: %s\n", result.error().message.c_str());
        return 1;
    }
    return 0;
}
