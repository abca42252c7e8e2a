// The app serving its open model (issue 17 items 1 and 2), offscreen with
// the real QML and the real engine (the CPU reference) on generated models:
// the serve setting turned on in the settings dialog, the address in the
// status line, /v1/models and a chat completion from Ponder's own
// OpenAiClient (reasoning and answer as from any server), the chat's answer
// waiting with its message while a request holds the model and answering
// after it, a model switch served again on the same port, a port in use
// said plainly, a model on a server not served, and the setting turned off
// closing the port. Fails on any QML warning.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QQmlApplicationEngine>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>

#include "app_setup.h"
#include "chat_controller.h"
#include "model_generator.h"
#include "openai_client.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "scripted_backend.h"

namespace ponder::app::test_hooks {
extern std::function<void(const char* step)> engineStep;
}

using namespace ponder;
using app::ChatController;
using app::MessageListModel;

namespace {

// A port nothing listens on now.
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// GET `url`'s JSON object, on this thread's event loop.
QJsonObject getJson(const QUrl& url)
{
    QNetworkAccessManager network;
    std::unique_ptr<QNetworkReply> reply(network.get(QNetworkRequest(url)));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    if (!done.wait(20000) || reply->error() != QNetworkReply::NoError)
        return {};
    return QJsonDocument::fromJson(reply->readAll()).object();
}

QString servedModelId(quint16 port)
{
    const QJsonArray data = getJson(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/models").arg(port)))
                                .value("data")
                                .toArray();
    return data.size() == 1 ? data.first().toObject().value("id").toString() : QString();
}

} // namespace

class TestServeInApp : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;
    QString m_other;
    std::unique_ptr<test::QmlWarningGuard> m_warnings;
    QQuickWindow* m_window = nullptr;
    ChatController* m_chat = nullptr;

