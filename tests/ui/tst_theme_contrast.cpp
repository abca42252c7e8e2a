// The theme's colours meet WCAG 2.1 AA contrast (4.5:1 for text) in the light
// and the dark palette: every text colour on every background it is drawn on,
// and a badge's text on its own translucent fill over the cell beneath it.
//
// The pairs are read from the real Theme singleton (Ponder.Common), so a
// colour changed in Theme.qml is checked as it is; the list of pairs says
// where each is drawn. Contrast is WCAG's: relative luminance from sRGB
// linearised channels, (L1 + 0.05) / (L2 + 0.05).
#include <QtTest>

#include <QColor>
#include <QQmlComponent>
#include <QQmlEngine>

#include <cmath>
#include <memory>

#include "quick_helpers.h"

using namespace ponder;

namespace {

double channel(double value)
{
    return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& colour)
{
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// `top` at `opacity` over the opaque `bottom`, as the scene graph blends it.
QColor over(const QColor& top, double opacity, const QColor& bottom)
{
    auto mix = [&](double t, double b) { return opacity * t + (1.0 - opacity) * b; };
    return QColor::fromRgbF(float(mix(top.redF(), bottom.redF())), float(mix(top.greenF(), bottom.greenF())),
                            float(mix(top.blueF(), bottom.blueF())));
}

constexpr double kTextContrast = 4.5;  // WCAG 2.1 AA, normal-size text (SC 1.4.3)

// Where each text colour is drawn: text and its backgrounds.
struct TextPair {
    const char* text;
    const char* background;
};

constexpr TextPair kTextPairs[] = {
    // Body text: answers, titles, inputs, dialogs, cells.
    {"text", "window"}, {"text", "sidebar"}, {"text", "surface"}, {"text", "selection"},
    {"text", "userBubble"}, {"text", "codeBackground"}, {"text", "codeHeader"}, {"text", "button"},
    // Secondary text: status line, captions, cell details, conversation dates.
    {"mutedText", "window"}, {"mutedText", "sidebar"}, {"mutedText", "surface"}, {"mutedText", "selection"},
    {"mutedText", "codeHeader"}, {"mutedText", "userBubble"},
    // The reasoning section.
    {"reasoningText", "window"}, {"reasoningText", "surface"},
    // Links, the recommended marker, chart labels.
    {"accent", "window"}, {"accent", "surface"}, {"accent", "selection"}, {"accent", "button"},
    // Text on the primary button and on the highlight.
    {"accentText", "accent"},
    // Errors and states as text (a cell's "downloaded", "not verified"; error lines).
    {"error", "window"}, {"error", "surface"}, {"error", "selection"}, {"error", "errorBackground"},
    {"ok", "window"}, {"ok", "surface"}, {"ok", "selection"},
    {"warning", "window"}, {"warning", "surface"},
    {"information", "window"}, {"information", "surface"},
};

// Badges (FitBadge): the colour as text on a fill of the same colour at
// Theme.badgeFillOpacity over a quant cell (surface, or selection when recommended).
constexpr const char* kBadgeColours[] = {"ok", "warning", "information", "error"};
constexpr const char* kCellBackgrounds[] = {"surface", "selection"};

}  // namespace

class TestThemeContrast : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { test::setUpUiTests(); }

    void textMeetsAa_data() { test::themeRows(); }
    void textMeetsAa()
    {
        QFETCH(bool, dark);
        QQmlEngine engine;
        const std::unique_ptr<QObject> probe = themeProbe(engine, dark);
        QObject* theme = probe ? probe->property("theme").value<QObject*>() : nullptr;
        QVERIFY(theme);
        QCOMPARE(theme->property("dark").toBool(), dark);

        QStringList failures;
        for (const TextPair& pair : kTextPairs) {
            const QColor text = colour(theme, pair.text);
            const QColor background = colour(theme, pair.background);
            QVERIFY2(text.isValid() && background.isValid(), pair.text);
            const double ratio = contrast(text, background);
            if (ratio < kTextContrast)
                failures << QStringLiteral("%1 %2 on %3 %4: %5:1")
                                .arg(QLatin1String(pair.text), text.name(), QLatin1String(pair.background),
                                     background.name())
                                .arg(ratio, 0, 'f', 2);
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QStringLiteral("; "))));
    }

    void badgesMeetAa_data() { test::themeRows(); }
    void badgesMeetAa()
    {
        QFETCH(bool, dark);
        QQmlEngine engine;
        const std::unique_ptr<QObject> probe = themeProbe(engine, dark);
        QObject* theme = probe ? probe->property("theme").value<QObject*>() : nullptr;
        QVERIFY(theme);
        QCOMPARE(theme->property("dark").toBool(), dark);
        const double opacity = theme->property("badgeFillOpacity").toDouble();
        QVERIFY(opacity > 0.0 && opacity < 1.0);

        QStringList failures;
        for (const char* name : kBadgeColours) {
            for (const char* cell : kCellBackgrounds) {
                const QColor tone = colour(theme, name);
                const QColor fill = over(tone, opacity, colour(theme, cell));
                const double ratio = contrast(tone, fill);
                if (ratio < kTextContrast)
                    failures << QStringLiteral("badge %1 on %2: %3:1").arg(QLatin1String(name), QLatin1String(cell)).arg(ratio, 0, 'f', 2);
            }
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QStringLiteral("; "))));
    }

    // The formula itself, against WCAG's own figures: black on white is
    // 21:1, white on white 1:1, and #767676 on white is the AA threshold.
    void contrastFormula()
    {
        QCOMPARE(qRound(contrast(Qt::black, Qt::white) * 100), 2100);
        QCOMPARE(contrast(Qt::white, Qt::white), 1.0);
        QVERIFY(contrast(QColor("#767676"), Qt::white) >= 4.5);
        QVERIFY(contrast(QColor("#777777"), Qt::white) < 4.5);
    }

private:
    // An object whose `theme` is the Theme singleton of `engine`'s
    // Ponder.Common module, set to the light or dark palette.
    static std::unique_ptr<QObject> themeProbe(QQmlEngine& engine, bool dark)
    {
        app::setUpEngine(engine);
        if (!test::setTheme(engine, dark))
            return nullptr;
        QQmlComponent component(&engine);
        component.setData("import QtQml\nimport Ponder.Common\nQtObject { readonly property QtObject theme: Theme }",
                          QUrl(QStringLiteral("qrc:/theme_probe.qml")));
        std::unique_ptr<QObject> probe(component.create());
        if (!probe)
            qWarning() << component.errors();
        return probe;
    }

    static QColor colour(QObject* theme, const char* name) { return theme->property(name).value<QColor>(); }
};

QTEST_MAIN(TestThemeContrast)
#include "tst_theme_contrast.moc"
