// The main window in Traditional Chinese (--lang zh_TW's AppTranslator),
// offscreen: the first run's welcome, a Chinese answer from a scripted
// backend, the models page and the settings. The labels are the
// translations, every Chinese character on screen has a real glyph in the
// script's CJK font (not the empty box of a missing one), and the text's
// region is drawn, not blank. A change of the Language setting retranslates
// the open window to Simplified Chinese and back to English. Screenshots of
// each (zh_TW-welcome, zh_TW-chat, zh_TW-picker, zh_TW-settings, zh_CN-chat).
#include <QtTest>

#include <QFontDatabase>
#include <QGlyphRun>
#include <QPainterPath>
#include <QQmlApplicationEngine>
#include <QRawFont>
#include <QTextLayout>

#include "app_setup.h"
#include "app_translator.h"
#include "chat_controller.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "scripted_backend.h"

using namespace ponder;
using app::ChatController;

namespace {

// R1 asked in Chinese reasons and answers in Chinese (the conversation is
// the scripted backend's: no model runs).
const QString kQuestion = QStringLiteral("為什麼天空是藍色的？");
const QString kReasoning = QStringLiteral("使用者問天空為什麼是藍色的。這是瑞利散射：波長越短，散射越強。");
const QString kAnswer = QStringLiteral("天空呈現藍色，是因為陽光中的藍光波長較短，被大氣分子散射得比紅光更多。");

bool isHan(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF);
}

// Characters of `text` that `font` (with Qt's fallbacks, as a Text item lays
// it out) draws as glyph 0, the font's "missing" box, or with an empty
// outline; and the families that drew the Han characters.
struct GlyphCheck {
    QString missing;
    QSet<QString> hanFamilies;
};

GlyphCheck checkGlyphs(const QString& text, const QFont& font)
{
    GlyphCheck check;
    QSet<char32_t> seen;
    for (QChar c : text) {
        if (!isHan(c.unicode()) || seen.contains(c.unicode()))
            continue;
        seen.insert(c.unicode());
        // One character at a time (QGlyphRun::stringIndexes() is Qt 6.5).
        QTextLayout layout(QString(c), font);
        layout.beginLayout();
        layout.createLine();
        layout.endLayout();
        bool drawn = false;
        for (const QGlyphRun& run : layout.glyphRuns()) {
            check.hanFamilies.insert(run.rawFont().familyName());
            for (quint32 glyph : run.glyphIndexes())
                drawn = drawn || (glyph != 0 && !run.rawFont().pathForGlyph(glyph).isEmpty());
        }
        if (!drawn)
            check.missing += c;
    }
    return check;
}

bool hasHan(const QString& text)
{
    for (QChar c : text)
        if (isHan(c.unicode()))
            return true;
    return false;
}

} // namespace

class TestTranslatedWindow : public QObject {
    Q_OBJECT
    std::unique_ptr<test::QmlWarningGuard> m_warnings;
    std::unique_ptr<app::AppTranslator> m_translator;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    ChatController* m_chat = nullptr;
    QPointer<test::ScriptedBackend> m_script;

    // Visible text items (Text, Label, TextEdit) below `root` whose text holds a Chinese character.
    static QList<QQuickItem*> chineseTextItems(QQuickItem* root)
    {
        return test::findItems(root, [](QQuickItem* item) {
            return item->isVisible() && item->opacity() > 0 && item->property("textFormat").isValid() &&
                   item->property("font").isValid() && hasHan(item->property("text").toString());
        });
    }

