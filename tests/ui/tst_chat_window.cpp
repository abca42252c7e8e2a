// The chat window, offscreen, with the real QML and the real engine on a
// generated model (Vulkan in the light pass, the native CPU engine in the
// dark one; tst_chat_engine covers the CPU reference): a whole conversation by
// keyboard, regenerate, edit and resend, stop, errors and the conversation
// list. The model's output is random text, so a scripted answer (played
// through a ScriptedBackend in place of the engine) shows reasoning, Markdown
// and a code block deterministically for the screenshots, in light and dark,
// and is copied as Markdown and as plain text. Then the settings dialog, and
// every control named for screen readers. The control over the thinking is
// tst_chat_thinking's, a model on a server tst_chat_server's
// (chat_window_fixture.h: the window they share). Fails on any QML warning
// and on any network request made by the UI.
#include <QtTest>

#include <QClipboard>
#include <QDesktopServices>
#include <QSignalSpy>

#include "chat_window_fixture.h"
#include "gpu_selector.h"
#include "markdown_plain_text.h"
#include "ponder/cpu_info.h"
#include "scripted_answer.h"

using namespace ponder;
using app::ChatController;
using app::MessageListModel;

class TestChatWindow : public QObject, protected test::ChatWindowFixture {
    Q_OBJECT
    QStringList m_opened;  // URLs handed to the system's browser

public slots:
    void openUrl(const QUrl& url) { m_opened << url.toString(); }

private slots:
    void initTestCase()
    {
        setUpFixture();
        for (const char* scheme : {"http", "https", "mailto", "file"})
            QDesktopServices::setUrlHandler(QString::fromLatin1(scheme), this, "openUrl");
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
        QQmlApplicationEngine engine;
        openWindow(engine, dark);
        if (QTest::currentTestFailed())
            return;
        runSteps(this,
                 {&TestChatWindow::keyboardConversation, &TestChatWindow::versions, &TestChatWindow::stopWithEscape,
                  &TestChatWindow::scriptedAnswer, &TestChatWindow::nothingRemoteLoads, &TestChatWindow::errors,
                  &TestChatWindow::conversationList, &TestChatWindow::fastStream,
                  &TestChatWindow::everyControlIsNamed, &TestChatWindow::settingsDialog},
                 dark ? QStringLiteral("dark") : QStringLiteral("light"));
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
        // The tiny model may answer before the key's events are done (40
        // tokens at over 1000 a second): that it started is what counts.
        QSignalSpy generating(m_chat, &app::ChatController::generatingChanged);
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(m_chat->generating() || !generating.isEmpty());
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
        QVERIFY(test::waitForFrame(m_window));  // the rows of the version shown, not the old ones

        // Edit by the UI: the Edit button, new text, Enter.
        QQuickItem* edit = test::findAccessible(m_window->contentItem(), "Edit and resend this message");
        QVERIFY(edit);
        QTest::mouseClick(m_window, Qt::LeftButton, {}, edit->mapToScene(edit->boundingRect().center()).toPoint());
        QCOMPARE(test::accessibleName(focusItem()), QString("Edit message"));
        QTest::keyClick(m_window, Qt::Key_A, Qt::ControlModifier);
        test::typeText(m_window, "Tell me a story");
        // On the CPU engine the answer reuses the prompt's prefix and may end
        // before the key's events are done (seen at 12000 tokens/s in a CI run):
        // that it started is what counts.
        QSignalSpy started(m_chat, &app::ChatController::generatingChanged);
        QTest::keyClick(m_window, Qt::Key_Return);
        // Where the keys went if the edit was lost (it once was, in a loaded full run).
        QVERIFY2(m_chat->generating() || !started.isEmpty(), qPrintable("focus: " + test::accessibleName(focusItem())));
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
        QTRY_COMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 1);
        QVERIFY(!test::saveScreenshot(m_window, "chat_streaming_" + theme).isEmpty());

        for (const QString& piece : test::scriptedAnswer())
            emit script()->text(piece, ++tokens);
        emit script()->finished({{"promptTokens", 21}, {"generatedTokens", tokens}, {"firstTokenSeconds", 0.35},
                                {"tokensPerSecond", 42.5}, {"stopReason", "end of turn"}});
        QVERIFY(!m_chat->generating());
        QCOMPARE(last(MessageListModel::ReasoningLabelRole), QString("Thought for 1 s · %1 tokens").arg(reasoningTokens));
        QTRY_COMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 0);
        QTRY_VERIFY(test::findByObjectName(m_window->contentItem(), "proseBlock").size() >= 2);  // the ListView makes rows on its next polish
        QCOMPARE(m_chat->messages()->contentAt(1)->reasoning(), test::scriptedReasoning().join(QString()).trimmed());

        QVERIFY(!test::saveScreenshot(m_window, "chat_finished_" + theme).isEmpty());

        // Space opens the reasoning, Enter closes it again.
        heading[0]->forceActiveFocus();
        QTest::keyClick(m_window, Qt::Key_Space);
        QTRY_COMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 1);
        QTest::keyClick(m_window, Qt::Key_Return);
        QTRY_COMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 0);
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
        QVERIFY2(plain.contains("\nreversed_copy = numbers[::-1]\n") && !plain.contains("```") && !plain.contains("**") &&
                     plain.contains("(https://docs.python.org/3/tutorial/datastructures.html)"),
                 qPrintable(plain));

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
