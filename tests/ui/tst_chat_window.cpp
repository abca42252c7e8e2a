// The chat window, offscreen, with the real QML and the real engine on a
// generated model (Vulkan in the light pass, the native CPU engine in the
// dark one; tst_chat_engine covers the CPU reference): a whole conversation by
// keyboard, regenerate, edit and resend, stop, and errors. The model's
// output is random text, so a scripted answer (played through a
// ScriptedBackend in place of the engine) shows reasoning, Markdown and a code block
// deterministically for the screenshots, in light and dark. Last, the same
// window chats with a model on a (local, scripted) OpenAI-compatible server,
// set up through its dialog. Control over the thinking: "Answer now" on the
// real engine (the button, and Ctrl+Enter), a thinking budget reached
// (scripted, for the light and dark screenshots of a reasoning cut short,
// whose note the test finds drawn), both kept after reopening; a server's
// reasoning cannot be cut, and the window says why. Fails on any
// QML warning and on any network request made by the UI.
#include <QtTest>

#include <QClipboard>
#include <QDesktopServices>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTcpServer>
#include <QQmlApplicationEngine>

#include "app_setup.h"
#include "chat_controller.h"
#include "fake_openai_server.h"
#include "gpu_selector.h"
#include "markdown_plain_text.h"
#include "model_generator.h"
#include "ponder/cpu_info.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "recording_network.h"
#include "scripted_answer.h"
#include "scripted_backend.h"


namespace ponder::app::test_hooks {
extern std::function<void(const char* step)> engineStep;
}

using namespace ponder;
using app::ChatController;
using app::MessageListModel;

namespace {

// A scripted backend that can be told to answer now, as the engine on this
// machine can: counts the requests and keeps the last answer's settings.
class ThinkingBackend : public test::ScriptedBackend {
public:
    using ScriptedBackend::ScriptedBackend;

    bool canAnswerNow() const override { return true; }
    void answerNow() override { ++answerNows; }
    void generate(const QList<app::ChatTurn>& turns, const app::GenerationSettings& settings) override
    {
        ScriptedBackend::generate(turns, settings);
        lastSettings = settings;
    }

    int answerNows = 0;
    app::GenerationSettings lastSettings;
};

QVariant role(ChatController* chat, int row, int role)
{
    return chat->messages()->data(chat->messages()->index(row), role);
}

} // namespace

class TestChatWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;
    QStringList m_opened;  // URLs handed to the system's browser
    std::unique_ptr<test::QmlWarningGuard> m_warnings;
    test::RecordingNetworkFactory m_network;
    QPointer<test::ScriptedBackend> m_script;

    // The backend the scripted steps play, in place of the model in use.
    test::ScriptedBackend* script()
    {
        if (!m_script) {
            auto backend = std::make_unique<test::ScriptedBackend>(m_chat->modelInfo());
            m_script = backend.get();
            m_chat->useBackend(std::move(backend));
        }
        return m_script;
    }

    // Sends `text` to the scripted backend: the answer is what the test emits.
    bool sendScripted(const QString& text)
    {
        script();
        return m_chat->send(text);
    }

public slots:
    void openUrl(const QUrl& url) { m_opened << url.toString(); }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        // Settings and conversations live in this run's folder.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));
        for (const char* scheme : {"http", "https", "mailto", "file"})
            QDesktopServices::setUrlHandler(QString::fromLatin1(scheme), this, "openUrl");

        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        m_model = m_dir.filePath("tiny-r1.gguf");
        QVERIFY(testing::writeModel(m_model.toStdString(), spec, 2));
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void cleanupTestCase()
    {
        for (const char* scheme : {"http", "https", "mailto", "file"})
            QDesktopServices::unsetUrlHandler(QString::fromLatin1(scheme));
    }

    void conversation_data() { test::themeRows(); }

    void conversation()
    {
        QFETCH(bool, dark);
        const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
        qputenv("XDG_DATA_HOME", m_dir.filePath("data-" + theme).toUtf8());

        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        engine.setNetworkAccessManagerFactory(&m_network);
        QVERIFY(test::setTheme(engine, dark));
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(m_window);
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        m_chat = m_window->findChild<ChatController*>();
        QVERIFY(m_chat);
        QVERIFY2(m_chat->store()->isOpen(), qPrintable(m_chat->store()->errorString()));
        // The light pass runs the Vulkan engine (lavapipe in CI); the dark
        // pass the native CPU engine (the app's default without a GPU), so both are covered.
        m_chat->setDevice(dark ? QStringLiteral("cpu") : QStringLiteral("vulkan"));
        m_chat->settings()->setSeed(7);
        m_chat->settings()->setMaxTokens(40);
        m_chat->settings()->setContextLength(1024);

        for (auto step : {&TestChatWindow::keyboardConversation, &TestChatWindow::versions,
                          &TestChatWindow::stopWithEscape, &TestChatWindow::scriptedAnswer,
                          &TestChatWindow::nothingRemoteLoads, &TestChatWindow::errors,
                          &TestChatWindow::conversationList, &TestChatWindow::fastStream,
                          &TestChatWindow::answerNow, &TestChatWindow::thinkingBudget,
                          &TestChatWindow::everyControlIsNamed,
                          &TestChatWindow::settingsDialog, &TestChatWindow::serverConversation}) {
            (this->*step)(theme);
            if (QTest::currentTestFailed())
                return;
            const QStringList warnings = m_warnings->take();
            QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        }
    }

    // The guard nothingRemoteLoads() relies on must be able to fail.
    void networkGuardSeesRequests()
    {
        QQmlEngine engine;
        engine.setNetworkAccessManagerFactory(&m_network);
        QQmlComponent image(&engine);
        image.setData("import QtQuick\nImage { source: \"http://127.0.0.1:9/probe.png\" }", QUrl("qrc:/probe.qml"));
        std::unique_ptr<QObject> object(image.create());
        QVERIFY(object);
        QTRY_VERIFY(test::RecordingNetworkFactory::requests().contains("http://127.0.0.1:9/probe.png"));
        m_warnings->take();  // the image that never came
    }

