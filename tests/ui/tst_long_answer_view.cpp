// A long answer in the real chat window makes only the blocks on screen:
// the list's rows are its blocks (MessageRowsModel), not whole messages, so
// an answer of hundreds of blocks makes a screenful of block items while it
// streams, when scrolled to its top, and when its conversation is opened
// again. Counts items, never times. The rows model is checked by Qt's
// QAbstractItemModelTester while the answer streams, and must not be reset
// by it (a reset makes every visible row again).
#include <QtTest>

#include <QAbstractItemModelTester>
#include <QPointer>
#include <QQmlApplicationEngine>
#include <QTimer>

#include <algorithm>

#include "app_setup.h"
#include "chat_controller.h"
#include "markdown_stream.h"
#include "message_rows_model.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "scripted_backend.h"

using namespace ponder;

namespace {

constexpr int kParagraphs = 400;

// Paragraphs, with a code block every 50 and one 100 k-character line (a
// hostile word) in the middle.
QString longAnswer()
{
    QString text = QStringLiteral("Some reasoning.</think>\n\n");
    for (int i = 1; i <= kParagraphs; ++i) {
        text += QStringLiteral("Paragraph %1 says *something* about sorting.\n\n").arg(i);
        if (i % 50 == 0)
            text += QStringLiteral("```python\nprint(%1)\n```\n\n").arg(i);
        if (i == kParagraphs / 2)
            text += QStringLiteral("long").repeated(25000) + QStringLiteral("\n\n");
    }
    return text;
}

} // namespace

