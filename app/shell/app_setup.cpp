#include "app_setup.h"

#include "math_image_provider.h"

#include <QCoreApplication>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>

// Every feature's QML module is a static plugin; importing them here, in the
// one file every executable that shows QML calls, registers them all.
Q_IMPORT_QML_PLUGIN(PonderCommonPlugin)
Q_IMPORT_QML_PLUGIN(PonderChatMathPlugin)
Q_IMPORT_QML_PLUGIN(PonderChatTextPlugin)
Q_IMPORT_QML_PLUGIN(PonderConversationsPlugin)
Q_IMPORT_QML_PLUGIN(PonderDownloadsPlugin)
Q_IMPORT_QML_PLUGIN(PonderModelsPlugin)
Q_IMPORT_QML_PLUGIN(PonderWelcomePlugin)
Q_IMPORT_QML_PLUGIN(PonderChatPlugin)
Q_IMPORT_QML_PLUGIN(PonderComparePlugin)
Q_IMPORT_QML_PLUGIN(PonderShellPlugin)

namespace ponder::app {

void setUpApplication(QCoreApplication& app)
{
    app.setOrganizationName(QStringLiteral("Ponder"));
    app.setOrganizationDomain(QStringLiteral("ponder.app"));
    app.setApplicationName(QStringLiteral("Ponder"));
    app.setApplicationVersion(QStringLiteral(PONDER_VERSION));
    // Basic is the one style that looks the same on every platform and takes
    // our Theme's colours everywhere.
    QQuickStyle::setStyle(QStringLiteral("Basic"));
}

void setUpEngine(QQmlEngine& engine)
{
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    setUpMath(engine);
}

QUrl mainQmlUrl()
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Ponder/Shell/Main.qml"));
}

} // namespace ponder::app
