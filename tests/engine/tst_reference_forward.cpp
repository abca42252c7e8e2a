// The CPU reference forward pass against an independent float64 computation
// written here from the GGUF bytes, on generated F32 models of both
// architectures; and the properties the rest of the engine relies on:
// feeding a prompt at once or token by token gives the same logits and the
// same greedy generation, and errors are values.
#include <QtTest>

#include <cmath>
#include <vector>

#include "model_generator.h"
#include "ponder/gguf.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"

using namespace ponder;

namespace {

// An independent float64 llama/qwen2 forward pass: reads F32 tensors straight
// from the file, keeps everything in double, one token at a time.
class Float64Model {
public:
    explicit Float64Model(const GgufFile& file, const ModelConfig& config) : m_file(file), m_c(config) {}

    std::vector<double> step(int32_t token)
    {
        const ModelConfig& c = m_c;
        std::vector<double> x = row("token_embd.weight", token, c.embeddingLength);
        const uint32_t pos = m_length++;
        for (uint32_t l = 0; l < c.blockCount; ++l) {
            const std::string p = "blk." + std::to_string(l) + ".";
            std::vector<double> h = norm(x, p + "attn_norm.weight");
            std::vector<double> q = matmul(p + "attn_q.weight", h, c.headCount * c.headDim);
            std::vector<double> k = matmul(p + "attn_k.weight", h, c.headCountKv * c.headDim);
            std::vector<double> v = matmul(p + "attn_v.weight", h, c.headCountKv * c.headDim);
            if (c.hasQkvBias) {
                addVector(q, p + "attn_q.bias");
                addVector(k, p + "attn_k.bias");
                addVector(v, p + "attn_v.bias");
            }
            rotate(q, pos);
            rotate(k, pos);
            if (m_keys.size() <= l) {
                m_keys.emplace_back();
                m_values.emplace_back();
            }
            m_keys[l].push_back(k);
            m_values[l].push_back(v);
            std::vector<double> out(c.headCount * c.headDim, 0.0);
            const uint32_t group = c.headCount / c.headCountKv;
            for (uint32_t head = 0; head < c.headCount; ++head) {
                const uint32_t kv = head / group;
                std::vector<double> scores(pos + 1);
                double best = -1e300;
                for (uint32_t j = 0; j <= pos; ++j) {
                    double dot = 0;
                    for (uint32_t d = 0; d < c.headDim; ++d)
                        dot += q[head * c.headDim + d] * m_keys[l][j][kv * c.headDim + d];
                    scores[j] = dot / std::sqrt(double(c.headDim));
                    best = std::max(best, scores[j]);
                }
                double sum = 0;
                for (double& s : scores)
                    sum += (s = std::exp(s - best));
                for (uint32_t j = 0; j <= pos; ++j)
                    for (uint32_t d = 0; d < c.headDim; ++d)
                        out[head * c.headDim + d] += scores[j] / sum * m_values[l][j][kv * c.headDim + d];
            }
            const std::vector<double> attn = matmul(p + "attn_output.weight", out, c.embeddingLength);
            for (size_t i = 0; i < x.size(); ++i)
                x[i] += attn[i];
            h = norm(x, p + "ffn_norm.weight");
            std::vector<double> gate = matmul(p + "ffn_gate.weight", h, c.feedForwardLength);
            const std::vector<double> up = matmul(p + "ffn_up.weight", h, c.feedForwardLength);
            for (size_t i = 0; i < gate.size(); ++i)
                gate[i] = gate[i] / (1 + std::exp(-gate[i])) * up[i];
            const std::vector<double> down = matmul(p + "ffn_down.weight", gate, c.embeddingLength);
            for (size_t i = 0; i < x.size(); ++i)
                x[i] += down[i];
        }
        x = norm(x, "output_norm.weight");
        return matmul(c.tiedOutput ? "token_embd.weight" : "output.weight", x, c.vocabSize);
    }

private:
    const float* data(const std::string& name) const
    {
        const GgufTensorInfo* t = m_file.findTensor(name);
        if (!t || t->type != TensorType::F32)
            qFatal("test model lacks F32 tensor %s", name.c_str());
        return reinterpret_cast<const float*>(m_file.tensorData(*t).data());
    }
    std::vector<double> row(const std::string& name, int32_t r, uint32_t n) const
    {
        const float* w = data(name) + size_t(r) * n;
        return std::vector<double>(w, w + n);
    }
    std::vector<double> matmul(const std::string& name, const std::vector<double>& x, uint32_t rows) const
    {
        const float* w = data(name);
        std::vector<double> y(rows);
        for (uint32_t r = 0; r < rows; ++r) {
            double sum = 0;
            for (size_t i = 0; i < x.size(); ++i)
                sum += double(w[r * x.size() + i]) * x[i];
            y[r] = sum;
        }
        return y;
    }
    std::vector<double> norm(const std::vector<double>& x, const std::string& weight) const
    {
        const float* w = data(weight);
        double squares = 0;
        for (double v : x)
            squares += v * v;
        const double scale = 1 / std::sqrt(squares / x.size() + double(m_c.rmsEpsilon));
        std::vector<double> y(x.size());
        for (size_t i = 0; i < x.size(); ++i)
            y[i] = x[i] * scale * w[i];
        return y;
    }
    void addVector(std::vector<double>& x, const std::string& name) const
    {
        const float* b = data(name);
        for (size_t i = 0; i < x.size(); ++i)
            x[i] += b[i];
    }
    void rotate(std::vector<double>& x, uint32_t pos) const
    {
        const uint32_t d = m_c.headDim;
        const uint32_t half = m_c.ropeDimensions / 2;
        const float* factors = m_c.hasRopeFreqs ? data("rope_freqs.weight") : nullptr;
        for (size_t head = 0; head < x.size() / d; ++head) {
            double* h = x.data() + head * d;
            for (uint32_t i = 0; i < half; ++i) {
                double theta = pos * std::pow(double(m_c.ropeFreqBase), -2.0 * i / m_c.ropeDimensions);
                if (factors)
                    theta /= factors[i];
                const bool neox = m_c.ropeLayout == RopeLayout::Neox;
                const uint32_t a = neox ? i : 2 * i;
                const uint32_t b = neox ? i + half : 2 * i + 1;
                const double x0 = h[a], x1 = h[b];
                h[a] = x0 * std::cos(theta) - x1 * std::sin(theta);
                h[b] = x0 * std::sin(theta) + x1 * std::cos(theta);
            }
        }
    }

