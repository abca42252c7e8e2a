// A typeset formula drawn into an image for Qt Quick: MathJax's SVG in one
// colour, scaled so 1 em of math is 1 em of the text, at the screen's
// device pixel ratio, and (inline) padded so that Qt's rich text puts the
// formula's baseline on the line's baseline.
#pragma once

#include "mathjax_engine.h"
#include "math_style.h"

#include <QColor>
#include <QImage>
#include <QSize>

namespace ponder::app {

// How big to draw: the text's em and x-height in logical pixels, and the
// device pixel ratio of the screen.
struct FormulaScale {
    double emPixels = 16;
    double xHeightPixels = 8;
    double devicePixelRatio = 1;
};

struct RasterFormula {
    QImage image;      // physical pixels, devicePixelRatio set
    QSize logicalSize; // what <img width height> and an Image's size say
    int baseline = 0;  // logical pixels from the top of the image to the baseline
};

// Qt's rich text can only put an image's bottom on the baseline or, with
// vertical-align: middle, its centre half an x-height above it (QTextDocumentLayout
// gives it ascent (h + x/2)/2, descent (h - x/2)/2). Top and bottom padding,
// in logical pixels, that make an image whose formula reaches `ascent` above
// and `descent` below its baseline sit right with middle.
struct MiddlePadding {
    int top = 0;
    int bottom = 0;
};
MiddlePadding middleAlignPadding(int ascent, int descent, double xHeight);

// The formula drawn in `colour` (MathJax draws in currentColor; \color{}
// parts keep theirs). Inline formulas get the middle-alignment padding; a
// display formula none. A null image when the SVG does not draw.
RasterFormula rasterizeFormula(const TypesetFormula& formula, MathStyle style, const QColor& colour,
                               const FormulaScale& scale);

} // namespace ponder::app