class TestLongAnswerView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<test::QmlWarningGuard> m_warnings;
    QQmlApplicationEngine* m_engine = nullptr;
    QQuickWindow* m_window = nullptr;
    app::ChatController* m_chat = nullptr;
    QPointer<test::ScriptedBackend> m_script;
    QQuickItem* m_list = nullptr;

    int blockItems() const { return int(test::findByObjectName(m_window->contentItem(), "answerBlock", false).size()); }
    QList<QQuickItem*> rowLoaders() const { return test::findByObjectName(m_window->contentItem(), "rowLoader", false); }
    // Loader.status: Loading is 2 (Null 0, Ready 1, Error 3).
    static constexpr int Loading = 2;
    static int status(QQuickItem* loader) { return loader->property("status").toInt(); }
    // No row loading, and none made asynchronously any more.
    bool rowsSettled() const
    {
        const QList<QQuickItem*> loaders = rowLoaders();
        return std::none_of(loaders.cbegin(), loaders.cend(), [](QQuickItem* loader) {
            return loader->property("asynchronous").toBool() || status(loader) == Loading;
        });
    }

    // The list's viewport, a pixel wider each way: the view stops at the end
    // to within a fraction of a pixel (seen: 0.2 px short, with rows of
    // fractional heights), which no one sees.
    QRectF viewport() const { return m_list->mapRectToScene(m_list->boundingRect()).adjusted(-1, -1, 1, 1); }

    bool inView(QQuickItem* item) const
    {
        const QRectF view = viewport();
        const QRectF at = item->mapRectToScene(item->boundingRect());
        return item->isVisible() && at.height() > 0 && view.contains(at);
    }

    // The answer's foot, followed to the end of the list.
    bool showsAnswerActions() const
    {
        QQuickItem* copy = test::findAccessible(m_window->contentItem(), QStringLiteral("Copy the answer"));
        return copy && inView(copy);
    }

    // Where the list stands and where the answer's actions are: what a failed
    // showsAnswerActions() needs to be understood.
    QString viewState() const
    {
        QQuickItem* copy = test::findAccessible(m_window->contentItem(), QStringLiteral("Copy the answer"));
        const QRectF at = copy ? copy->mapRectToScene(copy->boundingRect()) : QRectF();
        return QStringLiteral("contentY %1 originY %2 contentHeight %3 height %4 atYEnd %5 follow %6 count %7; "
                              "copy %8 at y %9 h %10 visible %11; list at y %12")
            .arg(m_list->property("contentY").toDouble())
            .arg(m_list->property("originY").toDouble())
            .arg(m_list->property("contentHeight").toDouble())
            .arg(m_list->height())
            .arg(m_list->property("atYEnd").toBool())
            .arg(m_list->property("follow").toBool())
            .arg(m_list->property("count").toInt())
            .arg(copy ? "found" : "missing")
            .arg(at.y())
            .arg(at.height())
            .arg(copy && copy->isVisible())
            .arg(m_list->mapRectToScene(m_list->boundingRect()).y());
    }

    // A prose block showing `needle`, inside the list's viewport.
    bool showsParagraph(const QString& needle) const
    {
        const auto found = test::findItems(m_window->contentItem(), [&](QQuickItem* item) {
            return item->objectName() == QLatin1String("proseBlock") &&
                   item->property("text").toString().contains(needle) && inView(item);
        });
        return !found.isEmpty();
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));
        m_warnings = std::make_unique<test::QmlWarningGuard>();
        m_engine = new QQmlApplicationEngine(this);
        app::setUpEngine(*m_engine);
        m_engine->load(app::mainQmlUrl());
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().first());
        QVERIFY(m_window);
        m_window->resize(1100, 800);
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        m_chat = m_window->findChild<app::ChatController*>();
        QVERIFY(m_chat);
        auto backend = std::make_unique<test::ScriptedBackend>(
            QVariantMap{{"name", "DeepSeek-R1-Distill-Qwen-7B"}, {"device", "CPU"}, {"expectReasoning", true}});
        m_script = backend.get();
        m_chat->useBackend(std::move(backend));
        QTRY_VERIFY(m_chat->modelLoaded());
        const auto lists = test::findByObjectName(m_window->contentItem(), "messageList");
        QCOMPARE(lists.size(), 1);
        m_list = lists.first();
    }

    void streamsOnlyVisibleBlocks()
    {
        auto* rows = m_window->findChild<app::MessageRowsModel*>();
        QVERIFY(rows);
        QVERIFY(m_chat->send(QStringLiteral("Tell me about sorting")));
        QTRY_VERIFY(m_chat->generating());
        QAbstractItemModelTester tester(rows, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(rows, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(rows, &QAbstractItemModel::rowsInserted);

        // In bursts, each shown before the next, so blocks arrive over many display ticks.
        const QString answer = longAnswer();
        const qsizetype burst = answer.size() / 20;
        int peak = 0;
        for (qsizetype at = 0; at < answer.size(); at += burst) {
            emit m_script->text(answer.mid(at, burst), int(at / burst) + 1);
            QTest::qWait(3 * app::ChatController::kDisplayIntervalMs);
            peak = std::max(peak, blockItems());
        }
        emit m_script->finished({{"generatedTokens", 4000}, {"stopReason", "end of turn"}});
        QTRY_VERIFY(!m_chat->generating());
        QCOMPARE(resets.size(), 0);
        QVERIFY(inserts.size() >= 10);  // blocks arrived as inserts while it streamed

        // Hundreds of blocks, a screenful of items: the view followed the end.
        QVERIFY2(rows->blockCount() > kParagraphs, qPrintable(QString::number(rows->blockCount())));
        QTRY_VERIFY(showsParagraph(QStringLiteral("Paragraph %1 ").arg(kParagraphs)));
        QTRY_VERIFY2(showsAnswerActions(), qPrintable(viewState()));
        QVERIFY2(peak > 0 && peak < 60, qPrintable(QString::number(peak)));
        QVERIFY2(blockItems() < 60, qPrintable(QString::number(blockItems())));
        QVERIFY(!test::saveScreenshot(m_window, QStringLiteral("long_answer_end")).isEmpty());

        // Its top: the first block, and still only a screenful.
        QMetaObject::invokeMethod(m_list, "positionViewAtBeginning");
        QTRY_VERIFY(showsParagraph(QStringLiteral("Paragraph 1 ")));
        QVERIFY2(blockItems() < 60, qPrintable(QString::number(blockItems())));
        QVERIFY(!test::saveScreenshot(m_window, QStringLiteral("long_answer_top")).isEmpty());

        // The 100 k-character word in the middle: shown, in pieces of bounded size (markdown_stream.h).
        const auto isLongWord = [](QQuickItem* item) {
            return item->objectName() == QLatin1String("proseBlock") && item->isVisible() &&
                   item->property("text").toString().contains(QLatin1String("longlong"));
        };
        int longRow = -1;
        const int textRole = rows->roleNames().key("text");
        for (int row = 0; row < rows->rowCount() && longRow < 0; ++row)
            if (rows->data(rows->index(row), textRole).toString().startsWith(QLatin1String("longlong")))
                longRow = row;
        QVERIFY(longRow > 0);
        QMetaObject::invokeMethod(m_list, "positionViewAtIndex", Q_ARG(int, longRow), Q_ARG(int, 0 /* ListView.Beginning */));
        QTRY_VERIFY(!test::findItems(m_window->contentItem(), isLongWord).isEmpty());
        for (QQuickItem* piece : test::findItems(m_window->contentItem(), isLongWord))
            QVERIFY2(piece->property("text").toString().size() <= 4 * app::MarkdownStream::kPieceChars + 100,
                     qPrintable(QString::number(piece->property("text").toString().size())));
        QVERIFY2(blockItems() < 60, qPrintable(QString::number(blockItems())));
    }

    // The question, then the answer: its head, a row per block of its content in order, its foot.
    void rowsOfEachMessage()
    {
        auto* rows = m_window->findChild<app::MessageRowsModel*>();
        QVERIFY(rows);
        const app::MessageContent* content = m_chat->messages()->contentAt(1);
        QVERIFY(content);
        const QHash<int, QByteArray> names = rows->roleNames();
        const int kindRole = names.key("rowKind"), blockRole = names.key("blockIndex");
        const int textRole = names.key("text"), idRole = names.key("messageId");
        using Kind = app::MessageRowsModel::RowKind;
        const int blocks = content->rowCount();
        QCOMPARE(rows->rowCount(), 1 + 1 + blocks + 1);
        QCOMPARE(rows->blockCount(), blocks);
        QCOMPARE(rows->data(rows->index(0), kindRole).toInt(), int(Kind::User));
        QCOMPARE(rows->data(rows->index(0), textRole).toString(), QStringLiteral("Tell me about sorting"));
        QCOMPARE(rows->data(rows->index(1), kindRole).toInt(), int(Kind::Head));
        QCOMPARE(rows->data(rows->index(1), idRole), m_chat->messages()->data(m_chat->messages()->index(1), app::MessageListModel::IdRole));
        for (int block : {0, 1, blocks / 2, blocks - 1}) {
            const QModelIndex row = rows->index(2 + block);
            QCOMPARE(rows->data(row, kindRole).toInt(), int(Kind::Block));
            QCOMPARE(rows->data(row, blockRole).toInt(), block);
            QCOMPARE(rows->data(row, textRole), content->data(content->index(block), app::MessageContent::TextRole));
        }
        QCOMPARE(rows->data(rows->index(rows->rowCount() - 1), kindRole).toInt(), int(Kind::Foot));
        QCOMPARE(rows->data(rows->index(rows->rowCount() - 1), blockRole).toInt(), -1);
        // The head and the foot do not carry the answer's text (a copy of it,
        // kept by their rows, would make each piece streamed copy all of it).
        QCOMPARE(rows->data(rows->index(1), textRole).toString(), QString());
        QCOMPARE(rows->data(rows->index(rows->rowCount() - 1), textRole).toString(), QString());
    }

    void reopensWithOnlyVisibleBlocks()
    {
        const qint64 conversation = m_chat->conversationId();
        m_chat->newConversation();
        QTRY_COMPARE(blockItems(), 0);
        m_chat->selectConversation(conversation);
        QTRY_VERIFY(showsParagraph(QStringLiteral("Paragraph %1 ").arg(kParagraphs)));
        QTRY_VERIFY(showsAnswerActions());
        QVERIFY2(blockItems() < 60, qPrintable(QString::number(blockItems())));
    }

    // Opening the reasoning and scrolling it out of view (its row's items
    // are destroyed) and back shows it still open; closed again, it stays closed.
    void reasoningChoiceOutlivesItsRow()
    {
        const auto sections = [this] { return test::findByObjectName(m_window->contentItem(), "reasoningSection"); };
        QMetaObject::invokeMethod(m_list, "positionViewAtBeginning");
        QTRY_COMPARE(sections().size(), 1);
        QQuickItem* section = sections().first();
        QVERIFY(!section->property("expanded").toBool());  // a finished answer's reasoning starts closed
        for (const bool open : {true, false}) {
            QMetaObject::invokeMethod(section, "toggle");
            QCOMPARE(section->property("expanded").toBool(), open);
            QMetaObject::invokeMethod(m_list, "positionViewAtEnd");
            QTRY_VERIFY(sections().isEmpty());
            QMetaObject::invokeMethod(m_list, "positionViewAtBeginning");
            QTRY_COMPARE(sections().size(), 1);
            section = sections().first();
            QCOMPARE(section->property("expanded").toBool(), open);
        }
    }

    // Output that arrives faster than it can be shown (all at once) is parsed
    // a bounded piece per display tick; the answer ends when all of it is shown.
    void bigOutputShownOverTicks()
    {
        QVERIFY(m_chat->send(QStringLiteral("Once more")));
        const QString answer = longAnswer();
        QVERIFY(answer.size() > 3 * app::ChatController::kMaxCharsPerTick);
        const app::MessageContent* content = m_chat->messages()->contentAt(m_chat->messages()->rowCount() - 1);
        QVERIFY(content);
        QSignalSpy shown(content, &app::MessageContent::answerChanged);
        QSignalSpy catchingUp(m_chat, &app::ChatController::catchingUpChanged);
        // Meanwhile finished blocks are made over several frames (MessageRow's madeAsynchronously).
        int loadingAsynchronously = 0;
        QTimer watch;
        connect(&watch, &QTimer::timeout, this, [&] {
            for (QQuickItem* loader : rowLoaders())
                loadingAsynchronously += loader->property("asynchronous").toBool() && status(loader) == Loading;
        });
        watch.start(5);
        emit m_script->text(answer, 1);
        emit m_script->finished({{"generatedTokens", 4000}, {"stopReason", "end of turn"}});
        QVERIFY(m_chat->generating());  // the rest waits for its ticks
        QVERIFY(content->answer().size() < answer.size());
        // The ticks are behind: the list follows the end a few times a second, not per tick.
        QTRY_VERIFY(m_chat->catchingUp());
        QTRY_VERIFY(!m_chat->generating());
        QVERIFY(!m_chat->catchingUp());
        QCOMPARE(catchingUp.size(), 2);
        QVERIFY2(shown.size() >= 3, qPrintable(QString::number(shown.size())));
        QVERIFY(content->answer().size() > answer.size() - 100);  // all of it, less the reasoning
        QVERIFY(content->answer().contains(QStringLiteral("Paragraph %1 says").arg(kParagraphs)));
        QTRY_VERIFY(showsAnswerActions());  // caught up, the list shows the end again
        QVERIFY2(blockItems() < 60, qPrintable(QString::number(blockItems())));
        QVERIFY2(loadingAsynchronously > 0, "no block was made asynchronously while the list caught up");
        // Nothing on screen kept a copy of the growing answer or its blocks:
        // no append had to copy what was already there.
        QCOMPARE(content->parser().copiedOnAppend(), 0);
        // Every row made once the burst is over, none left loading.
        QTRY_VERIFY(rowsSettled());
    }

    // A reasoning stuck in a loop, as R1's sometimes is, in bursts faster
    // than the display: its pieces are rows of the list and only a screenful
    // is made; the list follows its end; it closes when the answer starts,
    // and opened again its rows come back, still only a screenful made.
    void loopingReasoningInPieces()
    {
        auto* rows = m_window->findChild<app::MessageRowsModel*>();
        QVERIFY(rows);
        QVERIFY(m_chat->send(QStringLiteral("How many r's are in strawberry?")));
        const app::MessageContent* content = m_chat->messages()->contentAt(m_chat->messages()->rowCount() - 1);
        QVERIFY(content);
        QString loop;
        while (loop.size() < 300000)
            loop += QStringLiteral("Wait, let me count the letters once more. S, t, r, a, w, b, e, r, r, y: "
                                   "that is three r's, or did I miss one?\n\n");
        const auto reasoningItems = [this] {
            return test::findByObjectName(m_window->contentItem(), QStringLiteral("reasoningText")).size();
        };
        int tokens = 0;
        qsizetype peak = 0;
        constexpr qsizetype kBurst = 20000;
        for (qsizetype at = 0; at < loop.size(); at += kBurst) {
            emit m_script->text(loop.mid(at, kBurst), ++tokens);
            QTest::qWait(3 * app::ChatController::kDisplayIntervalMs);
            peak = std::max(peak, reasoningItems());
        }
        QTRY_COMPARE(content->reasoning(), loop.trimmed());  // caught up
        QVERIFY(content->inReasoning());
        QVERIFY2(content->reasoningPieceCount() > 100, qPrintable(QString::number(content->reasoningPieceCount())));
        QCOMPARE(rows->reasoningRowCount(), content->reasoningPieceCount());
        QVERIFY2(peak > 0 && peak < 60, qPrintable(QString::number(peak)));
        // The end of the reasoning is on screen.
        const QString lastPiece = content->reasoningPiece(content->reasoningPieceCount() - 1);
        QTRY_VERIFY(!test::findItems(m_window->contentItem(), [&](QQuickItem* item) {
                         return item->objectName() == QLatin1String("reasoningText") && item->isVisible() &&
                                item->property("text").toString() == lastPiece && inView(item);
                     }).isEmpty());
        // Nothing on screen kept a copy of the growing reasoning.
        QCOMPARE(content->parser().copiedOnAppend(), 0);

        emit m_script->text(QStringLiteral("</think>There are three r's in strawberry."), ++tokens);
        emit m_script->finished({{"generatedTokens", tokens}, {"stopReason", "end of turn"}});
        QTRY_VERIFY(!m_chat->generating());
        QCOMPARE(rows->reasoningRowCount(), 0);
        QTRY_COMPARE(reasoningItems(), 0);
        QTRY_VERIFY(showsAnswerActions());

        // Opened again by its heading (the last answer's): the pieces are rows again.
        QList<QQuickItem*> sections;
        QTRY_VERIFY(!(sections = test::findByObjectName(m_window->contentItem(), "reasoningSection")).isEmpty());
        QQuickItem* section = *std::max_element(sections.cbegin(), sections.cend(), [](QQuickItem* a, QQuickItem* b) {
            return a->mapToScene(QPointF()).y() < b->mapToScene(QPointF()).y();
        });
        QMetaObject::invokeMethod(section, "toggle");
        QVERIFY(section->property("expanded").toBool());
        QCOMPARE(rows->reasoningRowCount(), content->reasoningPieceCount());
        QTRY_VERIFY(reasoningItems() > 0);
        QVERIFY2(reasoningItems() < 60, qPrintable(QString::number(reasoningItems())));
        // Where two pieces meet, the text reads on as one: a look at the seams.
        QVERIFY(test::waitForFrame(m_window));
        QVERIFY(!test::saveScreenshot(m_window, QStringLiteral("reasoning_pieces")).isEmpty());
    }

    void cleanupTestCase()
    {
        delete m_engine;
        m_engine = nullptr;
        m_warnings.reset();
    }
};

QTEST_MAIN(TestLongAnswerView)
#include "tst_long_answer_view.moc"
