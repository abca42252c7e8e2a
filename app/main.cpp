// Ponder: a desktop chat application for reasoning models.
#include <QApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>

#include "app_setup.h"

Q_IMPORT_QML_PLUGIN(PonderPlugin)
Q_IMPORT_QML_PLUGIN(PonderUiPlugin)

int main(int argc, char* argv[])
{
    // A QApplication, not a QGuiApplication: Qt Charts in QML needs widgets.
    QApplication app(argc, argv);
    ponder::app::setUpApplication(app);

    QQmlApplicationEngine engine;
    ponder::app::setUpEngine(engine);
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.load(ponder::app::mainQmlUrl());
    return app.exec();
}
