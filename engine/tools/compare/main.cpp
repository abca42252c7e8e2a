// ponder-compare: how far quantizations of one model (or models sharing a
// tokenizer) stray from the most precise of them, on one prompt or a prompt
// set: the command-line twin of the app's compare page, on the same
// compareQuants(). Each model answers every prompt with the same sampler
// and seed, and reads the reference's answers token by token; JSON on
// stdout with llama.cpp's statistics per model and each prompt's answers,
// progress on stderr. One model is in memory at a time, with the
// reference's predictions kept compactly.
//
//   ponder-compare --models F16.gguf,Q4_K_M.gguf,Q2_K.gguf (--prompt "..." | --eval r1-eval.txt)
//                  [--reference F16.gguf] [--max-tokens 256] [--seed 1] [--temperature 0.6] [--greedy]
//                  [--device vulkan|vulkan:N|cpu|cpu-reference] [--threads N] [--context N]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "arguments.h"
#include "backends.h"
#include "comparison_json.h"
#include "ponder/eval_set.h"
#include "ponder/model_file.h"
#include "ponder/quant_comparison.h"

using namespace ponder;

namespace {

constexpr const char* kUsage =
    "usage: ponder-compare --models FILE,FILE[,FILE...] (--prompt TEXT | --eval FILE)\n"
    "                      [--reference FILE] [--max-tokens N] [--seed N] [--temperature T] [--greedy]\n"
    "                      [--device vulkan|vulkan:N|cpu|cpu-reference] [--threads N] [--context N]\n"
    "The most precise model (most bits per weight) is the reference; --reference adds a model and\n"
    "checks that it is that one. --eval reads a prompt set (resources/eval/r1-eval.txt).\n";

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

// --reference: the model named must be the one compareQuants() picks.
Result<void> checkReference(const std::vector<std::string>& paths, const std::string& reference)
{
    std::vector<std::unique_ptr<ModelFile>> files;
    std::vector<const ModelFile*> views;
    for (const std::string& path : paths) {
        auto file = ModelFile::open(path);
        if (!file)
            return std::unexpected(file.error());
        views.push_back(file->get());
        files.push_back(std::move(*file));
    }
    const std::string& chosen = paths[mostPreciseModel(views)];
    if (chosen != reference)
        return fail(ErrorCode::InvalidArgument, reference + " is not the most precise model (" + chosen +
                                                    " has more bits per weight), and the reference is always the "
                                                    "most precise");
    return {};
}

Result<std::vector<ComparisonPrompt>> promptsFrom(const tools::Arguments& args)
{
    const auto prompt = args.text("prompt");
    const auto eval = args.text("eval");
    if (prompt && eval)
        return fail(ErrorCode::InvalidArgument, "give --prompt or --eval, not both");
    if (eval)
        return readEvalSet(*eval);
    return std::vector<ComparisonPrompt>{{"prompt", "prompt", *prompt, ""}};
}

// One line per stage, so a long run shows where it is without flooding.
ComparisonProgressCallback stderrProgress()
{
    return [last = std::string()](const ComparisonProgress& progress) mutable {
        if (progress.stage == last)
            return;
        last = progress.stage;
        std::string left;
        if (progress.secondsLeft > 0 && progress.fraction < 1)
            left = ", about " + std::to_string(long(std::ceil(progress.secondsLeft))) + " s left";
        std::fprintf(stderr, "[%3d%%] %s%s\n", int(progress.fraction * 100), progress.stage.c_str(), left.c_str());
    };
}

Result<void> run(int argc, char** argv)
{
    tools::Arguments args({"reference", "models", "prompt", "eval", "max-tokens", "seed", "temperature", "device",
                           "context", "threads"},
                          {"greedy", "help"});
    PONDER_TRY(args.parse(argc, argv));
    if (args.has("help")) {
        std::fputs(kUsage, stdout);
        return {};
    }
    const auto modelList = args.text("models");
    if (!modelList || (!args.has("prompt") && !args.has("eval")))
        return fail(ErrorCode::InvalidArgument, "--models and --prompt or --eval are required (see --help)");
    auto maxTokens = args.integer("max-tokens", 1, 1 << 16);
    auto seed = args.integer("seed", 0, 1ll << 62);
    auto temperature = args.number("temperature", 0, 10);
    auto context = args.integer("context", 16, 1 << 20);
    auto threads = args.integer("threads", 1, 1024);
    PONDER_TRY(maxTokens);
    PONDER_TRY(seed);
    PONDER_TRY(temperature);
    PONDER_TRY(context);
    PONDER_TRY(threads);
    auto prompts = promptsFrom(args);
    if (!prompts)
        return std::unexpected(prompts.error());

    std::vector<std::string> paths = splitList(*modelList);
    if (const auto reference = args.text("reference")) {
        if (std::find(paths.begin(), paths.end(), *reference) == paths.end())
            paths.insert(paths.begin(), *reference);
        PONDER_TRY(checkReference(paths, *reference));
    }

    ComparisonOptions options;
    options.maxTokens = uint32_t(maxTokens->value_or(256));
    options.sampler.seed = uint64_t(seed->value_or(1));
    options.sampler.temperature = float(temperature->value_or(0.6));
    options.sampler.greedy = args.has("greedy");
    const std::string device = args.text("device").value_or("vulkan");
    // Room for a prompt of the set and the longest answer.
    const uint32_t contextLength = uint32_t(context->value_or(std::max<long long>(4096, maxTokens->value_or(256) + 1024)));
    const uint32_t threadCount = uint32_t(threads->value_or(0));
    const BackendFactory openBackend = [&](const ModelFile& model) {
        return tools::openBackend(device, model, contextLength, threadCount);
    };

    auto result = compareQuants(paths, *prompts, options, openBackend, stderrProgress());
    if (!result)
        return std::unexpected(result.error());
    std::fputs(tools::comparisonJson(*result, *prompts, device).c_str(), stdout);
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
