// MathRenderer with the real MathJax (resources/mathjax, installed by
// dev.sh): a table of TeX inputs each rendered to an image of plausible size
// or shown as source as specified (malformed, unknown macro, \href, too long,
// a runaway macro); the cache; the baseline padding for Qt's rich text; the
// colour; the require() wall around mathjax-full; one formula's \newcommand
// not reaching the next; the typesetter's thread running below the UI
// thread; and the cost per formula (logged, not asserted).
#include <QtTest>

#include <QElapsedTimer>
#include <QFontMetricsF>
#include <QSignalSpy>

#include "formula_html.h"
#include "formula_raster.h"
#include "math_image_provider.h"
#include "math_renderer.h"
#include "math_worker.h"
#include "mathjax_engine.h"
#include "module_loader.h"
#include "thread_priority.h"

using ponder::app::MathJaxEngine;
using ponder::app::MathJob;
using ponder::app::MathRenderer;
using ponder::app::MathStyle;
using ponder::app::MathWorker;
using ponder::app::RenderedFormula;

namespace {

// The first formula loads MathJax (a second or more on a busy machine).
constexpr int renderTimeoutMs = 120000;

// Waits until `tex` is no longer pending and returns what the renderer says.
RenderedFormula waitFor(const QString& tex, MathStyle style, const QColor& colour)
{
    MathRenderer& renderer = MathRenderer::instance();
    RenderedFormula formula = renderer.request(tex, style, colour);
    QElapsedTimer timer;
    timer.start();
    while (!formula.ready && !formula.failed && timer.elapsed() < renderTimeoutMs) {
        QSignalSpy ready(&renderer, &MathRenderer::formulaReady);
        ready.wait(1000);
        formula = renderer.request(tex, style, colour);
    }
    return formula;
}

struct Ink {
    int pixels = 0;
    QRect box;            // physical pixels
    double meanRed = 0;   // of the ink, weighted by alpha, 0..255
    double meanGreen = 0;
    double meanBlue = 0;
};

Ink inkOf(const QImage& image)
{
    Ink ink;
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    double weight = 0;
    for (int y = 0; y < argb.height(); ++y) {
        for (int x = 0; x < argb.width(); ++x) {
            const QRgb pixel = argb.pixel(x, y);
            if (qAlpha(pixel) < 128)
                continue;
            ++ink.pixels;
            ink.box |= QRect(x, y, 1, 1);
            weight += 1;
            ink.meanRed += qRed(pixel);
            ink.meanGreen += qGreen(pixel);
            ink.meanBlue += qBlue(pixel);
        }
    }
    if (weight > 0) {
        ink.meanRed /= weight;
        ink.meanGreen /= weight;
        ink.meanBlue /= weight;
    }
    return ink;
}

// The nice value of this process's thread named `name` (Linux: /proc's
// per-thread stat, whose 19th field it is); nullopt if there is none.
std::optional<int> niceOfThread(const QByteArray& name)
{
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString& task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name)
            continue;
        QFile stat(tasks.filePath(task + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            return std::nullopt;
        // "pid (comm) state ppid ...": fields from the state on, after the name's closing parenthesis.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        return fields.size() > 16 ? std::optional<int>(fields[16].toInt()) : std::nullopt;
    }
    return std::nullopt;
}

} // namespace

class TestMathRenderer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void renders_data();
    void renders();
    void cacheReturnsTheSameImage();
    void baselineSitsOnTheTextBaseline();
    void middlePaddingMatchesQtLayout_data();
    void middlePaddingMatchesQtLayout();
    void drawsInTheAskedColour();
    void formulaHtmlShowsSourceUntilRendered();
    void definitionsDoNotLeak();
    void runawayFormulaIsStopped();
    void stoppedWorkerDrawsNothing();
    void loaderRefusesOutsideMathJax();
    void svgWithImageIsRefused();
    void typesetterYieldsToTheUiThread();
    void costPerFormula();

private:
    QFont m_font;
};

void TestMathRenderer::initTestCase()
{
    MathRenderer& renderer = MathRenderer::instance();
    // As with tests/data's packages: missing MathJax skips here, fails in CI.
    if (!renderer.available()) {
        const QByteArray ci = qgetenv("CI").toLower();
        QVERIFY2(ci.isEmpty() || ci == "0" || ci == "false", "MathJax is not installed (resources/mathjax/fetch.sh)");
        QSKIP("MathJax is not installed: ./dev.sh test installs it (resources/mathjax/fetch.sh)");
    }
    m_font = QGuiApplication::font();
    m_font.setPixelSize(16);
    renderer.setFont(m_font);
}

