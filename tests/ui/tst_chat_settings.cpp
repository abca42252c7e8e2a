// ChatSettings: DeepSeek's defaults, clamping of every value, persistence
// through QSettings, and the engine settings one answer gets.
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