    const GgufFile& m_file;
    ModelConfig m_c;
    uint32_t m_length = 0;
    std::vector<std::vector<std::vector<double>>> m_keys, m_values;  // [layer][pos][kv]
};

std::vector<int32_t> argmaxTokens(reference::ReferenceBackend& backend, std::vector<float> logits, int count)
{
    std::vector<int32_t> out;
    for (int i = 0; i < count; ++i) {
        const int32_t best = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
        out.push_back(best);
        auto next = backend.evaluate(std::span<const int32_t>(&best, 1), false);
        if (!next)
            qFatal("%s", next.error().message.c_str());
        logits = std::move(*next);
    }
    return out;
}

} // namespace

class TestReferenceForward : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString makeModel(const char* name, testing::ModelSpec spec)
    {
        const QString path = m_dir.filePath(name);
        const auto written = testing::writeModel(path.toStdString(), spec, 2);
        if (!written)
            qFatal("%s", written.error().message.c_str());
        return path;
    }

private slots:
    void matchesFloat64_data()
    {
        QTest::addColumn<int>("arch");
        QTest::addColumn<bool>("tied");
        QTest::newRow("llama (adjacent rope, rope_freqs)") << int(Architecture::Llama) << false;
        QTest::newRow("qwen2 (neox rope, qkv bias)") << int(Architecture::Qwen2) << false;
        QTest::newRow("qwen2, tied output") << int(Architecture::Qwen2) << true;
    }

    // Done-when of the engine-core issue: 1e-5 relative for F32 weights.
    void matchesFloat64()
    {
        QFETCH(int, arch);
        QFETCH(bool, tied);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture(arch), 300);
        spec.config.tiedOutput = tied;
        spec.matrixType = TensorType::F32;
        spec.seed = 11;
        const QString path = makeModel("f32.gguf", spec);
        auto model = ModelFile::open(path.toStdString());
        QVERIFY2(model, model ? "" : model.error().message.c_str());

        reference::ReferenceBackend backend((*model)->info(), (*model)->weights(), 64);
        Float64Model exact((*model)->gguf(), (*model)->info().config);
        const std::vector<int32_t> tokens{5, 299, 0, 42, 42, 7, 150, 3, 280, 1, 64, 200};
        auto logits = backend.evaluate(tokens, true);
        QVERIFY(logits);
        const uint32_t vocab = (*model)->info().config.vocabSize;
        QCOMPARE(logits->size(), tokens.size() * vocab);
        double worst = 0;
        for (size_t t = 0; t < tokens.size(); ++t) {
            const std::vector<double> expected = exact.step(tokens[t]);
            double scale = 0;
            for (double v : expected)
                scale = std::max(scale, std::abs(v));
            for (uint32_t i = 0; i < vocab; ++i)
                worst = std::max(worst, std::abs((*logits)[t * vocab + i] - expected[i]) / scale);
        }
        qInfo("largest difference from float64, relative to the largest logit: %.3g", worst);
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    }

    void promptAtOnceEqualsTokenByToken_data()
    {
        QTest::addColumn<int>("arch");
        QTest::newRow("llama") << int(Architecture::Llama);
        QTest::newRow("qwen2") << int(Architecture::Qwen2);
    }

    // Done-when: greedy generation of 64 tokens is identical whether the
    // prompt is fed at once or token by token.
    void promptAtOnceEqualsTokenByToken()
    {
        QFETCH(int, arch);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture(arch));
        spec.mix = QuantMix::Q4_K_M;
        spec.seed = 5;
        const QString path = makeModel("q4km.gguf", spec);
        auto model = ModelFile::open(path.toStdString());
        QVERIFY(model);
        const auto prompt = (*model)->tokenizer().encode("The quick brown fox jumps over the lazy dog", true, false);

        reference::ReferenceBackend atOnce((*model)->info(), (*model)->weights(), 256);
        auto first = atOnce.evaluate(prompt, true);
        QVERIFY(first);
        reference::ReferenceBackend oneByOne((*model)->info(), (*model)->weights(), 256);
        std::vector<float> last;
        const uint32_t vocab = (*model)->info().config.vocabSize;
        for (size_t t = 0; t < prompt.size(); ++t) {
            auto step = oneByOne.evaluate(std::span(prompt).subspan(t, 1), false);
            QVERIFY(step);
            for (uint32_t i = 0; i < vocab; ++i)
                QCOMPARE((*step)[i], (*first)[t * vocab + i]);
            last = *step;
        }
        const std::vector<float> lastRow(first->end() - vocab, first->end());
        const auto a = argmaxTokens(atOnce, lastRow, 64);
        const auto b = argmaxTokens(oneByOne, last, 64);
        QCOMPARE(a, b);
        QCOMPARE(atOnce.length(), uint32_t(prompt.size() + 64));
    }

    void truncateThenRecomputeIsExact()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        const QString path = makeModel("trunc.gguf", spec);
        auto model = ModelFile::open(path.toStdString());
        QVERIFY(model);
        reference::ReferenceBackend backend((*model)->info(), (*model)->weights(), 64);
        const std::vector<int32_t> tokens{1, 2, 3, 4, 5, 6};
        auto full = backend.evaluate(tokens, false);
        QVERIFY(full);
        QVERIFY(backend.truncate(3));
        auto again = backend.evaluate(std::span(tokens).subspan(3), false);
        QVERIFY(again);
        QCOMPARE(*again, *full);
    }

    void errorsAreValues()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Llama);
        const QString path = makeModel("errors.gguf", spec);
        auto model = ModelFile::open(path.toStdString());
        QVERIFY(model);
        reference::ReferenceBackend backend((*model)->info(), (*model)->weights(), 4);
        const std::vector<int32_t> outOfRange{int32_t(spec.config.vocabSize)};
        auto bad = backend.evaluate(outOfRange, false);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(backend.length(), 0u);
        const std::vector<int32_t> five{1, 2, 3, 4, 5};
        auto full = backend.evaluate(five, false);
        QVERIFY(!full);
        QCOMPARE(full.error().code, ErrorCode::ContextFull);
        QCOMPARE(backend.length(), 0u);
        QVERIFY(!backend.evaluate({}, false));
    }
};

QTEST_GUILESS_MAIN(TestReferenceForward)
#include "tst_reference_forward.moc"
