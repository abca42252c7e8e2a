#include "formula_raster.h"

#include <QPainter>
#include <QSvgRenderer>
#include <QtMath>

namespace ponder::app {

namespace {

// A tall formula is clipped rather than allocated: 4096 logical pixels is
// about 250 lines of text.
constexpr int maxLogicalSide = 4096;

} // namespace

MiddlePadding middleAlignPadding(int ascent, int descent, double xHeight)
{
    // With padding t on top and b below, Qt puts (H - x/2)/2 of the image
    // below the baseline, H = ascent + descent + t + b. Asking that to equal
    // descent + b gives t - b = descent - ascent + x/2.
    const int difference = qRound(descent - ascent + xHeight / 2);
    MiddlePadding padding;
    if (difference > 0)
        padding.top = difference;
    else
        padding.bottom = -difference;
    return padding;
}

RasterFormula rasterizeFormula(const TypesetFormula& formula, MathStyle style, const QColor& colour,
                               const FormulaScale& scale)
{
    const double pixelsPerUnit = scale.emPixels / 1000.0;
    // A pixel of room on each side: antialiased edges and the box of \boxed.
    const int ascent = qCeil(formula.height * pixelsPerUnit) + 1;
    const int descent = qCeil(formula.depth * pixelsPerUnit) + 1;
    const int width = qCeil(formula.width * pixelsPerUnit) + 2;
    const MiddlePadding padding = style == MathStyle::Inline
        ? middleAlignPadding(ascent, descent, scale.xHeightPixels)
        : MiddlePadding{};

    RasterFormula raster;
    raster.logicalSize = QSize(qMin(width, maxLogicalSide),
                               qMin(padding.top + ascent + descent + padding.bottom, maxLogicalSide));
    raster.baseline = padding.top + ascent;

    // MathJax draws paths and text only. Qt Svg would read a file named by
    // an <image>, so an SVG with one (no TeX package we load makes it) is refused.
    if (formula.svg.contains(QLatin1String("<image"), Qt::CaseInsensitive))
        return {};
    // MathJax's paths are in currentColor, which Qt Svg does not know.
    QString svg = formula.svg;
    svg.replace(QStringLiteral("currentColor"), colour.name(QColor::HexRgb));
    QSvgRenderer renderer(svg.toUtf8());
    if (!renderer.isValid())
        return {};

    const qreal dpr = qMax(1.0, scale.devicePixelRatio);
    QImage image(raster.logicalSize * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    // The viewBox starts at the formula's top: place it so that its
    // baseline falls exactly on raster.baseline, one pixel in from the left.
    const QRectF target(1, raster.baseline - formula.height * pixelsPerUnit, formula.width * pixelsPerUnit,
                        (formula.height + formula.depth) * pixelsPerUnit);
    renderer.render(&painter, target);
    painter.end();
    raster.image = image;
    return raster;
}

} // namespace ponder::app
