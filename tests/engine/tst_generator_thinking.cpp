// Control over a reasoning model's thinking (GenerationRequest's
// thinkingBudget and answerNow): on a generated R1-format model, the
// generator ends the reasoning where it stands by putting "\n</think>\n\n"
// into the context itself, at the right place in the tokens the engine saw;
// the model then answers; the stats say the reasoning was cut short; and
// neither control does anything where there is no reasoning to end.
#include <QtTest>

#include <QTemporaryDir>

#include <atomic>

#include "model_generator.h"
#include "ponder/generator.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"
#include "ponder/tokenizer.h"

using namespace ponder;

namespace {

// The reference backend, remembering every token it was asked to evaluate.
class RecordingBackend final : public InferenceBackend {
public:
    explicit RecordingBackend(const ModelFile& model) : m_inner(model.info(), model.weights(), 256) {}

    const ModelConfig& config() const override { return m_inner.config(); }
    uint32_t contextLength() const override { return m_inner.contextLength(); }
    uint32_t length() const override { return m_inner.length(); }
    Result<void> truncate(uint32_t length) override
    {
        m_seen.resize(std::min<size_t>(m_seen.size(), length));
        return m_inner.truncate(length);
    }
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens, bool allLogits) override
    {
        m_seen.insert(m_seen.end(), tokens.begin(), tokens.end());
        return m_inner.evaluate(tokens, allLogits);
    }
    std::string deviceName() const override { return "recording"; }

    // The cache's tokens, in order.
    const std::vector<int32_t>& seen() const { return m_seen; }

private:
    reference::ReferenceBackend m_inner;
    std::vector<int32_t> m_seen;
};

struct Run {
    GenerationStats stats;
    std::string text;
    std::vector<int32_t> seen;
    size_t promptTokens = 0;
};

} // namespace

