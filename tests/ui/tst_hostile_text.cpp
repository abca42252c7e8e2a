// Outside text in the real chat window, offscreen: a model whose name is
// HTML, an answer full of images and HTML in every Markdown form (across
// code-span backticks and blank lines), a conversation title and an error
// with tags. A network guard records every request the QML engine makes and
// forwards it to a local server, and the test fails on any: the window
// shows all of it as text and fetches nothing. Links show their target on
// hover and open only after a confirmation, and only http and https.
#include <QtTest>

#include <QDesktopServices>
#include <QPointer>
#include <QQmlApplicationEngine>

#include "app_setup.h"
#include "chat_controller.h"
#include "desktop_actions.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "recording_network.h"
#include "scripted_backend.h"
#include "test_http_server.h"

using namespace ponder;
using app::ChatController;

class TestHostileText : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QStringList m_opened;  // URLs handed to the system's browser
    std::unique_ptr<test::QmlWarningGuard> m_warnings;
    test::RecordingNetworkFactory m_network{true};
    test::TestHttpServer m_server;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    ChatController* m_chat = nullptr;
    QPointer<test::ScriptedBackend> m_script;

    // `<b>bold</b>` and an image on the local server, as a model, a user or a server might write them.
    QString hostile(const QString& path) const
    {
        return QStringLiteral("<b>bold</b><img src=\"%1\">").arg(m_server.url(path).toString());
    }

    // Every request the window made and every one the server saw: none is wanted.
    void verifyNothingFetched()
    {
        QTest::qWait(300);  // a fetch is asynchronous: give one the time to show
        QStringList requests = test::RecordingNetworkFactory::requests();
        requests.removeAll(m_server.url("/probe.png").toString());  // guardSeesRequests() asked for it
        QVERIFY2(requests.isEmpty(), qPrintable(requests.join(u'\n')));
        for (const char* path : {"/name.png", "/answer.png", "/title.png", "/error.png", "/a.png"})
            QCOMPARE(m_server.requestCount(QString::fromLatin1(path)), 0);
    }

    // The visible Label or Text whose text contains `needle`; checks that it shows it as plain text.
    QList<QQuickItem*> showing(const QString& needle) const
    {
        return test::findItems(m_window->contentItem(), [&](QQuickItem* item) {
            const QVariant text = item->property("text");
            return item->isVisible() && item->property("textFormat").isValid() && text.toString().contains(needle);
        });
    }

    void verifyShownLiterally(const QString& needle)
    {
        QTRY_VERIFY2(!showing(needle).isEmpty(), qPrintable(needle));
        const QList<QQuickItem*> items = showing(needle);
        for (QQuickItem* item : items)
            QVERIFY2(item->property("textFormat").toInt() == 0,  // Text.PlainText
                     qPrintable(QStringLiteral("%1 shows %2 as markup").arg(item->objectName(), needle)));
    }

