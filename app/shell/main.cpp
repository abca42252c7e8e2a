// Ponder: a desktop chat application for reasoning models.
#include <QApplication>
#include <QCommandLineParser>
#include <QQmlApplicationEngine>

#include <cstdio>
#include <cstring>

#include "app_setup.h"
#include "chat_controller.h"

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
        // What a desktop entry passes (Exec=ponder %f): a double-clicked .gguf.
        parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A GGUF model to open, as --model does."),
                                     QStringLiteral("[file]"));
    }

    QString modelFile() const
    {
        return parser.isSet(model) ? parser.value(model) : parser.positionalArguments().value(0);
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

// Without a display, QApplication aborts with a core dump. Where Linux
// shows nothing to open a window on, say so instead; elsewhere, and when a
// platform is named (QT_QPA_PLATFORM, -platform), Qt decides.
bool hasNoDisplay(int argc, char* argv[])
{
#if defined(Q_OS_LINUX)
    for (const char* variable : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        if (!qEnvironmentVariableIsEmpty(variable))
            return false;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "-platform") == 0 || std::strncmp(argv[i], "-platform=", 10) == 0)
            return false;
    return true;
#else
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return false;
#endif
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

    if (hasNoDisplay(argc, argv)) {
        std::fputs("ponder: there is no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set).\n"
                   "Start it from a desktop session; ponder --help lists its options.\n",
                   stderr);
        return 1;
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
    if (const QString file = commandLine.modelFile(); !file.isEmpty() && !engine.rootObjects().isEmpty())
        if (auto* chat = engine.rootObjects().first()->findChild<ponder::app::ChatController*>())
            chat->openModel(file);
    return app.exec();
}