void TestMathRenderer::renders_data()
{
    QTest::addColumn<QString>("tex");
    QTest::addColumn<MathStyle>("style");
    QTest::addColumn<bool>("renders");
    // Plausible size of the ink, in ems of the 16 px font.
    QTest::addColumn<double>("minWidthEm");
    QTest::addColumn<double>("minHeightEm");

    const auto inlineMath = MathStyle::Inline;
    const auto display = MathStyle::Display;
    QTest::newRow("inline power") << "x^2" << inlineMath << true << 0.7 << 0.5;
    QTest::newRow("inline fraction") << R"(\frac{a}{b})" << inlineMath << true << 0.25 << 1.0;
    QTest::newRow("display integral") << R"(\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2})" << display
                                      << true << 6.0 << 2.0;
    QTest::newRow("aligned") << R"(\begin{aligned} a &= b + c \\ d &= e \end{aligned})" << display << true << 3.0
                             << 2.0;
    QTest::newRow("cases") << R"(f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases})" << display
                           << true << 6.0 << 2.0;
    QTest::newRow("boxed") << R"(\boxed{42})" << display << true << 1.2 << 1.0;
    QTest::newRow("matrix") << R"(\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix})" << display << true << 2.0 << 2.0;
    QTest::newRow("mhchem") << R"(\ce{H2O})" << inlineMath << true << 1.5 << 0.6;
    QTest::newRow("malformed") << R"(\frac{)" << inlineMath << false << 0.0 << 0.0;
    QTest::newRow("unknown macro") << R"(\notamacro x)" << inlineMath << false << 0.0 << 0.0;
    QTest::newRow("href is inert") << R"(\href{https://example.com}{y})" << inlineMath << false << 0.0 << 0.0;
    QTest::newRow("require is inert") << R"(\require{html} x)" << inlineMath << false << 0.0 << 0.0;
    QTest::newRow("unbalanced environment") << R"(\begin{aligned} a &= b)" << display << false << 0.0 << 0.0;
    QTest::newRow("too long") << QString(QStringLiteral("x+").repeated(MathRenderer::maxSourceLength)) << inlineMath
                              << false << 0.0 << 0.0;
    QTest::newRow("blank") << "  " << inlineMath << false << 0.0 << 0.0;
}

void TestMathRenderer::renders()
{
    QFETCH(QString, tex);
    QFETCH(MathStyle, style);
    QFETCH(bool, renders);
    QFETCH(double, minWidthEm);
    QFETCH(double, minHeightEm);

    const RenderedFormula formula = waitFor(tex, style, Qt::black);
    QVERIFY2(formula.ready || formula.failed, "still pending after the timeout");
    QCOMPARE(formula.ready, renders);
    const QString html = ponder::app::formulaHtml(tex, style, Qt::black);
    if (!renders) {
        // Shown as its escaped source, never blank.
        QVERIFY(!html.contains(QLatin1String("<img")));
        QVERIFY(html.contains(tex.trimmed().left(20).toHtmlEscaped()));
        return;
    }
    QVERIFY(html.contains(QLatin1String("<img src=\"") + formula.url.toString()));
    const QImage image = MathRenderer::instance().cachedImage(formula.url.path().mid(1));
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), formula.size * image.devicePixelRatio());
    const Ink ink = inkOf(image);
    if (!qEnvironmentVariableIsEmpty("PONDER_MATH_DUMP"))
        image.save(qEnvironmentVariable("PONDER_MATH_DUMP") + QLatin1Char('/') + QTest::currentDataTag() + ".png");
    const double em = 16 * image.devicePixelRatio();
    QVERIFY2(ink.box.width() >= minWidthEm * em,
             qPrintable(QStringLiteral("ink %1 px wide").arg(ink.box.width())));
    QVERIFY2(ink.box.height() >= minHeightEm * em,
             qPrintable(QStringLiteral("ink %1 px high").arg(ink.box.height())));
    // Not a filled block either: glyphs leave most of the box empty.
    QVERIFY(ink.pixels < 0.8 * image.width() * image.height());
    QVERIFY(formula.baseline > 0 && formula.baseline <= formula.size.height());
    if (QTest::currentDataTag() == QLatin1String("boxed")) {
        // The box: a row of ink across nearly the whole width.
        const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
        int longest = 0;
        for (int y = 0; y < argb.height(); ++y) {
            int run = 0;
            for (int x = 0; x < argb.width(); ++x)
                run += qAlpha(argb.pixel(x, y)) > 100 ? 1 : 0;
            longest = qMax(longest, run);
        }
        QVERIFY2(longest > 0.8 * ink.box.width(), "no box drawn round \\boxed");
    }
}

