#include "formula_html.h"

#include "math_renderer.h"

namespace ponder::app {

QString formulaSourceHtml(QStringView tex, MathStyle style)
{
    const QString delimiter = style == MathStyle::Display ? QStringLiteral("$$") : QStringLiteral("$");
    const QString source = delimiter + tex.toString() + delimiter;
    return QStringLiteral("<span style=\"font-family: monospace\">") + source.toHtmlEscaped()
        + QStringLiteral("</span>");
}

QString formulaHtml(QStringView tex, MathStyle style)
{
    return formulaHtml(tex, style, MathRenderer::instance().textColor());
}

QString formulaHtml(QStringView tex, MathStyle style, const QColor& colour)
{
    const RenderedFormula formula = MathRenderer::instance().request(tex.toString(), style, colour);
    if (!formula.ready)
        return formulaSourceHtml(tex, style);
    return QStringLiteral("<img src=\"%1\" width=\"%2\" height=\"%3\" style=\"vertical-align: middle\">")
        .arg(formula.url.toString())
        .arg(formula.size.width())
        .arg(formula.size.height());
}

} // namespace ponder::app