class TestGeneratorThinking : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<ModelFile> m_model;
    std::vector<int32_t> m_end;  // "\n</think>\n\n" in the model's tokens

    GenerationRequest request(uint32_t maxTokens) const
    {
        GenerationRequest r;
        r.messages = {{ChatRole::User, "What is 6 times 7?"}};
        r.sampler.greedy = true;
        r.maxTokens = maxTokens;
        return r;
    }

    Run generate(const GenerationRequest& r, ChatFormat format, const std::function<void(int)>& onPiece = {})
    {
        RecordingBackend backend(*m_model);
        Generator generator(backend, m_model->tokenizer(), format);
        Run run;
        run.promptTokens = generator.promptTokens(r.messages)->size();
        int pieces = 0;
        auto stats = generator.generate(r, [&](std::string_view text) {
            run.text += text;
            if (onPiece)
                onPiece(++pieces);
        });
        if (!stats)
            qFatal("generate: %s", stats.error().message.c_str());
        run.stats = *stats;
        run.seen = backend.seen();
        return run;
    }

    // Where `m_end` begins in `tokens` after `from`; npos when it is not there.
    size_t findEnd(const std::vector<int32_t>& tokens, size_t from) const
    {
        const auto it = std::search(tokens.begin() + std::ptrdiff_t(from), tokens.end(), m_end.begin(), m_end.end());
        return it == tokens.end() ? std::string::npos : size_t(it - tokens.begin());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.seed = 7;
        const std::string path = m_dir.filePath("r1.gguf").toStdString();
        QVERIFY(testing::writeModel(path, spec, 2).has_value());
        auto model = ModelFile::open(path);
        QVERIFY2(model.has_value(), model ? "" : model.error().message.c_str());
        m_model = std::move(*model);
        QCOMPARE(m_model->chatFormat(), ChatFormat::DeepSeekR1);

        const Tokenizer& tokenizer = m_model->tokenizer();
        const auto close = tokenizer.findToken("</think>");
        QVERIFY(close.has_value());
        m_end = tokenizer.encode("\n", false, false);
        m_end.push_back(*close);
        const auto after = tokenizer.encode("\n\n", false, false);
        m_end.insert(m_end.end(), after.begin(), after.end());

        // The model reasons long enough on its own for the cuts below to
        // mean something: without a budget it neither ends the reasoning nor
        // the turn within 24 tokens.
        const Run free = generate(request(24), ChatFormat::DeepSeekR1);
        QCOMPARE(free.stats.generatedTokens, 24u);
        QCOMPARE(free.stats.reasoningTokens, 24u);
        QVERIFY(!free.stats.reasoningCutShort);
        QCOMPARE(findEnd(free.seen, free.promptTokens), std::string::npos);
    }

    void aBudgetEndsTheReasoningWhereItStands()
    {
        GenerationRequest r = request(24);
        r.thinkingBudget = 5;
        const Run run = generate(r, ChatFormat::DeepSeekR1);
        QVERIFY(run.stats.reasoningCutShort);
        QCOMPARE(run.stats.reasoningTokens, 5u);
        // The engine saw: the prompt, five reasoning tokens, the end of the
        // reasoning, then the answer's tokens.
        QCOMPARE(findEnd(run.seen, run.promptTokens), run.promptTokens + 5);
        QVERIFY(run.stats.generatedTokens > 5);
        QVERIFY(run.seen.size() > run.promptTokens + 5 + m_end.size());
        // The text says so where it happened, once.
        const size_t close = run.text.find("\n</think>\n\n");
        QVERIFY(close != std::string::npos);
        QCOMPARE(run.text.find("</think>", close + 2), std::string::npos);
        QVERIFY(close + 11 < run.text.size());  // answer text follows
    }

    void answerNowEndsTheReasoningAtOnce()
    {
        std::atomic<bool> answerNow{false};
        GenerationRequest r = request(24);
        r.answerNow = &answerNow;
        const Run run = generate(r, ChatFormat::DeepSeekR1, [&](int pieces) {
            if (pieces == 3)
                answerNow = true;
        });
        QVERIFY(run.stats.reasoningCutShort);
        QVERIFY(run.stats.reasoningTokens >= 3 && run.stats.reasoningTokens < 24);
        QCOMPARE(findEnd(run.seen, run.promptTokens), run.promptTokens + run.stats.reasoningTokens);
        QVERIFY(run.stats.generatedTokens > run.stats.reasoningTokens);
    }

    void noReasoningNothingToEnd()
    {
        // ChatML's prompt opens no reasoning: neither control does anything.
        std::atomic<bool> answerNow{true};
        GenerationRequest r = request(12);
        r.thinkingBudget = 2;
        r.answerNow = &answerNow;
        const Run run = generate(r, ChatFormat::ChatML);
        QVERIFY(!run.stats.reasoningCutShort);
        QCOMPARE(run.stats.reasoningTokens, 0u);
        QCOMPARE(findEnd(run.seen, run.promptTokens), std::string::npos);
        QVERIFY(run.stats.generatedTokens > 0);
    }

    void aCutThatDoesNotFitStopsTheTurn()
    {
        // A context one token short of the end's tokens: the turn ends as full
        // instead of evaluating past the context.
        GenerationRequest r = request(400);
        r.thinkingBudget = 1;
        RecordingBackend backend(*m_model);
        Generator generator(backend, m_model->tokenizer(), ChatFormat::DeepSeekR1);
        const size_t prompt = generator.promptTokens(r.messages)->size();
        r.thinkingBudget = uint32_t(backend.contextLength() - prompt - m_end.size() + 1);
        auto stats = generator.generate(r, [](std::string_view) {});
        QVERIFY(stats.has_value());
        QCOMPARE(stats->stopReason, StopReason::ContextFull);
        QVERIFY(!stats->reasoningCutShort);
        QVERIFY(backend.length() <= backend.contextLength());
    }
};

QTEST_GUILESS_MAIN(TestGeneratorThinking)
#include "tst_generator_thinking.moc"