public slots:
    void openUrl(const QUrl& url) { m_opened << url.toString(); }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toUtf8());
        for (const char* scheme : {"http", "https", "mailto", "file"})
            QDesktopServices::setUrlHandler(QString::fromLatin1(scheme), this, "openUrl");
        QVERIFY(m_server.listen());
        for (const char* path : {"/probe.png", "/name.png", "/answer.png", "/title.png", "/error.png", "/a.png"})
            m_server.serve(QString::fromLatin1(path), QByteArray("GIF89a"));
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        for (const char* scheme : {"http", "https", "mailto", "file"})
            QDesktopServices::unsetUrlHandler(QString::fromLatin1(scheme));
    }

    // DesktopActions hands the desktop only web links with a host, whatever QML asks of it.
    void desktopOpensOnlyWebLinks()
    {
        m_opened.clear();
        for (const char* refused : {"file:///etc/passwd", "mailto:a@b.c", "javascript:alert(1)", "http://",
                                    "https:relative", "data:text/html,x", "ftp://example.com/f", "not a url"})
            QVERIFY2(!app::DesktopActions::openLink(QString::fromLatin1(refused)), refused);
        QVERIFY(m_opened.isEmpty());
        QVERIFY(app::DesktopActions::openLink(QStringLiteral("https://example.com/a?b=1")));
        QCOMPARE(m_opened, QStringList{QStringLiteral("https://example.com/a?b=1")});
        m_opened.clear();
    }

    // The guard can fail: an image the QML asks for is recorded and reaches the server.
    void guardSeesRequests()
    {
        QQmlEngine engine;
        engine.setNetworkAccessManagerFactory(&m_network);
        QQmlComponent image(&engine);
        image.setData(QStringLiteral("import QtQuick\nImage { source: \"%1\" }")
                          .arg(m_server.url("/probe.png").toString()).toUtf8(),
                      QUrl("qrc:/probe.qml"));
        std::unique_ptr<QObject> object(image.create());
        QVERIFY(object);
        QTRY_COMPARE(m_server.requestCount("/probe.png"), 1);
        QVERIFY(test::RecordingNetworkFactory::requests().contains(m_server.url("/probe.png").toString()));
        m_warnings->take();
    }

    // The window with a model named in HTML, opened through the controller's real path.
    void hostileModelName()
    {
        m_engine = std::make_unique<QQmlApplicationEngine>();
        app::setUpEngine(*m_engine);
        m_engine->setNetworkAccessManagerFactory(&m_network);
        m_engine->load(app::mainQmlUrl());
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().first());
        QVERIFY(m_window);
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        m_chat = m_window->findChild<ChatController*>();
        QVERIFY(m_chat);

        const QString name = hostile("/name.png");
        auto backend = std::make_unique<test::ScriptedBackend>(
            QVariantMap{{"name", name}, {"summary", name}, {"device", "CPU"}, {"expectReasoning", true}});
        m_script = backend.get();
        m_chat->useBackend(std::move(backend));
        QTRY_VERIFY(m_chat->modelLoaded());
        QCOMPARE(m_chat->modelName(), name);
        verifyShownLiterally(name);
        test::saveScreenshot(m_window, QStringLiteral("hostile-model-name"));
        verifyNothingFetched();
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    }

    // An answer of images and HTML in every form, a title and an error with tags.
    void hostileAnswer()
    {
        QVERIFY(m_script);
        const QString title = hostile("/title.png");
        QVERIFY(m_chat->send(title));
        const QString img = m_server.url("/answer.png").toString();
        const QStringList pieces = {
            QStringLiteral("</think>Look: ![a](%1) and <img src=\"%1\"> and <img src=%1>\n\n").arg(img),
            QStringLiteral("A `backtick\n\n![across](%1) <img src=\"%1\">\n\nthen` another.\n\n").arg(img),
            QStringLiteral("[r]: %1\n\n![by reference][r] &lt;img src=\"%1\"&gt;\n\n").arg(img),
            QStringLiteral("<div>\n<img src=\"%1\">\n</div>\n\n").arg(img),
            QStringLiteral("| a | b |\n|---|---|\n| `x|<img src=\"%1\">` | ![c](%1) |\n\n").arg(img),
            QStringLiteral("$x$`<img src=\"%1\">` \\boxed{<img src=\"%1\">}").arg(img),
        };
        for (const QString& piece : pieces) {
            emit m_script->text(piece, 10);
            QTest::qWait(50);
        }
        emit m_script->finished({{"generatedTokens", 60}, {"stopReason", "end of turn"}});
        QTRY_VERIFY(!m_chat->generating());
        QVERIFY(!test::findByObjectName(m_window->contentItem(), "proseBlock").isEmpty());
        verifyShownLiterally(title);  // the user's message and the conversation's title
        test::saveScreenshot(m_window, QStringLiteral("hostile-answer"));

        const QString error = hostile("/error.png");
        QVERIFY(m_chat->send(QStringLiteral("again")));
        emit m_script->failed(error);
        QTRY_VERIFY(!m_chat->generating());
        verifyShownLiterally(error);
        verifyNothingFetched();
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    }

    // A link shows its target on hover and opens only when confirmed; a file: link not at all.
    void disguisedLinks()
    {
        QVERIFY(m_script);
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QVERIFY(m_chat->send(QStringLiteral("Where do I log in?")));
        emit m_script->text(QStringLiteral("</think>[https://bank.example/login](http://evil.example/phish)\n\n"
                                           "[Your notes](file:///etc/passwd)"),
                            10);
        emit m_script->finished({{"generatedTokens", 10}, {"stopReason", "end of turn"}});
        QTRY_VERIFY(!m_chat->generating());
        QTRY_COMPARE(test::findByObjectName(m_window->contentItem(), "proseBlock").size(), 2);
        QList<QQuickItem*> prose = test::findByObjectName(m_window->contentItem(), "proseBlock");
        if (prose[1]->property("text").toString().contains(QStringLiteral("evil.example")))
            prose.swapItemsAt(0, 1);
        QTRY_VERIFY(prose[0]->width() > 0 && prose[1]->width() > 0);  // laid out

        confirmLink(prose[0], QStringLiteral("http://evil.example/phish"), true);
        QTRY_COMPARE(m_opened, QStringList{QStringLiteral("http://evil.example/phish")});
        test::saveScreenshot(m_window, QStringLiteral("hostile-link-refused"));
        // A file: link is no link at all: its text shows, nothing under the mouse leads anywhere.
        QVERIFY(prose[1]->property("text").toString().contains(QStringLiteral("Your notes")));
        QVERIFY(!prose[1]->property("text").toString().contains(QStringLiteral("<a")));
        for (int y = 2; y < prose[1]->height(); y += 4)
            for (int x = 2; x < prose[1]->width(); x += 6) {
                QTest::mouseMove(m_window, prose[1]->mapToScene(QPointF(x, y)).toPoint());
                QVERIFY(prose[1]->property("hoveredLink").toString().isEmpty());
            }
        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                          prose[1]->mapToScene(QPointF(10, prose[1]->height() / 2)).toPoint());
        QTest::qWait(100);
        QVERIFY(test::findByObjectName(m_window->contentItem(), "linkDialogText").isEmpty());
        QCOMPARE(m_opened.size(), 1);
        verifyNothingFetched();
        m_warnings->take();
    }

