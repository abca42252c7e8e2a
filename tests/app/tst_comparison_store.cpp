// ComparisonStore: a comparison saved and reopened whole (statistics,
// answers, per-token divergence, departures, the reference's compact
// logits byte for byte); a save that fails halfway leaves nothing (one
// transaction), as a cancelled run, which never reaches save(), must; a
// damaged blob or detail is an error naming what is damaged; and the
// measured quants reach MeasuredQuality, at start and after a save, files
// the catalog does not know left out.
#include <QtTest>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cmath>
#include <random>

#include "compare_controller.h"
#include "comparison_store.h"
#include "measured_quality.h"

using namespace ponder;
using namespace ponder::app;

namespace {

constexpr size_t kVocab = 40;

// A compact reference of `rows` positions from random logits.
CompactLogits randomLogits(size_t rows, uint32_t seed)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.f, 3.f);
    CompactLogits logits(kVocab, CompactLogitsOptions{0.999, 4, 16});
    std::vector<float> row(kVocab);
    for (size_t r = 0; r < rows; ++r) {
        for (float& value : row)
            value = normal(random);
        const auto appended = logits.append(row, int32_t(random() % kVocab));
        if (!appended)
            qFatal("%s", appended.error().message.c_str());
    }
    return logits;
}

ModelComparison model(const char* fileType, double bits, double meanKl, size_t prompts, size_t tokens, bool reference)
{
    ModelComparison m;
    m.path = std::string("/models/tiny-") + fileType + ".gguf";
    m.fileType = fileType;
    m.fileBytes = uint64_t(bits * 1000);
    m.bitsPerWeight = bits;
    m.tokensPerSecond = 10 + bits;
    m.meanReasoningTokens = 3;
    for (size_t p = 0; p < prompts; ++p) {
        PromptAnswer answer;
        answer.text = std::string("plan ") + fileType + "</think>answer " + std::to_string(p);
        for (size_t t = 0; t < tokens; ++t)
            answer.tokens.push_back(int32_t((t * 7 + p) % kVocab));
        answer.reasoningTokens = 3;
        answer.tokensPerSecond = m.tokensPerSecond;
        answer.stopReason = p == 0 ? StopReason::EndOfTurn : StopReason::MaxTokens;
        m.answers.push_back(answer);
        if (reference)
            continue;
        PromptDivergence divergence;
        for (size_t t = 0; t < tokens; ++t) {
            divergence.report.kl.push_back(meanKl * double(t + 1) / double(tokens));
            divergence.report.sameTop.push_back(t % 3 ? 1 : 0);
            divergence.report.referenceLogProb.push_back(-0.5);
            divergence.report.candidateLogProb.push_back(-0.6);
            for (int k = 0; k < 5; ++k)
                divergence.top.push_back({int32_t((t + size_t(k)) % kVocab), 0.5 / double(k + 1)});
        }
        divergence.report.meanKl = meanKl;
        divergence.firstDeparture = p == 0 ? 2 : SIZE_MAX;
        m.divergence.push_back(divergence);
    }
    if (!reference) {
        DivergenceStatistics& s = m.statistics;
        s.positions = prompts * tokens;
        s.meanKl = meanKl;
        s.medianKl = meanKl * 0.8;
        s.kl99 = meanKl * 3;
        s.kl999 = meanKl * 4;
        s.maxKl = meanKl * 5;
        s.sameTopPercent = 97.5 - meanKl;
        s.rmsDeltaPPercent = 1.25 + meanKl;
        s.referencePerplexity = 3.5;
        s.candidatePerplexity = 3.5 * (1 + meanKl);
        s.perplexityRatio = 1 + meanKl;
    }
    return m;
}

