// Ponder: a desktop chat application for reasoning models.
#include <QApplication>
#include <QCommandLineParser>
#include <QQmlApplicationEngine>
#include <QtQml/qqmlextensionplugin.h>

#include <cstring>

#include "app_setup.h"
#include "chat_controller.h"

Q_IMPORT_QML_PLUGIN(PonderPlugin)
Q_IMPORT_QML_PLUGIN(PonderUiPlugin)

namespace {

struct CommandLine {
    QCommandLineParser parser;
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("Opens the GGUF model <file> at start."),
                             QStringLiteral("file")};

    CommandLine()
    {
        parser.setApplicationDescription(QStringLiteral("Chat with reasoning models on your own GPU."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(model);
    }
};

// --help and --version print and exit; they must work where no display is
// (a terminal over ssh), and a QApplication aborts there before it could
// parse anything. So those two run under a QCoreApplication.
bool asksForHelpOrVersion(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i)
        for (const char* flag : {"-h", "--help", "--help-all", "-?", "-v", "--version"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

} // namespace

int main(int argc, char* argv[])
{
    CommandLine commandLine;
    if (asksForHelpOrVersion(argc, argv)) {
        QCoreApplication app(argc, argv);
        ponder::app::setUpApplication(app);
        commandLine.parser.process(app);  // prints and exits
        return 0;
    }

    // A QApplication, not a QGuiApplication: Qt Charts in QML needs widgets.
    QApplication app(argc, argv);
    ponder::app::setUpApplication(app);
    commandLine.parser.process(app);

    QQmlApplicationEngine engine;
    ponder::app::setUpEngine(engine);
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.load(ponder::app::mainQmlUrl());
    if (commandLine.parser.isSet(commandLine.model) && !engine.rootObjects().isEmpty())
        if (auto* chat = engine.rootObjects().first()->findChild<ponder::app::ChatController*>())
            chat->openModel(commandLine.parser.value(commandLine.model));
    return app.exec();
}