    // Every Chinese text below `root` (what is on top) has its glyphs, from
    // `hanFamily` (fonts-noto-cjk's, for the language shown), and what is
    // drawn where it lies is not blank.
    void verifyChineseRendered(const QImage& shot, QQuickItem* root, const QString& hanFamily, bool liveSwitch = false)
    {
        QVERIFY(root);
        const QList<QQuickItem*> items = chineseTextItems(root);
        QVERIFY2(items.size() >= 3, "Chinese text on screen");
        QSet<QString> families;
        int checked = 0;
        for (QQuickItem* item : items) {
            const QString text = item->property("text").toString();
            const GlyphCheck glyphs = checkGlyphs(text, item->property("font").value<QFont>());
            QVERIFY2(glyphs.missing.isEmpty(),
                     qPrintable(QStringLiteral("no glyph for “%1” in “%2”").arg(glyphs.missing, text.left(40))));
            families += glyphs.hanFamilies;
            // The item's rectangle in the window's pixels, less what a clipping
            // ancestor (a scrolled grid or list) hides.
            QRectF scene = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
            for (QQuickItem* above = item->parentItem(); above; above = above->parentItem())
                if (above->clip())
                    scene &= above->mapRectToScene(QRectF(0, 0, above->width(), above->height()));
            const QRect rect = QRectF(scene.topLeft() * m_window->devicePixelRatio(), scene.size() * m_window->devicePixelRatio())
                                   .toAlignedRect()
                                   .intersected(shot.rect());
            if (rect.width() < 8 || rect.height() < 8)
                continue;
            const QImage region = shot.copy(rect);
            QVERIFY2(test::distinctColours(region, 4) >= 4,
                     qPrintable(QStringLiteral("“%1” is drawn blank").arg(text.left(40))));
            ++checked;
        }
        QVERIFY(checked >= 3);
        const QString drawnWith = QStringList(families.begin(), families.end()).join(QStringLiteral(", "));
        qInfo("Han characters drawn with: %s", qPrintable(drawnWith));
        // fonts-noto-cjk (packaging/debian-packages.txt): the script's own
        // forms whatever the system's language (AppTranslator names the family).
        QVERIFY2(QFontDatabase::hasFamily(hanFamily), qPrintable(hanFamily + QStringLiteral(" is not installed")));
        // Items keep the font they were made with: after a switch while the
        // window is open, the other script's family until the next start.
        QVERIFY2(families == QSet<QString>{hanFamily} || (liveSwitch && families.size() == 1 &&
                                                          families.values().first().startsWith(QLatin1String("Noto Sans CJK"))),
                 qPrintable(drawnWith));
    }

    QImage screenshot(const QString& name)
    {
        const QString path = test::saveScreenshot(m_window, name);
        if (path.isEmpty())
            return {};
        return QImage(path);
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        m_warnings = std::make_unique<test::QmlWarningGuard>();
        m_translator = std::make_unique<app::AppTranslator>();
        QVERIFY(m_translator->use(QStringLiteral("zh_TW")));  // as `ponder --lang zh_TW`
    }

    void cleanup()
    {
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        m_translator.reset();
    }

    // The chat with a Chinese question, reasoning and answer.
    void chatInTraditionalChinese()
    {
        m_engine = std::make_unique<QQmlApplicationEngine>();
        app::setUpEngine(*m_engine);
        m_engine->load(app::mainQmlUrl());
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().first());
        QVERIFY(m_window);
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        m_chat = m_window->findChild<ChatController*>();
        QVERIFY(m_chat);
        m_translator->follow(*m_chat->settings(), *m_engine);

        // Labels and accessible names are the translations.
        for (const char* name : {"對話", "訊息", "傳送訊息", "開始新的聊天"})
            QVERIFY2(test::findAccessible(m_window->contentItem(), QString::fromUtf8(name)), name);
        QVERIFY(!test::findAccessible(m_window->contentItem(), QStringLiteral("Send message")));

        // No model and no server yet: the first run's welcome, its recommendation in words.
        QQuickItem* welcome = test::findByObjectName(m_window->contentItem(), "welcomePage").value(0);
        QVERIFY2(welcome, "the welcome stands in for the empty chat on a first run");
        QQuickItem* reason = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((reason = test::findByObjectName(welcome, "welcomeReason").value(0)) &&
                                     hasHan(reason->property("text").toString()),
                                 30000);
        QTest::qWait(200);
        const QImage welcomeShot = screenshot(QStringLiteral("zh_TW-welcome"));
        QVERIFY2(!welcomeShot.isNull(), "the screenshot is blank or not saved");
        verifyChineseRendered(welcomeShot, welcome, QStringLiteral("Noto Sans CJK TC"));

