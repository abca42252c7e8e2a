// One formula as Qt rich-text HTML, for a Text with textFormat RichText: what
// the Markdown renderer puts where the answer has $...$ or \(...\).
#pragma once

#include "math_style.h"

#include <QColor>
#include <QString>
#include <QStringView>

namespace ponder::app {

// The HTML for one formula's TeX source (without its delimiters), in the
// renderer's current text colour and font (MathRenderer::textColor, ::font).
// Rendered: an <img src="image://math/..."> sized in logical pixels and
// padded so the formula's baseline sits on the text's baseline. Not yet
// rendered: the escaped source in a monospace span, and rendering is
// requested in the background (MathRenderer::formulaReady tells when to ask
// again). Failed to parse, too long, or no renderer: the escaped source.
// Never empty for a non-empty source.
QString formulaHtml(QStringView tex, MathStyle style);
// The same in a given colour (the reasoning's muted text, say).
QString formulaHtml(QStringView tex, MathStyle style, const QColor& colour);

// The source as shown while pending or after a failure: HTML-escaped, in a
// monospace span, with its delimiters ($...$ or $$...$$) so that a reader
// sees it was meant as math.
QString formulaSourceHtml(QStringView tex, MathStyle style);

} // namespace ponder::app
