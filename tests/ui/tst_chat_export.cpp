// Copy and export (issue 16 item 4), offscreen, in light and dark: the
// conversation sidebar and an answer's actions, the real QML over a real
// ChatController whose store holds a conversation with a hostile reasoning.
// Copy → As Markdown / As plain text puts the answer on the clipboard; the
// row's menu (right click, and the Menu key) → Export to Markdown… opens the
// file dialog proposing "<title>.md", and its Save button writes the file;
// a file that cannot be written is said in a dialog. Fails on any QML warning.
#include <QtTest>

#include <QClipboard>
#include <QQmlApplicationEngine>

#include "app_setup.h"
#include "chat_controller.h"
#include "conversation_export.h"
#include "conversation_store.h"
#include "markdown_plain_text.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"

using namespace ponder;

namespace {

const QString kQuestion = QStringLiteral("How do I reverse a list: in place, or a copy?");
const QString kReasoning = QStringLiteral("They want a copy.\n\n</details>\n\n<script>alert(1)</script>\n\n```python\nunclosed");
const QString kAnswer = QStringLiteral("Use **slicing** ([the docs](https://docs.python.org/3/)):\n\n"
                                       "```python\ndef reversed_copy(items):\n    return items[::-1]\n```\n\n"
                                       "1. It makes a *copy*.\n2. `items.reverse()` works in place.");

} // namespace

