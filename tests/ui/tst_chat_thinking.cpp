// Control over the thinking in the chat window (chat_window_fixture.h: the
// real window, offscreen, on a generated model; Vulkan in the light pass,
// the native CPU engine in the dark one): "Answer now" on the real engine
// (the button, and Ctrl+Enter), a thinking budget reached (scripted, for the
// light and dark screenshots of a reasoning cut short, whose note the test
// finds drawn), both kept after reopening. A server's reasoning cannot be
// cut: tst_chat_server. Fails on any QML warning.
#include <QtTest>

#include <QRegularExpression>
#include <QScopeGuard>
#include <QSemaphore>

#include "chat_window_fixture.h"
#include "scripted_answer.h"

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

} // namespace

class TestChatThinking : public QObject, protected test::ChatWindowFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }

    void thinking_data() { test::themeRows(); }

    void thinking()
    {
        QFETCH(bool, dark);
        QQmlApplicationEngine engine;
        openWindow(engine, dark);
        if (QTest::currentTestFailed())
            return;
        runSteps(this, {&TestChatThinking::answerNow, &TestChatThinking::thinkingBudget},
                 dark ? QStringLiteral("dark") : QStringLiteral("light"));
    }

private:
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
        // Once the section's layout has settled: a CI run under load once
        // found the note above the heading's bottom, laid out a moment later.
        const auto sceneRect = [](QQuickItem* item) { return item->mapRectToScene(item->boundingRect()); };
        QTRY_VERIFY2(sceneRect(note).top() >= sceneRect(headings[0]).bottom() - 1, "the note overlaps the heading");
        const QRectF noteRect = sceneRect(note);
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
            (void)QTest::qWaitFor([this] { return !m_chat->generating(); }, 30000);  // best effort: the checks have spoken
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
        QTRY_COMPARE(test::findByObjectName(m_window->contentItem(), "reasoningText").size(), 1);
        checkCutNote(note, "reasoning_cut_short_" + theme);
        m_chat->settings()->setThinkingBudget(0);
        QTest::mouseMove(m_window, QPoint(1, m_window->height() - 1));  // no hover left for the next pictures
    }
};

QTEST_MAIN(TestChatThinking)
#include "tst_chat_thinking.moc"