    QQuickItem* item(const char* name) const
    {
        const auto items = test::findByObjectName(m_window->contentItem(), QString::fromLatin1(name));
        return items.size() == 1 ? items.first() : nullptr;
    }
    QString serveLabel() const
    {
        QQuickItem* label = item("serveLabel");
        return label ? label->property("text").toString() : QString();
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.seed = 7;
        m_model = m_dir.filePath("tiny-r1.gguf");
        QVERIFY(testing::writeModel(m_model.toStdString(), spec, 2));
        spec.seed = 3;
        m_other = m_dir.filePath("other-r1.gguf");
        QVERIFY(testing::writeModel(m_other.toStdString(), spec, 2));
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void cleanup() { app::test_hooks::engineStep = nullptr; }

    void servesTheOpenModel()
    {
        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(m_window);
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        m_chat = m_window->findChild<ChatController*>();
        QVERIFY(m_chat);
        app::ModelServer* server = m_chat->server();
        m_chat->setDevice(QStringLiteral("cpu-reference"));
        m_chat->settings()->setSeed(7);
        m_chat->settings()->setMaxTokens(24);
        m_chat->settings()->setContextLength(512);

        // Off by default: nothing said, nothing listening.
        QVERIFY(!m_chat->settings()->serveEnabled());
        QVERIFY(!item("serveLabel"));
        const quint16 port = freePort();
        QVERIFY(port != 0);
        m_chat->settings()->setServePort(port);

        // On, in the settings dialog, by keyboard.
        QTest::keyClick(m_window, Qt::Key_Comma, Qt::ControlModifier);
        QTRY_VERIFY(item("serveSwitch"));
        QQuickItem* toggle = item("serveSwitch");
        QVERIFY(toggle->property("text").toString().contains(QStringLiteral("localhost:%1").arg(port)));
        QMetaObject::invokeMethod(toggle, "forceActiveFocus");
        QTRY_VERIFY(toggle->hasActiveFocus());
        QTest::keyClick(m_window, Qt::Key_Space);
        QTRY_VERIFY(m_chat->settings()->serveEnabled());
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_VERIFY(!item("serveSwitch"));
        QTRY_COMPARE(serveLabel(), QStringLiteral("Not serving: no model is open"));

        // A model opens: served at once, said in the status line.
        m_chat->openModel(QUrl::fromLocalFile(m_model).toString());
        QTRY_VERIFY_WITH_TIMEOUT(m_chat->modelLoaded(), 20000);
        const QString address = QStringLiteral("http://127.0.0.1:%1").arg(port);
        QTRY_COMPARE(serveLabel(), QStringLiteral("Serving on ") + address);
        QVERIFY(server->serving());
        QVERIFY(!server->failed());
        QVERIFY(!test::saveScreenshot(m_window, QStringLiteral("serve_status")).isEmpty());
        QCOMPARE(servedModelId(port), QStringLiteral("tiny-r1"));

        // Ponder's own client against it: reasoning, as from any server.
        app::OpenAiClient client;
        client.setEndpoint({QUrl(address), QString(), QString()});
        QSignalSpy opened(&client, &app::ChatBackend::opened);
        QSignalSpy text(&client, &app::ChatBackend::text);
        QSignalSpy finished(&client, &app::ChatBackend::finished);
        QSignalSpy failed(&client, &app::ChatBackend::failed);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        QCOMPARE(opened.first().first().toMap().value("name").toString(), QStringLiteral("tiny-r1"));
        QVERIFY(opened.first().first().toMap().value("expectReasoning").toBool());
        app::GenerationSettings settings;
        settings.sampler.greedy = true;
        settings.maxTokens = 12;
        client.generate({{app::MessageRole::User, QStringLiteral("Hello")}}, settings);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 30000);
        QCOMPARE(failed.count(), 0);
        QString answer;
        for (const auto& piece : text)
            answer += piece.first().toString();
        QVERIFY2(answer.startsWith(QStringLiteral("<think>")) && answer.size() > 7, qPrintable(answer));
        QCOMPARE(finished.first().first().toMap().value("generatedTokens").toInt(), 12);

        // A request holds the model: the chat's answer waits, and says so.
        std::atomic<bool> held{false};
        QSemaphore release;
        app::test_hooks::engineStep = [&](const char* step) {
            if (std::string_view(step) == "serve") {
                held = true;
                release.acquire();
            }
        };
        // A failing check returns early: the engine must not stay held.
        const auto unhold = qScopeGuard([&] {
            app::test_hooks::engineStep = nullptr;
            release.release(8);
        });
        finished.clear();
        client.generate({{app::MessageRole::User, QStringLiteral("Hello again")}}, settings);
        QTRY_VERIFY_WITH_TIMEOUT(held.load() || !failed.isEmpty(), 20000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QTRY_VERIFY(server->answering());
        QVERIFY(m_chat->send(QStringLiteral("Are you there?")));
        QTRY_VERIFY(item("serveWaiting"));
        QCOMPARE(item("serveWaiting")->property("text").toString(),
                 QStringLiteral("Waiting: the server is answering a request"));
        QVERIFY(!test::saveScreenshot(m_window, QStringLiteral("serve_chat_waiting")).isEmpty());
        auto last = [this](int role) {
            return m_chat->messages()->data(m_chat->messages()->index(m_chat->messages()->rowCount() - 1), role);
        };
        QTest::qWait(100);  // time the held engine would need to give the chat a token
        QCOMPARE(last(MessageListModel::GeneratedTokensRole).toInt(), 0);
        release.release();
        app::test_hooks::engineStep = nullptr;
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 30000);
        QVERIFY(!item("serveWaiting"));
        QVERIFY(!server->answering());
        QCOMPARE(last(MessageListModel::StatusRole).toString(), QStringLiteral("complete"));
        QVERIFY2(last(MessageListModel::GeneratedTokensRole).toInt() > 0, "the chat did not answer after the request");

        // Another model: served on the same port, the old one gone.
        m_chat->openModel(QUrl::fromLocalFile(m_other).toString());
        QTRY_VERIFY_WITH_TIMEOUT(m_chat->modelLoaded() && m_chat->modelInfo().value("path") == m_other, 20000);
        QTRY_COMPARE(serveLabel(), QStringLiteral("Serving on ") + address);
        QCOMPARE(servedModelId(port), QStringLiteral("other-r1"));

        // A port another program holds: said plainly, in the error colour.
        QTcpServer squatter;
        const quint16 taken = freePort();
        QVERIFY(squatter.listen(QHostAddress::LocalHost, taken));
        m_chat->settings()->setServePort(taken);
        QTRY_VERIFY(server->failed());
        QCOMPARE(serveLabel(), QStringLiteral("Not serving: port %1 is in use by another program (choose another "
                                              "port in the settings)")
                                   .arg(taken));
        QVERIFY(!server->serving());
        const QImage inUse = m_window->grabWindow();
        QVERIFY(!test::saveScreenshot(m_window, QStringLiteral("serve_port_in_use")).isEmpty());
        QQuickItem* label = item("serveLabel");
        const QRectF box = label->mapRectToScene(QRectF(0, 0, label->width(), label->height()));
        const QColor error = label->property("color").value<QColor>();
        QVERIFY(test::pixelsNear(inUse, box.toAlignedRect(), error, 40) > 20);
        m_chat->settings()->setServePort(port);
        QTRY_VERIFY(server->serving());

        // A model on a server: not served, and why.
        QVariantMap remote{{"name", "far-r1"}, {"device", "gpu-box"}, {"remote", true}, {"summary", "far-r1 on gpu-box"}};
        m_chat->useBackend(std::make_unique<test::ScriptedBackend>(remote));
        QTRY_VERIFY(m_chat->modelLoaded());
        QCOMPARE(serveLabel(), QStringLiteral("Not serving: the model runs on a server; Ponder serves only a model "
                                              "on this machine"));
        QVERIFY(!server->serving());
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!probe.waitForConnected(2000));

        // Off: nothing said.
        m_chat->settings()->setServeEnabled(false);
        QTRY_VERIFY(!item("serveLabel"));

        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }
};

QTEST_MAIN(TestServeInApp)
#include "tst_serve_in_app.moc"
