// Comparing quants: KL divergence, top-1 agreement and perplexity against
// hand-computed values; teacher-forced logits equal to evaluating token by
// token, whatever the chunk size; and on one set of random weights stored in
// several mixes, divergence from the F32 model that grows as bits shrink.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>

#include "model_generator.h"
#include "ponder/model_file.h"
#include "ponder/quant_divergence.h"
#include "ponder/reference/reference_backend.h"

using namespace ponder;

namespace {

std::unique_ptr<reference::ReferenceBackend> backendFor(const ModelFile& model)
{
    return std::make_unique<reference::ReferenceBackend>(model.info(), model.weights(), 256);
}

std::vector<int32_t> someTokens(uint32_t vocab, size_t count)
{
    std::vector<int32_t> tokens;
    for (size_t i = 0; i < count; ++i)
        tokens.push_back(int32_t((i * 7919 + 13) % vocab));
    return tokens;
}

} // namespace

class TestQuantDivergence : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    std::unique_ptr<ModelFile> write(QuantMix mix)
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Llama);
        spec.mix = mix;
        spec.seed = 42;  // the same weights in every mix
        const std::string path = m_dir.filePath(QString::fromLatin1(quantMixName(mix).data())).toStdString() + ".gguf";
        if (!testing::writeModel(path, spec, 2))
            return nullptr;
        auto model = ModelFile::open(path);
        return model ? std::move(*model) : nullptr;
    }