void TestMathRenderer::cacheReturnsTheSameImage()
{
    const QString tex = QStringLiteral(R"(\sum_{k=1}^{n} k = \frac{n(n+1)}{2})");
    const RenderedFormula first = waitFor(tex, MathStyle::Display, Qt::black);
    QVERIFY(first.ready);
    MathRenderer& renderer = MathRenderer::instance();
    const int rendered = renderer.renderedCount();
    const RenderedFormula again = renderer.request(tex, MathStyle::Display, Qt::black);
    QVERIFY(again.ready); // at once, from the cache
    QCOMPARE(again.url, first.url);
    QCOMPARE(renderer.pendingCount(), 0);
    QCOMPARE(renderer.renderedCount(), rendered);
    const QString id = first.url.path().mid(1);
    QCOMPARE(renderer.cachedImage(id).cacheKey(), renderer.cachedImage(id).cacheKey());
    // The image provider serves the same pixels.
    ponder::app::MathImageProvider provider;
    QSize size;
    const QImage served = provider.requestImage(id, &size, QSize());
    QCOMPARE(served, renderer.cachedImage(id));
    QCOMPARE(size, served.size());
    // Another style or colour is another image.
    const RenderedFormula inlineOne = waitFor(tex, MathStyle::Inline, Qt::black);
    QVERIFY(inlineOne.ready);
    QVERIFY(inlineOne.url != first.url);
    QVERIFY(inlineOne.size.height() < first.size.height());
}

void TestMathRenderer::baselineSitsOnTheTextBaseline()
{
    // "x" has no descender: its ink ends on the baseline.
    const RenderedFormula x = waitFor(QStringLiteral("x"), MathStyle::Inline, Qt::black);
    QVERIFY(x.ready);
    const QImage image = MathRenderer::instance().cachedImage(x.url.path().mid(1));
    const double dpr = image.devicePixelRatio();
    const Ink ink = inkOf(image);
    const double inkBottom = (ink.box.bottom() + 1) / dpr;
    QVERIFY2(qAbs(inkBottom - x.baseline) <= 1.5,
             qPrintable(QStringLiteral("ink ends at %1, baseline %2").arg(inkBottom).arg(x.baseline)));
    // "y" descends below it.
    const RenderedFormula y = waitFor(QStringLiteral("y"), MathStyle::Inline, Qt::black);
    QVERIFY(y.ready);
    const Ink yInk = inkOf(MathRenderer::instance().cachedImage(y.url.path().mid(1)));
    QVERIFY((yInk.box.bottom() + 1) / dpr > y.baseline + 1.5);
}

void TestMathRenderer::middlePaddingMatchesQtLayout_data()
{
    QTest::addColumn<int>("ascent");
    QTest::addColumn<int>("descent");
    QTest::addColumn<double>("xHeight");
    QTest::newRow("letter") << 8 << 1 << 8.0;
    QTest::newRow("fraction") << 18 << 10 << 8.0;
    QTest::newRow("deep") << 6 << 20 << 7.5;
    QTest::newRow("tall") << 40 << 2 << 9.0;
}

void TestMathRenderer::middlePaddingMatchesQtLayout()
{
    QFETCH(int, ascent);
    QFETCH(int, descent);
    QFETCH(double, xHeight);
    const auto padding = ponder::app::middleAlignPadding(ascent, descent, xHeight);
    QVERIFY(padding.top >= 0 && padding.bottom >= 0);
    const int height = padding.top + ascent + descent + padding.bottom;
    // QTextDocumentLayout's descent for an inline object aligned middle.
    const double qtDescent = (height - xHeight / 2) / 2;
    QVERIFY2(qAbs(qtDescent - (descent + padding.bottom)) <= 0.75,
             qPrintable(QStringLiteral("Qt puts %1 below the baseline, the formula needs %2")
                            .arg(qtDescent)
                            .arg(descent + padding.bottom)));
}

