// compareQuants() on one set of generated weights in F16, Q8_0, Q6_K,
// Q4_K_M, Q3_K_M and Q2_K, run on the CPU reference: the most precise file
// is the reference whatever the order, its statistics are zero, the others'
// divergence grows as bits shrink, at most one backend lives at a time, the
// reference's logits stay compact, progress only grows and ends at 1, a
// cancel returns Cancelled promptly, and other tokenizers are refused. Also
// the answer helpers: reasoning length, first departure, token pieces.
#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <map>

#include "divergence/comparison_answers.h"
#include "model_generator.h"
#include "ponder/model_file.h"
#include "ponder/quant_comparison.h"
#include "ponder/reference/reference_backend.h"
#include "synthetic_vocab.h"

using namespace ponder;

namespace {

// The mixes from most to fewest bits per weight.
const std::vector<QuantMix> kMixes{QuantMix::F16,    QuantMix::Q8_0,   QuantMix::Q6_K,
                                   QuantMix::Q4_K_M, QuantMix::Q3_K_M, QuantMix::Q2_K};
constexpr uint32_t kVocab = 2048;  // large enough that a full row (8 KiB) dwarfs a compact one
constexpr uint32_t kMaxTokens = 12;

// Counts the backends alive, and the most ever alive together.
struct BackendCensus {
    int alive = 0;
    int most = 0;
    int opened = 0;
};

// A reference backend that reports its birth and death to a census.
class CountedBackend final : public InferenceBackend {
public:
    CountedBackend(const ModelFile& model, BackendCensus& census)
        : m_inner(model.info(), model.weights(), 512), m_census(census)
    {
        ++m_census.opened;
        m_census.most = std::max(m_census.most, ++m_census.alive);
    }
    ~CountedBackend() override { --m_census.alive; }

    const ModelConfig& config() const override { return m_inner.config(); }
    uint32_t contextLength() const override { return m_inner.contextLength(); }
    uint32_t length() const override { return m_inner.length(); }
    Result<void> truncate(uint32_t length) override { return m_inner.truncate(length); }
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override
    {
        return m_inner.evaluate(tokens, allLogits);
    }
    std::string deviceName() const override { return m_inner.deviceName(); }

private:
    reference::ReferenceBackend m_inner;
    BackendCensus& m_census;
};

BackendFactory countingFactory(BackendCensus& census)
{
    return [&census](const ModelFile& model) -> Result<std::unique_ptr<InferenceBackend>> {
        return std::make_unique<CountedBackend>(model, census);
    };
}

std::vector<ComparisonPrompt> somePrompts()
{
    return {{"math-01", "math", "What is 2 + 3?", "5"}, {"prose-01", "prose", "Describe the sea in one sentence.", ""}};
}

ComparisonOptions greedyOptions()
{
    ComparisonOptions options;
    options.sampler.greedy = true;
    options.sampler.seed = 5;
    options.maxTokens = kMaxTokens;
    options.chunk = 5;  // several chunks per answer, one of them partial
    return options;
}

} // namespace

