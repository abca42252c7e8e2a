#include "math_image_provider.h"

#include "math_renderer.h"

#include <QQmlComponent>
#include <QQmlEngine>

namespace ponder::app {

MathImageProvider::MathImageProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}

QImage MathImageProvider::requestImage(const QString& id, QSize* size, const QSize& requestedSize)
{
    // The image is already drawn at the screen's pixel ratio for its logical
    // size; requestedSize (the <img>'s width and height) is that logical size.
    Q_UNUSED(requestedSize)
    QImage image = MathRenderer::instance().cachedImage(id);
    if (image.isNull()) {
        // Evicted from the cache after its HTML was made: a transparent pixel
        // now, and the HTML made next time shows the source or a new image.
        image = QImage(1, 1, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
    }
    if (size)
        *size = image.size();
    return image;
}

void setUpMath(QQmlEngine& engine)
{
    engine.addImageProvider(QStringLiteral("math"), new MathImageProvider);
    QQmlComponent themeBinding(&engine);
    themeBinding.setData(QByteArrayLiteral("import QtQml\n"
                                           "import Ponder.Common\n"
                                           "import Ponder.Chat.Math\n"
                                           "QtObject {\n"
                                           "    property Binding colour: Binding {\n"
                                           "        target: MathRenderer; property: \"textColor\"; value: Theme.text\n"
                                           "    }\n"
                                           "    property Binding font: Binding {\n"
                                           "        target: MathRenderer; property: \"font\"\n"
                                           "        value: Qt.font({ pointSize: Theme.fontSize })\n"
                                           "    }\n"
                                           "}\n"),
                         QUrl(QStringLiteral("qrc:/ponder/math/theme_binding.qml")));
    QObject* binding = themeBinding.create();
    if (!binding) {
        qWarning() << "math: cannot follow the theme:" << themeBinding.errorString();
        return;
    }
    binding->setParent(&engine);
}

} // namespace ponder::app
