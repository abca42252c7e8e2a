// Checking a download whose SHA-256 nobody gave against its Hugging Face
// repository's file listing (FORMATS.md, "Downloads from Hugging Face"):
// the pure parts, with no network. DownloadTask (download_verify.cpp) does
// the fetching.
//
// A resolve URL names the file:
//   https://huggingface.co/{owner}/{repo}/resolve/{revision}/{path}
// and the listing of its folder is
//   https://huggingface.co/api/models/{owner}/{repo}/tree/{revision}/{folder}
// a JSON array of entries, an LFS file's like
//   {"type": "file", "oid": "<git SHA-1>", "size": N, "path": "dir/f.gguf",
//    "lfs": {"oid": "<SHA-256, hex>", "size": N, "pointerSize": 134}}
// A long listing comes in pages: each answer's Link header names the next
// one (rel="next"), as huggingface_hub's paginate() follows it.
//
// Everything in a listing comes from a server: any field may be missing, of
// another type, repeated or absurd. Each function here answers with the
// value or with why it cannot, in words for the user, and never trusts a
// size or a count it has not checked.
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <expected>
#include <optional>

namespace ponder::app {

// A file of a Hugging Face model repository, as its resolve URL names it.
struct HubFile {
    QString repo;      // "owner/name"
    QString revision;  // a branch, a tag, a commit or "refs/pr/1" (percent-decoded)
    QString path;      // from the repository's root, "dir/file.gguf" (percent-decoded)
};

// The parts of https://huggingface.co/{owner}/{repo}/resolve/{revision}/{path}
// (a query such as ?download=true is ignored); nullopt for any other URL:
// another scheme, host or port, a user name, a dataset or space, an empty,
// "." or ".." segment, or a path with a control character or a backslash.
std::optional<HubFile> parseResolveUrl(const QUrl& url);

// https://huggingface.co/api/models/{owner}/{repo}/tree/{revision}/{folder of path}:
// each segment percent-encoded on its own, so a revision "refs/pr/1" stays
// one segment (refs%2Fpr%2F1) and a name with '#', '?' or '%' stays a name.
QUrl listingUrl(const HubFile& file);

// Where to find a downloaded file in a listing: the listing's first page
// and the entry's path. What DownloadPolicy::listing gives for a file URL.
struct ListingQuery {
    QUrl url;
    QString path;
};
// The Hugging Face rule: the listing of a resolve URL's folder; nullopt for
// a URL that parseResolveUrl() refuses.
std::optional<ListingQuery> huggingFaceListing(const QUrl& fileUrl);

// What a listing says about one file.
struct ListedFile {
    QString sha256;  // lfs.oid, lowercase hex
    qint64 size = -1;  // lfs.size, bytes
};

// Most bytes one page of a listing may have: Hugging Face's pages of 1000
// entries take about 400 KB.
inline constexpr qint64 kMaxListingBytes = 8 * 1024 * 1024;
// Most pages followed for one file.
inline constexpr int kMaxListingPages = 32;

// The entry for `path` in one page of a listing: the file, nullopt when the
// page does not name it, or why the page cannot be used to verify it (not
// JSON, not an array, too large, the path named twice, a folder, no LFS
// SHA-256, a malformed oid or size). Entries for other paths are skipped
// whatever they hold.
std::expected<std::optional<ListedFile>, QString> findInListing(const QByteArray& body, const QString& path);

// The rel="next" target of a Link header (RFC 8288), resolved against
// `base`; an empty URL when there is none or it does not parse.
QUrl nextPageUrl(const QByteArray& linkHeader, const QUrl& base);

} // namespace ponder::app
