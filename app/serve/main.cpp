// ponder-server: a model file served over the OpenAI-compatible API
// (serve_options.h for the command line, chat_server.h for the endpoints).
// Headless: QtCore and QtNetwork only. SIGINT and SIGTERM end it cleanly.
#include <QCoreApplication>
#include <QFileInfo>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

#include "backends.h"
#include "chat_server.h"
#include "model_queue.h"
#include "ponder/model_file.h"
#include "serve_options.h"

using namespace ponder;
using namespace ponder::serve;

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    (void)!::write(g_signalPipe[1], &byte, 1);
}

int failWith(const std::string& message)
{
    std::fprintf(stderr, "ponder-server: %s\n", message.c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    auto options = parseServeOptions(argc, argv, qEnvironmentVariable("PONDER_API_KEY"));
    if (!options)
        return failWith(options.error().message);
    if (options->help) {
        std::fputs(kServeUsage, stdout);
        return 0;
    }
    auto model = ModelFile::open(options->model);
    if (!model)
        return failWith(model.error().message);
    auto backend = tools::openBackend(options->device, **model, options->context, options->threads,
                                      options->split, options->kvType);
    if (!backend)
        return failWith(backend.error().message);

    const QFileInfo file(QString::fromStdString(options->model));
    ServerSettings settings;
    settings.modelId = options->modelId.isEmpty() ? file.completeBaseName() : options->modelId;
    settings.apiKey = options->apiKey;
    settings.expectReasoning = (*model)->chatFormat() == ChatFormat::DeepSeekR1;
    settings.created = file.lastModified().toSecsSinceEpoch();
    settings.connection.requestTimeoutMs = options->requestTimeoutMs;

    ModelQueue queue(**backend, (*model)->tokenizer(), (*model)->chatFormat(), options->queue);
    ChatServer server(queue, settings);
    const QHostAddress address = options->host.compare(u"localhost", Qt::CaseInsensitive) == 0
                                     ? QHostAddress(QHostAddress::LocalHost)
                                     : QHostAddress(options->host);
    if (address.isNull())
        return failWith("--host " + options->host.toStdString() + " is not an IP address");
    if (server.listen(address, options->port) == 0)
        return failWith("cannot listen on " + options->host.toStdString() + ":" + std::to_string(options->port) +
                        ": " + server.errorString().toStdString());

    if (::pipe(g_signalPipe) == 0) {
        auto* notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    std::signal(SIGPIPE, SIG_IGN);
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                                              : address.toString();
    std::fprintf(stderr, "ponder-server: serving %s on http://%s:%u/v1 (%s, context %u)%s\n",
                 qPrintable(settings.modelId), qPrintable(host), unsigned(server.port()),
                 (*backend)->deviceName().c_str(), (*backend)->contextLength(),
                 settings.apiKey.isEmpty() ? "" : ", API key required");
    std::fflush(stderr);
    return app.exec();
}
