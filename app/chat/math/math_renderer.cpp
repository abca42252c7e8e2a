#include "math_renderer.h"

#include "formula_html.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QQmlEngine>

namespace ponder::app {

MathRenderer::MathRenderer(QObject* parent) : QObject(parent)
{
    if (qGuiApp)
        m_font = QGuiApplication::font();
}

MathRenderer& MathRenderer::instance()
{
    static MathRenderer* renderer = new MathRenderer(qApp);
    return *renderer;
}

MathRenderer* MathRenderer::create(QQmlEngine*, QJSEngine*)
{
    MathRenderer* renderer = &instance();
    QQmlEngine::setObjectOwnership(renderer, QQmlEngine::CppOwnership);
    return renderer;
}

void MathRenderer::setTextColor(const QColor& colour)
{
    if (!colour.isValid() || colour == m_textColor)
        return;
    m_textColor = colour;
    emit textColorChanged();
}

void MathRenderer::setFont(const QFont& font)
{
    if (font == m_font)
        return;
    m_font = font;
    emit fontChanged();
}

bool MathRenderer::available() const
{
    return false;
}

int MathRenderer::pendingCount() const
{
    return 0;
}

RenderedFormula MathRenderer::request(const QString& tex, MathStyle style, const QColor& colour)
{
    Q_UNUSED(tex)
    Q_UNUSED(style)
    Q_UNUSED(colour)
    RenderedFormula result;
    result.failed = true;
    return result;
}

RenderedFormula MathRenderer::request(const QString& tex, MathStyle style)
{
    return request(tex, style, m_textColor);
}

QString MathRenderer::html(const QString& tex, MathStyle style)
{
    return formulaHtml(tex, style);
}

void MathRenderer::copySource(const QString& tex) const
{
    QGuiApplication::clipboard()->setText(tex);
}

} // namespace ponder::app