private slots:
    void handComputed()
    {
        // Two positions over a vocabulary of 2. First: p = (1/2, 1/2), q = (3/4, 1/4):
        // KL = 1/2 ln(2/3) + 1/2 ln 2 = 1/2 ln(4/3). Second: identical rows.
        const std::vector<float> reference{0.f, 0.f, 1.f, 3.f};
        const std::vector<float> candidate{float(std::log(3.0)), 0.f, 1.f, 3.f};
        const std::vector<int32_t> targets{1, 1};
        const auto report = compareLogits(reference, candidate, 2, targets);
        QVERIFY(report.has_value());
        QCOMPARE(report->kl.size(), size_t(2));
        QVERIFY(std::abs(report->kl[0] - 0.5 * std::log(4.0 / 3.0)) < 1e-7);
        QVERIFY(report->kl[1] < 1e-12);
        QVERIFY(std::abs(report->meanKl - 0.25 * std::log(4.0 / 3.0)) < 1e-7);
        QCOMPARE(report->maxKl, report->kl[0]);
        QCOMPARE(report->sameTop, (std::vector<uint8_t>{1, 1}));  // a tie goes to the first token, in both
        QCOMPARE(report->top1Agreement, 1.0);
        // Target 1 at both: reference probabilities 1/2 and e^3/(e+e^3); candidate 1/4 and the same.
        const double second = std::exp(3.0) / (std::exp(1.0) + std::exp(3.0));
        QVERIFY(std::abs(report->referencePerplexity - std::exp(-(std::log(0.5) + std::log(second)) / 2)) < 1e-6);
        QVERIFY(std::abs(report->candidatePerplexity - std::exp(-(std::log(0.25) + std::log(second)) / 2)) < 1e-6);

        // A disagreement on the top token.
        const std::vector<float> flipped{0.f, 1.f};
        const std::vector<float> original{1.f, 0.f};
        const auto one = compareLogits(original, flipped, 2, std::vector<int32_t>{0});
        QVERIFY(one.has_value());
        QCOMPARE(one->top1Agreement, 0.0);
        QVERIFY(one->kl[0] > 0.4);
    }

    void unusableInputIsAnError()
    {
        const std::vector<float> four{0.f, 0.f, 0.f, 0.f};
        const std::vector<float> two{0.f, 0.f};
        QVERIFY(!compareLogits(four, two, 2, std::vector<int32_t>{0, 1}));
        QVERIFY(!compareLogits(four, four, 2, std::vector<int32_t>{0, 2}));
        QVERIFY(!compareLogits(four, four, 2, std::vector<int32_t>{}));
        const auto error = compareLogits(four, four, 2, std::vector<int32_t>{0, -1});
        QVERIFY(!error);
        QVERIFY(error.error().message.find("outside the vocabulary") != std::string::npos);
    }

    void teacherForcingEqualsTokenByToken()
    {
        auto model = write(QuantMix::Q8_0);
        QVERIFY(model);
        const uint32_t vocab = model->info().config.vocabSize;
        const std::vector<int32_t> tokens = someTokens(vocab, 21);
        const size_t from = 6;

        // Token by token: the logits after token j predict token j+1.
        auto single = backendFor(*model);
        std::vector<float> expected;
        for (size_t j = 0; j + 1 < tokens.size(); ++j) {
            auto row = single->evaluate(std::span(tokens).subspan(j, 1), false);
            QVERIFY(row.has_value());
            if (j + 1 >= from)
                expected.insert(expected.end(), row->begin(), row->end());
        }
        for (size_t chunk : {size_t(1), size_t(4), size_t(64)}) {
            auto backend = backendFor(*model);
            (void)backend->evaluate(std::span(tokens).first(3), false);  // a stale cache is cleared first
            const auto logits = teacherForcedLogits(*backend, tokens, from, chunk);
            QVERIFY(logits.has_value());
            QCOMPARE(logits->size(), (tokens.size() - from) * vocab);
            double worst = 0;
            for (size_t i = 0; i < expected.size(); ++i)
                worst = std::max(worst, double(std::abs((*logits)[i] - expected[i])));
            QVERIFY2(worst < 1e-3, qPrintable(QStringLiteral("chunk %1: off by %2").arg(chunk).arg(worst)));
        }
        auto backend = backendFor(*model);
        QVERIFY(!teacherForcedLogits(*backend, tokens, 0));
        QVERIFY(!teacherForcedLogits(*backend, tokens, tokens.size()));
    }

    // Fewer bits, further from the F32 model: KL grows and top-1 agreement
    // does not rise, and Q8_0 is nearly the same model.
    void divergenceGrowsAsBitsShrink()
    {
        auto f32 = write(QuantMix::F32);
        QVERIFY(f32);
        const uint32_t vocab = f32->info().config.vocabSize;
        const std::vector<int32_t> tokens = someTokens(vocab, 48);
        const size_t from = 8;
        const std::span<const int32_t> targets = std::span(tokens).subspan(from);
        auto referenceBackend = backendFor(*f32);
        const auto reference = teacherForcedLogits(*referenceBackend, tokens, from);
        QVERIFY(reference.has_value());

        std::vector<DivergenceReport> reports;
        for (QuantMix mix : {QuantMix::F32, QuantMix::Q8_0, QuantMix::Q4_K_M, QuantMix::Q2_K}) {
            auto model = mix == QuantMix::F32 ? nullptr : write(mix);
            const ModelFile& file = model ? *model : *f32;
            auto backend = backendFor(file);
            const auto logits = teacherForcedLogits(*backend, tokens, from);
            QVERIFY(logits.has_value());
            const auto report = compareLogits(*reference, *logits, vocab, targets);
            QVERIFY(report.has_value());
            qInfo("%-7s mean KL %.6f nats, max %.6f, top-1 agreement %.3f, perplexity %.2f (F32 %.2f)",
                  quantMixName(mix).data(), report->meanKl, report->maxKl, report->top1Agreement,
                  report->candidatePerplexity, report->referencePerplexity);
            reports.push_back(*report);
        }
        QVERIFY(reports[0].meanKl < 1e-9);
        QCOMPARE(reports[0].top1Agreement, 1.0);
        QVERIFY(reports[1].meanKl < 0.01);
        QVERIFY(reports[1].meanKl < reports[2].meanKl);
        QVERIFY(reports[2].meanKl < reports[3].meanKl);
        QVERIFY(reports[1].top1Agreement >= reports[3].top1Agreement);
    }
};

QTEST_GUILESS_MAIN(TestQuantDivergence)
#include "tst_quant_divergence.moc"
