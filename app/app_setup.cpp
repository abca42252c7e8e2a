#include "app_setup.h"

#include <QCoreApplication>
#include <QQmlEngine>
#include <QQuickStyle>

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
}

QUrl mainQmlUrl()
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Ponder/Ui/Main.qml"));
}

} // namespace ponder::app