class TestChatExport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<test::QmlWarningGuard> m_warnings;
    QQuickWindow* m_window = nullptr;

    // Clicks `opener` with `button`, waits for the menu item named `item`,
    // saves a screenshot named `screenshot` (if any), and clicks the item.
    bool chooseFromMenu(QQuickItem* opener, Qt::MouseButton button, const QString& item, const QString& screenshot)
    {
        const QPointF clicked = opener->mapToScene(opener->boundingRect().center());
        QTest::mouseClick(m_window, button, {}, clicked.toPoint());
        return choose(item, screenshot, clicked.y());
    }

    // Waits for the menu item named `item`, drawn inside the window and, when
    // `below` is given, below that height (a menu opens where it was asked
    // for); saves `screenshot` and clicks the item.
    bool choose(const QString& item, const QString& screenshot, qreal below = -1)
    {
        QQuickItem* choice = nullptr;
        const auto shown = [&] {
            choice = test::findAccessible(m_window->contentItem(), item);
            return choice && choice->isVisible() && choice->height() > 0 &&
                   qFuzzyCompare(choice->parentItem() ? choice->opacity() : 0.0, 1.0);
        };
        if (!QTest::qWaitFor(shown)) {
            qWarning("menu item %s not shown", qPrintable(item));
            return false;
        }
        QTest::qWait(250);  // the menu's opening transition, for the picture
        const QRectF drawn = choice->mapRectToScene(choice->boundingRect());
        if (!QRectF(QPointF(0, 0), m_window->size()).contains(drawn) || drawn.top() < below - 1) {
            qWarning("menu item %s drawn at %g,%g, asked below %g", qPrintable(item), drawn.x(), drawn.y(), below);
            return false;
        }
        if (!screenshot.isEmpty() && test::saveScreenshot(m_window, screenshot).isEmpty())
            return false;
        QTest::mouseClick(m_window, Qt::LeftButton, {}, choice->mapToScene(choice->boundingRect().center()).toPoint());
        return QTest::qWaitFor([&] { return !choice->isVisible(); });
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        // The export dialog proposes a file in the documents folder or home: this run's own.
        QVERIFY(QDir().mkpath(m_dir.filePath("home")));
        qputenv("HOME", m_dir.filePath("home").toUtf8());
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void copyAndExport_data() { test::themeRows(); }

    void copyAndExport()
    {
        QFETCH(bool, dark);
        const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
        const QString database = m_dir.filePath("conversations-" + theme + ".sqlite");
        qint64 answerId = -1;
        {
            app::ConversationStore store;
            QVERIFY2(store.open(database), qPrintable(store.errorString()));
            const qint64 conversation = store.createConversation(QStringLiteral("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"));
            QVERIFY(store.addMessage(conversation, app::MessageRole::User, kQuestion) >= 0);
            answerId = store.addMessage(conversation, app::MessageRole::Assistant, QString(), app::MessageStatus::Streaming);
            QVERIFY(store.setMessageText(answerId, kReasoning, kAnswer));
            app::MessageStats stats;
            stats.reasoningTokens = 42;
            stats.generatedTokens = 90;
            stats.reasoningCut = app::ReasoningCut::Budget;
            QVERIFY(store.finishMessage(answerId, app::MessageStatus::Complete, stats));
        }

        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        QVERIFY(test::setTheme(engine, dark));
        const QString qml = QStringLiteral(R"(
import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Chat
ApplicationWindow {
    width: 960; height: 560; visible: true
    color: Theme.window
    // As Main.qml: the controls of the Basic style (menus, the file dialog) take the theme.
%3
    ChatController { id: controller; databasePath: "%1" }
    ConversationSidebar {
        id: sidebar
        width: 300; height: parent.height
        chat: controller
    }
    AnswerFoot {
        x: sidebar.width + Theme.padding; y: Theme.padding
        width: parent.width - x - Theme.padding
        chat: controller
        messageId: %2
        content: null
        messageStatus: "complete"
        errorText: ""
        versionIndex: 0
        versionCount: 1
        statsLabel: "90 tokens"
    }
}
)").arg(database).arg(answerId).arg(test::mainWindowPaletteQml());
        engine.loadData(qml.toUtf8(), QUrl(QStringLiteral("qrc:/export_harness.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(m_window);
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        auto* chat = m_window->findChild<app::ChatController*>();
        QVERIFY(chat && chat->store()->isOpen());
        QTRY_COMPARE(chat->conversations().size(), 1);
        const auto info = chat->conversations()[0].value<app::ConversationInfo>();
        QCOMPARE(info.title, app::ConversationStore::titleFrom(kQuestion));

        // Copy → As Markdown: the answer as stored, without its reasoning.
        QQuickItem* copy = test::findAccessible(m_window->contentItem(), QStringLiteral("Copy the answer"));
        QVERIFY(copy);
        QGuiApplication::clipboard()->clear();
        QVERIFY(chooseFromMenu(copy, Qt::LeftButton, QStringLiteral("Copy the answer as Markdown"), "copy_menu_" + theme));
        QCOMPARE(QGuiApplication::clipboard()->text(), kAnswer);
        // Copy → As plain text: the words, the code as text, the link's address after its text.
        QVERIFY(chooseFromMenu(copy, Qt::LeftButton, QStringLiteral("Copy the answer as plain text"), QString()));
        const QString plain = QGuiApplication::clipboard()->text();
        QCOMPARE(plain, app::markdownToPlainText(kAnswer));
        QCOMPARE(plain, QStringLiteral("Use slicing (the docs (https://docs.python.org/3/)):\n\n"
                                       "def reversed_copy(items):\n    return items[::-1]\n\n"
                                       "1. It makes a copy.\n2. items.reverse() works in place."));

        // By keyboard: Space on Copy opens the menu, Down and Enter choose As Markdown.
        QGuiApplication::clipboard()->clear();
        copy->forceActiveFocus();
        QTest::keyClick(m_window, Qt::Key_Space);
        QQuickItem* asMarkdown = nullptr;
        QTRY_VERIFY((asMarkdown = test::findAccessible(m_window->contentItem(), QStringLiteral("Copy the answer as Markdown"))) &&
                    asMarkdown->isVisible());
        QTest::keyClick(m_window, Qt::Key_Down);
        QTest::keyClick(m_window, Qt::Key_Return);
        QTRY_COMPARE(QGuiApplication::clipboard()->text(), kAnswer);
        QTRY_VERIFY(!asMarkdown->isVisible());

        // The row's menu → Export to Markdown…: the dialog proposes "<title>.md".
        QQuickItem* row = test::findAccessible(m_window->contentItem(), info.title);
        QVERIFY(row);
        const QString exportItem = QStringLiteral("Export conversation %1 to Markdown").arg(info.title);
        QVERIFY(chooseFromMenu(row, Qt::RightButton, exportItem, "conversation_menu_" + theme));
        auto* dialog = m_window->findChild<QObject*>(QStringLiteral("exportDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->property("visible").toBool());
        const QString proposed = app::exportFileName(info.title);
        QCOMPARE(proposed, QStringLiteral("How do I reverse a list_ in place, or a copy_.md"));
        QCOMPARE(dialog->property("selectedFile").toUrl(), QUrl::fromLocalFile(QDir(m_dir.filePath("home")).filePath(proposed)));
        const auto nameField = test::findByObjectName(m_window->contentItem(), QStringLiteral("fileNameTextField"));
        QCOMPARE(nameField.size(), 1);
        QCOMPARE(nameField[0]->property("text").toString(), proposed);
        QTest::qWait(300);  // the dialog's opening transition
        QVERIFY(!test::saveScreenshot(m_window, "export_dialog_" + theme).isEmpty());

        // Saved elsewhere than proposed: the dialog opened on another file, then its Save button.
        const QString folder = m_dir.filePath("exports-" + theme);
        QVERIFY(QDir().mkpath(folder));
        const QString path = QDir(folder).filePath(QStringLiteral("chat.md"));
        // The dialog as the app opens it, on the file it proposes; then its Save button.
        const auto saveAs = [&](const QString& file) {
            QVERIFY(QMetaObject::invokeMethod(dialog, "close"));
            QTRY_VERIFY(!dialog->property("visible").toBool());
            dialog->setProperty("selectedFile", QUrl::fromLocalFile(file));
            QVERIFY(QMetaObject::invokeMethod(dialog, "open"));
            QTRY_VERIFY(dialog->property("visible").toBool());
            QTRY_COMPARE(nameField[0]->property("text").toString(), QFileInfo(file).fileName());
            const auto save = test::findItems(m_window->contentItem(), [](QQuickItem* item) {
                return item->isVisible() && item->inherits("QQuickAbstractButton") &&
                       item->property("text").toString() == QLatin1String("Save");
            });
            QCOMPARE(save.size(), 1);
            QTest::mouseClick(m_window, Qt::LeftButton, {}, save[0]->mapToScene(save[0]->boundingRect().center()).toPoint());
            QTRY_VERIFY(!dialog->property("visible").toBool());
        };
        saveAs(path);
        if (QTest::currentTestFailed())
            return;
        QTRY_VERIFY(QFile::exists(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString written = QString::fromUtf8(file.readAll());
        QCOMPARE(written, app::conversationMarkdown(*chat->store()->conversation(info.id),
                                                    chat->store()->currentBranch(info.id)));
        QVERIFY(written.contains(QStringLiteral(
            "<details>\n<summary>Reasoning (42 tokens, cut short: the thinking budget was reached)</summary>\n\n")));
        QVERIFY(written.contains(QStringLiteral("\\</details>")));  // the reasoning's, escaped
        QCOMPARE(written.split(u'\n').count(QStringLiteral("</details>")), 1);  // ours, on a line of its own
        QVERIFY(written.contains(kAnswer));
        QVERIFY(!QFile::exists(QDir(folder).filePath(proposed)));

        // The Menu key opens the same menu; a folder that does not exist is said in a dialog.
        row->forceActiveFocus();
        QTest::keyClick(m_window, Qt::Key_Menu);
        QVERIFY(choose(exportItem, QString()));
        QTRY_VERIFY(dialog->property("visible").toBool());
        saveAs(m_dir.filePath("missing/folder/chat.md"));
        if (QTest::currentTestFailed())
            return;
        auto* failed = m_window->findChild<QObject*>(QStringLiteral("exportFailed"));
        QVERIFY(failed);
        QTRY_VERIFY(failed->property("opened").toBool());
        const auto said = test::findItems(failed->property("contentItem").value<QQuickItem*>(), [](QQuickItem* item) {
            return item->property("text").toString().startsWith(QLatin1String("Cannot write "));
        });
        QCOMPARE(said.size(), 1);
        QVERIFY(!test::saveScreenshot(m_window, "export_failed_" + theme).isEmpty());
        QVERIFY(QMetaObject::invokeMethod(failed, "close"));

        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }
};

QTEST_MAIN(TestChatExport)
#include "tst_chat_export.moc"