class TestQuantComparison : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::map<QuantMix, std::string> m_paths;

    std::string pathOf(QuantMix mix) const { return m_paths.at(mix); }

    std::string write(const std::string& name, QuantMix mix, uint32_t vocab,
                      std::optional<TokenizerVocab> tokens = std::nullopt)
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Llama, vocab);
        spec.mix = mix;
        spec.seed = 42;  // the same weights in every mix
        spec.vocab = std::move(tokens);
        const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString() + ".gguf";
        return testing::writeModel(path, spec, 2) ? path : std::string();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (QuantMix mix : kMixes) {
            const std::string path = write(std::string(quantMixName(mix)), mix, kVocab);
            QVERIFY(!path.empty());
            m_paths[mix] = path;
        }
    }

    void mostPreciseIsF16InAnyOrder()
    {
        std::vector<std::unique_ptr<ModelFile>> files;
        for (QuantMix mix : kMixes) {
            auto file = ModelFile::open(pathOf(mix));
            QVERIFY(file.has_value());
            files.push_back(std::move(*file));
        }
        std::vector<const ModelFile*> order;
        for (const auto& file : files)
            order.push_back(file.get());
        // Every rotation, and reversed: F16 is found wherever it stands.
        for (int reversed = 0; reversed < 2; ++reversed) {
            for (size_t turn = 0; turn < order.size(); ++turn) {
                const size_t picked = mostPreciseModel(order);
                QCOMPARE(order[picked], files.front().get());
                std::rotate(order.begin(), order.begin() + 1, order.end());
            }
            std::reverse(order.begin(), order.end());
        }
        // Ties go to the first.
        const std::vector<const ModelFile*> twice{files[1].get(), files[1].get(), files[3].get()};
        QCOMPARE(mostPreciseModel(twice), size_t(0));
    }

    // The whole comparison, F16 in the middle of the list.
    void divergenceGrowsAsBitsShrink()
    {
        const std::vector<QuantMix> order{QuantMix::Q4_K_M, QuantMix::Q2_K,   QuantMix::F16,
                                          QuantMix::Q8_0,   QuantMix::Q3_K_M, QuantMix::Q6_K};
        std::vector<std::string> paths;
        for (QuantMix mix : order)
            paths.push_back(pathOf(mix));
        const auto prompts = somePrompts();
        const ComparisonOptions options = greedyOptions();
        BackendCensus census;
        std::vector<ComparisonProgress> progress;
        const auto result = compareQuants(paths, prompts, options, countingFactory(census),
                                          [&](const ComparisonProgress& p) { progress.push_back(p); });
        QVERIFY2(result.has_value(), result ? "" : result.error().message.c_str());

        // The memory promise: one model at a time, each opened once.
        QCOMPARE(census.most, 1);
        QCOMPARE(census.alive, 0);
        QCOMPARE(census.opened, int(paths.size()));

        QCOMPARE(result->reference, size_t(2));
        QCOMPARE(result->models.size(), paths.size());
        const ModelComparison& reference = result->models[2];
        QCOMPARE(reference.fileType, std::string("F16"));
        QVERIFY(reference.divergence.empty());
        QCOMPARE(reference.statistics.positions, size_t(0));
        QCOMPARE(reference.statistics.meanKl, 0.0);
        QCOMPARE(reference.statistics.kl99, 0.0);
        QCOMPARE(reference.statistics.maxKl, 0.0);
        QCOMPARE(reference.statistics.perplexityRatio, 0.0);

        // The reference's answers, as read by everyone.
        size_t positions = 0;
        size_t compactBytes = 0;
        QCOMPARE(result->referencePieces.size(), prompts.size());
        QCOMPARE(result->referenceTop.size(), prompts.size());
        QCOMPARE(result->referenceLogits.size(), prompts.size());
        for (size_t p = 0; p < prompts.size(); ++p) {
            const PromptAnswer& answer = reference.answers[p];
            QVERIFY(answer.tokens.size() <= kMaxTokens);
            QCOMPARE(result->referencePieces[p].size(), answer.tokens.size());
            std::string joined;
            for (const std::string& piece : result->referencePieces[p])
                joined += piece;
            QCOMPARE(joined, answer.text);
            QCOMPARE(result->referenceLogits[p].rows(), answer.tokens.size());
            QCOMPARE(result->referenceTop[p].size(), answer.tokens.size() * options.topTokens);
            positions += answer.tokens.size();
            compactBytes += result->referenceLogits[p].bytes();
        }
        QVERIFY(positions >= 20);  // not a comparison of nothing
        // Compact: at most the 256 entries of 8 bytes and 20 bytes of
        // bookkeeping per position, a quarter of a full row of 2048 floats.
        const double bytesPerPosition = double(compactBytes) / double(positions);
        qInfo("%zu positions, %.0f compact bytes per position (a full row: %u)", positions, bytesPerPosition,
              kVocab * 4);
        QVERIFY(bytesPerPosition <= 256 * 8 + 20 + 4);

        std::map<QuantMix, const ModelComparison*> byMix;
        for (size_t m = 0; m < order.size(); ++m)
            byMix[order[m]] = &result->models[m];
        for (size_t m = 0; m < order.size(); ++m) {
            const ModelComparison& model = result->models[m];
            QCOMPARE(model.path, paths[m]);
            QCOMPARE(model.fileType, std::string(quantMixName(order[m])));
            QCOMPARE(model.fileBytes, uint64_t(std::filesystem::file_size(paths[m])));
            QCOMPARE(model.answers.size(), prompts.size());
            QVERIFY(model.tokensPerSecond > 0);
            if (m == result->reference)
                continue;
            QCOMPARE(model.divergence.size(), prompts.size());
            std::vector<DivergenceReport> reports;
            for (size_t p = 0; p < prompts.size(); ++p) {
                const PromptDivergence& divergence = model.divergence[p];
                const auto& theirs = reference.answers[p].tokens;
                const auto& own = model.answers[p].tokens;
                QCOMPARE(divergence.report.kl.size(), theirs.size());
                QCOMPARE(divergence.top.size(), theirs.size() * options.topTokens);
                // The first departure, found again here.
                size_t departs = 0;
                while (departs < theirs.size() && departs < own.size() && theirs[departs] == own[departs])
                    ++departs;
                if (departs == theirs.size() && departs == own.size())
                    departs = SIZE_MAX;
                QCOMPARE(divergence.firstDeparture, departs);
                reports.push_back(divergence.report);
            }
            const DivergenceStatistics pooled = summarizeDivergence(reports);
            QCOMPARE(model.statistics.positions, positions);
            QCOMPARE(model.statistics.meanKl, pooled.meanKl);
            QCOMPARE(model.statistics.kl99, pooled.kl99);
            QVERIFY(model.statistics.meanKl > 0);
        }
        // Bits per weight fall in the order of kMixes.
        for (size_t i = 1; i < kMixes.size(); ++i)
            QVERIFY(byMix[kMixes[i]]->bitsPerWeight < byMix[kMixes[i - 1]]->bitsPerWeight);
        QVERIFY(byMix[QuantMix::F16]->bitsPerWeight >= 16);

        for (QuantMix mix : kMixes) {
            const DivergenceStatistics& s = byMix[mix]->statistics;
            qInfo("%-7s %.2f bpw: mean KLD %.6f, median %.6f, 99%% %.6f, max %.6f, same top %.1f%%, "
                  "RMS dp %.2f%%, PPL ratio %.4f, %.1f reasoning tokens",
                  quantMixName(mix).data(), byMix[mix]->bitsPerWeight, s.meanKl, s.medianKl, s.kl99, s.maxKl,
                  s.sameTopPercent, s.rmsDeltaPPercent, s.perplexityRatio, byMix[mix]->meanReasoningTokens);
        }
        // The ordering asserted: mean KLD and 99% KLD both strictly rising
        // Q8_0 < Q6_K < Q4_K_M < Q3_K_M < Q2_K (each mix about 3-10 times
        // its neighbour's here), and same-top-p falling from Q8_0 to Q2_K.
        for (size_t i = 2; i < kMixes.size(); ++i) {
            const DivergenceStatistics& more = byMix[kMixes[i - 1]]->statistics;
            const DivergenceStatistics& fewer = byMix[kMixes[i]]->statistics;
            QVERIFY2(fewer.meanKl > more.meanKl, quantMixName(kMixes[i]).data());
            QVERIFY2(fewer.kl99 > more.kl99, quantMixName(kMixes[i]).data());
        }
        QVERIFY(byMix[QuantMix::Q8_0]->statistics.sameTopPercent > byMix[QuantMix::Q2_K]->statistics.sameTopPercent);

        // Progress: reported throughout, never going back, ending at 1.
        QVERIFY(progress.size() > 20);
        for (size_t i = 1; i < progress.size(); ++i)
            QVERIFY2(progress[i].fraction >= progress[i - 1].fraction, progress[i].stage.c_str());
        QCOMPARE(progress.back().fraction, 1.0);
        QVERIFY(progress.front().fraction < 0.05);
        QCOMPARE(progress.front().models, paths.size());
        QCOMPARE(progress.front().prompts, prompts.size());
        QCOMPARE(progress.front().secondsLeft, -1.0);  // nothing measured yet
        // The reference works first; then the rest in the order given.
        QCOMPARE(progress.front().stage, std::string("Loading F16"));
        std::vector<size_t> modelOrder;
        for (const ComparisonProgress& p : progress)
            if (p.stage.starts_with("Loading "))
                modelOrder.push_back(p.model);
        QCOMPARE(modelOrder, (std::vector<size_t>{2, 0, 1, 3, 4, 5}));
        const auto answering = std::find_if(progress.begin(), progress.end(), [](const ComparisonProgress& p) {
            return p.stage == "Q2_K answers 2 of 2";
        });
        QVERIFY(answering != progress.end());
        QCOMPARE(answering->prompt, size_t(1));
        QVERIFY(answering->secondsLeft >= 0);  // measured by then
    }

    // A cancel at each kind of moment returns Cancelled, and nothing after it runs.
    void cancelReturnsCancelled_data()
    {
        QTest::addColumn<QString>("at");
        QTest::newRow("before the start") << QString();
        QTest::newRow("loading the second model") << "Loading Q2_K";
        QTest::newRow("answering") << "Q2_K answers 2 of 2";
        QTest::newRow("reading the reference's answer") << "Q2_K reads the reference's answer 1 of 2";
        QTest::newRow("the reference reading its own") << "F16 reads the reference's answer 2 of 2";
    }

    void cancelReturnsCancelled()
    {
        QFETCH(QString, at);
        const std::vector<std::string> paths{pathOf(QuantMix::F16), pathOf(QuantMix::Q2_K)};
        const auto prompts = somePrompts();
        std::atomic<bool> cancel = at.isEmpty();
        BackendCensus census;
        bool cancelSeen = false;
        size_t callsAfterCancel = 0;
        std::vector<std::string> stagesAfterCancel;
        ComparisonOptions options = greedyOptions();
        options.maxTokens = 4;  // short answers: a cancel needs no long run
        options.chunk = 2;
        const auto result = compareQuants(
            paths, prompts, options, countingFactory(census),
            [&](const ComparisonProgress& p) {
                if (cancelSeen) {
                    ++callsAfterCancel;
                    if (stagesAfterCancel.empty() || stagesAfterCancel.back() != p.stage)
                        stagesAfterCancel.push_back(p.stage);
                }
                if (p.stage == at.toStdString() && !cancelSeen) {
                    cancel = true;
                    cancelSeen = true;
                }
            },
            &cancel);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QCOMPARE(census.alive, 0);
        QVERIFY(at.isEmpty() || cancelSeen);
        // Promptly: no new stage began after the cancel, and within the
        // current one at most a few pieces arrived.
        QVERIFY2(stagesAfterCancel.size() <= 1, stagesAfterCancel.empty() ? "" : stagesAfterCancel.back().c_str());
        QVERIFY(callsAfterCancel <= 2);
        // Models loaded: none before the start, none after the cancel.
        QCOMPARE(census.opened, at.isEmpty() ? 0 : at.contains("F16") || at.startsWith("Loading") ? 1 : 2);
    }

    void otherTokenizersAreRefused()
    {
        // A larger vocabulary.
        const std::string wider = write("wider", QuantMix::Q8_0, kVocab + 64);
        // The same size with one token's text changed.
        TokenizerVocab tokens = testing::syntheticR1Vocab(kVocab);
        tokens.tokens[300] = "Ġzzzz";
        const std::string renamed = write("renamed", QuantMix::Q8_0, kVocab, tokens);
        QVERIFY(!wider.empty() && !renamed.empty());
        BackendCensus census;
        for (const std::string& other : {wider, renamed}) {
            const std::vector<std::string> paths{pathOf(QuantMix::F16), other};
            const auto result = compareQuants(paths, somePrompts(), greedyOptions(), countingFactory(census));
            QVERIFY(!result);
            QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
            QVERIFY2(result.error().message.find(paths[0]) != std::string::npos, result.error().message.c_str());
            QVERIFY2(result.error().message.find(other) != std::string::npos, result.error().message.c_str());
            QVERIFY(result.error().message.find("tokenizer") != std::string::npos);
        }
        QCOMPARE(census.opened, 0);  // refused before any model is loaded
    }

    void unusableRequestsAreErrors()
    {
        BackendCensus census;
        const auto prompts = somePrompts();
        const std::vector<std::string> one{pathOf(QuantMix::F16)};
        QCOMPARE(compareQuants(one, prompts, greedyOptions(), countingFactory(census)).error().code,
                 ErrorCode::InvalidArgument);
        const std::vector<std::string> two{pathOf(QuantMix::F16), pathOf(QuantMix::Q2_K)};
        QCOMPARE(compareQuants(two, {}, greedyOptions(), countingFactory(census)).error().code,
                 ErrorCode::InvalidArgument);
        const std::string missing = m_dir.filePath(QStringLiteral("absent.gguf")).toStdString();
        const std::vector<std::string> absent{pathOf(QuantMix::F16), missing};
        const auto notThere = compareQuants(absent, prompts, greedyOptions(), countingFactory(census));
        QVERIFY(!notThere);
        QVERIFY2(notThere.error().message.find("absent.gguf") != std::string::npos, notThere.error().message.c_str());
        // A factory that fails: the error names the model.
        const auto failing = compareQuants(two, prompts, greedyOptions(),
                                           [](const ModelFile&) -> Result<std::unique_ptr<InferenceBackend>> {
                                               return fail(ErrorCode::OutOfMemory, "no room");
                                           });
        QVERIFY(!failing);
        QCOMPARE(failing.error().code, ErrorCode::OutOfMemory);
        QVERIFY(failing.error().message.find(pathOf(QuantMix::F16)) != std::string::npos);
        QCOMPARE(census.opened, 0);
    }

    void answerHelpers()
    {
        auto model = ModelFile::open(pathOf(QuantMix::Q8_0));
        QVERIFY(model.has_value());
        const Tokenizer& tokenizer = (*model)->tokenizer();
        const auto close = tokenizer.findToken("</think>");
        QVERIFY(close.has_value());
        const std::vector<int32_t> words = tokenizer.encode("so the answer is", false, false);
        const std::vector<int32_t> after = tokenizer.encode(" five", false, false);
        QVERIFY(words.size() >= 2 && !after.empty());

        // The closing token counts with the reasoning.
        std::vector<int32_t> answer = words;
        answer.push_back(*close);
        answer.insert(answer.end(), after.begin(), after.end());
        QCOMPARE(divergence::countReasoningTokens(tokenizer, answer, true), uint32_t(words.size() + 1));
        // "</think>" spelled out in plain tokens, split across several.
        // (The tokenizer always matches the whole tag, so it is built from two halves.)
        std::vector<int32_t> spelled = tokenizer.encode("</", false, false);
        const std::vector<int32_t> rest = tokenizer.encode("think>", false, false);
        spelled.insert(spelled.end(), rest.begin(), rest.end());
        QVERIFY(spelled.size() > 1);
        answer = words;
        answer.insert(answer.end(), spelled.begin(), spelled.end());
        answer.insert(answer.end(), after.begin(), after.end());
        QCOMPARE(divergence::countReasoningTokens(tokenizer, answer, true), uint32_t(words.size() + spelled.size()));
        // Never closed: all reasoning when the prompt opened it, none otherwise.
        QCOMPARE(divergence::countReasoningTokens(tokenizer, words, true), uint32_t(words.size()));
        QCOMPARE(divergence::countReasoningTokens(tokenizer, words, false), uint32_t(0));
        QCOMPARE(divergence::countReasoningTokens(tokenizer, {}, true), uint32_t(0));

        const std::vector<int32_t> a{1, 2, 3}, b{1, 2, 4}, c{1, 2}, empty;
        QCOMPARE(divergence::firstDeparture(a, a), SIZE_MAX);
        QCOMPARE(divergence::firstDeparture(a, b), size_t(2));
        QCOMPARE(divergence::firstDeparture(a, c), size_t(2));
        QCOMPARE(divergence::firstDeparture(c, a), size_t(2));
        QCOMPARE(divergence::firstDeparture(empty, a), size_t(0));
        QCOMPARE(divergence::firstDeparture(empty, empty), SIZE_MAX);

        // A character split over byte tokens: "" then the whole character.
        const std::string text = "a\xE4\xB8\xAD" "b";  // a, 中, b
        const std::vector<int32_t> ids = tokenizer.encode(text, false, false);
        const auto pieces = divergence::tokenPieces(tokenizer, ids);
        QCOMPARE(pieces.size(), ids.size());
        std::string joined;
        for (const std::string& piece : pieces)
            joined += piece;
        QCOMPARE(joined, text);
        QVERIFY(std::count(pieces.begin(), pieces.end(), std::string()) >= 1);
    }
};

QTEST_GUILESS_MAIN(TestQuantComparison)
#include "tst_quant_comparison.moc"
