#include "download_state.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

namespace ponder::app {
namespace {

// lupdate takes a tr() call's context from its class.
struct StateText {
    Q_DECLARE_TR_FUNCTIONS(DownloadState)
};

// A sidecar is a few hundred bytes; anything much larger is not ours.
constexpr qint64 kMaxStateBytes = 1024 * 1024;

qint64 sizeFrom(const QJsonValue& value)
{
    const double number = value.toDouble(-1);
    return number >= 0 && number < 9.0e15 ? qint64(number) : -1;
}

// A file name with no folder in it, so that it cannot point anywhere but
// beside its sidecar.
bool isPlainFileName(const QString& name)
{
    return !name.isEmpty() && name != QLatin1String(".") && name != QLatin1String("..") &&
           !name.contains(u'/') && !name.contains(u'\\') && !name.contains(QChar(0));
}

// Inside `folder` itself, after every symlink on the way is followed.
bool isDirectlyIn(const QString& destination, const QString& folder)
{
    const QString canonicalFolder = QFileInfo(folder).canonicalFilePath();
    const QString parent = QFileInfo(QFileInfo(destination).absolutePath()).canonicalFilePath();
    return !canonicalFolder.isEmpty() && parent == canonicalFolder;
}

} // namespace

QString urlOrigin(const QUrl& url)
{
    if (url.host().isEmpty())
        return {};
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
        .toString(QUrl::FullyEncoded);
}

bool isLoopbackHttpOrigin(const QUrl& url)
{
    if (url.scheme().toLower() != QLatin1String("http"))
        return false;
    const QString host = url.host().toLower();
    return host == QLatin1String("localhost") || QHostAddress(host).isLoopback();
}

bool isSha256Hex(const QString& text)
{
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-fA-F]{64}$"));
    return hex64.match(text).hasMatch();
}

std::optional<QString> DownloadRequest::problem() const
{
    if (parts.isEmpty())
        return StateText::tr("nothing to download");
    QSet<QString> destinations;
    for (const DownloadPart& part : parts) {
        const QString scheme = part.url.scheme().toLower();
        if (!part.url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            return StateText::tr("“%1” is not an http or https address").arg(part.url.toDisplayString());
        if (part.destination.isEmpty() || QFileInfo(part.destination).fileName().isEmpty())
            return StateText::tr("no file name for %1").arg(part.url.toDisplayString());
        if (!part.expectedSha256.isEmpty() && !isSha256Hex(part.expectedSha256))
            return StateText::tr("“%1” is not a SHA-256 (64 hex digits)").arg(part.expectedSha256);
        const QString key = QDir::cleanPath(part.destination);
        if (destinations.contains(key))
            return StateText::tr("two parts would be saved as %1").arg(part.destination);
        destinations.insert(key);
    }
    return std::nullopt;
}

DownloadRequest DownloadRequest::resolvedIn(const QString& folder) const
{
    DownloadRequest resolved = *this;
    const QDir dir(folder);
    for (DownloadPart& part : resolved.parts) {
        part.destination = QDir::cleanPath(dir.absoluteFilePath(part.destination));
        part.expectedSha256 = part.expectedSha256.toLower();
    }
    return resolved;
}

QJsonObject DownloadRequest::toJson(const QString& folder) const
{
    const QDir dir(folder);
    QJsonArray list;
    for (const DownloadPart& part : parts) {
        QString file = dir.relativeFilePath(part.destination);
        if (file.startsWith(QLatin1String("..")))
            file = part.destination;
        list.append(QJsonObject{
            {QStringLiteral("url"), part.url.toString(QUrl::FullyEncoded)},
            {QStringLiteral("file"), file},
            {QStringLiteral("size"), double(part.expectedSize)},
            {QStringLiteral("sha256"), part.expectedSha256},
        });
    }
    return {{QStringLiteral("id"), id}, {QStringLiteral("name"), name}, {QStringLiteral("parts"), list}};
}

std::optional<DownloadRequest> DownloadRequest::fromJson(const QJsonObject& json, const QString& folder,
                                                         const QStringList& httpOrigins)
{
    DownloadRequest request;
    request.id = json.value(QLatin1String("id")).toString();
    request.name = json.value(QLatin1String("name")).toString();
    for (const QJsonValue& value : json.value(QLatin1String("parts")).toArray()) {
        const QJsonObject object = value.toObject();
        DownloadPart part;
        part.url = QUrl(object.value(QLatin1String("url")).toString(), QUrl::StrictMode);
        part.destination = object.value(QLatin1String("file")).toString();
        if (!isPlainFileName(part.destination))
            return std::nullopt;
        const bool https = part.url.scheme().toLower() == QLatin1String("https");
        if (!https && !httpOrigins.contains(urlOrigin(part.url)))
            return std::nullopt;
        part.expectedSize = sizeFrom(object.value(QLatin1String("size")));
        part.expectedSha256 = object.value(QLatin1String("sha256")).toString();
        request.parts.append(part);
    }
    if (request.id.isEmpty() || request.problem())
        return std::nullopt;
    DownloadRequest resolved = request.resolvedIn(folder);
    for (const DownloadPart& part : resolved.parts)
        if (!isDirectlyIn(part.destination, folder))
            return std::nullopt;
    return resolved;
}

std::optional<DownloadState> DownloadState::read(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxStateBytes)
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    const QJsonObject json = document.object();
    if (!document.isObject() || json.value(QLatin1String("version")).toInt() != kVersion)
        return std::nullopt;
    DownloadState state;
    state.url = json.value(QLatin1String("url")).toString();
    state.size = sizeFrom(json.value(QLatin1String("size")));
    state.sha256 = json.value(QLatin1String("sha256")).toString().toLower();
    state.bytesDone = sizeFrom(json.value(QLatin1String("bytesDone")));
    state.download = json.value(QLatin1String("download")).toObject();
    if (state.url.isEmpty() || state.bytesDone < 0 || (!state.sha256.isEmpty() && !isSha256Hex(state.sha256)) ||
        (state.size >= 0 && state.bytesDone > state.size))
        return std::nullopt;
    return state;
}

bool DownloadState::write(const QString& path, QString* error) const
{
    const QJsonObject json{
        {QStringLiteral("version"), kVersion},
        {QStringLiteral("url"), url},
        {QStringLiteral("size"), double(size)},
        {QStringLiteral("sha256"), sha256},
        {QStringLiteral("bytesDone"), double(bytesDone)},
        {QStringLiteral("download"), download},
    };
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(json).toJson()) >= 0 && file.commit())
        return true;
    if (error)
        *error = StateText::tr("could not save %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return false;
}

} // namespace ponder::app