private:
    QQuickWindow* m_window = nullptr;
    ChatController* m_chat = nullptr;

    QQuickItem* focusItem() const { return m_window->activeFocusItem(); }
    // Whether a visible text item (a tooltip's too: the overlay is below the content item) shows `part`.
    bool shownText(const QString& part) const
    {
        return !test::findItems(m_window->contentItem(), [&](QQuickItem* item) {
                    return item->isVisible() && item->inherits("QQuickText") &&
                           item->property("text").toString().contains(part);
                }).isEmpty();
    }
    int rows() const { return m_chat->messages()->rowCount(); }
    QString last(int role) const { return ::role(m_chat, rows() - 1, role).toString(); }

    // Opens the model and chats by keyboard: Enter sends, Shift+Enter adds a line.
    void keyboardConversation(const QString&)
    {
        QTest::keyClick(m_window, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(test::accessibleName(focusItem()), QString("Search conversations"));
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(test::accessibleName(focusItem()), QString("Message"));

        m_chat->openModel(QUrl::fromLocalFile(m_model).toString());
        QTRY_VERIFY_WITH_TIMEOUT(m_chat->modelLoaded(), 20000);
        const auto modelLabel = test::findByObjectName(m_window->contentItem(), "modelLabel");
        QCOMPARE(modelLabel.size(), 1);
        QVERIFY2(modelLabel[0]->property("text").toString().contains(m_chat->modelName()),
                 qPrintable(modelLabel[0]->property("text").toString()));
        // The memory the model holds: RAM on the CPU engine, GPU memory on Vulkan.
        const bool onCpu = m_chat->device() == QLatin1String("cpu");
        QVERIFY2(modelLabel[0]->property("text").toString().contains(onCpu ? " of RAM, " : " on the GPU"),
                 qPrintable(modelLabel[0]->property("text").toString()));
        if (onCpu)
            QVERIFY(!test::saveScreenshot(m_window, QStringLiteral("status_cpu_engine")).isEmpty());

        test::typeText(m_window, "Hello there");
        QTest::keyClick(m_window, Qt::Key_Return, Qt::ShiftModifier);
        test::typeText(m_window, "How are you?");
        QCOMPARE(focusItem()->property("text").toString(), QString("Hello there\nHow are you?"));
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(m_chat->generating());
        QCOMPARE(focusItem()->property("text").toString(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 30000);

        QCOMPARE(rows(), 2);
        QCOMPARE(::role(m_chat, 0, MessageListModel::TextRole).toString(), QString("Hello there\nHow are you?"));
        QCOMPARE(last(MessageListModel::StatusRole), QString("complete"));
        QVERIFY(::role(m_chat, 1, MessageListModel::GeneratedTokensRole).toInt() > 0);
        QVERIFY2(last(MessageListModel::StatsLabelRole).contains("tokens/s"), qPrintable(last(MessageListModel::StatsLabelRole)));

        // What the window shows is what was stored.
        const auto branch = m_chat->store()->currentBranch(m_chat->conversationId());
        QCOMPARE(branch.size(), 2);
        const app::MessageContent* content = m_chat->messages()->contentAt(1);
        QCOMPARE(branch[1].reasoning, content->reasoning());
        QCOMPARE(branch[1].content, content->answer());
        QCOMPARE(branch[1].stats.generatedTokens, ::role(m_chat, 1, MessageListModel::GeneratedTokensRole).toInt());
        QCOMPARE(m_chat->conversations().size(), 1);
        QCOMPARE(m_chat->conversations()[0].value<app::ConversationInfo>().title, QString("Hello there"));
    }

    // Regenerate keeps the old answer as a version; edit and resend keeps the old question.
    void versions(const QString&)
    {
        const qint64 question = ::role(m_chat, 0, MessageListModel::IdRole).toLongLong();
        const qint64 first = ::role(m_chat, 1, MessageListModel::IdRole).toLongLong();
        // With "math" on, the instruction lengthens the user's turn in the prompt.
        m_chat->settings()->setMath(true);
        QVERIFY(m_chat->regenerate(first));
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 30000);
        m_chat->settings()->setMath(false);
        const auto branch = m_chat->store()->currentBranch(m_chat->conversationId());
        QCOMPARE(branch.size(), 2);
        QVERIFY2(branch[1].stats.promptTokens > m_chat->store()->message(first)->stats.promptTokens + 10,
                 qPrintable(QString::number(branch[1].stats.promptTokens)));
        QCOMPARE(rows(), 2);
        QCOMPARE(::role(m_chat, 1, MessageListModel::VersionCountRole).toInt(), 2);
        QCOMPARE(::role(m_chat, 1, MessageListModel::VersionIndexRole).toInt(), 1);
        const qint64 second = ::role(m_chat, 1, MessageListModel::IdRole).toLongLong();
        QVERIFY(m_chat->showVersion(second, -1));
        QCOMPARE(::role(m_chat, 1, MessageListModel::IdRole).toLongLong(), first);

        // Edit by the UI: the Edit button, new text, Enter.
        QQuickItem* edit = test::findAccessible(m_window->contentItem(), "Edit and resend this message");
        QVERIFY(edit);
        QTest::mouseClick(m_window, Qt::LeftButton, {}, edit->mapToScene(edit->boundingRect().center()).toPoint());
        QCOMPARE(test::accessibleName(focusItem()), QString("Edit message"));
        QTest::keyClick(m_window, Qt::Key_A, Qt::ControlModifier);
        test::typeText(m_window, "Tell me a story");
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(m_chat->generating());
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 30000);
        QCOMPARE(rows(), 2);
        QCOMPARE(::role(m_chat, 0, MessageListModel::TextRole).toString(), QString("Tell me a story"));
        QCOMPARE(::role(m_chat, 0, MessageListModel::VersionCountRole).toInt(), 2);
        QCOMPARE(last(MessageListModel::StatusRole), QString("complete"));
        // Back to the first question: its newest answer shows.
        QVERIFY(m_chat->showVersion(::role(m_chat, 0, MessageListModel::IdRole).toLongLong(), -1));
        QCOMPARE(::role(m_chat, 0, MessageListModel::IdRole).toLongLong(), question);
        QCOMPARE(::role(m_chat, 1, MessageListModel::IdRole).toLongLong(), second);
    }

    // A long answer, stopped with Esc; reports the longest event-loop stall while it streamed.
    // The tiny random model may end its answer on its own before Esc arrives
    // (the CPU engine streams it in ~100 ms), so a turn that ended by itself
    // is asked again: at least one turn must be stopped by Esc.
    void stopWithEscape(const QString&)
    {
        m_chat->settings()->setMaxTokens(900);
        bool stopped = false;
        for (int attempt = 0; attempt < 8 && !stopped; ++attempt) {
            QVERIFY(m_chat->send(QStringLiteral("Count to a thousand, attempt %1").arg(attempt)));
            {
                const test::StallProbe probe;
                QTRY_VERIFY_WITH_TIMEOUT(::role(m_chat, rows() - 1, MessageListModel::GeneratedTokensRole).toInt() >= 8 ||
                                             !m_chat->generating(), 30000);
                qInfo("longest event-loop stall while %d tokens streamed in %lld ms: %lld ms",
                      ::role(m_chat, rows() - 1, MessageListModel::GeneratedTokensRole).toInt(), probe.elapsedMs(),
                      probe.longestMs());
            }
            QTest::keyClick(m_window, Qt::Key_Escape);
            QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 30000);
            const QString status = last(MessageListModel::StatusRole);
            if (status == QLatin1String("complete"))
                continue;  // the model ended its answer before Esc took effect: ask again
            QCOMPARE(status, QString("stopped"));
            QVERIFY(last(MessageListModel::StatsLabelRole).contains("stopped"));
            stopped = true;
        }
        QVERIFY2(stopped, "every answer ended by itself before Esc could stop it");
        m_chat->settings()->setMaxTokens(40);
    }

    // A scripted R1 answer: reasoning streams open, then collapses; Markdown and a highlighted code block.
    void scriptedAnswer(const QString& theme)
    {
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(rows(), 0);
        QVERIFY(sendScripted(test::kScriptedQuestion));
        int tokens = 0;
        for (const QString& piece : test::scriptedReasoning())
            emit script()->text(piece, ++tokens);
        const int reasoningTokens = tokens;
        QTest::qWait(1100);  // the live timer counts a second
        const auto heading = test::findByObjectName(m_window->contentItem(), "reasoningHeading");
        QCOMPARE(heading.size(), 1);
        // The live count and rate of the reasoning.
        const QString thinking = heading[0]->property("text").toString();
        QVERIFY2(thinking.contains(QStringLiteral("Thinking… 1 s · %1 tokens · ").arg(reasoningTokens)) &&
                     thinking.endsWith(" tokens/s"),
                 qPrintable(thinking));
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 1);
        QVERIFY(!test::saveScreenshot(m_window, "chat_streaming_" + theme).isEmpty());

        for (const QString& piece : test::scriptedAnswer())
            emit script()->text(piece, ++tokens);
        emit script()->finished({{"promptTokens", 21}, {"generatedTokens", tokens}, {"firstTokenSeconds", 0.35},
                                {"tokensPerSecond", 42.5}, {"stopReason", "end of turn"}});
        QVERIFY(!m_chat->generating());
        QCOMPARE(last(MessageListModel::ReasoningLabelRole), QString("Thought for 1 s · %1 tokens").arg(reasoningTokens));
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 0);
        QVERIFY(test::findByObjectName(m_window->contentItem(), "proseBlock").size() >= 2);
        QCOMPARE(m_chat->messages()->contentAt(1)->reasoning(), test::scriptedReasoning().join(QString()).trimmed());

        QVERIFY(!test::saveScreenshot(m_window, "chat_finished_" + theme).isEmpty());

        // Space opens the reasoning, Enter closes it again.
        heading[0]->forceActiveFocus();
        QTest::keyClick(m_window, Qt::Key_Space);
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 1);
        QTest::keyClick(m_window, Qt::Key_Return);
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 0);
        const auto input = test::findByObjectName(m_window->contentItem(), "chatInput");
        QCOMPARE(input.size(), 1);
        input[0]->forceActiveFocus();

        const auto code = test::findByObjectName(m_window->contentItem(), "codeText");
        QCOMPARE(code.size(), 1);
        QVERIFY(code[0]->property("text").toString().contains("reversed_copy"));
        if (m_chat->highlighter()->available())
            QTRY_VERIFY_WITH_TIMEOUT(code[0]->property("text").toString().contains("<span style"), 15000);
        else
            qInfo("kate-syntax-highlighter is not installed: the code block stays plain");
        QVERIFY(!test::saveScreenshot(m_window, "chat_code_" + theme).isEmpty());

        // Copy: the code block's button (clicked), and the whole answer without its reasoning.
        QQuickItem* copyCode = test::findAccessible(m_window->contentItem(), "Copy python code");
        QVERIFY(copyCode);
        QTest::mouseClick(m_window, Qt::LeftButton, {}, copyCode->mapToScene(copyCode->boundingRect().center()).toPoint());
        QCOMPARE(QGuiApplication::clipboard()->text(), m_chat->messages()->contentAt(1)->parser().blocks()[1].text);
        // Copy → As Markdown: the answer as written, without its reasoning;
        // Copy → As plain text: its words, the code as text, no markup.
        const QString answer = m_chat->messages()->contentAt(1)->answer();
        QVERIFY(chooseFromMenu("Copy the answer", "Copy the answer as Markdown", "chat_copy_menu_" + theme));
        QCOMPARE(QGuiApplication::clipboard()->text(), answer);
        QVERIFY(chooseFromMenu("Copy the answer", "Copy the answer as plain text"));
        const QString plain = QGuiApplication::clipboard()->text();
        QCOMPARE(plain, app::markdownToPlainText(answer));
        QVERIFY2(plain.contains("def reversed_copy") && !plain.contains("```") && !plain.contains("**"), qPrintable(plain));

        // Links open only after a confirmation that shows their target: tst_hostile_text.
    }

    // Clicks the button named `button`, then the item named `item` of the
    // menu it opens; saves a screenshot of the open menu as `screenshot`.
    bool chooseFromMenu(const QString& button, const QString& item, const QString& screenshot = QString())
    {
        QQuickItem* opener = test::findAccessible(m_window->contentItem(), button);
        if (!opener)
            return false;
        QTest::mouseClick(m_window, Qt::LeftButton, {}, opener->mapToScene(opener->boundingRect().center()).toPoint());
        QQuickItem* choice = nullptr;
        if (!QTest::qWaitFor([&] {
                choice = test::findAccessible(m_window->contentItem(), item);
                return choice && choice->isVisible() && choice->height() > 0 && choice->property("opacity").toReal() == 1.0;
            }))
            return false;
        if (!screenshot.isEmpty() && test::saveScreenshot(m_window, screenshot).isEmpty())
            return false;
        QTest::mouseClick(m_window, Qt::LeftButton, {}, choice->mapToScene(choice->boundingRect().center()).toPoint());
        return QTest::qWaitFor([&] { return !test::findAccessible(m_window->contentItem(), item) ||
                                            !test::findAccessible(m_window->contentItem(), item)->isVisible(); });
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

    // Images and HTML in model output never make the window fetch anything.
    void nothingRemoteLoads(const QString&)
    {
        QVERIFY(sendScripted(QStringLiteral("Show me a picture")));
        emit script()->text(test::kHostileAnswer, 1);
        emit script()->finished({{"generatedTokens", 1}, {"stopReason", "end of turn"}});
        QTest::qWait(300);
        const QStringList requests = test::RecordingNetworkFactory::requests();
        QVERIFY2(requests.isEmpty(), qPrintable(requests.join('\n')));
    }

    // A failed answer and a model that will not open show as errors in the chat; the app goes on.
    void errors(const QString& theme)
    {
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QVERIFY(sendScripted(QStringLiteral("Prove the Riemann hypothesis")));
        emit script()->text(QStringLiteral("Let me recall what the zeta function"), 8);
        const QString lost = QStringLiteral("The GPU stopped responding (device lost). Open the model again to go on.");
        emit script()->failed(lost);
        QCOMPARE(last(MessageListModel::StatusRole), QString("error"));
        QCOMPARE(m_chat->store()->currentBranch(m_chat->conversationId()).last().error, lost);

        m_chat->openModel(m_dir.filePath("missing-model.gguf"));
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->loading(), 10000);
        QVERIFY(!m_chat->modelLoaded());
        QCOMPARE(last(MessageListModel::MessageRoleRole), QString("notice"));
        QVERIFY2(last(MessageListModel::ErrorRole).contains("missing-model.gguf"), qPrintable(last(MessageListModel::ErrorRole)));
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "errorLabel").size(), 2);
        QVERIFY(!test::saveScreenshot(m_window, "chat_error_" + theme).isEmpty());

        m_chat->openModel(m_model);
        QTRY_VERIFY_WITH_TIMEOUT(m_chat->modelLoaded(), 20000);
        QVERIFY(m_chat->send(QStringLiteral("Are you still there?")));
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 30000);
        QCOMPARE(last(MessageListModel::StatusRole), QString("complete"));

        // Deleting a question deletes the answer after it too.
        QCOMPARE(rows(), 4);
        QVERIFY(m_chat->deleteMessage(::role(m_chat, 2, MessageListModel::IdRole).toLongLong()));
        QCOMPARE(rows(), 2);
        QCOMPARE(m_chat->store()->currentBranch(m_chat->conversationId()).size(), 2);
    }

    // Search by message text, rename, delete.
    void conversationList(const QString&)
    {
        const int all = int(m_chat->conversations().size());
        QCOMPARE(all, 3);
        QTest::keyClick(m_window, Qt::Key_F, Qt::ControlModifier);
        test::typeText(m_window, "Riemann");
        QCOMPARE(m_chat->search(), QString("Riemann"));
        QCOMPARE(m_chat->conversations().size(), 1);
        const qint64 id = m_chat->conversations()[0].value<app::ConversationInfo>().id;
        QCOMPARE(id, m_chat->conversationId());
        QVERIFY(m_chat->renameConversation(id, QStringLiteral("  Riemann,   briefly ")));
        // The list refreshes once per event loop turn, however many changes it had.
        QTRY_COMPARE(m_chat->conversations()[0].value<app::ConversationInfo>().title, QString("Riemann, briefly"));
        QTest::keyClick(m_window, Qt::Key_Escape);  // clears the search
        QCOMPARE(m_chat->conversations().size(), all);
        QVERIFY(m_chat->deleteConversation(id));
        QTRY_COMPARE(m_chat->conversations().size(), all - 1);
        QCOMPARE(m_chat->conversationId(), -1);
        QCOMPARE(rows(), 0);
        // From the search field, Down moves into the list and Enter opens the newest conversation.
        QTest::keyClick(m_window, Qt::Key_F, Qt::ControlModifier);
        QTest::keyClick(m_window, Qt::Key_Down);
        QTest::keyClick(m_window, Qt::Key_Return);
        QCOMPARE(m_chat->conversationId(), m_chat->conversations()[0].value<app::ConversationInfo>().id);
        QVERIFY(rows() > 0);

        // Deleting the conversation an answer streams into stops it; its end is dropped quietly.
        QVERIFY(sendScripted(QStringLiteral("A doomed question")));
        emit script()->text(QStringLiteral("Hmm"), 1);
        QVERIFY(m_chat->deleteConversation(m_chat->conversationId()));
        QCOMPARE(rows(), 0);
        emit script()->finished({{"generatedTokens", 1}, {"stopReason", "cancelled"}});
        QVERIFY(!m_chat->generating());
        QVERIFY2(m_chat->errorString().isEmpty(), qPrintable(m_chat->errorString()));
    }

    // Thousands of pieces a second from another thread, as a fast GPU would
    // send them: all arrive intact, and the longest event-loop stall is reported.
    void fastStream(const QString& theme)
    {
        if (theme != QLatin1String("light"))
            return;  // a measurement: once is enough
        QVERIFY(sendScripted(QStringLiteral("Stream fast")));
        constexpr int kPieces = 4000;
        QThread* feeder = QThread::create([backend = script()] {
            for (int i = 0; i < kPieces; ++i) {
                const QString piece = i == kPieces / 2 ? QStringLiteral("</think>") : QStringLiteral(" w%1").arg(i);
                emit backend->text(piece, i + 1);  // queued to the UI thread, as the engine's are
                QThread::usleep(250);
            }
        });
        // The list hears of the answer once per display tick (its text, then
        // its numbers), not once per piece: what keeps a fast model from
        // stalling the window. The stall itself is measured, not asserted
        // (BENCHMARKS.md, "The chat window while answers stream").
        QSignalSpy updates(m_chat->messages(), &QAbstractItemModel::dataChanged);
        {
            const test::StallProbe probe;
            feeder->start();
            QTRY_VERIFY_WITH_TIMEOUT(feeder->isFinished(), 30000);
            QTest::qWait(2 * ChatController::kDisplayIntervalMs);
            qInfo("%d pieces in %lld ms from another thread: longest event-loop stall %lld ms, %lld list updates",
                  kPieces, probe.elapsedMs(), probe.longestMs(), qint64(updates.count()));
            // Timers may fire a little early: allow twice the display rate.
            const qint64 ticks = 2 * (probe.elapsedMs() / ChatController::kDisplayIntervalMs + 2);
            QVERIFY2(updates.count() <= 2 * ticks, qPrintable(QStringLiteral("%1 list updates in %2 display ticks")
                                                                  .arg(updates.count()).arg(ticks)));
        }
        delete feeder;
        emit script()->finished({{"generatedTokens", kPieces}, {"stopReason", "end of turn"}});
        const app::MessageContent* content = m_chat->messages()->contentAt(rows() - 1);
        QVERIFY(content->reasoning().startsWith("w0 w1 w2"));
        QVERIFY(content->reasoning().endsWith(QStringLiteral(" w%1").arg(kPieces / 2 - 1)));
        QVERIFY(content->answer().endsWith(QStringLiteral(" w%1").arg(kPieces - 1)));
        QCOMPARE(::role(m_chat, rows() - 1, MessageListModel::ReasoningTokensRole).toInt(), kPieces / 2);
    }

    // The reasoning section of the last answer: its cut note is drawn below
    // its heading, in its own colour, readable against the window.
    void checkCutNote(const QString& expected, const QString& screenshot)
    {
        const auto notes = test::findByObjectName(m_window->contentItem(), "reasoningCutNote");
        QCOMPARE(notes.size(), 1);
        QQuickItem* note = notes[0];
        QCOMPARE(note->property("text").toString(), expected);
        const auto headings = test::findByObjectName(m_window->contentItem(), "reasoningHeading");
        QCOMPARE(headings.size(), 1);
        const QRectF noteRect = note->mapRectToScene(note->boundingRect());
        const QRectF headingRect = headings[0]->mapRectToScene(headings[0]->boundingRect());
        QVERIFY2(noteRect.top() >= headingRect.bottom() - 1, "the note overlaps the heading");
        QVERIFY(QRectF(QPointF(0, 0), m_window->size()).contains(noteRect));
        const auto reasoning = test::findByObjectName(m_window->contentItem(), "reasoningText");
        if (!reasoning.isEmpty())
            QVERIFY2(!noteRect.intersects(reasoning[0]->mapRectToScene(reasoning[0]->boundingRect())),
                     "the note overlaps the reasoning");
        const QString path = test::saveScreenshot(m_window, screenshot);
        QVERIFY(!path.isEmpty());
        const QImage shot(path);
        const qreal dpr = m_window->effectiveDevicePixelRatio();
        const QRect pixels((noteRect.topLeft() * dpr).toPoint(), (noteRect.size() * dpr).toSize());
        const QColor colour = note->property("color").value<QColor>();
        const QColor background = shot.pixelColor(pixels.topLeft() + QPoint(0, pixels.height() / 2) - QPoint(2, 0));
        // Drawn: its glyphs are there in its colour, and that colour stands out from the background.
        const int drawn = test::pixelsNear(shot, pixels, colour, 40);
        QVERIFY2(drawn >= 30, qPrintable(QStringLiteral("%1 pixels of the note's colour").arg(drawn)));
        const int contrast = std::abs(colour.lightness() - background.lightness());
        QVERIFY2(contrast >= 60, qPrintable(QStringLiteral("note %1 on %2").arg(colour.name(), background.name())));
    }

    // "Answer now" on the real engine, asked while the engine's thread is
    // held in its third piece: the reasoning ends after three tokens, the
    // model answers, the answer says so, stored, also once reopened. The
    // light pass clicks the button beside Stop, the dark one presses Ctrl+Enter.
    void answerNow(const QString& theme)
    {
        m_chat->openModel(m_model);
        QTRY_VERIFY_WITH_TIMEOUT(m_chat->modelLoaded(), 20000);
        QVERIFY(m_chat->canAnswerNow());
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);

        static QSemaphore inPiece;
        static QSemaphore goOn;
        static std::atomic<int> pieces;
        pieces = 0;
        app::test_hooks::engineStep = [](const char* step) {
            if (qstrcmp(step, "text") == 0 && ++pieces == 3) {
                inPiece.release();
                goOn.tryAcquire(1, 20000);
            }
        };
        // Whatever fails below, the engine's thread goes on and the hook goes once it is idle.
        const auto release = qScopeGuard([this] {
            goOn.release();
            QTest::qWaitFor([this] { return !m_chat->generating(); }, 30000);
            app::test_hooks::engineStep = nullptr;
            goOn.tryAcquire(goOn.available());
        });
        QVERIFY(m_chat->send(QStringLiteral("What is 6 times 7?")));
        QVERIFY(inPiece.tryAcquire(1, 20000));
        QTRY_COMPARE(::role(m_chat, rows() - 1, MessageListModel::ReasoningTokensRole).toInt(), 2);
        QVERIFY2(m_chat->thinking(), "the generated model ended its reasoning within two tokens");

        const auto button = test::findByObjectName(m_window->contentItem(), "answerNowButton");
        QCOMPARE(button.size(), 1);
        QVERIFY(button[0]->isEnabled());
        const auto sectionButton = test::findByObjectName(m_window->contentItem(), "reasoningAnswerNow");
        QCOMPARE(sectionButton.size(), 1);
        QVERIFY(sectionButton[0]->isEnabled());
        QVERIFY(!test::saveScreenshot(m_window, "chat_thinking_" + theme).isEmpty());
        if (theme == QLatin1String("light"))
            QTest::mouseClick(m_window, Qt::LeftButton, {},
                              button[0]->mapToScene(button[0]->boundingRect().center()).toPoint());
        else
            QTest::keyClick(m_window, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(m_chat->answerNowAsked());
        QTRY_COMPARE(button[0]->property("text").toString(), QStringLiteral("Answering…"));
        QVERIFY(!button[0]->isEnabled());
        QVERIFY(!m_chat->answerNow());  // once is enough
        goOn.release();
        QTRY_VERIFY_WITH_TIMEOUT(!m_chat->generating(), 30000);
        QVERIFY(!m_chat->thinking());

        const QString note = QStringLiteral("Reasoning ended early: you asked to answer");
        const qint64 id = ::role(m_chat, rows() - 1, MessageListModel::IdRole).toLongLong();
        const auto stored = m_chat->store()->message(id);
        QVERIFY(stored);
        QCOMPARE(stored->stats.reasoningCut, app::ReasoningCut::AnswerNow);
        QCOMPARE(stored->stats.reasoningTokens, 3);  // the tokens before the cut, from the engine
        QVERIFY(stored->stats.generatedTokens > 3);
        QVERIFY(!stored->reasoning.isEmpty());
        QVERIFY(!stored->reasoning.contains(QStringLiteral("think>")));
        // The engine's "\n</think>\n\n" ended the reasoning: none of it in the
        // answer (which is random text, "<think>" may turn up later in it).
        QVERIFY2(!stored->content.startsWith(u'\n') && !stored->content.startsWith(QStringLiteral("</think>")),
                 qPrintable(stored->content));
        QVERIFY(m_chat->messages()->contentAt(rows() - 1)->reasoningClosed());
        QVERIFY2(last(MessageListModel::ReasoningLabelRole).endsWith(QStringLiteral("· 3 tokens")),
                 qPrintable(last(MessageListModel::ReasoningLabelRole)));
        QCOMPARE(last(MessageListModel::ReasoningCutRole), note);
        checkCutNote(note, "reasoning_answer_now_" + theme);
        if (QTest::currentTestFailed())
            return;

        // Reopened from the store.
        const qint64 conversation = m_chat->conversationId();
        m_chat->newConversation();
        QCOMPARE(rows(), 0);
        m_chat->selectConversation(conversation);
        QCOMPARE(last(MessageListModel::ReasoningCutRole), note);
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "reasoningCutNote").size(), 1);
    }

    // A thinking budget from the settings reaches the backend with the
    // answer; the engine's end of the reasoning (its piece brings no token)
    // shows as the budget reached while the answer still streams, and is
    // stored. Scripted, so the screenshots show the same reasoning in both themes.
    void thinkingBudget(const QString& theme)
    {
        m_chat->settings()->setThinkingBudget(256);
        auto backend = std::make_unique<ThinkingBackend>(m_chat->modelInfo());
        ThinkingBackend* thinker = backend.get();
        m_chat->useBackend(std::move(backend));
        QVERIFY(m_chat->modelLoaded() && m_chat->canAnswerNow());
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QVERIFY(m_chat->send(test::kScriptedQuestion));
        QCOMPARE(thinker->lastSettings.thinkingBudget, 256);

        const QStringList reasoning = test::scriptedReasoning();
        for (qsizetype i = 0; i < reasoning.size(); ++i)
            emit thinker->text(reasoning[i], int((i + 1) * 256 / reasoning.size()));
        QTest::qWait(1100);  // a second to measure the rate over
        const QRegularExpression live(QStringLiteral("^Thinking… 1 s · 256 tokens · [0-9.,]+ tokens/s$"));
        QVERIFY2(live.match(last(MessageListModel::ReasoningLabelRole)).hasMatch(),
                 qPrintable(last(MessageListModel::ReasoningLabelRole)));
        QVERIFY(test::findByObjectName(m_window->contentItem(), "answerNowButton").size() == 1);

        emit thinker->text(QStringLiteral("\n</think>\n\n"), 256);
        const QString note = QStringLiteral("Reasoning ended early: the thinking budget of 256 tokens was reached");
        QTRY_COMPARE(last(MessageListModel::ReasoningCutRole), note);
        QVERIFY(m_chat->generating() && !m_chat->thinking());
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "answerNowButton").size(), 0);
        int tokens = 256;
        for (const QString& piece : test::wordPieces(QStringLiteral("Use slicing: numbers[::-1] gives a reversed copy.")))
            emit thinker->text(piece, ++tokens);
        emit thinker->finished({{"promptTokens", 21}, {"generatedTokens", tokens}, {"firstTokenSeconds", 0.35},
                                {"tokensPerSecond", 42.5}, {"stopReason", "end of turn"},
                                {"reasoningCutShort", true}, {"reasoningTokens", 256}});
        QVERIFY(!m_chat->generating());
        QCOMPARE(thinker->answerNows, 0);
        const qint64 id = ::role(m_chat, rows() - 1, MessageListModel::IdRole).toLongLong();
        QCOMPARE(m_chat->store()->message(id)->stats.reasoningCut, app::ReasoningCut::Budget);
        QCOMPARE(m_chat->store()->message(id)->stats.reasoningTokens, 256);
        QCOMPARE(m_chat->messages()->contentAt(rows() - 1)->reasoning(), reasoning.join(QString()).trimmed());
        QCOMPARE(m_chat->messages()->contentAt(rows() - 1)->answer(),
                 QStringLiteral("Use slicing: numbers[::-1] gives a reversed copy."));

        // Reopened, with the reasoning open: the picture of a reasoning cut short.
        const qint64 conversation = m_chat->conversationId();
        m_chat->newConversation();
        m_chat->selectConversation(conversation);
        QCOMPARE(last(MessageListModel::ReasoningCutRole), note);
        const auto heading = test::findByObjectName(m_window->contentItem(), "reasoningHeading");
        QCOMPARE(heading.size(), 1);
        QTest::mouseClick(m_window, Qt::LeftButton, {}, heading[0]->mapToScene(heading[0]->boundingRect().center()).toPoint());
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 1);
        checkCutNote(note, "reasoning_cut_short_" + theme);
        m_chat->settings()->setThinkingBudget(0);
        QTest::mouseMove(m_window, QPoint(1, m_window->height() - 1));  // no hover left for the next pictures
    }

    // The settings dialog opens with Ctrl+, and closes with Esc.
    void settingsDialog(const QString& theme)
    {
        QTest::keyClick(m_window, Qt::Key_Comma, Qt::ControlModifier);
        QTRY_VERIFY(test::findAccessible(m_window->contentItem(), "Reset the settings to their defaults"));
        // The device chooser lists the CPU engine beside the GPUs.
        auto* gpu = m_window->findChild<app::GpuSelector*>();
        QVERIFY(gpu);
        QTRY_VERIFY_WITH_TIMEOUT(!gpu->probing(), 30000);
        const auto deviceBox = test::findByObjectName(m_window->contentItem(), "deviceBox");
        QCOMPARE(deviceBox.size(), 1);
        const QString cpuName = QString::fromStdString(readCpuInfo().displayName());
        QVERIFY2(gpu->adapters().filter(cpuName).size() == 1, qPrintable(gpu->adapters().join(", ")));
        QCOMPARE(deviceBox[0]->property("count").toInt(), int(gpu->adapters().size()));
        QCOMPARE(deviceBox[0]->property("currentText").toString(), gpu->adapters().value(gpu->currentIndex()));
        QTest::qWait(300);  // the dialog's opening transition
        QVERIFY(!test::saveScreenshot(m_window, "settings_" + theme).isEmpty());
        const QString unnamed = unnamedControls(m_window->contentItem());
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed));

        // DeepSeek's advice, explained; a temperature outside it is flagged.
        const auto advice = test::findByObjectName(m_window->contentItem(), "deepSeekAdvice");
        QCOMPARE(advice.size(), 1);
        QVERIFY(advice[0]->property("text").toString().contains("0.5 to 0.7 (0.6 here)"));
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "temperatureWarning").size(), 0);
        m_chat->settings()->setTemperature(1.2);
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "temperatureWarning").size(), 1);
        m_chat->settings()->setTemperature(0.6);
        QCOMPARE(test::findByObjectName(m_window->contentItem(), "temperatureWarning").size(), 0);
        // The thinking budget by keyboard: off, then 256, 512, and back off.
        const auto budget = test::findByObjectName(m_window->contentItem(), "thinkingBudgetBox");
        QCOMPARE(budget.size(), 1);
        QCOMPARE(budget[0]->property("displayText").toString(), QStringLiteral("Off"));
        budget[0]->forceActiveFocus();
        QTest::keyClick(m_window, Qt::Key_Up);
        QCOMPARE(m_chat->settings()->thinkingBudget(), 256);
        QTest::keyClick(m_window, Qt::Key_Up);
        QCOMPARE(m_chat->settings()->thinkingBudget(), 512);
        QCOMPARE(m_chat->settings()->generationSettings(1).thinkingBudget, 512);
        QTest::keyClick(m_window, Qt::Key_Down);
        QTest::keyClick(m_window, Qt::Key_Down);
        QCOMPARE(m_chat->settings()->thinkingBudget(), 0);
        QCOMPARE(budget[0]->property("displayText").toString(), QStringLiteral("Off"));
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_VERIFY(!test::findAccessible(m_window->contentItem(), "Reset the settings to their defaults"));
    }

    // Every control the keyboard reaches has a name for screen readers.
    void everyControlIsNamed(const QString&)
    {
        const QString unnamed = unnamedControls(m_window->contentItem());
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed));
    }

    // The controls below `root` that the keyboard reaches and that have no
    // name: no Accessible.name, nor a button's text (which Qt reads out when
    // a screen reader runs), nor a named control around them (a spin box's editor).
    static QString unnamedControls(QQuickItem* root)
    {
        const auto unnamed = test::findItems(root, [](QQuickItem* item) {
            if (!item->isVisible() || !item->activeFocusOnTab() || !test::accessibleName(item).isEmpty())
                return false;
            if (item->inherits("QQuickAbstractButton") && !item->property("text").toString().isEmpty())
                return false;
            return !item->parentItem() || test::accessibleName(item->parentItem()).isEmpty();
        });
        QStringList names;
        for (QQuickItem* item : unnamed)
            names << QString::fromUtf8(item->metaObject()->className()) + u' ' + item->property("text").toString();
        return names.join(", ");
    }
};

QTEST_MAIN(TestChatWindow)
#include "tst_chat_window.moc"
