// The compact reference (compact_logits.h): its KL against the full KL on
// peaked, flat and made-up rows and on a generated model's real logits;
// the byte image round trip; damaged and hostile images rejected without a
// read out of range; topTokens' order and ties.
//
// The bounds asserted, per position:
//   - compact KL <= full KL + 1e-6 nats: merging the tail never adds
//     divergence; the 1e-6 is the rounding of log p stored as float;
//   - full KL - compact KL <= restMass * (max - min of ln(p/q) over the
//     tail) + 1e-6: what merging can hide (the log-sum inequality's gap);
//   - on a generated model's logits with 99.99% of the mass kept, the
//     mean KL of the compact rows is within 1% of the full mean.
#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "model_generator.h"
#include "ponder/compact_logits.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"

using namespace ponder;

namespace {

constexpr double kFloatRounding = 1e-6;

// xorshift32 over [-scale, scale]: the same numbers everywhere.
std::vector<float> madeUpLogits(size_t count, uint32_t salt, float scale)
{
    std::vector<float> logits(count);
    uint32_t state = 0x9e3779b9u ^ salt;
    for (float& x : logits) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        x = scale * float(double(state % 20001) / 10000.0 - 1.0);
    }
    return logits;
}

std::vector<long double> softmax(std::span<const float> row)
{
    const float top = *std::max_element(row.begin(), row.end());
    long double total = 0;
    for (float x : row)
        total += std::exp((long double)(x - top));
    std::vector<long double> p;
    for (float x : row)
        p.push_back(std::exp((long double)(x - top)) / total);
    return p;
}

// The gap merging the tail may leave: the tail's mass times the spread of
// ln(p/q) over the tail tokens (everything not in `kept`).
double mergeGapBound(std::span<const float> reference, std::span<const float> candidate,
                     std::span<const int32_t> kept)
{
    const auto p = softmax(reference), q = softmax(candidate);
    std::vector<bool> isKept(p.size(), false);
    for (int32_t id : kept)
        isKept[size_t(id)] = true;
    long double mass = 0, lowest = INFINITY, highest = -INFINITY;
    for (size_t i = 0; i < p.size(); ++i) {
        if (isKept[i])
            continue;
        mass += p[i];
        const long double ratio = std::log(p[i] / q[i]);
        lowest = std::min(lowest, ratio);
        highest = std::max(highest, ratio);
    }
    return mass > 0 ? double(mass * (highest - lowest)) : 0.0;
}

// Where each part of the byte image lies, as toBytes() writes it:
// magic, version, vocabulary, rows, entries, then the arrays.
struct ImageLayout {
    size_t rows, entries;
    static constexpr size_t vocabAt = 8, rowsAt = 16, entriesAt = 24, offsetsAt = 32;
    size_t idsAt() const { return offsetsAt + (rows + 1) * 4; }
    size_t logProbsAt() const { return idsAt() + entries * 4; }
    size_t restAt() const { return logProbsAt() + entries * 4; }
    size_t targetLogProbsAt() const { return restAt() + rows * 8; }
    size_t targetsAt() const { return targetLogProbsAt() + rows * 4; }
    size_t end() const { return targetsAt() + rows * 4; }
};

template <typename T>
void poke(std::vector<uint8_t>& bytes, size_t at, T value)
{
    std::memcpy(bytes.data() + at, &value, sizeof value);
}

template <typename T>
T peek(const std::vector<uint8_t>& bytes, size_t at)
{
    T value;
    std::memcpy(&value, bytes.data() + at, sizeof value);
    return value;
}

// Three rows over a vocabulary of 40 with a few entries each.
CompactLogits smallReference()
{
    CompactLogitsOptions options;
    options.minEntries = 2;
    options.maxEntries = 6;
    options.coveredMass = 0.9;
    CompactLogits compact(40, options);
    for (uint32_t row = 0; row < 3; ++row) {
        const auto logits = madeUpLogits(40, row, 3.f);
        [[maybe_unused]] const auto appended = compact.append(logits, int32_t(row * 13));
    }
    return compact;
}

