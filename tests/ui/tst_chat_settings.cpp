// ChatSettings: DeepSeek's defaults, clamping of every value, persistence
// through QSettings, the engine settings one answer gets, and how the next
// model is laid out over the devices.
#include <QtTest>

#include "chat_settings.h"

using ponder::app::ChatSettings;

class TestChatSettings : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("Ponder-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    }

    void settingsClamp_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("temperature high") << QByteArray("temperature") << QVariant(5.0) << QVariant(2.0);
        QTest::newRow("temperature low") << QByteArray("temperature") << QVariant(-1.0) << QVariant(0.0);
        QTest::newRow("top-p") << QByteArray("topP") << QVariant(1.5) << QVariant(1.0);
        QTest::newRow("top-k") << QByteArray("topK") << QVariant(-3) << QVariant(0);
        QTest::newRow("min-p") << QByteArray("minP") << QVariant(2.0) << QVariant(1.0);
        QTest::newRow("penalty") << QByteArray("repetitionPenalty") << QVariant(0.5) << QVariant(1.0);
        QTest::newRow("max tokens") << QByteArray("maxTokens") << QVariant(0) << QVariant(1);
        QTest::newRow("context short") << QByteArray("contextLength") << QVariant(10) << QVariant(256);
        QTest::newRow("context long") << QByteArray("contextLength") << QVariant(1 << 20) << QVariant(131072);
        QTest::newRow("cpu threads low") << QByteArray("cpuThreads") << QVariant(-2) << QVariant(0);
        QTest::newRow("cpu threads high") << QByteArray("cpuThreads") << QVariant(100000) << QVariant(256);
        QTest::newRow("seed") << QByteArray("seed") << QVariant(qint64(-5)) << QVariant(qint64(0));
        QTest::newRow("theme") << QByteArray("theme") << QVariant("purple") << QVariant("system");
        QTest::newRow("gpu layers low") << QByteArray("gpuLayers") << QVariant(-7) << QVariant(-1);
        QTest::newRow("gpu layers high") << QByteArray("gpuLayers") << QVariant(5000) << QVariant(1024);
        QTest::newRow("kv cache unknown") << QByteArray("kvCacheType") << QVariant("q4_0") << QVariant("f16");
        QTest::newRow("kv cache f32 not offered") << QByteArray("kvCacheType") << QVariant("F32") << QVariant("f16");
        QTest::newRow("kv cache q8_0") << QByteArray("kvCacheType") << QVariant("Q8_0") << QVariant("q8_0");
        QTest::newRow("shares not numbers") << QByteArray("splitShares") << QVariant("8,six") << QVariant("");
        QTest::newRow("shares") << QByteArray("splitShares") << QVariant(" 8, 6,6 ") << QVariant("8, 6,6");
        QTest::newRow("thinking budget off") << QByteArray("thinkingBudget") << QVariant(-4) << QVariant(0);
        QTest::newRow("thinking budget low") << QByteArray("thinkingBudget") << QVariant(10) << QVariant(256);
        QTest::newRow("thinking budget high") << QByteArray("thinkingBudget") << QVariant(1 << 20) << QVariant(32768);
        QTest::newRow("thinking budget") << QByteArray("thinkingBudget") << QVariant(1500) << QVariant(1500);
    }

    // How the next model is laid out: persisted, read back as the engine takes it.
    void placementSettings()
    {
        {
            ChatSettings settings;
            settings.resetToDefaults();
            const ponder::app::PlacementSettings defaults = settings.placementSettings();
            QVERIFY(!defaults.gpuLayers);
            QVERIFY(defaults.extraGpus.isEmpty());
            QCOMPARE(defaults.kvType, ponder::KvCacheType::F16);
            settings.setGpuLayers(30);
            settings.setGpuTakesPart(3, true);
            settings.setGpuTakesPart(1, true);
            settings.setGpuTakesPart(3, false);
            settings.setGpuTakesPart(2, true);
            settings.setSplitShares(QStringLiteral("8,6,6"));
            settings.setKvCacheType(QStringLiteral("q8_0"));
        }
        ChatSettings settings;
        QCOMPARE(settings.extraGpus(), (QList<int>{1, 2}));
        QVERIFY(settings.gpuTakesPart(2) && !settings.gpuTakesPart(3));
        const ponder::app::PlacementSettings placement = settings.placementSettings();
        QCOMPARE(placement.gpuLayers, std::optional<uint32_t>(30));
        QCOMPARE(placement.extraGpus, (QList<int>{1, 2}));
        QCOMPARE(placement.shares, QStringLiteral("8,6,6"));
        QCOMPARE(placement.kvType, ponder::KvCacheType::Q8_0);
        // A hand-edited list keeps its numbers once each.
        QSettings().setValue(QStringLiteral("chat/extraGpus"), QStringLiteral("4,x,4,-1"));
        QCOMPARE(ChatSettings().extraGpus(), (QList<int>{4}));
        settings.resetToDefaults();
        QCOMPARE(settings.gpuLayers(), -1);
        QVERIFY(settings.extraGpus().isEmpty());
        QVERIFY(settings.splitShares().isEmpty());
        QCOMPARE(settings.kvCacheType(), QStringLiteral("f16"));
    }

    // Out-of-range values are clamped, and the clamped value is what is saved.
    void settingsClamp()
    {
        QFETCH(QByteArray, name);
        QFETCH(QVariant, value);
        QFETCH(QVariant, expected);
        {
            ChatSettings settings;
            settings.resetToDefaults();
            QVERIFY(settings.setProperty(name, value));
            QCOMPARE(settings.property(name), expected);
        }
        QCOMPARE(ChatSettings().property(name), expected);
    }

    void settingsPersistAndDefaults()
    {
        {
            ChatSettings settings;
            settings.resetToDefaults();
            QCOMPARE(settings.temperature(), 0.6);
            QCOMPARE(settings.topP(), 0.95);
            QCOMPARE(settings.maxTokens(), 4096);
            QCOMPARE(settings.theme(), QString("system"));
            QVERIFY(settings.systemPrompt().isEmpty());
            settings.setSeed(42);
            settings.setMath(true);
            settings.setSystemPrompt(QStringLiteral("Be brief."));
            settings.setTheme(QStringLiteral("dark"));
        }
        ChatSettings settings;
        QCOMPARE(settings.seed(), 42);
        QVERIFY(settings.math());
        QCOMPARE(settings.systemPrompt(), QString("Be brief."));
        QCOMPARE(settings.theme(), QString("dark"));
        QCOMPARE(settings.generationSettings(99).sampler.seed, 42u);
        settings.setSeed(0);  // random: the caller's seed for each answer
        QCOMPARE(settings.generationSettings(99).sampler.seed, 99u);
        QVERIFY(!settings.generationSettings(1).sampler.greedy);
        settings.setTemperature(0);
        QVERIFY(settings.generationSettings(1).sampler.greedy);
        settings.resetToDefaults();
        QCOMPARE(ChatSettings().temperature(), 0.6);
    }

    // The thinking budget: off by default, persisted, handed to the engine
    // with each answer and stored with the conversation; reset turns it off.
    void thinkingBudgetRoundTrip()
    {
        {
            ChatSettings settings;
            settings.resetToDefaults();
            QCOMPARE(settings.thinkingBudget(), 0);
            QCOMPARE(settings.generationSettings(1).thinkingBudget, 0);
            settings.setThinkingBudget(2048);
        }
        ChatSettings settings;
        QCOMPARE(settings.thinkingBudget(), 2048);
        QCOMPARE(settings.generationSettings(1).thinkingBudget, 2048);
        QCOMPARE(settings.toJson().value("thinkingBudget").toInt(), 2048);
        settings.resetToDefaults();
        QCOMPARE(ChatSettings().thinkingBudget(), 0);
    }

    // DeepSeek's usage recommendations as the defaults: temperature 0.6
    // inside the advised 0.5–0.7 (flagged outside it), top-p 0.95, no
    // system prompt, math's instruction word for word, math off.
    void deepSeekRecommendations_data()
    {
        QTest::addColumn<double>("temperature");
        QTest::addColumn<bool>("advised");
        QTest::newRow("default") << 0.6 << true;
        QTest::newRow("low end") << 0.5 << true;
        QTest::newRow("high end") << 0.7 << true;
        QTest::newRow("slider step at the end") << 0.05 * 14 << true;
        QTest::newRow("greedy") << 0.0 << false;
        QTest::newRow("hot") << 1.0 << false;
    }

    void deepSeekRecommendations()
    {
        QFETCH(double, temperature);
        QFETCH(bool, advised);
        ChatSettings settings;
        settings.resetToDefaults();
        QCOMPARE(settings.temperature(), 0.6);
        QVERIFY(settings.temperatureAdvised());
        QCOMPARE(settings.topP(), 0.95);
        QVERIFY(settings.systemPrompt().isEmpty());
        QVERIFY(!settings.math());
        QCOMPARE(ChatSettings::mathInstruction(),
                 QStringLiteral("Please reason step by step, and put your final answer within \\boxed{}."));
        settings.setTemperature(temperature);
        QCOMPARE(settings.temperatureAdvised(), advised);
        settings.resetToDefaults();
    }

    // The models folder: a folder dialog's URL is stored as a path, it
    // persists, and resetting the answer settings leaves it alone.
    void modelsFolderPersists()
    {
        {
            ChatSettings settings;
            QVERIFY(settings.modelsFolder().isEmpty());
            settings.setModelsFolder(QStringLiteral("file:///data/my%20models"));
            QCOMPARE(settings.modelsFolder(), QString("/data/my models"));
            settings.resetToDefaults();
        }
        ChatSettings settings;
        QCOMPARE(settings.modelsFolder(), QString("/data/my models"));
        settings.setModelsFolder(QString());
        QVERIFY(ChatSettings().modelsFolder().isEmpty());
    }

};

QTEST_GUILESS_MAIN(TestChatSettings)
#include "tst_chat_settings.moc"