// Three models of a catalog model (one file unknown to the catalog), two prompts.
Comparison sample()
{
    const size_t prompts = 2;
    const size_t tokens = 6;
    Comparison c;
    c.created = QDateTime::fromMSecsSinceEpoch(1760000000000, Qt::UTC);
    c.title = QStringLiteral("What is 2 + 2?");
    c.seed = 0xfedcba9876543210ull;  // above 2^63: kept as its 64 bits
    c.maxTokens = 64;
    c.device = QStringLiteral("cpu");
    c.prompts = {{"p-1", "math", "What is 2 + 2?", "4"}, {"p-2", "prose", "Say hi.", ""}};
    c.result.reference = 1;
    c.result.models = {model("Q4_K_M", 4.8, 0.05, prompts, tokens, false), model("Q8_0", 8.5, 0, prompts, tokens, true),
                       model("Q2_K", 2.9, 0.4, prompts, tokens, false)};
    c.files = {{QStringLiteral("qwen-1.5b"), QStringLiteral("Q4_K_M"), 1234567, {{4, 2, 1}, {}}},
               {QStringLiteral("qwen-1.5b"), QStringLiteral("Q8_0"), 2345678, {{}, {}}},
               {QString(), QString(), 999, {{5, 1, 3}, {}}}};  // a file the catalog does not know
    for (size_t p = 0; p < prompts; ++p) {
        std::vector<std::string> pieces;
        std::vector<TokenProbability> top;
        for (size_t t = 0; t < tokens; ++t) {
            pieces.push_back(t == 1 ? std::string("\n") : "tok" + std::to_string(t));
            for (int k = 0; k < 5; ++k)
                top.push_back({int32_t(k), 0.4 / double(k + 1)});
        }
        c.result.referencePieces.push_back(pieces);
        c.result.referenceTop.push_back(top);
        c.result.referenceLogits.push_back(randomLogits(tokens, uint32_t(p + 1)));
    }
    c.tokenTexts = {{0, QStringLiteral(" the")}, {1, QStringLiteral("\n")}, {2, QStringLiteral("é")}};
    return c;
}

int rows(const QString& path, const char* table)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
    db.setDatabaseName(path);
    int count = -1;
    if (db.open()) {
        QSqlQuery query(db);
        if (query.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) && query.next())
            count = query.value(0).toInt();
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return count;
}

bool execOn(const QString& path, const QString& statement)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("damage"));
    db.setDatabaseName(path);
    bool ok = db.open() && QSqlQuery(db).exec(statement);
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("damage"));
    return ok;
}

} // namespace

class TestComparisonStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString fresh(const char* name) { return m_dir.filePath(QString::fromLatin1(name) + ".sqlite"); }

