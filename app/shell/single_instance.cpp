#include "single_instance.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTimer>

namespace ponder::app {

Q_LOGGING_CATEGORY(lcInstance, "ponder.instance")

namespace {

constexpr char kOpenKey[] = "open";
constexpr char kAccepted[] = "ok";

// Reads one line of at most `limit` bytes (the newline excluded) from a
// connected socket, blocking up to `timeoutMs`; nullopt on timeout, a
// closed socket or a longer line.
std::optional<QByteArray> readLine(QLocalSocket& socket, qsizetype limit, int timeoutMs)
{
    QByteArray line;
    while (true) {
        line += socket.read(limit + 1 - line.size());
        if (const qsizetype end = line.indexOf('\n'); end >= 0)
            return line.left(end);
        if (line.size() > limit || !socket.waitForReadyRead(timeoutMs))
            return std::nullopt;
    }
}

} // namespace

QString SingleInstance::defaultServerName()
{
    // The user and the data folder: two users, or a test run with its own
    // XDG_DATA_HOME, get sockets of their own.
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    const QByteArray key = QCryptographicHash::hash((user + u'\n' + data).toUtf8(), QCryptographicHash::Sha256)
                               .toHex()
                               .left(16);
    const QString name = QStringLiteral("ponder-%1.socket").arg(QString::fromLatin1(key));
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    // A Unix socket's path has room for about 100 bytes; past that, Qt's
    // temporary folder (the name alone) still keeps users apart by the hash.
    const QString path = QDir(runtime).filePath(name);
    return runtime.isEmpty() || path.toUtf8().size() > 100 ? name : path;
}

QByteArray SingleInstance::message(const QString& file)
{
    QJsonObject object;
    if (!file.isEmpty())
        object.insert(QLatin1String(kOpenKey), file);
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

std::expected<QString, QString> SingleInstance::parseMessage(const QByteArray& message)
{
    if (message.size() > kMaxMessageBytes)
        return std::unexpected(QCoreApplication::translate("SingleInstance", "the message is too long"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(message, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::unexpected(QCoreApplication::translate("SingleInstance", "the message is not understood"));
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it)
        if (it.key() != QLatin1String(kOpenKey))
            return std::unexpected(QCoreApplication::translate("SingleInstance", "the message is not understood"));
    if (object.isEmpty())
        return QString();
    const QJsonValue value = object.value(QLatin1String(kOpenKey));
    if (!value.isString() || value.toString().isEmpty())
        return std::unexpected(QCoreApplication::translate("SingleInstance", "the message names no file"));

    const QString path = value.toString();
    if (path.contains(QChar(0)) || !QDir::isAbsolutePath(path))
        return std::unexpected(QCoreApplication::translate("SingleInstance", "the path is not absolute"));
    const QFileInfo info(path);
    // isFile() follows links: a link to a model is fine, a link to a folder or a device is not.
    if (!info.exists())
        return std::unexpected(QCoreApplication::translate("SingleInstance", "%1 does not exist").arg(path));
    if (!info.isFile())
        return std::unexpected(QCoreApplication::translate("SingleInstance", "%1 is not a regular file").arg(path));
    if (info.suffix().compare(QLatin1String("gguf"), Qt::CaseInsensitive) != 0)
        return std::unexpected(QCoreApplication::translate("SingleInstance", "%1 is not a .gguf file").arg(path));
    QFile file(info.canonicalFilePath());
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(QCoreApplication::translate("SingleInstance", "%1 cannot be read").arg(path));
    if (file.read(4) != QByteArrayLiteral("GGUF"))
        return std::unexpected(QCoreApplication::translate("SingleInstance", "%1 is not a GGUF model").arg(path));
    return info.absoluteFilePath();
}

std::optional<SingleInstance::HandOff> SingleInstance::handOff(const QString& serverName, const QString& file,
                                                               int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(serverName);
    if (!socket.waitForConnected(timeoutMs))
        return std::nullopt;
    socket.write(message(file));
    if (!socket.waitForBytesWritten(timeoutMs))
        return HandOff{false, QCoreApplication::translate("SingleInstance", "the running Ponder did not take the message")};
    const std::optional<QByteArray> reply = readLine(socket, 1024, timeoutMs);
    if (!reply)
        return HandOff{false, QCoreApplication::translate("SingleInstance", "the running Ponder did not answer")};
    const QString text = QString::fromUtf8(*reply);
    return HandOff{text == QLatin1String(kAccepted), text};
}

SingleInstance::SingleInstance(const QString& serverName, QObject* parent)
    : QObject(parent),
      m_serverName(serverName)
{
    // No socket options: with any, Qt 6.4 binds in a temporary folder and
    // renames the socket over the name, replacing a live instance's socket
    // instead of failing with AddressInUseError. The runtime folder is the
    // user's alone (0700) already.
    connect(&m_server, &QLocalServer::newConnection, this, &SingleInstance::accept);
}

bool SingleInstance::listen()
{
    if (m_server.listen(m_serverName))
        return true;
    if (m_server.serverError() != QAbstractSocket::AddressInUseError)
        return false;
    // The socket file is there: another Ponder, or what a crash left.
    QLocalSocket probe;
    probe.connectToServer(m_serverName);
    if (probe.waitForConnected(kTimeoutMs / 3))
        return false;
    qCInfo(lcInstance, "removing the stale socket %s", qPrintable(m_serverName));
    QLocalServer::removeServer(m_serverName);
    return m_server.listen(m_serverName);
}

void SingleInstance::accept()
{
    while (QLocalSocket* socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        socket->setReadBufferSize(kMaxMessageBytes + 1);
        // A peer that connects and says nothing is dropped.
        auto* timer = new QTimer(socket);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, socket, &QLocalSocket::abort);
        timer->start(kTimeoutMs);
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (socket->property("answered").toBool())
                return;
            QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
            const qsizetype end = buffer.indexOf('\n');
            if (end < 0 && buffer.size() <= kMaxMessageBytes) {
                socket->setProperty("buffer", buffer);
                return;
            }
            socket->setProperty("answered", true);
            const auto parsed = end < 0 ? std::expected<QString, QString>(std::unexpected(
                                              QCoreApplication::translate("SingleInstance", "the message is too long")))
                                        : parseMessage(buffer.left(end));
            if (parsed) {
                socket->write(QByteArray(kAccepted) + '\n');
                qCInfo(lcInstance, "another launch handed over %s", qPrintable(parsed->isEmpty() ? QStringLiteral("nothing") : *parsed));
                if (parsed->isEmpty())
                    emit activationRequested();
                else
                    emit fileReceived(*parsed);
            } else {
                qCInfo(lcInstance, "refused a message from another launch: %s", qPrintable(parsed.error()));
                socket->write("refused: " + parsed.error().toUtf8() + '\n');
                emit refused(parsed.error());
            }
            socket->flush();
            socket->disconnectFromServer();
        });
    }
}

} // namespace ponder::app
