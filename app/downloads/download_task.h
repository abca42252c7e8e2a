// One file of a download: one URL fetched into <dest>.part with its state
// sidecar beside it (download_state.h), resumed with HTTP Range, verified by
// SHA-256, and renamed to <dest> only when the caller accepts it.
//
// Life of a task: start() re-hashes whatever an earlier run left in the
// .part (off the UI thread), then asks for the missing bytes. Every byte is
// written (unbuffered, so a failed write is seen at once) before it is hashed
// and counted, and the state is saved about once a second, so it never
// claims more than the file holds. A dropped connection, a 5xx, 408, 429 or
// a stall (no byte for stallTimeoutMs) is retried with exponential back-off;
// the count of failed tries resets whenever a try brings data. Any other 4xx,
// a write failure, a full disk or a wrong size fails at once with words for
// the user. A 200 to a Range request, or a server whose file changed (size
// or X-Linked-Etag), starts the file over with a fresh hash.
//
// When the last byte is in, the SHA-256 is compared with the expected one
// (the caller's, else the server's X-Linked-Etag): a match makes the task
// Verified; a mismatch deletes the .part and its state, so a damaged file
// can never be used, and fails naming both hashes. accept() then renames the
// .part over <dest> atomically.
//
// With no SHA-256 known the task is Verifying: it fetches the file listing
// that DownloadPolicy::listing names (by default the Hugging Face
// repository's, hf_listing.h), https (or loopback http) on the file's own
// host, same-origin redirects and rel="next" pages only, each page at most
// kMaxListingBytes, all within listingTimeoutMs. The entry's lfs.oid and
// lfs.size then count as the expected SHA-256 and size, a match or a
// mismatch as above. When there is no listing (not a Hugging Face URL, an
// error, a timeout, a listing that does not name the file or is malformed)
// the task is Verified but unverified(), with the reason; accept() then
// writes the mark beside the file (unverified_mark.h), and a verified
// accept() removes an old one. Pausing, discarding or destroying the task
// while it verifies aborts the request; start() verifies again.
//
// One writer per .part: start() takes <dest>.part.lock (QLockFile) and holds
// it until the task is discarded, accepted or destroyed, so a second Ponder
// (or a second DownloadManager) on the same folder fails with "in use by
// another Ponder" instead of writing into the same file.
//
// Durability: "flushed" means handed to the operating system, which
// survives the app being killed; after a power loss the re-hash and the
// final check catch bytes the disk lost.
#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

#include "download_state.h"
#include "file_hash.h"
#include "hf_listing.h"

class QNetworkAccessManager;
class QNetworkReply;

Q_DECLARE_LOGGING_CATEGORY(lcDownload)

namespace ponder::app {

// The listing that can verify a file of unknown SHA-256 (see above); nullopt: none.
using ListingLookup = std::function<std::optional<ListingQuery>(const QUrl& fileUrl)>;

// Free bytes for a new file in `directory`; -1 when unknown (no check is made).
using FreeSpaceProbe = std::function<qint64(const QString& directory)>;
qint64 availableDiskSpace(const QString& directory);  // from QStorageInfo

struct DownloadPolicy {
    int stallTimeoutMs = 30000;        // no byte for this long: abort the request and try again
    int retryDelayMs = 1000;           // wait before the first retry; doubles with each failed try
    int maxRetryDelayMs = 60000;       // longest wait between tries
    int maxRetries = 8;                // failed tries in a row (without any data) before giving up
    int checkpointIntervalMs = 1000;   // how often the state is saved while data arrives
    // Most bytes taken for a file whose size neither the caller nor the
    // server gave: more is an error, not a .part that grows until the disk
    // is full. Hugging Face stores no file over 50 GB.
    qint64 maxUnknownSizeBytes = 64'000'000'000;
    FreeSpaceProbe freeSpace = availableDiskSpace;
    // Where to verify a file whose SHA-256 neither the caller nor the server
    // gave; tests point it at their local server.
    ListingLookup listing = huggingFaceListing;
    int listingTimeoutMs = 30000;      // for the whole listing, every page
};

class DownloadTask : public QObject {
    Q_OBJECT

    /// Verified or Done without a checksum to compare with: accepted, but unverified.
    Q_PROPERTY(bool unverified READ unverified NOTIFY phaseChanged)
    /// Why it is unverified, in words for the user; empty when it is not.
    Q_PROPERTY(QString unverifiedReason READ unverifiedReason NOTIFY phaseChanged)

public:
    enum class Phase {
        Idle,          // not started, or discarded
        Checking,      // re-hashing the bytes an earlier run left in the .part
        Transferring,  // a request is out or data is arriving
        Waiting,       // backing off before the next try
        Paused,
        Verifying,     // complete in the .part, fetching the listing to check it against
        Verified,      // complete in the .part, hash checked (or unverified()); waiting for accept()
        Done,          // renamed to the final name
        Failed,
    };

    // `part.destination` must be absolute. What an earlier run left there is
    // shown (bytesDone, bytesTotal) but trusted only after start() re-hashed it.
    DownloadTask(QNetworkAccessManager* network, const DownloadPart& part, const DownloadPolicy& policy,
                 QObject* parent = nullptr);
    // Stops, saving the state: the .part stays for a later run to resume.
    ~DownloadTask() override;

