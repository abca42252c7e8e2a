// The server dialog in the real window, offscreen, with an API key and a
// user:password saved for one local server: the dialog never shows them,
// it lists the saved server's models with its key, and an address edited
// to another server lists and connects there without the key, which is
// then forgotten with the old address.
#include <QtTest>

#include <QQmlApplicationEngine>

#include "app_setup.h"
#include "chat_controller.h"
#include "chat_settings.h"
#include "fake_openai_server.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"

using namespace ponder;
using app::ChatController;
using test::FakeOpenAiServer;

class TestServerDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        // Conversations of its own: the other UI suites may run beside it.
        QCoreApplication::setApplicationName(QStringLiteral("Ponder-server-dialog-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toUtf8());
    }

    void savedKeyStaysWithItsAddress()
    {
        test::QmlWarningGuard warnings;
        FakeOpenAiServer saved;
        FakeOpenAiServer other;
        QVERIFY(saved.listen() && other.listen());
        {
            app::ChatSettings settings;
            QUrl withLogin = saved.url();
            withLogin.setUserInfo(QStringLiteral("alice:s3cret"));
            settings.setServerUrl(withLogin.toString());
            settings.setServerApiKey(QStringLiteral("sk-saved"));
        }

        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(window));
        auto* chat = window->findChild<ChatController*>();
        auto* dialog = window->findChild<QObject*>(QStringLiteral("serverDialog"));
        QVERIFY(chat && dialog);
        QVERIFY(QMetaObject::invokeMethod(dialog, "open"));
        QTRY_VERIFY(dialog->property("opened").toBool());
        auto* content = dialog->property("contentItem").value<QQuickItem*>();
        auto* footer = dialog->property("footer").value<QQuickItem*>();
        const auto field = [&](const char* name) {
            auto found = test::findByObjectName(content, QString::fromLatin1(name));
            found += test::findByObjectName(footer, QString::fromLatin1(name));
            return found.size() == 1 ? found[0] : nullptr;
        };
        QVERIFY(field("serverAddress") && field("serverApiKey") && field("serverConnect"));

        // Shown: the address without user:password, an empty key field that
        // says a key is saved. Nowhere the key or the password.
        QCOMPARE(field("serverAddress")->property("text").toString(), saved.url().toString());
        QCOMPARE(field("serverApiKey")->property("text").toString(), QString());
        QVERIFY2(field("serverApiKey")->property("placeholderText").toString().contains("saved key"),
                 qPrintable(field("serverApiKey")->property("placeholderText").toString()));
        QVERIFY(field("serverForgetKey"));
        const auto showing = [&](const QString& needle) {
            return test::findItems(content, [&](QQuickItem* item) {
                return item->property("text").toString().contains(needle) ||
                       item->property("displayText").toString().contains(needle);
            });
        };
        for (const char* secret : {"s3cret", "alice", "sk-saved"})
            QVERIFY2(showing(QString::fromLatin1(secret)).isEmpty(), secret);

        // Opening lists the saved server's models, with its key.
        QTRY_COMPARE_WITH_TIMEOUT(saved.requestCount(), 1, 10000);
        QCOMPARE(saved.lastAuthorization(), QByteArray("Bearer sk-saved"));
        test::saveScreenshot(window, QStringLiteral("server_dialog_saved_key"));

        // The address edited to another server: leaving the field lists that
        // server's models without the key, and it no longer says one is saved.
        QCOMPARE(test::accessibleName(window->activeFocusItem()), QStringLiteral("Server address"));
        field("serverAddress")->setProperty("text", QString());
        test::typeText(window, other.url().toString().toUtf8().constData());
        QTest::keyClick(window, Qt::Key_Tab);
        QTRY_COMPARE_WITH_TIMEOUT(other.requestCount(), 1, 10000);
        QCOMPARE(other.lastAuthorization(), QByteArray());
        QVERIFY(!field("serverApiKey")->property("placeholderText").toString().contains("saved key"));
        QVERIFY(!field("serverForgetKey"));

        // Connect: there without the key; the key and the password of the
        // old address are forgotten with it.
        QQuickItem* connect = field("serverConnect");
        QTest::mouseClick(window, Qt::LeftButton, {}, connect->mapToScene(connect->boundingRect().center()).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), 10000);
        QVERIFY(chat->modelInfo().value("summary").toString().contains(other.url().toString()));
        QCOMPARE(other.lastAuthorization(), QByteArray());
        QCOMPARE(saved.requestCount(), 1);
        QCOMPARE(chat->settings()->serverUrl(), other.url().toString());
        QCOMPARE(chat->settings()->serverApiKey(), QString());
        QCOMPARE(chat->settings()->serverLogin(), QString());

        const QStringList seen = warnings.take();
        QVERIFY2(seen.isEmpty(), qPrintable(seen.join(u'\n')));
    }
};

QTEST_MAIN(TestServerDialog)
#include "tst_server_dialog.moc"
