// Formulas in real QML, offscreen, in both themes: a rich Text with inline
// math from formulaHtml() (MathRenderer.html) between words, and MathBlock
// for a display formula, a \boxed answer and one that does not parse. Checks
// the picture (ink of the theme's text colour where the formulas are, the
// inline formula's baseline level with the words'), the source shown for the
// malformed one, the LaTeX as accessible name and "Copy LaTeX" on the
// clipboard; saves screenshots; fails on any QML warning.
#include <QtTest>

#include <QClipboard>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>

#include <memory>

#include "math_renderer.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"

using namespace ponder;

namespace {

constexpr auto kScene = R"qml(
import QtQuick
import Ponder.Common
import Ponder.Chat.Math

Rectangle {
    width: 640
    height: column.implicitHeight + 2 * Theme.spacing
    color: Theme.window

    // Asked again when the renderer says a formula is ready, as the answer view does.
    property int renders: 0
    Connections {
        target: MathRenderer
        function onFormulaReady() { renders++ }
    }

    Column {
        id: column
        x: Theme.spacing
        y: Theme.spacing
        width: parent.width - 2 * Theme.spacing
        spacing: Theme.spacing

        Text {
            objectName: "prose"
            width: parent.width
            textFormat: Text.RichText
            wrapMode: Text.Wrap
            color: Theme.text
            font.pointSize: Theme.fontSize
            // No descenders on the first line: its words and formula all end on the baseline.
            text: (renders, "So xxx " + MathRenderer.html("x^2 + x = 2r", MathStyle.Inline)
                  + " xxx<br>and half: " + MathRenderer.html("\\frac{1}{2}", MathStyle.Inline) + " of it.")
        }
        MathBlock {
            objectName: "display"
            width: parent.width
            tex: "\\int_0^1 x^2\\,dx = \\frac{1}{3}"
        }
        MathBlock {
            objectName: "boxed"
            width: parent.width
            tex: "\\boxed{42}"
        }
        MathBlock {
            objectName: "malformed"
            width: parent.width
            tex: "\\frac{1}{"
        }
    }
}
)qml";

// Rows of `image` inside `rect` that hold a pixel near `colour`.
QList<int> inkRows(const QImage& image, const QRect& rect, const QColor& colour)
{
    QList<int> rows;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        if (test::pixelsNear(image, QRect(rect.left(), y, rect.width(), 1), colour, 60) > 0)
            rows.append(y);
    return rows;
}

} // namespace

class TestMathView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { test::setUpUiTests(); }
    void formulas_data() { test::themeRows(); }
    void formulas();
};

