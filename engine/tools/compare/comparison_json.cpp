#include "comparison_json.h"

#include <cstdint>

#include "json_writer.h"
#include "ponder/generator.h"

namespace ponder::tools {
namespace {

void writeStatistics(JsonWriter& json, const DivergenceStatistics& s)
{
    json.field("comparedTokens", uint64_t(s.positions));
    json.field("meanKld", s.meanKl);
    json.field("medianKld", s.medianKl);
    json.field("kld99", s.kl99);
    json.field("kld999", s.kl999);
    json.field("maxKld", s.maxKl);
    json.field("sameTopPercent", s.sameTopPercent);
    json.field("rmsDeltaPPercent", s.rmsDeltaPPercent);
    json.field("pplRatio", s.perplexityRatio);
    json.field("referencePerplexity", s.referencePerplexity);
    json.field("perplexity", s.candidatePerplexity);
}

void writeAnswers(JsonWriter& json, const ModelComparison& model, std::span<const ComparisonPrompt> prompts,
                  bool isReference)
{
    json.key("prompts").beginArray();
    for (size_t p = 0; p < model.answers.size(); ++p) {
        const PromptAnswer& answer = model.answers[p];
        json.beginObject();
        json.field("id", prompts[p].id);
        json.field("answer", answer.text);
        json.field("tokens", uint64_t(answer.tokens.size()));
        json.field("reasoningTokens", answer.reasoningTokens);
        json.field("stopReason", stopReasonName(answer.stopReason));
        if (!isReference) {
            // The first token where this answer leaves the reference's; null when it never does.
            json.key("firstDeparture");
            const size_t departure = model.divergence[p].firstDeparture;
            if (departure == SIZE_MAX)
                json.null();
            else
                json.value(uint64_t(departure));
            json.field("meanKld", model.divergence[p].report.meanKl);
        }
        json.endObject();
    }
    json.endArray();
}

} // namespace

std::string comparisonJson(const ComparisonResult& result, std::span<const ComparisonPrompt> prompts,
                           const std::string& device)
{
    JsonWriter json;
    json.beginObject();
    json.field("device", device);
    json.field("reference", result.models[result.reference].path);
    json.key("evaluation").beginArray();
    for (const ComparisonPrompt& prompt : prompts) {
        json.beginObject();
        json.field("id", prompt.id);
        json.field("category", prompt.category);
        json.field("prompt", prompt.text);
        if (!prompt.expected.empty())
            json.field("expected", prompt.expected);
        json.endObject();
    }
    json.endArray();
    json.key("models").beginArray();
    for (size_t m = 0; m < result.models.size(); ++m) {
        const ModelComparison& model = result.models[m];
        const bool isReference = m == result.reference;
        json.beginObject();
        json.field("file", model.path);
        json.field("fileType", model.fileType);
        json.field("fileBytes", model.fileBytes);
        json.field("bitsPerWeight", model.bitsPerWeight);
        json.field("isReference", isReference);
        // The reference is what the others are measured against: it has no statistics of its own.
        if (!isReference)
            writeStatistics(json, model.statistics);
        json.field("meanReasoningTokens", model.meanReasoningTokens);
        json.field("tokensPerSecond", model.tokensPerSecond);
        writeAnswers(json, model, prompts, isReference);
        json.endObject();
    }
    json.endArray();
    json.endObject();
    return json.text();
}

} // namespace ponder::tools