private slots:
    void roundTrip()
    {
        const Comparison original = sample();
        ComparisonStore store;
        QVERIFY2(store.open(fresh("round")), qPrintable(store.errorString()));
        QSignalSpy changed(&store, &ComparisonStore::changed);
        const qint64 id = store.save(original);
        QVERIFY2(id > 0, qPrintable(store.errorString()));
        QCOMPARE(changed.size(), 1);

        const QList<ComparisonSummary> list = store.list();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].id, id);
        QCOMPARE(list[0].title, original.title);
        QCOMPARE(list[0].fileTypes, (QStringList{"Q4_K_M", "Q8_0", "Q2_K"}));
        QCOMPARE(list[0].prompts, 2);

        // Reopened in another store, as after a restart.
        store.close();
        ComparisonStore again;
        QVERIFY(again.open(fresh("round")));
        const auto loaded = again.load(id);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error()));
        const Comparison& c = *loaded;
        QCOMPARE(c.id, id);
        QCOMPARE(c.created, original.created);
        QCOMPARE(c.title, original.title);
        QCOMPARE(c.seed, original.seed);
        QCOMPARE(c.maxTokens, 64);
        QCOMPARE(c.device, QStringLiteral("cpu"));
        QCOMPARE(c.prompts.size(), size_t(2));
        QCOMPARE(c.prompts[0].expected, std::string("4"));
        QCOMPARE(c.result.reference, size_t(1));
        QCOMPARE(c.result.models.size(), size_t(3));
        for (size_t m = 0; m < 3; ++m) {
            const ModelComparison& a = c.result.models[m];
            const ModelComparison& b = original.result.models[m];
            QCOMPARE(a.path, b.path);
            QCOMPARE(a.fileType, b.fileType);
            QCOMPARE(a.fileBytes, b.fileBytes);
            QCOMPARE(a.statistics.meanKl, b.statistics.meanKl);
            QCOMPARE(a.statistics.kl999, b.statistics.kl999);
            QCOMPARE(a.statistics.rmsDeltaPPercent, b.statistics.rmsDeltaPPercent);
            QCOMPARE(a.statistics.perplexityRatio, b.statistics.perplexityRatio);
            QCOMPARE(a.statistics.positions, b.statistics.positions);
            QCOMPARE(a.answers.size(), b.answers.size());
            QCOMPARE(a.answers[1].text, b.answers[1].text);
            QCOMPARE(a.answers[1].tokens, b.answers[1].tokens);
            QCOMPARE(a.answers[1].stopReason, StopReason::MaxTokens);
            QCOMPARE(a.divergence.size(), b.divergence.size());
            for (size_t p = 0; p < a.divergence.size(); ++p) {
                QCOMPARE(a.divergence[p].report.kl, b.divergence[p].report.kl);
                QCOMPARE(a.divergence[p].report.sameTop, b.divergence[p].report.sameTop);
                QCOMPARE(a.divergence[p].firstDeparture, b.divergence[p].firstDeparture);
                QCOMPARE(a.divergence[p].top.size(), b.divergence[p].top.size());
                QCOMPARE(a.divergence[p].top[7].token, b.divergence[p].top[7].token);
                QCOMPARE(a.divergence[p].top[7].probability, b.divergence[p].top[7].probability);
            }
            QCOMPARE(c.files[m].modelId, original.files[m].modelId);
            QCOMPARE(c.files[m].memoryBytes, original.files[m].memoryBytes);
            QCOMPARE(c.files[m].departures.size(), size_t(2));
        }
        QCOMPARE(c.files[0].departures[0].offset, 4);
        QCOMPARE(c.files[0].departures[0].referenceLength, 1);
        QCOMPARE(c.files[0].departures[1].offset, -1);
        QCOMPARE(c.result.referencePieces, original.result.referencePieces);
        QCOMPARE(c.tokenTexts, original.tokenTexts);
        for (size_t p = 0; p < 2; ++p)
            QCOMPARE(c.result.referenceLogits[p].toBytes(), original.result.referenceLogits[p].toBytes());

        QVERIFY(again.remove(id));
        QVERIFY(again.list().isEmpty());
        QVERIFY(!again.load(id));
        again.close();
        QCOMPARE(rows(fresh("round"), "reference_prompts"), 0);  // gone with it (cascade)
    }

    // A save that fails after its first rows were written leaves no row of
    // it: the run's one transaction rolls back. (A cancelled run never gets
    // as far as save(); tst_compare_page cancels one through the page.)
    void failedSaveLeavesNothing()
    {
        Comparison broken = sample();
        // SQLite stores a NaN as NULL, which the NOT NULL column refuses: the
        // third model's row fails after the comparison's and two models' rows.
        broken.result.models[2].tokensPerSecond = std::nan("");
        ComparisonStore store;
        QVERIFY(store.open(fresh("failed")));
        QSignalSpy changed(&store, &ComparisonStore::changed);
        QCOMPARE(store.save(broken), qint64(-1));
        QVERIFY(store.errorString().contains("Cannot save the comparison"));
        QCOMPARE(changed.size(), 0);
        QVERIFY(store.list().isEmpty());
        store.close();
        QCOMPARE(rows(fresh("failed"), "comparisons"), 0);
        QCOMPARE(rows(fresh("failed"), "comparison_models"), 0);
        QCOMPARE(rows(fresh("failed"), "reference_prompts"), 0);

        // An incomplete result (fewer reference rows than prompts) is refused before writing.
        Comparison incomplete = sample();
        incomplete.result.referenceLogits.pop_back();
        QVERIFY(store.open(fresh("failed")));
        QCOMPARE(store.save(incomplete), qint64(-1));
        QVERIFY(store.list().isEmpty());
    }

    void damagedDataIsReported_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated logits") << "UPDATE reference_prompts SET logits = substr(logits, 1, 11) WHERE prompt = 1"
                                          << "the reference's logits of prompt 2 are damaged";
        QTest::newRow("garbage logits") << "UPDATE reference_prompts SET logits = x'00112233445566778899' WHERE prompt = 0"
                                        << "the reference's logits of prompt 1 are damaged";
        QTest::newRow("detail") << "UPDATE comparison_models SET detail = '{\"answers\": [' WHERE position = 2"
                                << "the details of Q2_K are damaged";
        QTest::newRow("detail shape") << "UPDATE comparison_models SET detail = '{\"answers\": []}' WHERE position = 0"
                                      << "the details of Q4_K_M are damaged (0 answers for 2 prompts)";
        QTest::newRow("missing row") << "DELETE FROM reference_prompts WHERE prompt = 1"
                                     << "the reference's answers to 1 of 2 prompts are missing";
    }

    void damagedDataIsReported()
    {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        const QString path = fresh(QTest::currentDataTag());
        qint64 id = -1;
        {
            ComparisonStore store;
            QVERIFY(store.open(path));
            id = store.save(sample());
            QVERIFY(id > 0);
        }
        QVERIFY(execOn(path, damage));
        ComparisonStore store;
        QVERIFY(store.open(path));
        const auto loaded = store.load(id);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().startsWith(QStringLiteral("Comparison %1 cannot be opened: ").arg(id)),
                 qPrintable(loaded.error()));
        QVERIFY2(loaded.error().contains(expected), qPrintable(loaded.error()));
        QCOMPARE(store.list().size(), 1);  // still listed, to be removed
    }

    // The page's controller fills MeasuredQuality from the store when it
    // starts: the catalog's quants, each against its reference, not the
    // reference itself nor a file the catalog does not know.
    void measuredQualityFilled()
    {
        const QString path = fresh("measured");
        {
            ComparisonStore store;
            QVERIFY(store.open(path));
            QVERIFY(store.save(sample()) > 0);
        }
        MeasuredQuality measured;
        QSignalSpy changed(&measured, &MeasuredQuality::changed);
        CompareController controller;
        controller.setMeasuredQuality(&measured);
        controller.setDatabasePath(path);
        controller.componentComplete();
        QVERIFY2(controller.errorString().isEmpty(), qPrintable(controller.errorString()));
        QVERIFY(changed.size() >= 1);
        QCOMPARE(measured.all().size(), 1);
        const QuantQuality* q4 = measured.find(QStringLiteral("qwen-1.5b"), QStringLiteral("Q4_K_M"));
        QVERIFY(q4);
        QCOMPARE(q4->referenceQuant, QStringLiteral("Q8_0"));
        QCOMPARE(q4->meanKld, 0.05);
        QCOMPARE(q4->kld99, 0.15);
        QCOMPARE(q4->sameTopPercent, 97.45);
        QCOMPARE(q4->positions, 12);
        QCOMPARE(q4->measuredAt, QDateTime::fromMSecsSinceEpoch(1760000000000, Qt::UTC));
        QVERIFY(!measured.find(QStringLiteral("qwen-1.5b"), QStringLiteral("Q8_0")));  // the reference
        QCOMPARE(controller.saved()->rowCount(), 1);

        // A later measure of the same quant is the one the picker finds.
        Comparison later = sample();
        later.created = later.created.addDays(1);
        later.result.models[0].statistics.meanKl = 0.07;
        QVERIFY(controller.store()->save(later) > 0);
        controller.setDatabasePath(path + QStringLiteral("-unused"));
        controller.setDatabasePath(path);  // reopened: read again at start
        QCOMPARE(measured.all().size(), 2);
        QCOMPARE(measured.find(QStringLiteral("qwen-1.5b"), QStringLiteral("Q4_K_M"))->meanKld, 0.07);
    }

    void newerSchemaRefused()
    {
        const QString path = fresh("newer");
        {
            ComparisonStore store;
            QVERIFY(store.open(path));
        }
        QVERIFY(execOn(path, QStringLiteral("PRAGMA user_version = 99")));
        ComparisonStore store;
        QVERIFY(!store.open(path));
        QVERIFY2(store.errorString().contains("newer version of Ponder"), qPrintable(store.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestComparisonStore)
#include "tst_comparison_store.moc"
