// image://math/<id>: the formulas MathRenderer has drawn, for the <img> of
// formulaHtml() and MathBlock's Image. Set up once per QML engine by
// setUpMath() (app/shell's setUpEngine).
#pragma once

#include <QQuickImageProvider>

namespace ponder::app {

class MathImageProvider : public QQuickImageProvider {
public:
    MathImageProvider();
    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override;
};

// Adds the provider to `engine` under the name "math", and binds the
// renderer's default colour and font to the theme's text colour and size
// (Theme.text, Theme.fontSize), so formulaHtml(tex, style) follows light
// and dark.
void setUpMath(class QQmlEngine& engine);

} // namespace ponder::app
