// Every page of the main window, walked through the accessibility tree as a
// screen reader sees it (issue 15 item 6): each control the keyboard can reach
// has a name and a role a screen reader can announce, and Tab moves through
// all of them, the window's parts in order, without a trap.
//
// A "control the keyboard can reach" is a visible, enabled item that takes
// focus on Tab (Qt Quick Controls set that from their focusPolicy). Its name
// is what QAccessible reports (QAccessible::Name: the Accessible.name binding,
// or a button's text, which Qt Quick Controls copy into it). Esc closes
// each page and dialog.
#include <QtTest>

#include <QAccessible>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>

#include "app_setup.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"

using namespace ponder;

namespace {

bool reachableByTab(QQuickItem* item)
{
    return item->isVisible() && item->isEnabled() && item->activeFocusOnTab() && item->width() > 0 &&
           item->height() > 0;
}

// What a screen reader announces for `item`, "" for nothing: its
// accessible name, or for a button without one its text, which Qt Quick
// Controls make its name once a screen reader turns accessibility on
// (QQuickAbstractButton::accessibilityActiveChanged). The offscreen platform
// has no accessibility bridge to turn on, so the test applies that rule.
QString announcedName(QQuickItem* item)
{
    QAccessibleInterface* node = QAccessible::queryAccessibleInterface(item);
    const QString name = node ? node->text(QAccessible::Name).trimmed() : QString();
    if (name.isEmpty() && item->inherits("QQuickAbstractButton"))
        return item->property("text").toString().trimmed();
    return name;
}

QAccessible::Role announcedRole(QQuickItem* item)
{
    QAccessibleInterface* node = QAccessible::queryAccessibleInterface(item);
    return node ? node->role() : QAccessible::NoRole;
}

// The QML file and line an item comes from, for the failure message.
QString whereDeclared(QQuickItem* item)
{
    const QQmlContext* context = qmlContext(item);
    QString where = QString::fromLatin1(item->metaObject()->className());
    if (!item->objectName().isEmpty())
        where += QStringLiteral(" \"%1\"").arg(item->objectName());
    if (context)
        where += QStringLiteral(" in %1").arg(context->baseUrl().fileName());
    return where;
}

// The keyboard-reachable controls under `root` without a name or a role
// (and a failure when there is none at all: the walk would prove nothing).
QStringList unnamedControls(QQuickItem* root)
{
    QStringList failures;
    if (!root || test::findItems(root, reachableByTab).isEmpty())
        return {QStringLiteral("no control reachable by Tab at all")};
    for (QQuickItem* item : test::findItems(root, reachableByTab)) {
        if (announcedName(item).isEmpty())
            failures << QStringLiteral("no name: %1").arg(whereDeclared(item));
        // A Qt Quick Control takes the role of its type when accessibility
        // turns on; any other item that takes focus must declare its own.
        else if (!item->inherits("QQuickControl") &&
                 (announcedRole(item) == QAccessible::NoRole || announcedRole(item) == QAccessible::Client))
            failures << QStringLiteral("no role: %1 (\"%2\")").arg(whereDeclared(item), announcedName(item));
    }
    return failures;
}

}  // namespace

class TestAccessibility : public QObject {
    Q_OBJECT

    std::unique_ptr<test::QmlWarningGuard> m_warnings;

    static QQuickWindow* loadWindow(QQmlApplicationEngine& engine)
    {
        app::setUpEngine(engine);
        engine.load(app::mainQmlUrl());
        if (engine.rootObjects().size() != 1)
            return nullptr;
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        if (!window || !QTest::qWaitForWindowExposed(window))
            return nullptr;
        window->requestActivate();
        return window;
    }

