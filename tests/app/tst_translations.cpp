// The zh_TW and zh_CN translations (resources/translations): every message
// translated with the placeholders and tags of its source, in its own
// script; no string in app/ that the committed .ts files lack (a fresh
// lupdate over the sources); the compiled .qm embedded and loaded for the
// setting or the system's locale; the Language setting kept, and a change of
// it retranslating the QML at once.
#include <QtTest>

#include <QLibraryInfo>
#include <QProcess>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QRegularExpression>
#include <QXmlStreamReader>

#include <memory>

#include "app_translator.h"
#include "chat_settings.h"

using ponder::app::AppTranslator;
using ponder::app::ChatSettings;
using ponder::app::translationFor;

namespace {

struct TsMessage {
    QString context;
    QString source;
    QString location;      // "file:line" of its first use
    QString type;          // the translation's type attribute: "unfinished", "vanished", "obsolete" or empty
    QStringList translations;  // one, or one per plural form
    bool numerus = false;
};

struct TsFile {
    QString language;
    QList<TsMessage> messages;
    QString error;
};

TsFile readTs(const QString& path)
{
    TsFile ts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ts.error = file.errorString();
        return ts;
    }
    QXmlStreamReader xml(&file);
    QString context;
    QString locationFile;
    QHash<QString, int> lastLine;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("TS")) {
            ts.language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            if (!message.source.isNull())
                ts.messages.append(message);
            message = TsMessage{};
            message.context = context;
            message.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("location")) {
            // -locations relative names a file only when it changes, and
            // gives "+3": lines after the file's previous location.
            const auto attributes = xml.attributes();
            if (attributes.hasAttribute(QLatin1String("filename")))
                locationFile = attributes.value(QLatin1String("filename")).toString();
            const QString lineText = attributes.value(QLatin1String("line")).toString();
            int& line = lastLine[locationFile];
            line = lineText.startsWith(u'+') || lineText.startsWith(u'-') ? line + lineText.toInt() : lineText.toInt();
            if (message.location.isEmpty())
                message.location = locationFile + u':' + QString::number(line);
        } else if (name == QLatin1String("source")) {
            message.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            message.type = xml.attributes().value(QLatin1String("type")).toString();
            if (!message.numerus)
                message.translations << xml.readElementText();
        } else if (name == QLatin1String("numerusform")) {
            message.translations << xml.readElementText();
        }
    }
    if (!message.source.isNull())
        ts.messages.append(message);
    if (xml.hasError())
        ts.error = xml.errorString();
    return ts;
}

QString tsPath(const QString& language)
{
    return qEnvironmentVariable("PONDER_SOURCE_DIR") + QStringLiteral("/resources/translations/ponder_%1.ts").arg(language);
}