void TestMathRenderer::drawsInTheAskedColour()
{
    const QString tex = QStringLiteral(R"(\alpha + \beta)");
    const RenderedFormula light = waitFor(tex, MathStyle::Inline, QColor(0x11, 0x18, 0x27));
    const RenderedFormula dark = waitFor(tex, MathStyle::Inline, QColor(0xe6, 0xe6, 0xe6));
    QVERIFY(light.ready && dark.ready);
    QVERIFY(light.url != dark.url);
    const Ink lightInk = inkOf(MathRenderer::instance().cachedImage(light.url.path().mid(1)));
    const Ink darkInk = inkOf(MathRenderer::instance().cachedImage(dark.url.path().mid(1)));
    QVERIFY(lightInk.pixels > 0 && darkInk.pixels > 0);
    QVERIFY2(lightInk.meanRed < 60 && lightInk.meanBlue < 80, "light theme ink is not dark");
    QVERIFY2(darkInk.meanRed > 180 && darkInk.meanGreen > 180, "dark theme ink is not light");
    // \color{} keeps its own colour.
    const RenderedFormula red = waitFor(QStringLiteral(R"(\color{red}{\blacksquare})"), MathStyle::Inline, Qt::black);
    QVERIFY(red.ready);
    const Ink redInk = inkOf(MathRenderer::instance().cachedImage(red.url.path().mid(1)));
    QVERIFY(redInk.meanRed > 200 && redInk.meanGreen < 60);
}

void TestMathRenderer::formulaHtmlShowsSourceUntilRendered()
{
    MathRenderer& renderer = MathRenderer::instance();
    const QString tex = QStringLiteral("a<b \\land c>d \\quad \\text{<script>}");
    QSignalSpy ready(&renderer, &MathRenderer::formulaReady);
    const QString pending = ponder::app::formulaHtml(tex, MathStyle::Inline, Qt::darkBlue);
    QVERIFY(!pending.contains(QLatin1String("<script>")));
    QVERIFY(pending.contains(QLatin1String("$a&lt;b \\land c&gt;d")));
    QVERIFY(pending.contains(QLatin1String("monospace")));
    QVERIFY(ready.wait(renderTimeoutMs));
    QCOMPARE(ready.first().first().toString(), tex);
    const QString html = ponder::app::formulaHtml(tex, MathStyle::Inline, Qt::darkBlue);
    static const QRegularExpression img(
        QStringLiteral("^<img src=\"image://math/[0-9a-f]{40}\" width=\"\\d+\" height=\"\\d+\" "
                       "style=\"vertical-align: middle\">$"));
    QVERIFY2(img.match(html).hasMatch(), qPrintable(html));
    // The default colour is the renderer's textColor.
    renderer.setTextColor(Qt::darkBlue);
    QCOMPARE(ponder::app::formulaHtml(tex, MathStyle::Inline), html);
}

void TestMathRenderer::definitionsDoNotLeak()
{
    const RenderedFormula defines =
        waitFor(QStringLiteral(R"(\newcommand{\ponderdef}{z}\renewcommand{\frac}{q} \ponderdef)"), MathStyle::Inline,
                Qt::black);
    QVERIFY(defines.ready);
    const RenderedFormula uses = waitFor(QStringLiteral(R"(\ponderdef)"), MathStyle::Inline, Qt::black);
    QVERIFY(uses.failed);
    // \frac means a fraction again: taller than one line.
    const RenderedFormula fraction = waitFor(QStringLiteral(R"(\frac{1}{2} )"), MathStyle::Inline, Qt::black);
    QVERIFY(fraction.ready);
    const Ink ink = inkOf(MathRenderer::instance().cachedImage(fraction.url.path().mid(1)));
    QVERIFY(ink.box.height() > 1.1 * 16);
}

void TestMathRenderer::runawayFormulaIsStopped()
{
    MathJaxEngine engine(QDir(MathRenderer::instance().mathJaxDir()));
    QVERIFY(engine.load());
    // Big enough to take more than a millisecond in any JavaScript engine.
    QString big;
    for (int i = 0; i < 300; ++i)
        big += QStringLiteral("\\frac{a_{%1}}{b^{%1}} + ").arg(i);
    big += QStringLiteral("1");
    const auto stopped = engine.typeset(big, true, std::chrono::milliseconds(1));
    QVERIFY(!stopped);
    QCOMPARE(stopped.error(), QStringLiteral("took too long"));
    // The engine still works afterwards.
    const auto after = engine.typeset(QStringLiteral("x+1"), false, std::chrono::seconds(30));
    QVERIFY2(after, qPrintable(after ? QString() : after.error()));
    QVERIFY(after->width > 0);
    // Recursive macros end in a TeX error, not a hang.
    const auto recursive = engine.typeset(QStringLiteral(R"(\def\a{\a\a}\a)"), false, std::chrono::seconds(30));
    QVERIFY(!recursive);
    QVERIFY(recursive.error() != QStringLiteral("took too long"));
}

