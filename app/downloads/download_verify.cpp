// DownloadTask, checking a complete file: its SHA-256 against the one the
// caller or the server gave, or, when nobody gave one, against its
// repository's file listing (download_task.h; the parsing in hf_listing.h).
// No retries: a listing that cannot be had leaves the file unverified, with
// the reason, and it is the user's to accept or not.
#include "download_task.h"

#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include "http_range.h"

namespace ponder::app {

void DownloadTask::finishFile()
{
    m_stallTimer.stop();
    checkpoint();
    closePart();
    m_actualSha = m_hash->hexResult();
    m_unverifiedReason.clear();
    if (m_sha.isEmpty()) {
        verifyWithListing();
        return;
    }
    if (m_actualSha != m_sha) {
        deleteDamaged(tr("the file's SHA-256 is %1, but it should be %2").arg(m_actualSha, m_sha));
        return;
    }
    qCInfo(lcDownload) << "verified" << partPath() << m_done << "bytes";
    setPhase(Phase::Verified);
}

// Never leaves a damaged model where it could be loaded, or resumed.
void DownloadTask::deleteDamaged(const QString& reason)
{
    removeFiles();
    m_hash.reset();
    m_done = 0;
    fail(reason + tr("; the damaged file was deleted"));
}

void DownloadTask::verifyWithListing()
{
    const std::optional<ListingQuery> query = m_policy.listing ? m_policy.listing(m_part.url) : std::nullopt;
    if (!query) {
        acceptUnverified(tr("neither the catalog nor its server gave a SHA-256, and it is not from a "
                                        "Hugging Face repository whose file list could give one"));
        return;
    }
    // The listing is believed as much as the file's own server: only over
    // https (or a loopback test server) and only from that server.
    const QUrl& url = query->url;
    if (!url.isValid() || (url.scheme() != QLatin1String("https") && !isLoopbackHttpOrigin(url)) ||
        url.host() != m_part.url.host()) {
        acceptUnverified(tr("its repository's file list is not at a secure address on its own server"));
        return;
    }
    m_listing = *query;
    m_listingPages = 0;
    m_listingTimer.start(m_policy.listingTimeoutMs);
    requestListing(url);
    setPhase(Phase::Verifying);  // last: a slot may pause us
}

void DownloadTask::requestListing(const QUrl& url)
{
    ++m_listingPages;
    m_listingBody.clear();
    QNetworkRequest request = rangeRequest(url, 0);  // no Range; no content coding; our User-Agent
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    m_listingReply = m_network->get(request);
    connect(m_listingReply, &QNetworkReply::readyRead, this, &DownloadTask::listingReadyRead);
    connect(m_listingReply, &QNetworkReply::finished, this, &DownloadTask::listingFinished);
}

void DownloadTask::listingReadyRead()
{
    m_listingBody += m_listingReply->readAll();
    if (m_listingBody.size() > kMaxListingBytes)
        acceptUnverified(tr("its repository's file list is larger than %1 MB").arg(kMaxListingBytes >> 20));
}

void DownloadTask::listingFinished()
{
    QNetworkReply* reply = m_listingReply;
    m_listingReply = nullptr;
    reply->deleteLater();
    reply->disconnect(this);
    if (reply->error() != QNetworkReply::NoError) {
        acceptUnverified(tr("its repository's file list could not be fetched: %1").arg(describeFailure(reply)));
        return;
    }
    if (const int status = httpStatus(reply); status != 200) {
        acceptUnverified(tr("its repository's file list could not be fetched: the server answered %1").arg(status));
        return;
    }
    m_listingBody += reply->readAll();
    const auto found = findInListing(m_listingBody, m_listing.path);
    m_listingBody.clear();
    if (!found) {
        acceptUnverified(tr("its repository's file list cannot be used: %1").arg(found.error()));
        return;
    }
    if (*found) {
        checkListedFile(**found);
        return;
    }
    const QUrl next = nextPageUrl(reply->rawHeader("Link"), reply->url());
    if (next.isEmpty()) {
        acceptUnverified(tr("its repository's file list does not name it"));
        return;
    }
    if (urlOrigin(next) != urlOrigin(m_listing.url)) {
        acceptUnverified(tr("its repository's file list goes on at another address"));
        return;
    }
    if (m_listingPages >= kMaxListingPages) {
        acceptUnverified(tr("its repository's file list has more than %1 pages").arg(kMaxListingPages));
        return;
    }
    requestListing(next);
}

// The listing's lfs.oid and lfs.size are the expected SHA-256 and size.
void DownloadTask::checkListedFile(const ListedFile& listed)
{
    dropListing();
    if (listed.sha256 != m_actualSha || listed.size != m_done) {
        deleteDamaged(tr("the file's SHA-256 is %1 (%2 bytes), but its repository's file list says %3 "
                                     "(%4 bytes)")
                          .arg(m_actualSha)
                          .arg(m_done)
                          .arg(listed.sha256)
                          .arg(listed.size));
        return;
    }
    m_sha = listed.sha256;
    checkpoint();  // a run that resumes before accept() compares with it directly
    qCInfo(lcDownload) << "verified" << partPath() << m_done << "bytes against" << m_listing.url;
    setPhase(Phase::Verified);
}

void DownloadTask::acceptUnverified(const QString& reason)
{
    dropListing();
    m_unverifiedReason = reason;
    qCWarning(lcDownload) << m_part.url << "accepted unverified:" << reason;
    setPhase(Phase::Verified);
}

void DownloadTask::dropListing()
{
    m_listingTimer.stop();
    m_listingBody.clear();
    abandonReply(m_listingReply, this);
}

} // namespace ponder::app
