// ponder-cli: the engine from the command line.
//
//   ponder-cli --model FILE --prompt TEXT [--max-tokens N] [--temperature T]
//              [--top-p P] [--seed N] [--greedy] [--context N] [--device D] [--threads N]
//              [--split auto|N,M,...] [--gpu-layers N] [--kv-type f16|f32|q8_0]
//   ponder-cli --model FILE --info
//   ponder-cli --model FILE --tokenize TEXT
//   ponder-cli --model FILE --tokens 1,2,3 --dump-logits OUT
//
// Bad input of any kind exits with status 1 and one line on stderr.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "arguments.h"
#include "backends.h"
#include "info_json.h"
#include "json_writer.h"
#include "ponder/generator.h"
#include "ponder/model_file.h"

using namespace ponder;

namespace {

constexpr const char* kUsage =
    "usage: ponder-cli --model FILE (--prompt TEXT | --info | --tokenize TEXT | --tokens IDS --dump-logits OUT)\n"
    "  --prompt TEXT       chat with the model: prints its reply (reasoning included) and the speed\n"
    "  --max-tokens N      reply length limit (default 512)\n"
    "  --temperature T     sampling temperature (default 0.6)\n"
    "  --top-p P           nucleus mass (default 0.95)\n"
    "  --seed N            random seed (default 0)\n"
    "  --greedy            always take the most likely token\n"
    "  --context N         context length in tokens (default 4096)\n"
    "  --kv-type T         the KV cache's type: f16 (default), f32 or q8_0 (17/32 of f16's memory;\n"
    "                      --device cpu-reference: f32 unless given)\n"
    "  --info              print the model's architecture and tensors as JSON\n"
    "  --tokenize TEXT     print the token ids of TEXT as a JSON array (special tokens recognised, no BOS)\n"
    "  --tokens IDS        comma-separated token ids to evaluate\n"
    "  --dump-logits OUT   write the logits of every position as little-endian float32 [n_tokens][n_vocab]\n"
    "  --device D          vulkan (default: the best GPU, or PONDER_DEVICE), vulkan:N (adapter index or\n"
    "                      part of its name), cpu (the native CPU engine), cpu-reference (the float32\n"
    "                      CPU reference, slow); several, comma-separated, split the model across them:\n"
    "                      vulkan:0,vulkan:1,cpu (the CPU's layers first, then each GPU's)\n"
    "  --split S           with several devices: auto (layers by each GPU's free memory, default) or\n"
    "                      each GPU's share, e.g. 8,6,6,6\n"
    "  --gpu-layers N      with several devices: layers on the GPUs, the output counting as one\n"
    "                      (default: as many as fit); the CPU takes the rest\n"
    "  --threads N         threads of --device cpu (default: one per physical core)\n";

// The first failed option value, or success.
template <typename... Results>
Result<void> firstError(const Results&... results)
{
    Result<void> outcome;
    ((outcome && !results ? void(outcome = std::unexpected(results.error())) : void()), ...);
    return outcome;
}

Result<std::vector<int32_t>> parseIds(const std::string& text, int32_t vocabSize)
{
    std::vector<int32_t> ids;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, end - start);
        int64_t id = 0;
        const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
        if (item.empty() || ec != std::errc() || ptr != item.data() + item.size())
            return fail(ErrorCode::InvalidArgument, "--tokens: '" + item + "' is not a token id");
        if (id < 0 || id >= vocabSize)
            return fail(ErrorCode::InvalidArgument, "--tokens: id " + item + " is outside the vocabulary of " +
                                                        std::to_string(vocabSize));
        ids.push_back(int32_t(id));
        start = end + 1;
    }
    return ids;
}

Result<void> dumpLogits(InferenceBackend& backend, std::span<const int32_t> ids, const std::string& path)
{
    auto logits = backend.evaluate(ids, true);
    if (!logits)
        return std::unexpected(logits.error());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(logits->data()), std::streamsize(logits->size() * sizeof(float)));
    out.close();
    if (!out)
        return fail(ErrorCode::Io, "could not write " + path);
    std::fprintf(stderr, "wrote %zu x %u logits to %s\n", ids.size(), backend.config().vocabSize, path.c_str());
    return {};
}

