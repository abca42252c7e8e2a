// Ponder: a desktop chat application for reasoning models.
#include <QApplication>
#include <QCommandLineParser>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>

#include "app_setup.h"
#include "chat_controller.h"

Q_IMPORT_QML_PLUGIN(PonderPlugin)
Q_IMPORT_QML_PLUGIN(PonderUiPlugin)

int main(int argc, char* argv[])
{
    // A QApplication, not a QGuiApplication: Qt Charts in QML needs widgets.
    QApplication app(argc, argv);
    ponder::app::setUpApplication(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Chat with reasoning models on your own GPU."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Opens the GGUF model <file> at start."),
                                   QStringLiteral("file"));
    parser.addOption(model);
    parser.process(app);

    QQmlApplicationEngine engine;
    ponder::app::setUpEngine(engine);
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.load(ponder::app::mainQmlUrl());
    if (parser.isSet(model) && !engine.rootObjects().isEmpty())
        if (auto* chat = engine.rootObjects().first()->findChild<ponder::app::ChatController*>())
            chat->openModel(parser.value(model));
    return app.exec();
}
