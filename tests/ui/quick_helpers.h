// Small helpers for the UI suites: the theme and the window's palette,
// finding items (delegates included, which findChild() does not reach),
// accessibility names, and screenshots.
#pragma once

#include <QtTest>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QQmlComponent>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQmlProperty>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdlib>
#include <functional>
#include <memory>

#include "app_setup.h"

namespace ponder::test {

// What every UI suite's initTestCase() does first: Qt Quick's software
// renderer (offscreen has no OpenGL) and the app's names and style, as a
// test application whose settings, data and caches stay out of the user's
// and out of every other run's.
//
// Each suite process gets its own data, settings and state folders in a
// temporary directory, removed when it ends: conversations, settings and
// downloads of one suite (or of an earlier run) never show in another, and
// two suites running at once never share a store. Not QStandardPaths' test
// mode: that puts every suite in one ~/.qttest, kept between runs, and
// ignores XDG_DATA_HOME, so a suite could not give each of its rows a
// folder of its own either. The cache stays shared (Ponder-tests' own, in
// the user's cache folder): it holds compiled Vulkan pipelines, which every
// suite would otherwise build again, and nothing a test reads as state.
inline void setUpUiTests()
{
    static QTemporaryDir home;
    QVERIFY2(home.isValid(), qPrintable(home.errorString()));
    for (const char* variable : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"}) {
        const QString folder = home.filePath(QString::fromLatin1(variable).toLower());
        QVERIFY(QDir().mkpath(folder));
        qputenv(variable, folder.toUtf8());
    }
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    app::setUpApplication(*QCoreApplication::instance());
    QCoreApplication::setApplicationName(QStringLiteral("Ponder-tests"));
}

// The rows of a suite run once per theme: the column "dark".
inline void themeRows()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

// Sets Theme.dark in `engine`'s Ponder.Common module (before or after loading the window).
inline bool setTheme(QQmlEngine& engine, bool dark)
{
    QQmlComponent setter(&engine);
    setter.setData(QByteArray("import QtQml\nimport Ponder.Common\nQtObject { Component.onCompleted: Theme.dark = ") +
                       (dark ? "true" : "false") + " }",
                   QUrl(QStringLiteral("qrc:/theme_setter.qml")));
    std::unique_ptr<QObject> object(setter.create());
    return object != nullptr;
}

// The `palette { ... }` block Main.qml gives every control of the Basic
// style, read from the app's own Main.qml, for a suite's own
// ApplicationWindow (which imports Ponder.Common): its menus, combo boxes
// and sliders take the theme's colours as in the app, and follow Main.qml
// when it changes. A plain string, not a QML type: a ThemedWindow type made
// tst_chat_window flaky.
inline QString mainWindowPaletteQml()
{
    QFile main(u':' + app::mainQmlUrl().path());
    if (!main.open(QIODevice::ReadOnly))
        qFatal("cannot read %s: %s", qPrintable(main.fileName()), qPrintable(main.errorString()));
    // From "palette {" to the closing brace at the same indentation.
    static const QRegularExpression block(QStringLiteral(R"(^( *)palette \{\n.*?^\1\}\n)"),
                                          QRegularExpression::MultilineOption |
                                              QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = block.match(QString::fromUtf8(main.readAll()));
    if (!match.hasMatch())
        qFatal("no palette block in %s", qPrintable(main.fileName()));
    return match.captured();
}

// Every item below `root` (itself included) that `match` accepts, in tree order.
inline QList<QQuickItem*> findItems(QQuickItem* root, const std::function<bool(QQuickItem*)>& match)
{
    QList<QQuickItem*> found;
    if (!root)
        return found;
    if (match(root))
        found.append(root);
    for (QQuickItem* child : root->childItems())
        found += findItems(child, match);
    return found;
}

inline QList<QQuickItem*> findByObjectName(QQuickItem* root, const QString& name, bool visibleOnly = true)
{
    return findItems(root, [&](QQuickItem* item) {
        return item->objectName() == name && (!visibleOnly || item->isVisible());
    });
}

inline QString accessibleName(QQuickItem* item)
{
    QQmlProperty name(item, QStringLiteral("Accessible.name"), qmlContext(item));
    return name.isValid() ? name.read().toString() : QString();
}

// Waits until the window draws its next frame. Views polish before a frame
// is drawn, so after a model reset the ListView has made its new delegates
// (until then a search can find the old ones, about to be destroyed).
inline bool waitForFrame(QQuickWindow* window, int timeoutMs = 5000)
{
    QSignalSpy drawn(window, &QQuickWindow::frameSwapped);
    window->update();
    return drawn.wait(timeoutMs);
}

inline QQuickItem* findAccessible(QQuickItem* root, const QString& name)
{
    const QList<QQuickItem*> items = findItems(root, [&](QQuickItem* item) { return accessibleName(item) == name; });
    return items.isEmpty() ? nullptr : items.first();
}

// Types `text` (ASCII) into the window's focus item, key by key.
inline void typeText(QWindow* window, const char* text)
{
    for (const char* c = text; *c; ++c)
        QTest::keyClick(window, *c);
}

// The longest gap between turns of the event loop while it lives: how long
// the window could not repaint or take input.
class StallProbe {
public:
    StallProbe()
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_longest = std::max(m_longest, m_clock.elapsed() - m_last);
            m_last = m_clock.elapsed();
        });
        m_clock.start();
        m_timer.start(1);
    }
    StallProbe(const StallProbe&) = delete;
    StallProbe& operator=(const StallProbe&) = delete;

    qint64 longestMs() const { return m_longest; }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
};

// How many distinct colours `image` has, counting up to `enough`: a window
// that drew nothing is one flat colour; text and controls bring dozens.
inline int distinctColours(const QImage& image, int enough)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width() && colours.size() < enough; x += 3)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

// Pixels of `image` inside `rect` within `tolerance` of `colour` in each channel.
inline int pixelsNear(const QImage& image, const QRect& rect, const QColor& colour, int tolerance)
{
    int count = 0;
    const QRect inside = rect.intersected(image.rect());
    for (int y = inside.top(); y <= inside.bottom(); ++y)
        for (int x = inside.left(); x <= inside.right(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (std::abs(pixel.red() - colour.red()) <= tolerance &&
                std::abs(pixel.green() - colour.green()) <= tolerance &&
                std::abs(pixel.blue() - colour.blue()) <= tolerance)
                ++count;
        }
    return count;
}

// Saves the window as <PONDER_SCREENSHOT_DIR>/<name>.png once the picture
// is one: the window's size in device pixels, and not blank (at least 16
// colours). Returns the path; empty, with the reason printed, otherwise.
inline QString saveScreenshot(QQuickWindow* window, const QString& name)
{
    const QImage shot = window->grabWindow();
    const QSize expected = window->size() * window->devicePixelRatio();
    if (shot.size() != expected) {
        qInfo("screenshot %s: %dx%d, the window is %dx%d", qPrintable(name), shot.width(), shot.height(),
              expected.width(), expected.height());
        return {};
    }
    if (const int colours = distinctColours(shot, 16); colours < 16) {
        qInfo("screenshot %s: blank (%d colours)", qPrintable(name), colours);
        return {};
    }
    const QString dir = qEnvironmentVariable("PONDER_SCREENSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    const QString path = dir + u'/' + name + QStringLiteral(".png");
    if (!shot.save(path))
        return {};
    qInfo("screenshot: %s", qPrintable(path));
    return path;
}

} // namespace ponder::test