Result<void> chat(InferenceBackend& backend, const ModelFile& model, const std::string& prompt,
                  const GenerationRequest& base)
{
    GenerationRequest request = base;
    request.messages = {{ChatRole::User, prompt}};
    Generator generator(backend, model.tokenizer(), model.chatFormat());
    auto stats = generator.generate(request, [](std::string_view text) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
    });
    if (!stats)
        return std::unexpected(stats.error());
    std::fprintf(stderr,
                 "\n[%u prompt tokens at %.1f tokens/s, %u generated at %.2f tokens/s, first token after %.2f s, "
                 "stopped: %s, device: %s]\n",
                 stats->promptTokens, stats->promptTokensPerSecond(), stats->generatedTokens,
                 stats->generationTokensPerSecond(), stats->firstTokenSeconds,
                 std::string(stopReasonName(stats->stopReason)).c_str(), backend.deviceName().c_str());
    return {};
}

Result<void> run(int argc, char** argv)
{
    tools::Arguments args({"model", "prompt", "max-tokens", "temperature", "top-p", "seed", "context", "tokenize",
                           "tokens", "dump-logits", "device", "threads", "split", "gpu-layers", "kv-type"},
                          {"info", "greedy", "help"});
    PONDER_TRY(args.parse(argc, argv));
    if (args.has("help")) {
        std::fputs(kUsage, stdout);
        return {};
    }
    const auto path = args.text("model");
    if (!path)
        return fail(ErrorCode::InvalidArgument, "--model FILE is required (see --help)");
    auto model = ModelFile::open(*path);
    if (!model)
        return std::unexpected(model.error());

    if (args.has("info")) {
        std::fputs(tools::modelInfoJson(**model).c_str(), stdout);
        return {};
    }
    if (const auto text = args.text("tokenize")) {
        tools::JsonWriter json;
        json.beginArray();
        for (int32_t id : (*model)->tokenizer().encode(*text, false, true))
            json.value(int64_t(id));
        json.endArray();
        std::fputs(json.text().c_str(), stdout);
        return {};
    }

    auto context = args.integer("context", 1, 1 << 20);
    auto maxTokens = args.integer("max-tokens", 1, 1 << 20);
    auto temperature = args.number("temperature", 0, 10);
    auto topP = args.number("top-p", 0, 1);
    auto seed = args.integer("seed", 0, (1ll << 62));
    auto threads = args.integer("threads", 1, 1024);
    PONDER_TRY(firstError(context, maxTokens, temperature, topP, seed, threads));
    auto gpuLayers = args.integer("gpu-layers", 0, 1 << 20);
    if (!gpuLayers)
        return std::unexpected(gpuLayers.error());
    std::optional<KvCacheType> kvType;
    if (const auto name = args.text("kv-type")) {
        kvType = kvCacheTypeFromName(*name);
        if (!kvType)
            return fail(ErrorCode::InvalidArgument, "unknown --kv-type '" + *name + "' (known: f16, f32, q8_0)");
    }
    tools::SplitChoice split{.shares = args.text("split").value_or("auto")};
    if (*gpuLayers)
        split.gpuLayers = uint32_t(**gpuLayers);
    auto backend = tools::openBackend(args.text("device").value_or("vulkan"), **model,
                                      uint32_t(context->value_or(4096)), uint32_t(threads->value_or(0)), split,
                                      kvType);
    if (!backend)
        return std::unexpected(backend.error());

    if (const auto tokens = args.text("tokens")) {
        const auto out = args.text("dump-logits");
        if (!out)
            return fail(ErrorCode::InvalidArgument, "--tokens needs --dump-logits OUT");
        auto ids = parseIds(*tokens, int32_t((*model)->info().config.vocabSize));
        if (!ids)
            return std::unexpected(ids.error());
        return dumpLogits(**backend, *ids, *out);
    }
    if (const auto prompt = args.text("prompt")) {
        GenerationRequest request;
        request.maxTokens = uint32_t(maxTokens->value_or(512));
        request.sampler.temperature = float(temperature->value_or(0.6));
        request.sampler.topP = float(topP->value_or(0.95));
        request.sampler.seed = uint64_t(seed->value_or(0));
        request.sampler.greedy = args.has("greedy");
        return chat(**backend, **model, *prompt, request);
    }
    return fail(ErrorCode::InvalidArgument, "nothing to do: give --prompt, --info, --tokenize or --tokens");
}

} // namespace

int main(int argc, char** argv)
{
    if (auto result = run(argc, argv); !result) {
        std::fprintf(stderr, "ponder-cli: %s\n", result.error().message.c_str());
        return 1;
    }
    return 0;
}
