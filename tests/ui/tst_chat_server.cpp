// The chat window with a model on a server (chat_window_fixture.h: the real
// window, offscreen): from a model on this machine, the models page → "Use a
// server…" → address, model, key → Connect, against a local scripted
// OpenAI-compatible server; a question answered with its reasoning sent
// apart, shown like a local model's; a reasoning that cannot be cut short,
// and the window saying why; a wrong key said in the chat. Fails on any QML
// warning and on any network request made by the UI.
#include <QtTest>

#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>

#include "chat_window_fixture.h"
#include "fake_openai_server.h"

using namespace ponder;
using app::ChatController;
using app::MessageListModel;

class TestChatServer : public QObject, protected test::ChatWindowFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }

    void server_data() { test::themeRows(); }

    void server()
    {
        QFETCH(bool, dark);
        QQmlApplicationEngine engine;
        openWindow(engine, dark);
        if (QTest::currentTestFailed())
            return;
        runSteps(this, {&TestChatServer::openLocalModel, &TestChatServer::serverConversation},
                 dark ? QStringLiteral("dark") : QStringLiteral("light"));
    }

private:
    // The server is chosen from a model open on this machine.
    void openLocalModel(const QString&)
    {
        m_chat->openModel(m_model);
        QTRY_VERIFY_WITH_TIMEOUT(m_chat->modelLoaded(), 20000);
    }

    // Models page → "Use a server…" → address, model, key → Connect; then a
    // question answered by the server with its reasoning sent apart, shown
    // like a local model's. A wrong key is a message in the chat.
    void serverConversation(const QString& theme)
    {
        using test::FakeOpenAiServer;
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        const QString model = QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Llama-70B");
        server.setModels({model});
        server.requireApiKey(QStringLiteral("sk-test"));
        server.setStream(FakeOpenAiServer::events({
                             FakeOpenAiServer::delta("reasoning_content", "The user asks for 2+2. "),
                             FakeOpenAiServer::delta("reasoning_content", "That is 4."),
                             FakeOpenAiServer::delta("content", "2 + 2 = **4**"),
                             FakeOpenAiServer::delta("content", ", as expected.", "stop"),
                             QJsonObject{{"choices", QJsonArray{}},
                                         {"usage", QJsonObject{{"prompt_tokens", 11},
                                                               {"completion_tokens", 17},
                                                               {"completion_tokens_details",
                                                                QJsonObject{{"reasoning_tokens", 12}}}}}},
                         }),
                         30);

        // Stopping while a server that never answers is being connected to
        // (from a local model, as here) cancels the connection.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QVERIFY(m_chat->modelLoaded() && !m_chat->modelInfo().value("remote").toBool());
        m_chat->connectServer(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()), QString(), QString());
        QVERIFY(m_chat->loading());
        QTRY_VERIFY(silent.hasPendingConnections());
        m_chat->stop();
        QVERIFY(!m_chat->loading());
        QVERIFY2(m_chat->errorString().contains("cancelled"), qPrintable(m_chat->errorString()));
        QVERIFY(!m_chat->modelLoaded());

        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QTest::keyClick(m_window, Qt::Key_M, Qt::ControlModifier);
        auto* page = m_window->findChild<QObject*>(QStringLiteral("modelsPage"));
        QVERIFY(page);
        QTRY_VERIFY(page->property("opened").toBool());
        const auto useServer =
            test::findByObjectName(page->property("contentItem").value<QQuickItem*>(), QStringLiteral("useServer"));
        QCOMPARE(useServer.size(), 1);
        QTest::mouseClick(m_window, Qt::LeftButton, {},
                          useServer[0]->mapToScene(useServer[0]->boundingRect().center()).toPoint());
        auto* dialog = m_window->findChild<QObject*>(QStringLiteral("serverDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->property("opened").toBool());
        QTRY_VERIFY(!page->property("visible").toBool());
        auto* dialogItem = dialog->property("contentItem").value<QQuickItem*>();
        auto* dialogFooter = dialog->property("footer").value<QQuickItem*>();
        const auto field = [&](const char* name) {
            auto found = test::findByObjectName(dialogItem, QString::fromLatin1(name));
            found += test::findByObjectName(dialogFooter, QString::fromLatin1(name));
            return found.size() == 1 ? found[0] : nullptr;
        };
        QVERIFY(field("serverAddress") && field("serverModel") && field("serverApiKey") && field("serverConnect"));
        QCOMPARE(test::accessibleName(focusItem()), QStringLiteral("Server address"));
        // The fields start from the last server used (the light pass's, in the dark one).
        QCOMPARE(field("serverAddress")->property("text").toString(), m_chat->settings()->serverUrl());
        field("serverAddress")->setProperty("text", QString());
        field("serverApiKey")->setProperty("text", QStringLiteral("sk-test"));
        test::typeText(m_window, server.url().toString().toUtf8().constData());
        // Leaving the address lists the server's models for the model field.
        QTest::keyClick(m_window, Qt::Key_Tab);
        QTRY_COMPARE_WITH_TIMEOUT(field("serverModel")->property("count").toInt(), 1, 10000);
        QCOMPARE(field("serverModel")->property("editText").toString(), model);
        QTRY_COMPARE(field("serverModelsNote")->property("text").toString(), QStringLiteral("1 model(s) on this server"));
        QVERIFY(!test::saveScreenshot(m_window, "server_dialog_" + theme).isEmpty());
        QQuickItem* connectButton = field("serverConnect");
        QTest::mouseClick(m_window, Qt::LeftButton, {},
                          connectButton->mapToScene(connectButton->boundingRect().center()).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(m_chat->modelLoaded() && !m_chat->loading(), 10000);
        QVERIFY(m_chat->modelInfo().value("remote").toBool());
        QCOMPARE(m_chat->modelName(), model);
        QCOMPARE(m_chat->settings()->serverModel(), model);
        const auto modelLabel = test::findByObjectName(m_window->contentItem(), "modelLabel");
        QVERIFY2(modelLabel[0]->property("text").toString().contains("on the server " + server.url().toString() + "/v1"),
                 qPrintable(modelLabel[0]->property("text").toString()));
        QCOMPARE(m_chat->settings()->serverUrl(), server.url().toString());
        QCOMPARE(m_chat->settings()->serverApiKey(), QStringLiteral("sk-test"));

        const auto input = test::findByObjectName(m_window->contentItem(), "chatInput");
        input[0]->forceActiveFocus();
        test::typeText(m_window, "What is 2+2?");
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(m_chat->generating());
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 10000);
        QCOMPARE(last(MessageListModel::StatusRole), QString("complete"));
        const app::MessageContent* content = m_chat->messages()->contentAt(rows() - 1);
        QCOMPARE(content->reasoning(), QStringLiteral("The user asks for 2+2. That is 4."));
        QCOMPARE(content->answer(), QStringLiteral("2 + 2 = **4**, as expected."));
        // The server's own count of the reasoning, not its two chunks.
        QVERIFY2(last(MessageListModel::ReasoningLabelRole).startsWith("Thought for") &&
                     last(MessageListModel::ReasoningLabelRole).endsWith("· 12 tokens"),
                 qPrintable(last(MessageListModel::ReasoningLabelRole)));
        QCOMPARE(::role(m_chat, rows() - 1, MessageListModel::GeneratedTokensRole).toInt(), 17);
        const QJsonArray sent = server.lastRequest().value("messages").toArray();
        QCOMPARE(sent.last().toObject().value("content").toString(), QStringLiteral("What is 2+2?"));
        QCOMPARE(server.lastRequest().value("model").toString(), model);
        QVERIFY(!test::saveScreenshot(m_window, "chat_server_" + theme).isEmpty());

        // A server reasons until it is done: no "Answer now" beside Stop, and
        // the reasoning section's is disabled and says why.
        QVERIFY(!m_chat->canAnswerNow());
        server.setStream(FakeOpenAiServer::events({FakeOpenAiServer::delta("reasoning_content", "Let me think. "),
                                                   FakeOpenAiServer::delta("reasoning_content", "And think.")},
                                                  false),
                         5);
        server.setHoldOpen(true);
        QVERIFY(m_chat->send(QStringLiteral("Think for ever")));
        QTRY_COMPARE_WITH_TIMEOUT(m_chat->messages()->contentAt(rows() - 1)->reasoning(),
                                  QStringLiteral("Let me think. And think."), 10000);
        QVERIFY(m_chat->thinking());
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "answerNowButton", false).size(), 1);
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "answerNowButton").size(), 0);
        const auto serverAnswerNow = test::findByObjectName(m_window->contentItem(), "reasoningAnswerNow");
        QCOMPARE(serverAnswerNow.size(), 1);
        QVERIFY(!serverAnswerNow[0]->isEnabled());
        QQuickItem* holder = serverAnswerNow[0]->parentItem();
        QTest::mouseMove(m_window, holder->mapToScene(holder->boundingRect().center()).toPoint());
        QTRY_VERIFY(shownText(QStringLiteral("A model on a server cannot be told to stop thinking")));
        QVERIFY(!m_chat->answerNow());
        m_chat->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 10000);
        QCOMPARE(last(MessageListModel::StatusRole), QString("stopped"));
        QCOMPARE(last(MessageListModel::ReasoningCutRole), QString());
        server.setHoldOpen(false);

        // A wrong key: said in the chat, nothing lost, the window goes on.
        const int before = rows();
        m_chat->connectServer(server.url().toString(), QString(), QStringLiteral("sk-wrong"));
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->loading(), 10000);
        QVERIFY(!m_chat->modelLoaded());
        QVERIFY2(m_chat->errorString().contains("check the API key"), qPrintable(m_chat->errorString()));
        QCOMPARE(rows(), before + 1);
        QCOMPARE(last(MessageListModel::MessageRoleRole), QString("notice"));
        QVERIFY2(last(MessageListModel::ErrorRole).contains("401"), qPrintable(last(MessageListModel::ErrorRole)));
    }
};

QTEST_MAIN(TestChatServer)
#include "tst_chat_server.moc"
