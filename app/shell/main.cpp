// Ponder: a desktop chat application for reasoning models.
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QQmlApplicationEngine>
#include <QUrl>

#include <cstdio>
#include <cstring>
#include <memory>
#include <variant>

#include "app_setup.h"
#include "app_translator.h"
#include "chat_controller.h"
#include "single_instance.h"

namespace {

struct CommandLine {
    QCommandLineParser parser;
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("Opens the GGUF model <file> at start."),
                             QStringLiteral("file")};
    QCommandLineOption newInstance{QStringLiteral("new-instance"),
                                   QStringLiteral("Runs beside a Ponder already running instead of handing the file to it.")};
    QCommandLineOption language{QStringLiteral("lang"),
                                QStringLiteral("Shows the window in <language> (en, zh_TW or zh_CN) until the Language "
                                               "setting changes; by default the setting, or the system's language."),
                                QStringLiteral("language")};

    CommandLine()
    {
        parser.setApplicationDescription(QStringLiteral("Chat with reasoning models on your own GPU."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(model);
        parser.addOption(newInstance);
        parser.addOption(language);
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

// The file as the running Ponder needs it: an absolute path (a file
// manager may pass a file:// URL).
QString absoluteModelPath(const QString& file)
{
    if (file.isEmpty())
        return file;
    const QString path = file.startsWith(QLatin1String("file:")) ? QUrl(file).toLocalFile() : file;
    return QFileInfo(path).absoluteFilePath();
}

// One Ponder at a time (single_instance.h). The instance this one becomes
// (null: it could not listen, so it runs alone), or an exit code when another
// took the file (0) or refused it (1).
using Claim = std::variant<std::unique_ptr<ponder::app::SingleInstance>, int>;

Claim claimInstance(const QString& file)
{
    using ponder::app::SingleInstance;
    const QString name = SingleInstance::defaultServerName();
    auto instance = std::make_unique<SingleInstance>(name);
    // Two launches at once: the one that loses the race to listen hands off.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (const auto handed = SingleInstance::handOff(name, absoluteModelPath(file))) {
            if (handed->accepted)
                return Claim(std::in_place_index<1>, 0);
            std::fprintf(stderr, "ponder: the running Ponder did not take %s: %s\n"
                                 "Start with --new-instance to run a separate one.\n",
                         qPrintable(file.isEmpty() ? QStringLiteral("the request") : file), qPrintable(handed->reply));
            return Claim(std::in_place_index<1>, 1);
        }
        if (instance->listen())
            return instance;
    }
    std::fprintf(stderr, "ponder: cannot listen on %s (%s); running without handing files over.\n", qPrintable(name),
                 qPrintable(instance->errorString()));
    return std::unique_ptr<SingleInstance>();
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

    // A second launch hands its file to the first and ends here, before any
    // window, engine or database is opened.
    std::unique_ptr<ponder::app::SingleInstance> instance;
    if (!commandLine.parser.isSet(commandLine.newInstance)) {
        auto claimed = claimInstance(commandLine.modelFile());
        if (const int* exitCode = std::get_if<int>(&claimed))
            return *exitCode;
        instance = std::move(std::get<0>(claimed));
    }

    // Before the window exists, so that it is made in its language.
    ponder::app::AppTranslator translator;
    translator.use(commandLine.parser.isSet(commandLine.language) ? commandLine.parser.value(commandLine.language)
                                                                  : ponder::app::ChatSettings::savedLanguage());

    QQmlApplicationEngine engine;
    ponder::app::setUpEngine(engine);
    if (instance)
        engine.setInitialProperties({{QStringLiteral("singleInstance"), QVariant::fromValue<QObject*>(instance.get())}});
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.load(ponder::app::mainQmlUrl());
    if (const QString file = commandLine.modelFile(); !file.isEmpty() && !engine.rootObjects().isEmpty())
        if (auto* chat = engine.rootObjects().first()->findChild<ponder::app::ChatController*>())
            chat->openModel(file);
    if (!engine.rootObjects().isEmpty())
        if (auto* chat = engine.rootObjects().first()->findChild<ponder::app::ChatController*>())
            translator.follow(*chat->settings(), engine);
    return app.exec();
}
