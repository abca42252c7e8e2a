// ponder-sampler-bench: the cost of one Sampler::sample() call per token, in
// microseconds, for the usual configurations over a row of logits shaped like
// a real model's, printed as JSON. Not a test: numbers depend on the machine
// and on what else runs on it, so each figure is the median (and minimum) of
// many calls.
//
// Logit shapes, `vocab` entries each (default 152,064, Qwen2's vocabulary):
//   peaked  normal(0, 2.5) with five boosted tokens at 20, 19, 18, 17 and 16,
//           like a model that is fairly sure of its next token;
//   tail    normal(0, 2.5) alone, no dominant token (the nucleus holds
//           hundreds of tokens at T = 0.6);
//   flat    normal(0, 0.3): the nucleus is most of the vocabulary.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "arguments.h"
#include "json_writer.h"
#include "ponder/sampler.h"

using namespace ponder;

namespace {

constexpr const char* kUsage =
    "usage: ponder-sampler-bench [--vocab N] [--calls N] [--shapes peaked,tail,flat]\n"
    "Prints the cost of Sampler::sample() per token in microseconds (median and\n"
    "minimum of --calls calls, default 2000) for the default config (T 0.6,\n"
    "top-p 0.95), greedy, top-k 40, min-p 0.05, temperature alone and a\n"
    "repetition penalty, over --vocab logits (default 152064).\n";

using Clock = std::chrono::steady_clock;

std::vector<float> makeLogits(const std::string& shape, size_t vocab)
{
    std::mt19937 rng(20240601);
    std::normal_distribution<float> normal(0.f, shape == "flat" ? 0.3f : 2.5f);
    std::vector<float> logits(vocab);
    for (auto& l : logits)
        l = normal(rng);
    if (shape == "peaked") {
        // Spread over the vocabulary, not clustered at the start.
        const float boosted[] = {20.f, 19.f, 18.f, 17.f, 16.f};
        for (size_t i = 0; i < std::size(boosted); ++i)
            logits[(i * 7919 * 13 + 1234) % vocab] = boosted[i];
    }
    return logits;
}

struct Case {
    const char* name;
    SamplerConfig config;
    bool history;  // pass 64 recent tokens (for the repetition penalty)
};

std::vector<Case> cases()
{
    std::vector<Case> list;
    list.push_back({"default", SamplerConfig{}, false});
    SamplerConfig greedy;
    greedy.greedy = true;
    list.push_back({"greedy", greedy, false});
    SamplerConfig topK;
    topK.topK = 40;
    list.push_back({"topK40", topK, false});
    SamplerConfig minP;
    minP.minP = 0.05f;
    list.push_back({"minP0.05", minP, false});
    SamplerConfig minPAlone;
    minPAlone.topP = 1.f;
    minPAlone.minP = 0.05f;
    list.push_back({"minP0.05,topP1", minPAlone, false});
    SamplerConfig temperature;
    temperature.topP = 1.f;
    list.push_back({"temperatureOnly", temperature, false});
    SamplerConfig penalty;
    penalty.repetitionPenalty = 1.1f;
    list.push_back({"default,penalty1.1", penalty, true});
    return list;
}

struct Timing {
    double medianUs;
    double minUs;
};

Result<Timing> timeCase(const Case& c, const std::vector<float>& logits, int calls)
{
    auto sampler = Sampler::create(c.config);
    if (!sampler)
        return std::unexpected(sampler.error());
    std::vector<int32_t> history;
    if (c.history)
        for (int32_t i = 0; i < 64; ++i)
            history.push_back(int32_t((uint64_t(i) * 2654435761u) % logits.size()));
    // Warm-up: grows the buffers and brings the logits into cache, as after
    // the model's output layer.
    int64_t sink = 0;
    for (int i = 0; i < 20; ++i) {
        auto token = sampler->sample(logits, history);
        if (!token)
            return std::unexpected(token.error());
        sink += *token;
    }
    std::vector<double> us;
    us.reserve(size_t(calls));
    for (int i = 0; i < calls; ++i) {
        const auto start = Clock::now();
        const auto token = sampler->sample(logits, history);
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        sink += token ? *token : 0;
    }
    std::sort(us.begin(), us.end());
    if (sink == -1)
        std::fputs("", stderr);  // keeps the calls from being optimised away
    return Timing{us[us.size() / 2], us.front()};
}

Result<void> run(int argc, char** argv)
{
    tools::Arguments args({"vocab", "calls", "shapes"}, {"help"});
    PONDER_TRY(args.parse(argc, argv));
    if (args.has("help")) {
        std::fputs(kUsage, stdout);
        return {};
    }
    auto vocab = args.integer("vocab", 1, 1 << 24);
    auto calls = args.integer("calls", 1, 1 << 24);
    PONDER_TRY(vocab);
    PONDER_TRY(calls);
    std::vector<std::string> shapes;
    {
        const std::string list = args.text("shapes").value_or("peaked,tail,flat");
        size_t begin = 0;
        while (begin <= list.size()) {
            const size_t end = std::min(list.find(',', begin), list.size());
            const std::string shape = list.substr(begin, end - begin);
            if (shape != "peaked" && shape != "tail" && shape != "flat")
                return fail(ErrorCode::InvalidArgument, "unknown logit shape '" + shape + "' (peaked, tail, flat)");
            shapes.push_back(shape);
            begin = end + 1;
        }
    }

    tools::JsonWriter json;
    json.beginObject();
    json.field("vocab", int64_t(vocab->value_or(152064)));
    json.field("calls", int64_t(calls->value_or(2000)));
    json.key("shapes").beginObject();
    for (const auto& shape : shapes) {
        const auto logits = makeLogits(shape, size_t(vocab->value_or(152064)));
        json.key(shape).beginObject();
        for (const auto& c : cases()) {
            auto timing = timeCase(c, logits, int(calls->value_or(2000)));
            if (!timing)
                return std::unexpected(timing.error());
            json.key(c.name).beginObject();
            json.field("medianUs", timing->medianUs);
            json.field("minUs", timing->minUs);
            json.endObject();
        }
        json.endObject();
    }
    json.endObject();
    json.endObject();
    std::fputs(json.text().c_str(), stdout);
    std::fputc('\n', stdout);
    return {};
}

} // namespace

int main(int argc, char** argv)
{
    if (auto result = run(argc, argv); !result) {
        std::fprintf(stderr, "ponder-sampler-bench: %s\n", result.error().message.c_str());
        return 1;
    }
    return 0;
}