// As the application ends: a job still queued after stop() draws, logs and
// emits nothing (a message logged then, after the test's own logger was
// gone, aborted tst_hostile_text at exit).
void TestMathRenderer::stoppedWorkerDrawsNothing()
{
    MathWorker worker(MathRenderer::instance().mathJaxDir());
    QSignalSpy rendered(&worker, &MathWorker::rendered);
    MathJob job{QStringLiteral("key"), QStringLiteral("x+1"), MathStyle::Inline, Qt::black, {}};
    worker.render(job);
    QCOMPARE(rendered.size(), 1);
    worker.stop();
    worker.render(job);
    job.tex = QStringLiteral("\\frac{1}{");  // would show as source, with a log line
    worker.render(job);
    QCOMPARE(rendered.size(), 1);
}

void TestMathRenderer::loaderRefusesOutsideMathJax()
{
    QJSEngine js;
    const QDir modules(MathRenderer::instance().mathJaxDir());
    ponder::app::ModuleLoader loader(js, modules, {QStringLiteral("mathjax-full")});
    const QString jsDir = modules.filePath(QStringLiteral("mathjax-full/js"));
    QVERIFY(!loader.resolve(jsDir, QStringLiteral("./mathjax.js")).isEmpty());
    QVERIFY(!loader.resolve(QString(), QStringLiteral("mathjax-full/js/mathjax")).isEmpty());
    QVERIFY(loader.resolve(jsDir, QStringLiteral("fs")).isEmpty());
    QVERIFY(loader.resolve(jsDir, QStringLiteral("child_process")).isEmpty());
    QVERIFY(loader.resolve(jsDir, QStringLiteral("../../mhchemparser/dist/mhchemParser.js")).isEmpty());
    QVERIFY(loader.resolve(jsDir, QStringLiteral("../../../../../../../../etc/passwd")).isEmpty());
    QVERIFY(loader.resolve(jsDir, QStringLiteral("/etc/hostname")).isEmpty());
    QVERIFY(loader.resolve(jsDir, QStringLiteral("../package.json")).isEmpty());
    QVERIFY(loader.resolve(QString(), QStringLiteral("speech-rule-engine/lib/sre.js")).isEmpty());
    // A refused module is a JavaScript error, not a crash or a read.
    const QJSValue require = loader.requireFrom(jsDir);
    const QJSValue refused = require.call({QJSValue(QStringLiteral("child_process"))});
    QVERIFY(refused.isError());
    QVERIFY(refused.toString().contains(QLatin1String("refused")));
    const QJSValue compiled = loader.compile(QStringLiteral("/etc/passwd"));
    QVERIFY(compiled.isError());
}

void TestMathRenderer::svgWithImageIsRefused()
{
    ponder::app::TypesetFormula formula;
    formula.svg = QStringLiteral(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 -800 1000 1000\">"
        "<image href=\"file:///etc/hostname\" width=\"1000\" height=\"1000\"/></svg>");
    QVERIFY(ponder::app::readSvgBox(formula.svg, formula));
    const auto raster = ponder::app::rasterizeFormula(formula, MathStyle::Inline, Qt::black, {});
    QVERIFY(raster.image.isNull());
    // The same box with a path draws.
    formula.svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 -800 1000 1000\">"
                                 "<path fill=\"currentColor\" d=\"M0 -800 H1000 V200 H0 Z\"/></svg>");
    QVERIFY(!ponder::app::rasterizeFormula(formula, MathStyle::Inline, Qt::black, {}).image.isNull());
}

// QThread::LowPriority does nothing on Linux: the typesetter sets its own
// nice value, so on a busy core the UI thread gets most of it.
void TestMathRenderer::typesetterYieldsToTheUiThread()
{
#if defined(Q_OS_LINUX)
    QVERIFY(waitFor(QStringLiteral("a^2 + b^2"), MathStyle::Inline, Qt::black).ready);
    const std::optional<int> typesetter = niceOfThread("ponder-math");
    QVERIFY2(typesetter.has_value(), "no thread named ponder-math");
    const int ui = ponder::app::currentThreadNice();
    QVERIFY2(*typesetter >= std::min(19, ui + 10),
             qPrintable(QStringLiteral("typesetter nice %1, UI thread %2").arg(*typesetter).arg(ui)));
#else
    QSKIP("per-thread nice values are Linux's");
#endif
}

