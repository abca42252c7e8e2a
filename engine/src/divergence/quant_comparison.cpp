#include "ponder/quant_comparison.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <optional>

#include "divergence/comparison_answers.h"
#include "divergence/comparison_progress.h"
#include "cancel_flag_loan.h"
#include "divergence/report_totals.h"
#include "ponder/model_file.h"
#include "ponder/tokenizer.h"

namespace ponder {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double bitsPerWeight(const ModelFile& model)
{
    const ModelInfo& info = model.info();
    return info.parameterCount ? 8.0 * double(info.tensorBytes) / double(info.parameterCount) : 0.0;
}

// The first index of the largest value.
size_t indexOfMost(std::span<const double> values)
{
    size_t best = 0;
    for (size_t i = 1; i < values.size(); ++i)
        if (values[i] > values[best])
            best = i;
    return best;
}

std::string fileName(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

Error cancelled()
{
    return Error{ErrorCode::Cancelled, "the comparison was cancelled"};
}

bool isCancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// An error from working on `path`, naming it unless it already does.
Error about(const std::string& path, Error error)
{
    if (error.code != ErrorCode::Cancelled && error.message.find(fileName(path)) == std::string::npos)
        error.message = path + ": " + error.message;
    return error;
}

// What the comparison needs to know of a model before running any: read
// from each file in turn, none kept open.
struct SurveyedModel {
    std::string fileType;
    std::string label;  // for people: the file type, or the file name where types repeat
    uint64_t fileBytes = 0;
    double bitsPerWeight = 0;
};

// Models compare only when they read and write the same tokens.
Result<void> checkSameTokens(const Tokenizer& first, uint32_t firstVocab, const std::string& firstPath,
                             const ModelFile& other, const std::string& otherPath)
{
    const Tokenizer& tokenizer = other.tokenizer();
    const uint32_t vocab = other.info().config.vocabSize;
    const auto different = [&](const std::string& how) {
        return fail(ErrorCode::InvalidArgument,
                    firstPath + " and " + otherPath + " have different tokenizers (" + how + "): not comparable");
    };
    if (first.vocabSize() != tokenizer.vocabSize() || firstVocab != vocab)
        return different("vocabularies of " + std::to_string(firstVocab) + " and " + std::to_string(vocab) +
                         " tokens");
    for (int32_t id = 0; id < first.vocabSize(); ++id)
        if (first.tokenText(id) != tokenizer.tokenText(id))
            return different("token " + std::to_string(id) + " differs");
    return {};
}

Result<std::vector<SurveyedModel>> survey(std::span<const std::string> paths, const std::atomic<bool>* cancel)
{
    std::vector<SurveyedModel> models;
    // The first model's tokens, which every other model's are checked
    // against (a handle on the tokenizer's data, not the model).
    std::optional<Tokenizer> firstTokenizer;
    uint32_t firstVocab = 0;
    for (const std::string& path : paths) {
        if (isCancelled(cancel))
            return std::unexpected(cancelled());
        auto model = ModelFile::open(path);
        if (!model)
            return std::unexpected(about(path, model.error()));
        if (firstTokenizer) {
            PONDER_TRY(checkSameTokens(*firstTokenizer, firstVocab, paths.front(), **model, path));
        } else {
            firstTokenizer = (*model)->tokenizer();
            firstVocab = (*model)->info().config.vocabSize;
        }
        SurveyedModel surveyed;
        surveyed.fileType = (*model)->info().fileType;
        surveyed.bitsPerWeight = bitsPerWeight(**model);
        for (const GgufFile& part : (*model)->files().parts())
            surveyed.fileBytes += part.size();
        models.push_back(std::move(surveyed));
    }
    for (size_t i = 0; i < models.size(); ++i) {
        const auto sameType = [&](const SurveyedModel& m) { return m.fileType == models[i].fileType; };
        const bool unique = !models[i].fileType.empty() && std::count_if(models.begin(), models.end(), sameType) == 1;
        models[i].label = unique ? models[i].fileType : fileName(paths[i]);
    }
    return models;
}

// One comparison's run: each model in turn, the reference first.
class ComparisonRun {
public:
    ComparisonRun(std::span<const std::string> paths, std::span<const ComparisonPrompt> prompts,
                  const ComparisonOptions& options, const BackendFactory& openBackend,
                  const ComparisonProgressCallback& onProgress, const std::atomic<bool>* cancel)
        : m_paths(paths), m_prompts(prompts), m_options(options), m_openBackend(openBackend), m_cancel(cancel),
          m_progress(paths.size(), prompts.size(), options.maxTokens, onProgress)
    {
    }

    Result<ComparisonResult> run()
    {
        auto surveyed = survey(m_paths, m_cancel);
        if (!surveyed)
            return std::unexpected(surveyed.error());
        m_models = std::move(*surveyed);
        std::vector<double> bits;
        for (const SurveyedModel& model : m_models)
            bits.push_back(model.bitsPerWeight);
        m_result.reference = indexOfMost(bits);
        m_result.models.resize(m_paths.size());
        m_referenceTokens.resize(m_prompts.size());
        m_answerStart.resize(m_prompts.size());

        size_t step = 0;
        PONDER_TRY(runModel(m_result.reference, step++));
        for (size_t model = 0; model < m_paths.size(); ++model)
            if (model != m_result.reference)
                PONDER_TRY(runModel(model, step++));
        m_progress.finish("Done");
        return std::move(m_result);
    }

private:
    bool isReference(size_t model) const { return model == m_result.reference; }

    Result<void> runModel(size_t index, size_t step)
    {
        const std::string& path = m_paths[index];
        const std::string& label = m_models[index].label;
        if (isCancelled(m_cancel))
            return std::unexpected(cancelled());
        m_progress.stage(index, 0, "Loading " + label);
        // Destroyed in the reverse order: the backend before the file it reads.
        auto model = ModelFile::open(path);
        if (!model)
            return std::unexpected(about(path, model.error()));
        if (isCancelled(m_cancel))  // loading onto a GPU takes a while: not after a cancel
            return std::unexpected(cancelled());
        auto backend = m_openBackend(**model);
        if (!backend)
            return std::unexpected(about(path, backend.error()));
        if (!*backend)
            return fail(ErrorCode::InvalidArgument, path + ": no backend was opened");

        ModelComparison& out = m_result.models[index];
        out.path = path;
        out.fileType = m_models[index].fileType;
        out.fileBytes = m_models[index].fileBytes;
        out.bitsPerWeight = m_models[index].bitsPerWeight;
        PONDER_TRY(answerAll(index, step, **model, **backend, out));
        if (isReference(index))
            m_result.referenceLogits.assign(m_prompts.size(), CompactLogits((*model)->info().config.vocabSize,
                                                                            m_options.compact));
        else
            out.divergence.resize(m_prompts.size());
        for (size_t p = 0; p < m_prompts.size(); ++p) {
            if (isCancelled(m_cancel))
                return std::unexpected(cancelled());
            m_progress.stage(index, p, label + " reads the reference's answer " + std::to_string(p + 1) + " of " +
                                           std::to_string(m_prompts.size()));
            const auto start = Clock::now();
            if (auto read = readReferenceAnswer(index, p, **backend); !read)
                return std::unexpected(about(path, read.error()));
            m_progress.forcingDone(step, p, secondsSince(start));
        }
        if (!isReference(index)) {
            std::vector<DivergenceReport> reports;
            for (const PromptDivergence& divergence : out.divergence)
                reports.push_back(divergence.report);
            out.statistics = summarizeDivergence(reports);
        }
        return {};
    }

    Result<void> answerAll(size_t index, size_t step, const ModelFile& model, InferenceBackend& backend,
                           ModelComparison& out)
    {
        const std::string& label = m_models[index].label;
        double reasoning = 0, seconds = 0;
        uint64_t steps = 0;
        for (size_t p = 0; p < m_prompts.size(); ++p) {
            if (isCancelled(m_cancel))
                return std::unexpected(cancelled());
            m_progress.stage(index, p, label + " answers " + std::to_string(p + 1) + " of " +
                                           std::to_string(m_prompts.size()));
            auto answered = divergence::answerPrompt(backend, model, m_prompts[p], m_options,
                                                     [this] { m_progress.answerPiece(); }, m_cancel);
            if (!answered)
                return std::unexpected(about(m_paths[index], answered.error()));
            PromptAnswer& answer = answered->answer;
            m_progress.answerDone(step, p, answer.tokens.size(), answered->generationSeconds);
            reasoning += answer.reasoningTokens;
            seconds += answered->generationSeconds;
            steps += answered->decodeSteps;
            if (isReference(index)) {
                // What every model reads: the reference's prompt and answer.
                m_referenceTokens[p] = std::move(answered->promptTokens);
                m_answerStart[p] = m_referenceTokens[p].size();
                m_referenceTokens[p].insert(m_referenceTokens[p].end(), answer.tokens.begin(), answer.tokens.end());
                m_progress.referenceLength(p, answer.tokens.size());
                m_result.referencePieces.push_back(divergence::tokenPieces(model.tokenizer(), answer.tokens));
            }
            out.answers.push_back(std::move(answer));
        }
        out.meanReasoningTokens = reasoning / double(m_prompts.size());
        out.tokensPerSecond = seconds > 0 ? double(steps) / seconds : 0;
        return {};
    }

    // Teacher forcing along the reference's answer to prompt `p`: the
    // reference keeps its predictions compactly, another model is compared
    // with them a chunk of rows at a time, so no model ever holds more
    // than a chunk of full rows.
    Result<void> readReferenceAnswer(size_t index, size_t p, InferenceBackend& backend)
    {
        const std::vector<int32_t>& tokens = m_referenceTokens[p];
        const size_t from = m_answerStart[p];
        const bool reference = isReference(index);
        PromptDivergence* divergence = reference ? nullptr : &m_result.models[index].divergence[p];
        if (reference)
            m_result.referenceTop.emplace_back();
        else
            divergence->firstDeparture = divergence::firstDeparture(std::span<const int32_t>(tokens).subspan(from),
                                                                    m_result.models[index].answers[p].tokens);
        if (from >= tokens.size())
            return {};  // an empty answer: nothing to read
        const size_t vocab = backend.config().vocabSize;
        CompactLogits& compact = m_result.referenceLogits[p];
        std::vector<TokenProbability>& top = reference ? m_result.referenceTop.back() : divergence->top;

        const auto sink = [&](size_t firstRow, std::span<const float> rows) -> Result<void> {
            if (isCancelled(m_cancel))
                return std::unexpected(cancelled());
            const size_t count = rows.size() / vocab;
            for (size_t r = 0; r < count; ++r) {
                const auto row = rows.subspan(r * vocab, vocab);
                if (reference)
                    PONDER_TRY(compact.append(row, tokens[from + firstRow + r]));
                const auto best = topTokens(row, m_options.topTokens);
                top.insert(top.end(), best.begin(), best.end());
            }
            if (!reference) {
                auto part = compareWithCompact(compact, firstRow, rows);
                if (!part)
                    return std::unexpected(part.error());
                DivergenceReport& report = divergence->report;
                report.kl.insert(report.kl.end(), part->kl.begin(), part->kl.end());
                report.sameTop.insert(report.sameTop.end(), part->sameTop.begin(), part->sameTop.end());
                report.referenceLogProb.insert(report.referenceLogProb.end(), part->referenceLogProb.begin(),
                                               part->referenceLogProb.end());
                report.candidateLogProb.insert(report.candidateLogProb.end(), part->candidateLogProb.begin(),
                                               part->candidateLogProb.end());
            }
            m_progress.forced(count);
            return {};
        };
        {
            const CancelFlagLoan loan(backend, m_cancel);
            PONDER_TRY(teacherForce(backend, tokens, from, m_options.chunk, sink));
        }
        if (!reference)
            divergence::completeTotals(divergence->report);
        return {};
    }

    std::span<const std::string> m_paths;
    std::span<const ComparisonPrompt> m_prompts;
    const ComparisonOptions& m_options;
    const BackendFactory& m_openBackend;
    const std::atomic<bool>* m_cancel;
    divergence::ComparisonProgressTracker m_progress;
    std::vector<SurveyedModel> m_models;
    std::vector<std::vector<int32_t>> m_referenceTokens;  // per prompt: the reference's prompt and answer
    std::vector<size_t> m_answerStart;                    // per prompt: where the answer begins in them
    ComparisonResult m_result;
};

} // namespace

size_t mostPreciseModel(std::span<const ModelFile* const> models)
{
    std::vector<double> bits;
    for (const ModelFile* model : models)
        bits.push_back(model ? bitsPerWeight(*model) : -std::numeric_limits<double>::infinity());
    return indexOfMost(bits);
}

Result<ComparisonResult> compareQuants(std::span<const std::string> modelPaths,
                                       std::span<const ComparisonPrompt> prompts, const ComparisonOptions& options,
                                       const BackendFactory& openBackend, const ComparisonProgressCallback& onProgress,
                                       const std::atomic<bool>* cancel)
{
    if (modelPaths.size() < 2)
        return fail(ErrorCode::InvalidArgument, "a comparison needs at least two models");
    if (prompts.empty())
        return fail(ErrorCode::InvalidArgument, "a comparison needs at least one prompt");
    if (!openBackend)
        return fail(ErrorCode::InvalidArgument, "a comparison needs a way to open backends");
    if (options.chunk == 0)
        return fail(ErrorCode::InvalidArgument, "a comparison reads at least one row of logits at a time");
    if (isCancelled(cancel))
        return std::unexpected(cancelled());
    return ComparisonRun(modelPaths, prompts, options, openBackend, onProgress, cancel).run();
}

} // namespace ponder
