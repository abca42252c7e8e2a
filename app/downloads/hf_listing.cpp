#include "hf_listing.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>

#include "download_state.h"

namespace ponder::app {
namespace {

// lupdate takes a tr() call's context from its class.
struct ListingText {
    Q_DECLARE_TR_FUNCTIONS(HfListing)
};

const QString kHubHost = QStringLiteral("huggingface.co");

// A name the hub could have given: not empty, not "." or "..", and with
// nothing that could change the meaning of a path or a message.
bool isPlainSegment(const QString& segment)
{
    if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String(".."))
        return false;
    for (const QChar c : segment)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == QLatin1Char('/') || c == QLatin1Char('\\'))
            return false;
    return true;
}

QString decoded(const QString& encodedSegment)
{
    return QUrl::fromPercentEncoding(encodedSegment.toUtf8());
}

QString encoded(const QString& segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

} // namespace

std::optional<HubFile> parseResolveUrl(const QUrl& url)
{
    if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host() != kHubHost ||
        (url.port() != -1 && url.port() != 443) || !url.userInfo().isEmpty())
        return std::nullopt;
    // Encoded, so that a "%2F" inside a segment is told apart from a '/'.
    const QStringList segments = url.path(QUrl::FullyEncoded).split(QLatin1Char('/'));
    // "", owner, repo, "resolve", revision, path…
    if (segments.size() < 6 || !segments[0].isEmpty() || segments[3] != QLatin1String("resolve"))
        return std::nullopt;
    const QString owner = decoded(segments[1]);
    const QString name = decoded(segments[2]);
    const QString revision = decoded(segments[4]);
    if (!isPlainSegment(owner) || !isPlainSegment(name))
        return std::nullopt;
    // A revision may have slashes of its own ("refs/pr/1", sent as refs%2Fpr%2F1).
    for (const QString& piece : revision.split(QLatin1Char('/')))
        if (!isPlainSegment(piece))
            return std::nullopt;
    QStringList path;
    for (qsizetype i = 5; i < segments.size(); ++i) {
        const QString segment = decoded(segments[i]);
        if (!isPlainSegment(segment))
            return std::nullopt;
        path.append(segment);
    }
    return HubFile{owner + QLatin1Char('/') + name, revision, path.join(QLatin1Char('/'))};
}

QUrl listingUrl(const HubFile& file)
{
    const QStringList repo = file.repo.split(QLatin1Char('/'));
    QString path = QStringLiteral("/api/models");
    for (const QString& segment : repo)
        path += QLatin1Char('/') + encoded(segment);
    path += QStringLiteral("/tree/") + encoded(file.revision);
    QStringList folder = file.path.split(QLatin1Char('/'));
    folder.removeLast();  // the file's own name
    for (const QString& segment : std::as_const(folder))
        path += QLatin1Char('/') + encoded(segment);
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(kHubHost);
    url.setPath(path, QUrl::TolerantMode);  // already encoded: %2F stays inside its segment
    return url;
}

std::optional<ListingQuery> huggingFaceListing(const QUrl& fileUrl)
{
    const std::optional<HubFile> file = parseResolveUrl(fileUrl);
    if (!file)
        return std::nullopt;
    return ListingQuery{listingUrl(*file), file->path};
}

std::expected<std::optional<ListedFile>, QString> findInListing(const QByteArray& body, const QString& path)
{
    if (path.isEmpty())
        return std::unexpected(ListingText::tr("no file to look for in the file list"));
    if (body.size() > kMaxListingBytes)
        return std::unexpected(ListingText::tr("the file list is larger than %1 MB").arg(kMaxListingBytes >> 20));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return std::unexpected(ListingText::tr("the file list is not valid JSON (%1 at byte %2)")
                                   .arg(error.errorString())
                                   .arg(error.offset));
    if (!document.isArray())
        return std::unexpected(ListingText::tr("the file list is not a list of files"));

    std::optional<QJsonObject> entry;
    const QJsonArray entries = document.array();
    for (const QJsonValue& value : entries) {
        // Anything that is not an entry with our path says nothing about our file.
        const QJsonValue entryPath = value.toObject().value(QLatin1String("path"));
        if (!entryPath.isString() || entryPath.toString() != path)
            continue;
        if (entry)
            return std::unexpected(ListingText::tr("the file list names the file more than once"));
        entry = value.toObject();
    }
    if (!entry)
        return std::optional<ListedFile>();

    if (entry->value(QLatin1String("type")) != QJsonValue(QStringLiteral("file")))
        return std::unexpected(ListingText::tr("the file list does not call it a file"));
    const QJsonValue lfs = entry->value(QLatin1String("lfs"));
    if (!lfs.isObject())
        return std::unexpected(
            ListingText::tr("the file list gives no SHA-256 for it (it is not stored with Git LFS)"));
    const QJsonValue oid = lfs.toObject().value(QLatin1String("oid"));
    if (!oid.isString() || !isSha256Hex(oid.toString()))
        return std::unexpected(ListingText::tr("the file list's SHA-256 for it is not a SHA-256"));
    // JSON numbers are doubles: sizes up to 2^53 bytes (8 PB) are exact.
    const QJsonValue size = lfs.toObject().value(QLatin1String("size"));
    const double bytes = size.toDouble(-1);
    if (!size.isDouble() || !(bytes >= 0 && bytes <= 9007199254740992.0) || bytes != double(qint64(bytes)))
        return std::unexpected(ListingText::tr("the file list's size for it is not a size"));
    return std::optional<ListedFile>(ListedFile{oid.toString().toLower(), qint64(bytes)});
}

QUrl nextPageUrl(const QByteArray& linkHeader, const QUrl& base)
{
    if (linkHeader.size() > 16 * 1024)
        return {};
    // <target>; param; param="quoted, maybe with commas", <target>; …  (a target never holds '>').
    static const QRegularExpression link(QStringLiteral(R"re(<([^<>]*)>((?:\s*;(?:[^,;"]|"[^"]*")*)*))re"));
    static const QRegularExpression rel(QStringLiteral(R"re(;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+)))re"),
                                        QRegularExpression::CaseInsensitiveOption);
    auto links = link.globalMatch(QString::fromLatin1(linkHeader));
    while (links.hasNext()) {
        const QRegularExpressionMatch match = links.next();
        const QRegularExpressionMatch relation = rel.match(match.captured(2));
        if (!relation.hasMatch())
            continue;
        const QString relations = relation.hasCaptured(1) ? relation.captured(1) : relation.captured(2);
        if (!relations.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(QLatin1String("next"), Qt::CaseInsensitive))
            continue;
        const QUrl target = QUrl::fromEncoded(match.captured(1).trimmed().toLatin1(), QUrl::StrictMode);
        if (!target.isValid() || target.isEmpty())
            return {};
        return base.resolved(target);
    }
    return {};
}

} // namespace ponder::app