private:
    // The visible button (an item with a `checkable` property) that says `text`.
    QQuickItem* button(const QString& text) const
    {
        const QList<QQuickItem*> found = test::findItems(m_window->contentItem(), [&](QQuickItem* item) {
            return item->isVisible() && item->property("checkable").isValid() && item->property("text").toString() == text;
        });
        return found.isEmpty() ? nullptr : found.first();
    }

    // Hovers over `prose` until the link to `target` is under the mouse,
    // checks the tooltip names it, clicks, and checks the dialog: it names
    // the target, and offers Open (pressed here) only for a web link.
    void confirmLink(QQuickItem* prose, const QString& target, bool web)
    {
        QPoint at;
        for (int y = 2; y < prose->height() && at.isNull(); y += 4)
            for (int x = 2; x < prose->width() && at.isNull(); x += 6) {
                const QPoint point = prose->mapToScene(QPointF(x, y)).toPoint();
                QTest::mouseMove(m_window, point);
                if (prose->property("hoveredLink").toString() == target)
                    at = point;
            }
        QVERIFY2(!at.isNull(), qPrintable(target));
        QQuickItem* tip = nullptr;
        QTRY_VERIFY((tip = [&]() -> QQuickItem* {
            const auto tips = test::findItems(m_window->contentItem(), [&](QQuickItem* item) {
                return item->isVisible() && item->property("text").toString() == target &&
                       item->property("textFormat").toInt() == 0;
            });
            return tips.isEmpty() ? nullptr : tips.first();
        }()));
        QVERIFY(tip);
        test::saveScreenshot(m_window, web ? QStringLiteral("hostile-link-hover") : QStringLiteral("hostile-link-file"));

        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, at);
        QQuickItem* text = nullptr;
        QTRY_VERIFY((text = [&]() -> QQuickItem* {
            const auto found = test::findByObjectName(m_window->contentItem(), "linkDialogText");
            return found.isEmpty() ? nullptr : found.first();
        }()));
        QVERIFY2(text->property("text").toString().contains(target), qPrintable(text->property("text").toString()));
        QCOMPARE(button(QStringLiteral("Open")) != nullptr, web);
        QQuickItem* answer = button(web ? QStringLiteral("Open") : QStringLiteral("Close"));
        QVERIFY(answer);
        // The dialog, once drawn (the screenshot waits for a frame): a click before lands outside it.
        QVERIFY(!test::saveScreenshot(m_window, QStringLiteral("hostile-link-dialog")).isEmpty());
        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                          answer->mapToScene(QPointF(answer->width() / 2, answer->height() / 2)).toPoint());
        QTRY_VERIFY(test::findByObjectName(m_window->contentItem(), "linkDialogText").isEmpty());
    }
};

QTEST_MAIN(TestHostileText)
#include "tst_hostile_text.moc"