void verifySame(const CompactLogits& a, const CompactLogits& b)
{
    QCOMPARE(a.vocabSize(), b.vocabSize());
    QCOMPARE(a.rows(), b.rows());
    for (size_t row = 0; row < a.rows(); ++row) {
        QVERIFY(std::ranges::equal(a.ids(row), b.ids(row)));
        QVERIFY(std::ranges::equal(a.logProbabilities(row), b.logProbabilities(row)));
        QCOMPARE(a.restMass(row), b.restMass(row));
        QCOMPARE(a.targetLogProbability(row), b.targetLogProbability(row));
        QCOMPARE(a.target(row), b.target(row));
    }
}

} // namespace

class TestCompactLogits : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // Compact against full, row by row, with both bounds.
    void verifyBounds(std::span<const float> reference, std::span<const float> candidate, size_t vocab,
                      const CompactLogitsOptions& options, double* worstGap = nullptr)
    {
        const size_t rows = reference.size() / vocab;
        std::vector<int32_t> targets;
        CompactLogits compact(vocab, options);
        for (size_t r = 0; r < rows; ++r) {
            targets.push_back(int32_t((r * 31 + 7) % vocab));
            QVERIFY(compact.append(reference.subspan(r * vocab, vocab), targets.back()));
        }
        const auto full = compareLogits(reference, candidate, vocab, targets);
        const auto merged = compareWithCompact(compact, 0, candidate);
        QVERIFY(full && merged);
        for (size_t r = 0; r < rows; ++r) {
            const double gap = full->kl[r] - merged->kl[r];
            const double bound = mergeGapBound(reference.subspan(r * vocab, vocab),
                                               candidate.subspan(r * vocab, vocab), compact.ids(r));
            QVERIFY2(gap >= -kFloatRounding, qPrintable(QStringLiteral("row %1: compact %2 > full %3")
                                                            .arg(r).arg(merged->kl[r]).arg(full->kl[r])));
            QVERIFY2(gap <= bound + kFloatRounding,
                     qPrintable(QStringLiteral("row %1: gap %2 over the bound %3").arg(r).arg(gap).arg(bound)));
            if (worstGap)
                *worstGap = std::max(*worstGap, gap);
            // The rest of the report is exact, whatever was merged.
            QCOMPARE(merged->sameTop[r], full->sameTop[r]);
            // log p of the target is stored as float: relative rounding.
            QVERIFY(std::abs(merged->referenceLogProb[r] - full->referenceLogProb[r]) <=
                    1e-6 * std::max(1.0, std::abs(full->referenceLogProb[r])));
            QVERIFY(std::abs(merged->candidateLogProb[r] - full->candidateLogProb[r]) < 1e-12);
        }
    }

    std::unique_ptr<ModelFile> write(QuantMix mix)
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.mix = mix;
        spec.seed = 7;  // the same weights in every mix
        const std::string path = m_dir.filePath(QString::fromLatin1(quantMixName(mix).data())).toStdString() + ".gguf";
        if (!testing::writeModel(path, spec, 2))
            return nullptr;
        auto model = ModelFile::open(path);
        return model ? std::move(*model) : nullptr;
    }