void TestMathView::formulas()
{
    QFETCH(bool, dark);
    test::QmlWarningGuard warnings;
    QQmlEngine engine;
    app::setUpEngine(engine);
    QVERIFY(test::setTheme(engine, dark));
    // As with tests/data's packages: missing MathJax skips here, fails in CI.
    if (!app::MathRenderer::instance().available()) {
        const QByteArray ci = qgetenv("CI").toLower();
        QVERIFY2(ci.isEmpty() || ci == "0" || ci == "false", "MathJax is not installed (resources/mathjax/fetch.sh)");
        QSKIP("MathJax is not installed: ./dev.sh test installs it (resources/mathjax/fetch.sh)");
    }

    QQmlComponent component(&engine);
    component.setData(kScene, QUrl(QStringLiteral("qrc:/tst_math_view.qml")));
    std::unique_ptr<QObject> object(component.create());
    QVERIFY2(object, qPrintable(component.errorString()));
    auto* root = qobject_cast<QQuickItem*>(object.get());
    QQuickWindow window;
    window.resize(640, 480);
    root->setParentItem(window.contentItem());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Every formula rendered or failed: nothing pending, images in place.
    QTRY_VERIFY_WITH_TIMEOUT(app::MathRenderer::instance().pendingCount() == 0
                                 && root->property("renders").toInt() > 0,
                             120000);
    QQuickItem* prose = test::findByObjectName(root, QStringLiteral("prose")).value(0);
    QQuickItem* display = test::findByObjectName(root, QStringLiteral("display")).value(0);
    QQuickItem* boxed = test::findByObjectName(root, QStringLiteral("boxed")).value(0);
    QQuickItem* malformed = test::findByObjectName(root, QStringLiteral("malformed")).value(0);
    QVERIFY(prose && display && boxed && malformed);
    QTRY_VERIFY(prose->property("text").toString().count(QLatin1String("<img src=\"image://math/")) == 2);
    QTRY_VERIFY(display->property("showsImage").toBool());
    QVERIFY(boxed->property("showsImage").toBool());
    QVERIFY(!malformed->property("showsImage").toBool());
    // The window as tall as the scene once its layout has settled (the
    // images change the blocks' heights as they arrive, and a formula that
    // failed before shows its source at once, laid out a moment later): the
    // window follows the scene's height until the last block is inside it.
    // The failed formula's source text itself, not only its block, must be
    // laid out: the block has a height of its own a moment before its text.
    const auto failedSource = [&] {
        return test::findItems(malformed, [](QQuickItem* item) {
                   return item->isVisible() && item->height() > 0 &&
                          item->property("text").toString().contains(QLatin1String("\\frac{1}{"));
               }).value(0);
    };
    const auto lastBlockShown = [&] {
        if (window.height() != int(root->height()))
            window.resize(640, int(root->height()));
        QQuickItem* source = failedSource();
        const qreal bottom = source ? source->mapToScene(QPointF(0, source->height())).y() : 0;
        return source && window.height() == int(root->height()) && bottom <= window.height();
    };
    // Settled: the last block shown and the scene's height unchanged over
    // three polls in a row. The prose's inline images arrive after its text
    // and can grow the scene once the blocks below are already laid out.
    qreal seenHeight = -1;
    int steadyPolls = 0;
    const auto settled = [&] {
        const bool shown = lastBlockShown();
        steadyPolls = shown && root->height() == seenHeight ? steadyPolls + 1 : 0;
        seenHeight = root->height();
        return steadyPolls >= 3;
    };
    QTRY_VERIFY(settled());
    QVERIFY(test::waitForFrame(&window));
    QVERIFY(lastBlockShown());

    const QColor text = dark ? QColor(0xe6, 0xe6, 0xe6) : QColor(0x11, 0x18, 0x27);
    const QColor background = dark ? QColor(0x1e, 0x1f, 0x22) : QColor(0xff, 0xff, 0xff);
    // Saved first, so a failing check below can be looked at.
    QVERIFY(!test::saveScreenshot(&window, dark ? QStringLiteral("math_dark") : QStringLiteral("math_light"))
                 .isEmpty());
    const QImage shot = window.grabWindow();
    const qreal dpr = window.devicePixelRatio();
    auto rectOf = [&](QQuickItem* item) {
        const QRectF r = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
        return QRect((r.topLeft() * dpr).toPoint(), (r.size() * dpr).toSize());
    };
    QCOMPARE(shot.pixelColor(2, 2), background);

    // The display formula is drawn in the theme's text colour, centred.
    const QRect displayRect = rectOf(display);
    // Thin antialiased strokes: few pixels reach the full colour.
    const int displayInk = test::pixelsNear(shot, displayRect, text, 60);
    QVERIFY2(displayInk > 40, qPrintable(QStringLiteral("%1 ink pixels").arg(displayInk)));
    const int leftInk = test::pixelsNear(shot, displayRect.adjusted(0, 0, -displayRect.width() * 2 / 3, 0), text, 40);
    const int rightInk = test::pixelsNear(shot, displayRect.adjusted(displayRect.width() * 2 / 3, 0, 0, 0), text, 40);
    QVERIFY2(leftInk == 0 && rightInk == 0, "the display formula is not centred");
    QVERIFY(test::pixelsNear(shot, rectOf(boxed), text, 60) > 40);

    // The inline formula sits on the line: the "So xxx" before it and the
    // formula (from about 60 logical pixels in) end on the same row, the baseline.
    const QRect proseRect = rectOf(prose);
    const QList<int> rows = inkRows(shot, proseRect, text);
    QVERIFY(!rows.isEmpty());
    int firstLineBottom = rows.first();
    for (int y : rows) {
        if (y > firstLineBottom + 2)
            break;
        firstLineBottom = y;
    }
    const int lineHeight = firstLineBottom - proseRect.top() + 1;
    const QList<int> wordRows = inkRows(shot, QRect(proseRect.left(), proseRect.top(), int(40 * dpr), lineHeight), text);
    const QList<int> formulaRows =
        inkRows(shot, QRect(proseRect.left() + int(60 * dpr), proseRect.top(), int(70 * dpr), lineHeight), text);
    QVERIFY(!wordRows.isEmpty() && !formulaRows.isEmpty());
    QVERIFY2(qAbs(formulaRows.last() - wordRows.last()) <= dpr,
             qPrintable(QStringLiteral("the words end at row %1, the formula at %2")
                            .arg(wordRows.last())
                            .arg(formulaRows.last())));
    // And it is as tall as math should be: x^2 reaches above the x-height of the words.
    QVERIFY(formulaRows.first() < wordRows.first() + 3 * dpr);

    // Failed: the source is shown, never blank.
    QVERIFY2(failedSource(), "the malformed formula shows no source");
    {
        QQuickItem* source = failedSource();
        const auto where = [&](QQuickItem* item) {
            const QRectF r = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
            return QStringLiteral("%1,%2 %3x%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
        };
        QVERIFY2(test::pixelsNear(shot, rectOf(malformed), text, 40) > 20,
                 qPrintable(QStringLiteral("block %1, source %2, root %3, window %4, shot %5")
                                .arg(where(malformed), source ? where(source) : QStringLiteral("none"))
                                .arg(root->height())
                                .arg(window.height())
                                .arg(shot.height())));
    }

    // The LaTeX is the accessible name; a right click offers "Copy LaTeX",
    // which puts it on the clipboard.
    const QString displayTex = QStringLiteral("\\int_0^1 x^2\\,dx = \\frac{1}{3}");
    QCOMPARE(test::accessibleName(display), displayTex);
    QGuiApplication::clipboard()->setText(QStringLiteral("before"));
    const QPointF displayCentre = display->mapToScene(QPointF(display->width() / 2, display->height() / 2));
    QTest::mouseClick(&window, Qt::RightButton, {}, displayCentre.toPoint());
    QQuickItem* copyItem = nullptr;
    QTRY_VERIFY((copyItem = test::findItems(window.contentItem(), [](QQuickItem* item) {
                     return item->isVisible() && item->inherits("QQuickMenuItem")
                         && item->property("text").toString() == QLatin1String("Copy LaTeX");
                 }).value(0)));
    QTRY_VERIFY(copyItem->height() > 0 && copyItem->property("opacity").toDouble() == 1.0);
    QTest::mouseClick(&window, Qt::LeftButton, {},
                      copyItem->mapToScene(QPointF(copyItem->width() / 2, copyItem->height() / 2)).toPoint());
    QTRY_COMPARE(QGuiApplication::clipboard()->text(), displayTex);

    const QStringList caught = warnings.take();
    QVERIFY2(caught.isEmpty(), qPrintable(caught.join('\n')));
}

QTEST_MAIN(TestMathView)
#include "tst_math_view.moc"
