// An answer's Markdown in the real chat window, offscreen, light and dark:
// prose, a numbered list around code blocks (which Qt 6.4's Markdown
// importer restarted at 1 after each code block), a nested list, a task
// list, a table, a quote, a rule, math and code. The item tree is checked
// where it matters (the "3." marker hangs left of its item, below the code
// block it follows; the table has its rows and alignment), and the screenshots
// are checked for being pictures.
#include <QtTest>

#include <QPointer>
#include <QQmlApplicationEngine>

#include "app_setup.h"
#include "chat_controller.h"
#include "gpu_fixture.h"
#include "math_renderer.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "scripted_backend.h"

using namespace ponder;

namespace {

const QString kAnswer = QStringLiteral(
    "</think>\n\nTo sort a list:\n\n"
    "1. Split it in halves:\n\n"
    "```python\nmid = len(xs) // 2\n```\n\n"
    "2. Sort each half:\n   - the left one\n   - the right one\n\n"
    "```python\nleft, right = sort(xs[:mid]), sort(xs[mid:])\n```\n\n"
    "3. Merge them, which costs $O(n)$ per level, so \\(T(n) = 2T(n/2) + n\\).\n"
    "4. Return the result.\n\n"
    "| algorithm | best | worst |\n| :-- | :-: | --: |\n| merge | n log n | n log n |\n| quick | n log n | n² |\n\n"
    "$$\\sum_{k=0}^{\\log n} n = n \\log n$$\n\n"
    "> Merge sort is **stable**.\n\n---\n\n- [x] stable\n- [ ] in place\n\n"
    "So the cost is \\boxed{O(n \\log n)}; see [the tutorial](https://docs.python.org/3/howto/sorting.html).");

} // namespace

class TestMarkdownView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<test::QmlWarningGuard> m_warnings;

    QQuickItem* itemWithText(QQuickItem* root, const QString& objectName, const QString& needle)
    {
        const auto found = test::findItems(root, [&](QQuickItem* item) {
            return item->objectName() == objectName && item->isVisible() &&
                   item->property("text").toString().contains(needle);
        });
        return found.isEmpty() ? nullptr : found.first();
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void answer_data() { test::themeRows(); }

    void answer()
    {
        QFETCH(bool, dark);
        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        QVERIFY(test::setTheme(engine, dark));
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->resize(1100, 1200);
        window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(window));
        auto* chat = window->findChild<app::ChatController*>();
        QVERIFY(chat);
        auto backend = std::make_unique<test::ScriptedBackend>(
            QVariantMap{{"name", "DeepSeek-R1-Distill-Qwen-7B"}, {"device", "CPU"}, {"expectReasoning", true}});
        QPointer<test::ScriptedBackend> script = backend.get();
        chat->useBackend(std::move(backend));
        QTRY_VERIFY(chat->modelLoaded());
        QVERIFY(chat->send(QStringLiteral("How does merge sort work?")));
        for (qsizetype i = 0; i < kAnswer.size(); i += 7)  // streamed in small pieces
            emit script->text(kAnswer.mid(i, 7), int(i / 7) + 1);
        emit script->finished({{"generatedTokens", int(kAnswer.size() / 7)}, {"stopReason", "end of turn"}});
        QTRY_VERIFY(!chat->generating());
        QQuickItem* root = window->contentItem();

        // The list keeps its numbers around the code blocks: 1., 2., 3., 4.
        QTRY_VERIFY(itemWithText(root, "listMarker", "4.") != nullptr);
        for (const char* number : {"1.", "2.", "3."})
            QVERIFY2(itemWithText(root, "listMarker", QString::fromLatin1(number)), number);
        QQuickItem* three = itemWithText(root, "listMarker", "3.");
        QQuickItem* threeText = itemWithText(root, "proseBlock", "Merge them");
        QQuickItem* code = itemWithText(root, "codeText", "left, right");
        QVERIFY(threeText && code);
        QTRY_VERIFY(threeText->width() > 0);
        const QRectF marker = three->mapRectToScene(three->boundingRect());
        const QRectF item = threeText->mapRectToScene(threeText->boundingRect());
        const QRectF codeRect = code->mapRectToScene(code->boundingRect());
        QVERIFY2(marker.right() <= item.left() && qAbs(marker.top() - item.top()) < 4,
                 "the marker hangs left of its item's first line");
        QVERIFY2(marker.top() > codeRect.bottom(), "item 3 comes after the code block");
        // Nested items are indented further than their parent.
        QQuickItem* nested = itemWithText(root, "proseBlock", "the left one");
        QVERIFY(nested);
        QVERIFY(nested->mapToScene(QPointF(0, 0)).x() > item.left());
        // The table: one rich-text table, a header and two rows of three cells, aligned as written.
        QQuickItem* table = itemWithText(root, "tableText", "<table");
        QVERIFY(table);
        const QString tableHtml = table->property("text").toString();
        QCOMPARE(tableHtml.count(QStringLiteral("<tr>")), 3);
        QCOMPARE(tableHtml.count(QStringLiteral("<th ")), 3);
        QVERIFY(tableHtml.contains(QStringLiteral("<td align=\"right\">n²</td>")));
        QVERIFY(table->height() > 3 * threeText->height() / 2);  // rows stacked, not one line
        // Task boxes, the rule, the bold boxed answer, the web link.
        QVERIFY(itemWithText(root, "listMarker", QStringLiteral("☑")));
        QVERIFY(itemWithText(root, "listMarker", QStringLiteral("☐")));
        QCOMPARE(test::findByObjectName(root, "ruleLine").size(), 1);
        QVERIFY(itemWithText(root, "proseBlock", "<b>O(n \\log n)</b>"));
        // Inline math typeset once MathJax has drawn it (in the background:
        // source until then), then the picture.
        if (app::MathRenderer::instance().available() || test::runningInCi()) {
            QTRY_VERIFY_WITH_TIMEOUT(itemWithText(root, "proseBlock", "Merge them") &&
                                         itemWithText(root, "proseBlock", "Merge them")->property("text").toString().count(
                                             QStringLiteral("image://math/")) == 2,
                                     30000);
        }
        QVERIFY(itemWithText(root, "proseBlock", "<a href=\"https://docs.python.org/3/howto/sorting.html\">"));

        const QString path = test::saveScreenshot(window, dark ? QStringLiteral("markdown_dark")
                                                                : QStringLiteral("markdown_light"));
        QVERIFY(!path.isEmpty());
        QVERIFY(test::distinctColours(QImage(path), 16) >= 16);
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    }
};

QTEST_MAIN(TestMarkdownView)
#include "tst_markdown_view.moc"