        auto backend = std::make_unique<test::ScriptedBackend>(QVariantMap{
            {"name", "DeepSeek-R1-Distill-Qwen-7B"}, {"summary", "DeepSeek-R1-Distill-Qwen-7B (Q4_K_M)"},
            {"device", "CPU"}, {"expectReasoning", true}});
        m_script = backend.get();
        m_chat->useBackend(std::move(backend));
        QTRY_VERIFY(m_chat->modelLoaded());
        QVERIFY(m_chat->send(kQuestion));
        emit m_script->text(kReasoning, 30);
        emit m_script->text(QStringLiteral("\n</think>\n\n") + kAnswer, 40);
        emit m_script->finished({{"generatedTokens", 70}, {"stopReason", "end of turn"}});
        QTRY_VERIFY(!m_chat->generating());
        QTRY_VERIFY(!test::findByObjectName(m_window->contentItem(), "proseBlock").isEmpty());
        QQuickItem* prose = test::findByObjectName(m_window->contentItem(), "proseBlock").first();
        QTRY_VERIFY(prose->property("text").toString().contains(QStringLiteral("瑞利")) ||
                    prose->property("text").toString().contains(QStringLiteral("藍光")));
        // The reasoning's heading comes from C++ (MessageListModel::tr): "Thought for %1 s".
        QQuickItem* heading = test::findByObjectName(m_window->contentItem(), "reasoningHeading").value(0);
        QVERIFY(heading);
        QTRY_VERIFY2(test::accessibleName(heading).contains(QStringLiteral("思考了")) ||
                         heading->property("text").toString().contains(QStringLiteral("思考了")),
                     qPrintable(test::accessibleName(heading)));
        QTest::qWait(200);  // the last frame drawn
        const QImage shot = screenshot(QStringLiteral("zh_TW-chat"));
        QVERIFY2(!shot.isNull(), "the screenshot is blank or not saved");
        verifyChineseRendered(shot, m_window->contentItem(), QStringLiteral("Noto Sans CJK TC"));
    }

    // The models page (the picker) in zh_TW.
    void pickerInTraditionalChinese()
    {
        QVERIFY(m_window);
        QTest::keyClick(m_window, Qt::Key_M, Qt::ControlModifier);
        QTRY_VERIFY(test::findAccessible(m_window->contentItem(), QStringLiteral("關閉模型頁面")));
        QTRY_VERIFY_WITH_TIMEOUT(!test::findByObjectName(m_window->contentItem(), "modelGrid").isEmpty(), 30000);
        // A fit badge for each cell, in words of the translation.
        const QStringList verdicts = {QStringLiteral("放得下"), QStringLiteral("勉強放得下"), QStringLiteral("分割"),
                                      QStringLiteral("分割，勉強"), QStringLiteral("放不下")};
        QTRY_VERIFY_WITH_TIMEOUT(!test::findItems(m_window->contentItem(), [&](QQuickItem* item) {
                                      return item->isVisible() && verdicts.contains(item->property("text").toString());
                                  }).isEmpty(),
                                 30000);
        QTest::qWait(200);
        const QImage shot = screenshot(QStringLiteral("zh_TW-picker"));
        QVERIFY2(!shot.isNull(), "the screenshot is blank or not saved");
        // The page (a popup) covers the chat: only its own text is on top.
        QObject* page = m_window->findChild<QObject*>(QStringLiteral("modelsPage"));
        QVERIFY(page);
        verifyChineseRendered(shot, page->property("contentItem").value<QQuickItem*>(), QStringLiteral("Noto Sans CJK TC"));
        QTest::keyClick(m_window, Qt::Key_Escape);
    }

    // The settings in zh_TW, with the Language choice: each language named in itself.
    void settingsInTraditionalChinese()
    {
        QVERIFY(m_window);
        QTest::keyClick(m_window, Qt::Key_Comma, Qt::ControlModifier);
        QQuickItem* languageBox = nullptr;
        QTRY_VERIFY((languageBox = test::findByObjectName(m_window->contentItem(), "languageBox").value(0)));
        QCOMPARE(test::accessibleName(languageBox), QStringLiteral("語言"));
        QCOMPARE(languageBox->property("model").toStringList(),
                 (QStringList{QStringLiteral("系統"), QStringLiteral("English"), QStringLiteral("繁體中文"),
                              QStringLiteral("简体中文")}));
        QQuickItem* note = test::findByObjectName(m_window->contentItem(), "languageNote").value(0);
        QVERIFY(note && note->property("text").toString().startsWith(QStringLiteral("立即生效")));
        QTest::qWait(200);
        const QImage shot = screenshot(QStringLiteral("zh_TW-settings"));
        QVERIFY2(!shot.isNull(), "the screenshot is blank or not saved");
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_VERIFY(test::findByObjectName(m_window->contentItem(), "languageBox").isEmpty());
    }

    // The Language setting changed while the window is open: Simplified, then English, at once.
    void languageSettingSwitchesLive()
    {
        QVERIFY(m_chat);
        m_chat->settings()->setLanguage(QStringLiteral("zh_CN"));
        QTRY_VERIFY(test::findAccessible(m_window->contentItem(), QStringLiteral("发送消息")));
        QVERIFY(!test::findAccessible(m_window->contentItem(), QStringLiteral("傳送訊息")));
        const QImage shot = screenshot(QStringLiteral("zh_CN-chat"));
        QVERIFY(!shot.isNull());
        verifyChineseRendered(shot, m_window->contentItem(), QStringLiteral("Noto Sans CJK SC"), true);
        m_chat->settings()->setLanguage(QStringLiteral("en"));
        QTRY_VERIFY(test::findAccessible(m_window->contentItem(), QStringLiteral("Send message")));
        m_chat->settings()->setLanguage(QStringLiteral("system"));
    }
};

QTEST_MAIN(TestTranslatedWindow)
#include "tst_translated_window.moc"
