// The main window, loaded from the real QML module offscreen: it must load
// without a single QML warning, find the GPU, show it in the status line, and
// it saves a screenshot of itself in each theme.
#include <QtTest>

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQmlContext>
#include <QQmlProperty>
#include <QQuickItem>
#include <QQuickWindow>
#include <QtQml/qqmlextensionplugin.h>

#include "app_setup.h"
#include "gpu_fixture.h"
#include "gpu_selector.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"

Q_IMPORT_QML_PLUGIN(PonderPlugin)
Q_IMPORT_QML_PLUGIN(PonderUiPlugin)

using namespace ponder;

class TestMainWindow : public QObject {
    Q_OBJECT
    // Installed once QTest has set up its own message handler, so both see every message.
    std::unique_ptr<test::QmlWarningGuard> m_warnings;

private slots:
    void initTestCase()
    {
        // Offscreen has no OpenGL: render with Qt Quick's software renderer.
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
        app::setUpApplication(*QCoreApplication::instance());
        QCoreApplication::setApplicationName(QStringLiteral("Ponder-tests"));
        // The window opens the conversation database and the settings: keep them out of the user's.
        QStandardPaths::setTestModeEnabled(true);
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void showsLayoutAndGpu_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void showsLayoutAndGpu()
    {
        QFETCH(bool, dark);
        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        QVERIFY(test::setTheme(engine, dark));
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));

        auto* gpu = window->findChild<app::GpuSelector*>();
        QVERIFY(gpu);
        QTRY_VERIFY_WITH_TIMEOUT(!gpu->probing(), 30000);
        if (gpu->deviceName().isEmpty()) {
            if (test::runningInCi())
                QFAIL(qPrintable("no Vulkan device in CI: " + gpu->errorString()));
            QVERIFY2(!gpu->errorString().isEmpty(), "no device and no reason given");
        }

        // The chat layout is there, named for screen readers.
        for (const char* name : {"Conversations", "Messages", "Message", "Send message", "Start a new chat"})
            QVERIFY2(test::findAccessible(window->contentItem(), QString::fromUtf8(name)), name);

        auto* label = window->findChild<QQuickItem*>(QStringLiteral("gpuLabel"));
        QVERIFY(label);
        const QString status = label->property("text").toString();
        QVERIFY2(status.contains(gpu->deviceName().isEmpty() ? gpu->errorString() : gpu->deviceName()),
                 qPrintable(status));

        const QImage shot = window->grabWindow();
        QVERIFY(!shot.isNull());
        const QString dir = qEnvironmentVariable("PONDER_SCREENSHOT_DIR", QDir::tempPath());
        QDir().mkpath(dir);
        const QString path = dir + (dark ? "/main_window_dark.png" : "/main_window_light.png");
        QVERIFY(shot.save(path));
        qInfo("screenshot: %s", qPrintable(path));

        // Ctrl+M opens the models page over the chat: the whole catalog in
        // the picker grid, the downloads below; Esc goes back to the chat.
        auto* page = window->findChild<QObject*>(QStringLiteral("modelsPage"));
        QVERIFY(page);
        QTest::keyClick(window, Qt::Key_M, Qt::ControlModifier);
        QTRY_VERIFY(page->property("opened").toBool());
        auto* pageItem = page->property("contentItem").value<QQuickItem*>();
        QVERIFY(pageItem);
        const auto grids = test::findByObjectName(pageItem, QStringLiteral("modelGrid"));
        QCOMPARE(grids.size(), 1);
        QCOMPARE(grids[0]->property("count").toInt(), 6 * 7);
        QVERIFY(test::findAccessible(pageItem, QStringLiteral("Close the models page")));
        const QImage models = window->grabWindow();
        const QString modelsPath = dir + (dark ? "/models_page_dark.png" : "/models_page_light.png");
        QVERIFY(models.save(modelsPath));
        qInfo("screenshot: %s", qPrintable(modelsPath));
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY(!page->property("visible").toBool());

        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }

    // The guard this suite relies on must be able to fail.
    void warningGuardSeesQmlErrors()
    {
        QQmlEngine engine;
        QQmlComponent broken(&engine);
        broken.setData("import QtQuick\nItem { width: undefinedName }", QUrl(QStringLiteral("qrc:/broken.qml")));
        std::unique_ptr<QObject> object(broken.create());
        QVERIFY(object);
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.join('\n').contains("undefinedName"), qPrintable(warnings.join('\n')));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