    // Saved in the state so that a later run can list the whole download again.
    void setDownloadJson(const QJsonObject& json) { m_downloadJson = json; }
    // Bytes the parts after this one will need: the disk-space check counts them too.
    void setLaterPartsBytes(qint64 bytes) { m_laterBytes = bytes; }

    // From Idle, Paused or Failed: resumes what is on disk (or in memory) and fetches the rest.
    void start();
    // Stops the transfer; the .part and its state stay.
    void pause();
    // Stops and deletes the .part and its state.
    void discard();
    // From Verified: renames the .part to the destination (replacing a file
    // there) and deletes the state; writes the unverified mark beside it, or
    // removes an old one. False (and Failed) when that fails.
    bool accept();

    const DownloadPart& part() const { return m_part; }
    Phase phase() const { return m_phase; }
    bool isActive() const
    {
        return m_phase == Phase::Checking || m_phase == Phase::Transferring || m_phase == Phase::Waiting ||
               m_phase == Phase::Verifying;
    }
    qint64 bytesDone() const { return m_done; }       // known-good bytes in the .part
    qint64 bytesTotal() const { return m_size; }      // size of the file; -1 while unknown
    qint64 bytesReceived() const { return m_received; }  // from the network since this object was made
    QString sha256() const { return m_sha; }          // expected SHA-256, hex; empty while unknown
    QString errorString() const { return m_error; }   // Failed: why, without the file's name
    QString retryReason() const { return m_retryReason; }  // Waiting: what went wrong with the last try
    bool unverified() const { return !m_unverifiedReason.isEmpty(); }
    QString unverifiedReason() const { return m_unverifiedReason; }
    QString partPath() const { return DownloadState::partPath(m_part.destination); }
    QString lockPath() const { return partPath() + QStringLiteral(".lock"); }
    QString statePath() const { return DownloadState::statePath(m_part.destination); }

signals:
    void phaseChanged();
    void progressed();  // bytesDone grew; emitted for every piece of data

private:
    // download_task.cpp: the life of the task.
    void fail(const QString& reason);
    void setPhase(Phase phase);

    // download_part_file.cpp: the .part, its state and lock, on disk.
    bool takeLock();
    bool ensurePlainPart();
    std::optional<DownloadState> matchingState(qint64* trustedBytes) const;
    void resumeFromDisk();
    void hashed();
    void cancelHashing();
    void startOver();
    bool openPart();
    void closePart();
    void checkpoint();
    void removeFiles();
    bool hasRoomFor(qint64 bytes);

    // download_transfer.cpp: the HTTP side.
    void begin();
    void sendRequest();
    void metaDataChanged();
    bool acceptResponse(int status);
    void readyRead();
    bool consume(QNetworkReply* reply);
    void finished();
    void retry(const QString& reason);
    void dropReply();

    // download_verify.cpp: the complete file's SHA-256, and the file
    // listing when no SHA-256 is known.
    void finishFile();
    void deleteDamaged(const QString& reason);
    void verifyWithListing();
    void requestListing(const QUrl& url);
    void listingReadyRead();
    void listingFinished();
    void checkListedFile(const ListedFile& listed);
    void acceptUnverified(const QString& reason);
    void dropListing();

    QNetworkAccessManager* m_network;
    DownloadPart m_part;
    DownloadPolicy m_policy;
    QJsonObject m_downloadJson;
    qint64 m_laterBytes = 0;
    Phase m_phase = Phase::Idle;
    QString m_error;
    QString m_retryReason;

    qint64 m_size = -1;  // what the file must turn out to be: the caller's, or learned from the server
    QString m_sha;
    QFile m_file;        // the .part, open while transferring
    std::unique_ptr<QLockFile> m_lock;  // on the .part, from start() until discarded, accepted or destroyed
    std::shared_ptr<Sha256> m_hash;  // fed exactly the first m_done bytes; null when not yet known
    qint64 m_done = 0;
    qint64 m_received = 0;

    QPointer<QNetworkReply> m_reply;
    bool m_bodyAccepted = false;  // the current response is the file's bytes from m_done
    qint64 m_tryReceived = 0;     // bytes the current try brought
    int m_failedTries = 0;        // in a row, without data
    QString m_chainSha;           // X-Linked-* of the current request's redirect chain
    qint64 m_chainSize = -1;

    QString m_actualSha;          // what the complete .part hashed to
    QString m_unverifiedReason;   // Verified or Done without a checksum: why
    QPointer<QNetworkReply> m_listingReply;
    QByteArray m_listingBody;
    ListingQuery m_listing;       // the first page, and the path looked for
    int m_listingPages = 0;       // pages asked for so far
    QTimer m_listingTimer;

    QTimer m_stallTimer;
    QTimer m_retryTimer;
    QElapsedTimer m_sinceCheckpoint;
    QFutureWatcher<PrefixHash>* m_hashWatcher = nullptr;
};

} // namespace ponder::app