// What Qt substitutes (%1..%99, %L1, %n, %Ln) and what a rich-text reader would take as a tag.
QStringList placeholdersAndTags(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral(R"(%L?(\d+|n)|<[^<>\s][^<>]*>)"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    found.removeDuplicates();
    return found;
}

// Characters each script writes differently, common in this UI's words: a
// Simplified one in the zh_TW file (or the reverse) is a slip of script.
// The corner quotes are Taiwan's.
const QString kSimplifiedOnly = QStringLiteral("设这个为们时动载务网络开关择点图数据处录将与应没还当经实现发长间问题让说请读写错误边过运进选连输显号复储态样档忆体钥码视讯删线");
const QString kTraditionalOnly = QStringLiteral("設這個為們時動載務網絡開關擇點圖數據處錄將與應沒還當經實現發長間問題讓說請讀寫錯誤邊過運進選連輸顯號複儲態樣檔憶體鑰碼視訊刪線「」");

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT
    QTemporaryDir m_settingsDir;

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("Ponder-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QVERIFY2(!qEnvironmentVariableIsEmpty("PONDER_SOURCE_DIR"), "CTest sets PONDER_SOURCE_DIR");
    }

    void everyMessageTranslated_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("otherScript");
        QTest::newRow("zh_TW") << QStringLiteral("zh_TW") << kSimplifiedOnly;
        QTest::newRow("zh_CN") << QStringLiteral("zh_CN") << kTraditionalOnly;
    }

    // Finished, with the source's placeholders and tags, in the file's own script.
    void everyMessageTranslated()
    {
        QFETCH(QString, language);
        QFETCH(QString, otherScript);
        const TsFile ts = readTs(tsPath(language));
        QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
        QCOMPARE(ts.language, language);
        QVERIFY2(ts.messages.size() > 500, "the whole UI, not a sample");
        QStringList problems;
        for (const TsMessage& m : ts.messages) {
            const QString where = QStringLiteral("%1 (%2) “%3”: ").arg(m.location, m.context, m.source.left(60));
            // lupdate 6.4 reads \\ in a QML string as two escapes (a control
            // character): such a source never matches the text qsTr() is given.
            for (QChar c : m.source)
                if (c.category() == QChar::Other_Control && c != u'\n' && c != u'\t')
                    problems << where + QStringLiteral("a control character in the source (\\\\ in QML? pass it through .arg())");
            if (!m.type.isEmpty())
                problems << where + QStringLiteral("marked %1").arg(m.type);
            if (m.translations.isEmpty() || m.translations.contains(QString()))
                problems << where + QStringLiteral("not translated");
            if (m.source.contains(QLatin1String("%n")) && !m.numerus)
                problems << where + QStringLiteral("%n outside a plural (tr()'s third argument)");
            for (const QString& translation : m.translations) {
                if (placeholdersAndTags(translation) != placeholdersAndTags(m.source))
                    problems << where + QStringLiteral("placeholders or tags %1 where the source has %2")
                                            .arg(placeholdersAndTags(translation).join(u' '),
                                                 placeholdersAndTags(m.source).join(u' '));
                for (QChar c : translation)
                    if (otherScript.contains(c)) {
                        problems << where + QStringLiteral("“%1” is the other script's: %2").arg(c).arg(translation);
                        break;
                    }
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // lupdate over app/ now: a string the committed files lack fails here,
    // saying which and where (cmake --build … --target ponder_lupdate adds
    // it; then translate it), and so does one they keep that app/ no longer has.
    void sourcesMatchCommittedFiles()
    {
        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("fresh_zh_TW.ts"));
        QProcess lupdate;
        lupdate.setProcessChannelMode(QProcess::MergedChannels);
        lupdate.start(QStringLiteral(PONDER_LUPDATE),
                      {qEnvironmentVariable("PONDER_SOURCE_DIR") + QStringLiteral("/app"), QStringLiteral("-ts"), fresh,
                       QStringLiteral("-locations"), QStringLiteral("absolute")});
        QVERIFY2(lupdate.waitForFinished(60000), qPrintable(lupdate.errorString()));
        const QString output = QString::fromLocal8Bit(lupdate.readAll());
        QCOMPARE(lupdate.exitCode(), 0);
        // A tr() lupdate cannot place gets a context tr() does not use at run time.
        QVERIFY2(!output.contains(QLatin1String("lacks Q_OBJECT")) && !output.contains(QLatin1String("Cannot invoke")),
                 qPrintable(output));
        const TsFile now = readTs(fresh);
        QVERIFY2(now.error.isEmpty(), qPrintable(now.error));
        QVERIFY(now.messages.size() > 500);
        QSet<QString> inSources;
        for (const TsMessage& m : now.messages)
            inSources.insert(m.context + u'\x1f' + m.source);
        for (const QString& language : {QStringLiteral("zh_TW"), QStringLiteral("zh_CN")}) {
            QSet<QString> committed;
            for (const TsMessage& m : readTs(tsPath(language)).messages)
                committed.insert(m.context + u'\x1f' + m.source);
            QStringList missing;
            for (const TsMessage& m : now.messages)
                if (!committed.contains(m.context + u'\x1f' + m.source))
                    missing << QStringLiteral("%1 (%2): “%3”").arg(m.location, m.context, m.source);
            QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("not in ponder_%1.ts:\n").arg(language) + missing.join(u'\n')));
            QStringList stale;
            for (const QString& key : committed)
                if (!inSources.contains(key))
                    stale << QString(key).replace(u'\x1f', QLatin1String(": "));
            QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("gone from app/ but in ponder_%1.ts:\n").arg(language) + stale.join(u'\n')));
        }
    }

    void translationForLocale_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("system");
        QTest::addColumn<QString>("expected");
        QTest::newRow("Taiwan") << "system" << "zh_TW" << "zh_TW";
        QTest::newRow("Hong Kong") << "system" << "zh_HK" << "zh_TW";
        QTest::newRow("Macao") << "system" << "zh_MO" << "zh_TW";
        QTest::newRow("Traditional script") << "system" << "zh_Hant" << "zh_TW";
        QTest::newRow("mainland") << "system" << "zh_CN" << "zh_CN";
        QTest::newRow("Singapore") << "system" << "zh_SG" << "zh_CN";
        QTest::newRow("Simplified script") << "system" << "zh_Hans" << "zh_CN";
        QTest::newRow("English system") << "system" << "en_US" << "";
        QTest::newRow("French system") << "system" << "fr_FR" << "";
        QTest::newRow("English chosen") << "en" << "zh_TW" << "";
        QTest::newRow("zh_CN chosen") << "zh_CN" << "en_US" << "zh_CN";
        QTest::newRow("zh_TW chosen") << "zh_TW" << "zh_CN" << "zh_TW";
        QTest::newRow("unknown setting") << "klingon" << "zh_HK" << "zh_TW";
    }

    void translationForLocale()
    {
        QFETCH(QString, setting);
        QFETCH(QString, system);
        QFETCH(QString, expected);
        QCOMPARE(translationFor(setting, QLocale(system)), expected);
    }

    void compiledTranslationsLoad_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("settings");
        QTest::addColumn<QString>("models");
        QTest::newRow("zh_TW") << "zh_TW" << QStringLiteral("設定") << QStringLiteral("這個伺服器上有 3 個模型");
        QTest::newRow("zh_CN") << "zh_CN" << QStringLiteral("设置") << QStringLiteral("这个服务器上有 3 个模型");
    }

    // The .qm embedded in the app, installed by AppTranslator, plural forms included.
    void compiledTranslationsLoad()
    {
        QFETCH(QString, language);
        QFETCH(QString, settings);
        QFETCH(QString, models);
        QTranslator translator;
        QVERIFY(translator.load(ponder::app::translationResource(language)));
        QCOMPARE(translator.translate("SettingsDialog", "Settings"), settings);
        {
            AppTranslator app;
            QVERIFY(app.use(language));
            QCOMPARE(app.language(), language);
            QCOMPARE(QCoreApplication::translate("SettingsDialog", "Settings"), settings);
            QCOMPARE(QCoreApplication::translate("ServerDialog", "%n model(s) on this server", nullptr, 3), models);
            QVERIFY(app.use(QStringLiteral("en")));
            QCOMPARE(QCoreApplication::translate("SettingsDialog", "Settings"), QStringLiteral("Settings"));
            QVERIFY(app.use(language));
        }
        // Gone with its owner.
        QCOMPARE(QCoreApplication::translate("SettingsDialog", "Settings"), QStringLiteral("Settings"));
    }

    // Qt's own, for the standard buttons (Close, Cancel) of dialogs.
    void qtTranslationsLoad()
    {
        const QString qtbase = QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_zh_TW.qm");
        if (!QFile::exists(qtbase))
            QSKIP("qt6-translations-l10n is not installed (packaging/debian-packages.txt lists it)");
        AppTranslator app;
        QVERIFY(app.use(QStringLiteral("zh_TW")));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
    }

    // Kept, unknown values read as "system", not reset with the rest.
    void languageSetting()
    {
        {
            ChatSettings settings;
            QCOMPARE(settings.language(), QStringLiteral("system"));
            settings.setLanguage(QStringLiteral("fr"));
            QCOMPARE(settings.language(), QStringLiteral("system"));
            settings.setLanguage(QStringLiteral("zh_TW"));
            settings.resetToDefaults();
            QCOMPARE(settings.language(), QStringLiteral("zh_TW"));
        }
        QCOMPARE(ChatSettings::savedLanguage(), QStringLiteral("zh_TW"));
        ChatSettings reread;
        QCOMPARE(reread.language(), QStringLiteral("zh_TW"));
        reread.setLanguage(QStringLiteral("system"));
    }

    // A change of the setting while the window is up: qsTr() bindings follow at once.
    void settingChangeRetranslates()
    {
        ChatSettings settings;
        settings.setLanguage(QStringLiteral("system"));
        QQmlEngine engine;
        AppTranslator translator;
        QVERIFY(translator.use(QStringLiteral("zh_TW")));  // as --lang zh_TW would
        translator.follow(settings, engine);
        QQmlComponent component(&engine);
        // qsTr()'s context is the file's name.
        component.setData("import QtQml\nQtObject { property string label: qsTr(\"Settings\") }",
                          QUrl(QStringLiteral("qrc:/SettingsDialog.qml")));
        std::unique_ptr<QObject> object(component.create());
        QVERIFY2(object, qPrintable(component.errorString()));
        QCOMPARE(object->property("label").toString(), QStringLiteral("設定"));
        settings.setLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(translator.language(), QStringLiteral("zh_CN"));
        QCOMPARE(object->property("label").toString(), QStringLiteral("设置"));
        settings.setLanguage(QStringLiteral("en"));
        QCOMPARE(object->property("label").toString(), QStringLiteral("Settings"));
        settings.setLanguage(QStringLiteral("system"));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
