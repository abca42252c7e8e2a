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

#include "app_setup.h"
#include "download_manager.h"
#include "gpu_fixture.h"
#include "gpu_selector.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "test_http_server.h"


using namespace ponder;

class TestMainWindow : public QObject {
    Q_OBJECT

    // The app's main window in `engine`, shown; null (with a failure) when it does not load.
    static QQuickWindow* loadWindow(QQmlApplicationEngine& engine, bool dark)
    {
        app::setUpEngine(engine);
        if (!test::setTheme(engine, dark)) {
            QTest::qFail("the theme could not be set", __FILE__, __LINE__);
            return nullptr;
        }
        engine.load(app::mainQmlUrl());
        if (engine.rootObjects().size() != 1) {
            QTest::qFail("the main window did not load", __FILE__, __LINE__);
            return nullptr;
        }
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        if (!window || !QTest::qWaitForWindowExposed(window)) {
            QTest::qFail("the main window is not shown", __FILE__, __LINE__);
            return nullptr;
        }
        return window;
    }
    // Installed once QTest has set up its own message handler, so both see every message.
    std::unique_ptr<test::QmlWarningGuard> m_warnings;

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void showsLayoutAndGpu_data() { test::themeRows(); }

    void showsLayoutAndGpu()
    {
        QFETCH(bool, dark);
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadWindow(engine, dark);
        QVERIFY(window);

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

    // The models page's download list with a download in every state, fed
    // by the local test server: finished, failed (404), paused, running and
    // queued (one slot); each row says what is going on, and a screenshot
    // shows them.
    void downloadsInEveryState_data() { test::themeRows(); }

    void downloadsInEveryState()
    {
        QFETCH(bool, dark);
        test::TestHttpServer server;
        QVERIFY(server.listen());
        const QByteArray small(120 * 1000, 'a');
        const QByteArray large(8 * 1000 * 1000, 'b');
        server.serve(QStringLiteral("/done.gguf"), small);
        server.serve(QStringLiteral("/paused.gguf"), large);
        server.setRate(QStringLiteral("/paused.gguf"), 400 * 1000);
        server.serve(QStringLiteral("/running.gguf"), large);
        server.setRate(QStringLiteral("/running.gguf"), 400 * 1000);
        server.serve(QStringLiteral("/queued.gguf"), large);
        server.failWith(QStringLiteral("/missing.gguf"), 404, test::TestHttpServer::kAlways);
        QTemporaryDir folder;
        QVERIFY(folder.isValid());

        QQmlApplicationEngine engine;
        QQuickWindow* window = loadWindow(engine, dark);
        QVERIFY(window);
        auto* downloads = window->findChild<app::DownloadManager*>(QStringLiteral("downloadManager"));
        QVERIFY(downloads);
        downloads->setModelsFolder(folder.path());
        downloads->setMaxConcurrent(1);
        using Status = app::DownloadManager::Status;
        const auto statusOf = [&](const QString& id) { return downloads->info(id)->status; };

        const QString done = downloads->startDownload(server.url(QStringLiteral("/done.gguf")),
                                                      QStringLiteral("done.gguf"), small.size());
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(done), Status::Finished, 20000);
        const QString missing = downloads->startDownload(server.url(QStringLiteral("/missing.gguf")),
                                                         QStringLiteral("missing.gguf"));
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(missing), Status::Failed, 20000);
        const QString paused = downloads->startDownload(server.url(QStringLiteral("/paused.gguf")),
                                                        QStringLiteral("paused.gguf"), large.size());
        QTRY_VERIFY_WITH_TIMEOUT(downloads->info(paused)->bytesDone > 0, 20000);
        downloads->pause(paused);
        const QString running = downloads->startDownload(server.url(QStringLiteral("/running.gguf")),
                                                         QStringLiteral("running.gguf"), large.size());
        const QString queued = downloads->startDownload(server.url(QStringLiteral("/queued.gguf")),
                                                        QStringLiteral("queued.gguf"), large.size());
        QCOMPARE(statusOf(queued), Status::Queued);
        QTRY_VERIFY_WITH_TIMEOUT(downloads->info(running)->bytesPerSecond > 0 &&
                                     downloads->info(running)->secondsLeft >= 0,
                                 20000);

        auto* page = window->findChild<QObject*>(QStringLiteral("modelsPage"));
        QVERIFY(page);
        QTest::keyClick(window, Qt::Key_M, Qt::ControlModifier);
        QTRY_VERIFY(page->property("opened").toBool());
        auto* pageItem = page->property("contentItem").value<QQuickItem*>();
        const auto lists = test::findByObjectName(pageItem, QStringLiteral("downloadList"));
        QCOMPARE(lists.size(), 1);
        QCOMPARE(lists[0]->property("count").toInt(), 5);
        // Rows in the order started; the list is tall enough for all five.
        QStringList texts;
        QTRY_VERIFY([&] {
            texts.clear();
            for (QQuickItem* label : test::findByObjectName(pageItem, QStringLiteral("downloadStatus")))
                texts.append(label->property("text").toString());
            // Every row laid out and bound (a row below the fold may be a
            // frame behind), the running one showing its speed.
            return texts.size() == 5 && !texts.contains(QString()) && texts[3].contains(QStringLiteral("/s"));
        }());
        QVERIFY2(texts[0].startsWith(QStringLiteral("Downloaded and verified")), qPrintable(texts[0]));
        QVERIFY2(texts[1].contains(QStringLiteral("404")) && texts[1].contains(QStringLiteral("missing.gguf")),
                 qPrintable(texts[1]));
        QVERIFY2(texts[2].startsWith(QStringLiteral("Paused at")), qPrintable(texts[2]));
        QVERIFY2(texts[3].contains(QStringLiteral("of 8.00 MB")) && texts[3].contains(QStringLiteral("left")),
                 qPrintable(texts[3]));
        QVERIFY2(texts[4].startsWith(QStringLiteral("Queued")), qPrintable(texts[4]));
        QVERIFY(test::findAccessible(pageItem, QStringLiteral("Pause the download of queued.gguf")));
        QVERIFY(test::findAccessible(pageItem, QStringLiteral("Resume the download of paused.gguf")));

        const QString dir = qEnvironmentVariable("PONDER_SCREENSHOT_DIR", QDir::tempPath());
        QDir().mkpath(dir);
        // The list shows three rows at this window size: scroll to the running and queued ones.
        QMetaObject::invokeMethod(lists[0], "positionViewAtEnd");
        const QString path = dir + (dark ? "/downloads_dark.png" : "/downloads_light.png");
        QVERIFY(window->grabWindow().save(path));
        qInfo("screenshot: %s", qPrintable(path));

        for (const QString& id : downloads->downloadIds())
            downloads->cancel(id);
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