private slots:
    void appendKeepsTheLikelyTokens()
    {
        // One token holds nearly everything: still minEntries are kept.
        std::vector<float> peaked(100, 0.f);
        peaked[42] = 40.f;
        CompactLogits compact(100);
        QVERIFY(compact.append(peaked, 3));
        QCOMPARE(compact.ids(0).size(), size_t(8));
        QCOMPARE(compact.ids(0)[0], 42);
        QVERIFY(compact.logProbabilities(0)[0] > -1e-6f);
        // Ties among the rest go to the smaller ids, in order.
        QCOMPARE(std::vector<int32_t>(compact.ids(0).begin() + 1, compact.ids(0).end()),
                 (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6}));
        // The rest holds 92 tokens of e^-40 each, summed directly rather
        // than as 1 minus almost 1.
        QVERIFY(std::abs(compact.restMass(0) / (92 * std::exp(-40.0)) - 1) < 1e-6);
        QVERIFY(std::abs(compact.targetLogProbability(0) - float(-40.0)) < 1e-4f);

        // Flat: the cap on entries ends the row, leaving the rest its mass.
        const std::vector<float> flat(1000, 1.f);
        CompactLogits wide(1000);
        QVERIFY(wide.append(flat, 999));
        QCOMPARE(wide.ids(0).size(), size_t(256));
        QVERIFY(std::abs(wide.restMass(0) - 744.0 / 1000) < 1e-9);
        QCOMPARE(wide.target(0), 999);  // not among the kept, still known
        QVERIFY(std::abs(wide.targetLogProbability(0) - float(std::log(1e-3))) < 1e-5f);
        QVERIFY(std::ranges::is_sorted(compact.logProbabilities(0), std::greater<>()));
        QVERIFY(std::ranges::is_sorted(wide.logProbabilities(0), std::greater<>()));
        QVERIFY(wide.bytes() >= 256 * 8);
    }

    void appendRejectsUnusableRows()
    {
        CompactLogits compact(4);
        QVERIFY(!compact.append(std::vector<float>(3, 0.f), 0));
        QVERIFY(!compact.append(std::vector<float>(4, 0.f), 4));
        QVERIFY(!compact.append(std::vector<float>(4, 0.f), -1));
        QVERIFY(!compact.append(std::vector<float>{0.f, NAN, 0.f, 0.f}, 0));
        QVERIFY(!compact.append(std::vector<float>{0.f, INFINITY, 0.f, 0.f}, 0));
        QCOMPARE(compact.rows(), size_t(0));
        CompactLogits empty(0);
        QVERIFY(!empty.append({}, 0));
    }

    void compactNeverExceedsFullAndStaysWithinTheBound_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<float>("noise");
        for (const char* shape : {"peaked", "flat", "made-up", "wide"})
            for (float noise : {0.05f, 0.5f, 2.f})
                QTest::newRow(qPrintable(QStringLiteral("%1, noise %2").arg(shape).arg(noise)))
                    << QString::fromLatin1(shape) << noise;
    }

    void compactNeverExceedsFullAndStaysWithinTheBound()
    {
        QFETCH(QString, shape);
        QFETCH(float, noise);
        const size_t vocab = 700, rows = 24;
        // peaked: one token far ahead; flat: all nearly equal (the cap of
        // 256 entries leaves most of the mass in the tail); made-up: logits
        // over [-6, 6]; wide: over [-30, 30], a long thin tail.
        const float scale = shape == "flat" ? 0.01f : shape == "wide" ? 30.f : 6.f;
        std::vector<float> reference = madeUpLogits(vocab * rows, 1, scale);
        if (shape == "peaked")
            for (size_t r = 0; r < rows; ++r)
                reference[r * vocab + (r * 17) % vocab] += 25.f;
        const std::vector<float> jitter = madeUpLogits(vocab * rows, 2, noise);
        std::vector<float> candidate(reference.size());
        for (size_t i = 0; i < reference.size(); ++i)
            candidate[i] = reference[i] + jitter[i];
        verifyBounds(reference, candidate, vocab, {});
        CompactLogitsOptions few;
        few.minEntries = 1;
        few.maxEntries = 4;  // most of the mass merged: the bound must still hold
        verifyBounds(reference, candidate, vocab, few);
    }

    // A candidate that puts nearly all its mass on the reference's kept
    // tokens while the reference's tail holds 1e-4: the candidate's tail
    // mass must not be taken as 1 minus almost 1 (which rounds to a value
    // unrelated to the true one).
    void candidateTailFarBelowTheReferences()
    {
        const size_t vocab = 300;
        std::vector<float> reference(vocab, -12.f), candidate(vocab, -60.f);
        for (size_t i = 0; i < 8; ++i) {
            reference[i] = 0.f;
            candidate[i] = float(i) * 0.01f;
        }
        verifyBounds(reference, candidate, vocab, {});
    }

    // Real logits: a generated model in F32 against its Q2_K twin along a
    // token sequence. A random model's rows are much flatter than a trained
    // one's, so the default cap of 256 entries leaves a real tail here: the
    // merge bound is checked row by row with the default options, and with
    // the cap lifted (99.99% of the mass kept) the compact mean KL is
    // within 1% of the full one.
    void generatedModelsLogits()
    {
        auto f32 = write(QuantMix::F32);
        auto q2 = write(QuantMix::Q2_K);
        QVERIFY(f32 && q2);
        const uint32_t vocab = f32->info().config.vocabSize;
        std::vector<int32_t> tokens;
        for (int i = 0; i < 40; ++i)
            tokens.push_back(int32_t((i * 7919 + 11) % int(vocab)));
        reference::ReferenceBackend referenceBackend(f32->info(), f32->weights(), 64);
        reference::ReferenceBackend candidateBackend(q2->info(), q2->weights(), 64);
        const auto reference = teacherForcedLogits(referenceBackend, tokens, 4);
        const auto candidate = teacherForcedLogits(candidateBackend, tokens, 4);
        QVERIFY(reference && candidate);
        verifyBounds(*reference, *candidate, vocab, {});

        CompactLogitsOptions uncapped;
        uncapped.maxEntries = vocab;
        double worstGap = 0;
        verifyBounds(*reference, *candidate, vocab, uncapped, &worstGap);
        CompactLogits compact(vocab, uncapped);
        const auto targets = std::span<const int32_t>(tokens).subspan(4);
        for (size_t r = 0; r < targets.size(); ++r)
            QVERIFY(compact.append(std::span(*reference).subspan(r * vocab, vocab), targets[r]));
        const auto full = compareLogits(*reference, *candidate, vocab, targets);
        const auto merged = compareWithCompact(compact, 0, *candidate);
        QVERIFY(full && merged);
        qInfo("full mean KL %.6f, compact %.6f, worst gap of a row %.2e; %.0f bytes per position (a full row: %u)",
              full->meanKl, merged->meanKl, worstGap, double(compact.bytes()) / double(compact.rows()), vocab * 4);
        QVERIFY(full->meanKl > 0.01);  // the quant does stray: the comparison is not of zeros
        QVERIFY(std::abs(merged->meanKl - full->meanKl) <= 0.01 * full->meanKl);
        QCOMPARE(merged->top1Agreement, full->top1Agreement);
        QVERIFY(std::abs(merged->candidatePerplexity / full->candidatePerplexity - 1) < 1e-9);

        // Rows compared from the middle of the reference on.
        const auto tail = compareWithCompact(compact, 10, std::span(*candidate).subspan(10 * vocab));
        QVERIFY(tail.has_value());
        QCOMPARE(tail->kl.size(), targets.size() - 10);
        QCOMPARE(tail->kl[0], merged->kl[10]);
    }

    void compareWithCompactRejectsMismatches()
    {
        const CompactLogits compact = smallReference();
        const std::vector<float> row(40, 0.f), twoRows(80, 0.f), ragged(41, 0.f);
        QVERIFY(compareWithCompact(compact, 2, row));
        QVERIFY(!compareWithCompact(compact, 2, twoRows));  // past the last row
        QVERIFY(!compareWithCompact(compact, 4, row));
        QVERIFY(!compareWithCompact(compact, SIZE_MAX, row));
        QVERIFY(!compareWithCompact(compact, 0, ragged));
        QVERIFY(!compareWithCompact(compact, 0, {}));
        QVERIFY(!compareWithCompact(CompactLogits(0), 0, row));
        // A candidate whose logits are not numbers is an error, not a NaN statistic.
        std::vector<float> broken(40, 0.f);
        broken[5] = NAN;
        QVERIFY(!compareWithCompact(compact, 0, broken));
        broken[5] = INFINITY;
        QVERIFY(!compareWithCompact(compact, 0, broken));
    }

    void byteImageRoundTrips()
    {
        const CompactLogits original = smallReference();
        const std::vector<uint8_t> bytes = original.toBytes();
        QCOMPARE(bytes.size(), (ImageLayout{original.rows(), peek<uint64_t>(bytes, ImageLayout::entriesAt)}.end()));
        const auto restored = CompactLogits::fromBytes(bytes);
        QVERIFY(restored.has_value());
        verifySame(original, *restored);
        QCOMPARE(restored->toBytes(), bytes);
        QCOMPARE(restored->bytes(), original.bytes());

        // An empty reference and one with an infinite rest (every token kept).
        const auto empty = CompactLogits::fromBytes(CompactLogits(5).toBytes());
        QVERIFY(empty.has_value());
        QCOMPARE(empty->rows(), size_t(0));
        CompactLogits everything(3);
        QVERIFY(everything.append(std::vector<float>{1.f, 2.f, 3.f}, 1));
        QCOMPARE(everything.restMass(0), 0.0);
        const auto all = CompactLogits::fromBytes(everything.toBytes());
        QVERIFY(all.has_value());
        verifySame(everything, *all);
    }

    void damagedImagesAreErrors()
    {
        const CompactLogits original = smallReference();
        const std::vector<uint8_t> good = original.toBytes();
        const ImageLayout layout{original.rows(), peek<uint64_t>(good, ImageLayout::entriesAt)};
        QVERIFY(layout.entries > 6);
        const auto rejected = [](const std::vector<uint8_t>& bytes) { return !CompactLogits::fromBytes(bytes); };

        // Every truncation, and one byte too many.
        for (size_t length = 0; length < good.size(); ++length)
            QVERIFY2(rejected(std::vector<uint8_t>(good.begin(), good.begin() + std::ptrdiff_t(length))),
                     qPrintable(QStringLiteral("cut to %1 bytes").arg(length)));
        auto longer = good;
        longer.push_back(0);
        QVERIFY(rejected(longer));

        auto bytes = good;
        bytes[0] = 'X';
        QVERIFY(rejected(bytes));
        bytes = good;
        poke<uint32_t>(bytes, 4, 2);  // a version from the future
        QVERIFY(rejected(bytes));

        // Counts that disagree with the size, or absurd ones.
        for (uint64_t rows : {layout.rows + 1, layout.rows - 1, uint64_t(0), UINT64_MAX, UINT64_MAX / 4}) {
            bytes = good;
            poke<uint64_t>(bytes, ImageLayout::rowsAt, rows);
            QVERIFY(rejected(bytes));
        }
        for (uint64_t entries : {layout.entries + 1, layout.entries - 1, uint64_t(UINT32_MAX) + 1, UINT64_MAX}) {
            bytes = good;
            poke<uint64_t>(bytes, ImageLayout::entriesAt, entries);
            QVERIFY(rejected(bytes));
        }
        for (uint64_t vocab : {uint64_t(0), uint64_t(5), uint64_t(INT32_MAX) + 1, UINT64_MAX}) {
            bytes = good;
            poke<uint64_t>(bytes, ImageLayout::vocabAt, vocab);  // 5: ids beyond it
            QVERIFY(rejected(bytes));
        }

        // Ids out of range.
        for (int32_t id : {-1, 40, INT32_MAX, INT32_MIN}) {
            bytes = good;
            poke<int32_t>(bytes, layout.idsAt() + 4, id);
            QVERIFY(rejected(bytes));
            bytes = good;
            poke<int32_t>(bytes, layout.targetsAt() + 4, id);
            QVERIFY(rejected(bytes));
        }

        // Not numbers, or probabilities above 1.
        for (float bad : {NAN, INFINITY, -INFINITY, 0.5f}) {
            bytes = good;
            poke<float>(bytes, layout.logProbsAt(), bad);
            QVERIFY(rejected(bytes));
            bytes = good;
            poke<float>(bytes, layout.targetLogProbsAt(), bad);
            QVERIFY(rejected(bytes));
            bytes = good;
            poke<double>(bytes, layout.restAt(), double(bad));
            QVERIFY(rejected(bytes));
        }

        // Offsets that go backwards, stand still, skip past the entries
        // (far enough that a read would leave the image) or do not start at 0.
        for (uint32_t offset : {uint32_t(0), uint32_t(1), uint32_t(layout.entries + 1), uint32_t(2000000000)}) {
            bytes = good;
            poke<uint32_t>(bytes, ImageLayout::offsetsAt + 4, offset);
            QVERIFY2(rejected(bytes), qPrintable(QStringLiteral("offset %1").arg(offset)));
        }
        bytes = good;
        poke<uint32_t>(bytes, ImageLayout::offsetsAt, 1);
        QVERIFY(rejected(bytes));
        // With a vocabulary large enough that "too many entries in a row"
        // does not catch it first.
        bytes = good;
        poke<uint64_t>(bytes, ImageLayout::vocabAt, uint64_t(INT32_MAX));
        poke<uint32_t>(bytes, ImageLayout::offsetsAt + 4, 2000000000);
        QVERIFY(rejected(bytes));

        // Masses that do not add up to 1: one entry halved, the rest doubled.
        bytes = good;
        poke<float>(bytes, layout.logProbsAt(), peek<float>(bytes, layout.logProbsAt()) - float(std::log(2.0)));
        QVERIFY(rejected(bytes));
        bytes = good;
        poke<double>(bytes, layout.restAt(), peek<double>(bytes, layout.restAt()) + std::log(2.0) + 1.0);
        QVERIFY(rejected(bytes));
        // Entries out of their falling order.
        bytes = good;
        const float first = peek<float>(bytes, layout.logProbsAt());
        poke<float>(bytes, layout.logProbsAt(), peek<float>(bytes, layout.logProbsAt() + 4));
        poke<float>(bytes, layout.logProbsAt() + 4, first);
        QVERIFY(rejected(bytes));
        // One id listed twice in a row (its probability counted twice).
        bytes = good;
        const int32_t firstId = peek<int32_t>(bytes, layout.idsAt());
        poke<int32_t>(bytes, layout.idsAt() + 4, firstId);
        QVERIFY(rejected(bytes));
    }

    // Every single-byte change of a small image, each to a few values:
    // an error or a valid reference, never a crash.
    void everyByteFlippedIsSafe()
    {
        const std::vector<uint8_t> good = smallReference().toBytes();
        size_t accepted = 0, refused = 0;
        for (size_t at = 0; at < good.size(); ++at)
            for (uint8_t value : {uint8_t(0x00), uint8_t(0xff), uint8_t(good[at] ^ 0x01), uint8_t(good[at] ^ 0x80)}) {
                auto bytes = good;
                bytes[at] = value;
                const auto image = CompactLogits::fromBytes(bytes);
                if (!image) {
                    ++refused;
                    continue;
                }
                ++accepted;
                // Whatever was accepted is usable.
                const std::vector<float> row(image->vocabSize(), 0.f);
                for (size_t r = 0; r < image->rows(); ++r)
                    QVERIFY(compareWithCompact(*image, r, row).has_value());
            }
        qInfo("%zu images refused, %zu accepted (changes the checks cannot see, such as a low bit of a float)",
              refused, accepted);
        QVERIFY(refused > accepted);
    }

    void topTokensOrderAndTies()
    {
        const std::vector<float> logits{1.f, 3.f, 3.f, -2.f, 3.f, 0.f};
        const auto top = topTokens(logits, 4);
        QCOMPARE(top.size(), size_t(4));
        // Ties: the smaller id first.
        QCOMPARE(top[0].token, 1);
        QCOMPARE(top[1].token, 2);
        QCOMPARE(top[2].token, 4);
        QCOMPARE(top[3].token, 0);
        double total = 0;
        for (float x : logits)
            total += std::exp(double(x));
        QVERIFY(std::abs(top[0].probability - std::exp(3.0) / total) < 1e-12);
        QCOMPARE(top[1].probability, top[0].probability);
        QVERIFY(std::abs(top[3].probability - std::exp(1.0) / total) < 1e-12);

        QCOMPARE(topTokens(logits, 100).size(), logits.size());  // no more than there are
        QVERIFY(topTokens(logits, 0).empty());
        QVERIFY(topTokens({}, 5).empty());
        // The whole row ranked sums to 1 and falls.
        const auto all = topTokens(madeUpLogits(500, 9, 8.f), 500);
        double sum = 0;
        for (size_t i = 0; i < all.size(); ++i) {
            sum += all[i].probability;
            QVERIFY(i == 0 || all[i].probability <= all[i - 1].probability);
        }
        QVERIFY(std::abs(sum - 1) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestCompactLogits)
#include "tst_compact_logits.moc"