void TestMathRenderer::costPerFormula()
{
    // Typical formulas from DeepSeek-R1 answers, each new to the renderer.
    const QStringList formulas{
        QStringLiteral(R"(x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a})"),
        QStringLiteral(R"(\boxed{\dfrac{7}{12}})"),
        QStringLiteral(R"(\sum_{i=1}^{n} i^2 = \frac{n(n+1)(2n+1)}{6})"),
        QStringLiteral(R"(\int_{0}^{1} x^2 \, dx = \left[ \frac{x^3}{3} \right]_0^1 = \frac{1}{3})"),
        QStringLiteral(R"(\begin{aligned} 2x + 3y &= 12 \\ x - y &= 1 \end{aligned})"),
        QStringLiteral(R"(P(A \mid B) = \frac{P(B \mid A)\,P(A)}{P(B)})"),
        QStringLiteral(R"(\lim_{x \to 0} \frac{\sin x}{x} = 1)"),
        QStringLiteral(R"(\binom{10}{3} = 120)"),
        QStringLiteral(R"(a^2 + b^2 = c^2)"),
        QStringLiteral("f'(x) = 3x^2 - 4x + 1"),
        QStringLiteral(R"(\mathbf{A}\mathbf{x} = \lambda \mathbf{x})"),
        QStringLiteral(R"(\text{Area} = \pi r^2 = 25\pi \approx 78.54)"),
        QStringLiteral(R"(f(n) = \begin{cases} n/2 & n \text{ even} \\ 3n+1 & n \text{ odd} \end{cases})"),
        QStringLiteral(R"(\det\begin{pmatrix} a & b \\ c & d \end{pmatrix} = ad - bc)"),
        QStringLiteral(R"(e^{i\pi} + 1 = 0)"),
        QStringLiteral(R"(\sqrt[3]{27} = 3)"),
        QStringLiteral(R"(\log_2 1024 = 10)"),
        QStringLiteral(R"(\forall \epsilon > 0\ \exists \delta > 0 : |x - a| < \delta \implies |f(x) - L| < \epsilon)"),
        QStringLiteral(R"(\overline{z} = a - bi)"),
        QStringLiteral(R"(\nabla \cdot \mathbf{E} = \frac{\rho}{\varepsilon_0})"),
    };
    MathRenderer& renderer = MathRenderer::instance();
    // MathJax loaded (the first formula of a run pays for that; measured below).
    QVERIFY(waitFor(QStringLiteral("1"), MathStyle::Inline, Qt::black).ready);
    const int countBefore = renderer.renderedCount();
    const double typesetBefore = renderer.typesetMilliseconds();
    const double rasterBefore = renderer.rasterizeMilliseconds();
    QElapsedTimer wall;
    wall.start();
    for (const QString& tex : formulas)
        QVERIFY(waitFor(tex, MathStyle::Display, Qt::black).ready);
    const double wallMs = wall.nsecsElapsed() / 1e6;
    const int count = renderer.renderedCount() - countBefore;
    QCOMPARE(count, formulas.size());
    QElapsedTimer cached;
    cached.start();
    constexpr int cachedRounds = 50;
    for (int round = 0; round < cachedRounds; ++round)
        for (const QString& tex : formulas)
            QVERIFY(!ponder::app::formulaHtml(tex, MathStyle::Display, Qt::black).isEmpty());
    const double cachedUs = cached.nsecsElapsed() / 1e3 / (cachedRounds * formulas.size());
    // Loading MathJax, paid once by the first formula of a run.
    MathJaxEngine fresh(QDir(renderer.mathJaxDir()));
    QElapsedTimer load;
    load.start();
    QVERIFY(fresh.load());
    const double loadMs = load.nsecsElapsed() / 1e6;
    qInfo("math cost: MathJax loads in %.0f ms; %d new formulas, MathJax typeset %.2f ms, Qt Svg draw %.2f ms a formula (mean); "
          "%.2f ms a formula wall clock with the round trip; cached formulaHtml %.1f us",
          loadMs, count, (renderer.typesetMilliseconds() - typesetBefore) / count,
          (renderer.rasterizeMilliseconds() - rasterBefore) / count, wallMs / count, cachedUs);
}

QTEST_MAIN(TestMathRenderer)
#include "tst_math_renderer.moc"