    // The popup's content item (a Popup is a QObject, its items live in the overlay).
    static QQuickItem* popupItem(QObject* popup)
    {
        return popup ? popup->property("contentItem").value<QQuickItem*>() : nullptr;
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    // The chat window, the models and compare pages, the settings and the server dialogs:
    // no reachable control without a name.
    void everyControlIsNamed()
    {
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadWindow(engine);
        QVERIFY(window);

        QStringList failures = unnamedControls(window->contentItem());

        auto* modelsPage = window->findChild<QObject*>(QStringLiteral("modelsPage"));
        QVERIFY(modelsPage);
        QMetaObject::invokeMethod(modelsPage, "open");
        QTRY_VERIFY(modelsPage->property("opened").toBool());
        for (const QString& failure : unnamedControls(popupItem(modelsPage)))
            failures << QStringLiteral("models page: ") + failure;
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY2(!modelsPage->property("visible").toBool(), "Esc did not close the models page");

        auto* comparePage = window->findChild<QObject*>(QStringLiteral("comparePage"));
        QVERIFY(comparePage);
        QMetaObject::invokeMethod(comparePage, "open");
        QTRY_VERIFY(comparePage->property("opened").toBool());
        for (const QString& failure : unnamedControls(popupItem(comparePage)))
            failures << QStringLiteral("compare page: ") + failure;
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY2(!comparePage->property("visible").toBool(), "Esc did not close the compare page");

        QTest::keyClick(window, Qt::Key_Comma, Qt::ControlModifier);
        QObject* settings = nullptr;
        for (QObject* popup : window->findChildren<QObject*>()) {
            if (QByteArray(popup->metaObject()->className()).startsWith("SettingsDialog"))
                settings = popup;
        }
        QVERIFY(settings);
        QTRY_VERIFY(settings->property("opened").toBool());
        for (const QString& failure : unnamedControls(popupItem(settings)))
            failures << QStringLiteral("settings: ") + failure;
        // Esc closes a dialog from the keyboard.
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY2(!settings->property("visible").toBool(), "Esc did not close the settings");

        auto* server = window->findChild<QObject*>(QStringLiteral("serverDialog"));
        QVERIFY(server);
        QMetaObject::invokeMethod(server, "open");
        QTRY_VERIFY(server->property("opened").toBool());
        for (const QString& failure : unnamedControls(popupItem(server)))
            failures << QStringLiteral("server dialog: ") + failure;
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY2(!server->property("visible").toBool(), "Esc did not close the server dialog");

        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }

    // Tab from the message input goes around the whole window and comes back:
    // every reachable control on the way, the sidebar's and the input's among
    // them, nothing that keeps the focus.
    void tabGoesAroundTheWindow()
    {
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadWindow(engine);
        QVERIFY(window);

        // On a first run the welcome stands in front of the chat: close it.
        const auto notNow = test::findByObjectName(window->contentItem(), QStringLiteral("welcomeNotNow"));
        if (!notNow.isEmpty())
            QMetaObject::invokeMethod(notNow.first(), "clicked");
        QQuickItem* input = test::findAccessible(window->contentItem(), QStringLiteral("Message"));
        QVERIFY(input);
        input->forceActiveFocus(Qt::TabFocusReason);
        QTRY_VERIFY(input->hasActiveFocus());

        QTRY_VERIFY(input->isVisible() && input->width() > 0);
        QList<QQuickItem*> reachable;
        QSet<QQuickItem*> visited;
        QStringList names;
        bool backAtInput = false;
        for (int step = 0; step < 100 && !backAtInput; ++step) {
            QTest::keyClick(window, Qt::Key_Tab);
            // Laid out now (layouts settle a frame after the welcome closes).
            reachable = test::findItems(window->contentItem(), reachableByTab);
            QQuickItem* focused = window->activeFocusItem();
            QVERIFY2(focused, "Tab left no item with the focus");
            // The focus may land inside a control (a TextArea in a ScrollView):
            // count the reachable control that holds it.
            QQuickItem* holder = focused;
            while (holder && !reachable.contains(holder))
                holder = holder->parentItem();
            QVERIFY2(holder, qPrintable(QStringLiteral("Tab moved the focus to %1, not a reachable control; it went: %2")
                                            .arg(whereDeclared(focused), names.join(QStringLiteral(" > ")))));
            focused = holder;
            backAtInput = focused == input || input->hasActiveFocus();
            if (!backAtInput) {
                visited.insert(focused);
                names << announcedName(focused);
            }
        }
        QVERIFY2(backAtInput, qPrintable(QStringLiteral("Tab did not come back to the input; it went: ") +
                                         names.join(QStringLiteral(" > "))));
        // Every control the keyboard can reach was on the way.
        QStringList missed;
        for (QQuickItem* item : std::as_const(reachable)) {
            if (item != input && !visited.contains(item))
                missed << QStringLiteral("%1 (\"%2\")").arg(whereDeclared(item), announcedName(item));
        }
        QVERIFY2(missed.isEmpty(), qPrintable(QStringLiteral("Tab never reached: ") + missed.join(QStringLiteral("; "))));
        for (const char* expected : {"Start a new chat", "Settings", "Messages"}) {
            QVERIFY2(names.contains(QString::fromUtf8(expected)),
                     qPrintable(QStringLiteral("Tab never reached \"%1\"; it went: %2")
                                    .arg(QString::fromUtf8(expected), names.join(QStringLiteral(" > ")))));
        }
    }
};

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
