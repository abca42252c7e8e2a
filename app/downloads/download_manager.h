// Downloads of model files, for the model picker: several at once, each
// identified by an id and made of one or more files (a split GGUF's
// -00001-of-0000N parts), with one progress (bytes, smoothed speed, time
// left) per download, pause and resume, retries, SHA-256 verification and a
// disk-space check. Each file is a DownloadTask (download_task.h has the
// rules for resuming, retrying and verifying).
//
// At most maxConcurrent downloads transfer at once (3 by default: more
// splits the bandwidth without finishing anything sooner); the others wait
// as Queued and start, oldest first, as slots free up.
//
// The parts of a download are fetched one after another into their .part
// files, and none is renamed to its final name until every one verified, so
// a half-downloaded model never looks like a model.
//
// Across restarts: every .part keeps a state sidecar naming its whole
// download. Starting the same request again resumes from what is on disk,
// and restore() lists the interrupted downloads in the models folder as
// paused, for the UI to offer.
//
// A file whose SHA-256 neither the catalog nor the server gave is checked
// against its Hugging Face repository's file listing (status Verifying);
// when nothing can verify it, it is still put in place, but the download is
// `unverified` with the reason, and a <file>.unverified mark beside it tells
// LocalModels so (download_task.h, unverified_mark.h).
//
// Errors read "Download of <name> failed: <reason>", e.g. "Download of
// DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf failed: the server answered 404
// Not Found". A failed download keeps its consistent .part and state:
// resume() tries again from there (after freeing disk space, say), cancel()
// deletes them.
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <optional>
#include <vector>

#include "download_state.h"
#include "download_task.h"
#include "transfer_rate.h"

class QNetworkAccessManager;

namespace ponder::app {

class DownloadManager : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// Folder that relative destinations are placed in; default <AppLocalDataLocation>/models.
    Q_PROPERTY(QString modelsFolder READ modelsFolder WRITE setModelsFolder NOTIFY modelsFolderChanged)
    /// Ids of all downloads (running, paused, failed or finished), oldest first.
    Q_PROPERTY(QStringList downloadIds READ downloadIds NOTIFY downloadsChanged)
    /// Downloads checking, transferring or waiting to retry (not queued ones).
    Q_PROPERTY(int activeCount READ activeCount NOTIFY activeCountChanged)
    /// How many downloads may be active at once; the rest wait as Queued.
    Q_PROPERTY(int maxConcurrent READ maxConcurrent WRITE setMaxConcurrent NOTIFY policyChanged)
    /// How long a request may bring no data before it is abandoned and tried again, in ms.
    Q_PROPERTY(int stallTimeoutMs READ stallTimeoutMs WRITE setStallTimeoutMs NOTIFY policyChanged)
    /// Wait before the first retry, in ms; it doubles with each failed try, up to a minute.
    Q_PROPERTY(int retryDelayMs READ retryDelayMs WRITE setRetryDelayMs NOTIFY policyChanged)
    /// Failed tries in a row (none bringing data) before a download fails.
    Q_PROPERTY(int maxRetries READ maxRetries WRITE setMaxRetries NOTIFY policyChanged)
    /// Interval of progressChanged() while downloads run, in ms.
    Q_PROPERTY(int progressIntervalMs READ progressIntervalMs WRITE setProgressIntervalMs NOTIFY policyChanged)
    /// Why the last start was refused, in words; empty when it was not.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)

public:
    enum class Status {
        Checking,     // re-hashing a partial file from an earlier run
        Downloading,
        Retrying,     // waiting before the next try after a network failure
        Paused,
        Finished,     // every file verified and in place
        Failed,
        Queued,       // waiting for one of the maxConcurrent slots
        Verifying,    // complete; fetching the repository's file list to check a file of unknown SHA-256
    };
    Q_ENUM(Status)

    struct Info {
        QString id;
        QString name;
        Status status = Status::Paused;
        qint64 bytesDone = 0;       // over all parts
        qint64 bytesTotal = -1;     // over all parts; -1 while any part's size is unknown
        double bytesPerSecond = 0;  // smoothed
        qint64 secondsLeft = -1;    // -1 while unknown
        int partCount = 1;
        int currentPart = 0;        // index of the part being fetched
        QString errorString;        // Failed: "Download of <name> failed: <reason>"
        QString retryReason;        // Retrying: what went wrong with the last try
        QStringList files;          // the final files, absolute
        bool unverified = false;    // a part was accepted with nothing to verify it against
        QString unverifiedReason;   // why ("part 2 of 3: …" for a split model); empty when verified
    };

    explicit DownloadManager(QObject* parent = nullptr);
    // Stops every download, saving its state: a later run resumes them.
    ~DownloadManager() override;

    static QString defaultModelsFolder();
    // Checking, downloading or waiting to retry: holding one of the maxConcurrent slots.
    static bool isRunning(Status status);

    QString modelsFolder() const { return m_modelsFolder; }
    void setModelsFolder(const QString& folder);
    QStringList downloadIds() const;
    int activeCount() const { return m_activeCount; }
    int maxConcurrent() const { return m_maxConcurrent; }
    void setMaxConcurrent(int count);
    int stallTimeoutMs() const { return m_policy.stallTimeoutMs; }
    void setStallTimeoutMs(int ms);
    int retryDelayMs() const { return m_policy.retryDelayMs; }
    void setRetryDelayMs(int ms);
    int maxRetries() const { return m_policy.maxRetries; }
    void setMaxRetries(int count);
    int progressIntervalMs() const { return m_progressTimer.interval(); }
    void setProgressIntervalMs(int ms);
    QString errorString() const { return m_errorString; }

    // The policy settings apply to downloads started afterwards.
    // Tests replace the disk-space check; nullptr turns it off.
    void setFreeSpaceProbe(FreeSpaceProbe probe);
    // DownloadPolicy::maxUnknownSizeBytes: the cap on a file of unknown size.
    void setMaxUnknownSizeBytes(qint64 bytes) { m_policy.maxUnknownSizeBytes = bytes; }
    // DownloadPolicy::listing: where a file of unknown SHA-256 is verified
    // (default: its Hugging Face repository's listing); nullptr: nowhere.
    void setListingLookup(ListingLookup lookup) { m_policy.listing = std::move(lookup); }
    // DownloadPolicy::listingTimeoutMs: how long the whole listing may take.
    void setListingTimeoutMs(int ms) { m_policy.listingTimeoutMs = qMax(1, ms); }
    // Lets restore() take up plain-http downloads from this origin: only a
    // loopback one (the tests' server, a mirror the catalog names on this
    // machine); returns false and allows nothing for any other. Restored
    // downloads are otherwise https only.
    bool allowLoopbackHttp(const QUrl& origin);
    // Shared with RemoteGgufHeader, so that both use one connection pool.
    QNetworkAccessManager* network() const { return m_network; }

    // Starts a download, or resumes the one with the same id. Returns its
    // id, or an empty string (and errorString) when the request is unusable
    // or a file of it is already being downloaded by another.
    QString start(const DownloadRequest& request);
    /// start() for one file; `fileName` relative to modelsFolder or absolute. Returns the id.
    Q_INVOKABLE QString startDownload(const QUrl& url, const QString& fileName, qint64 expectedSize = -1,
                                      const QString& sha256 = QString());
    /// start() for a split model: maps with url, file, and optionally size and sha256.
    Q_INVOKABLE QString startParts(const QVariantList& parts, const QString& name = QString());
    /// Stops (or unqueues) a download, keeping what it has for resume().
    Q_INVOKABLE void pause(const QString& id);
    /// Continues a paused or failed download, or queues it when every slot is taken.
    Q_INVOKABLE void resume(const QString& id);
    /// Stops a download, deletes its partial files and state, and forgets it (finished files stay).
    Q_INVOKABLE void cancel(const QString& id);
    /// Lists the interrupted downloads whose state is in modelsFolder, as paused. Returns their ids.
    /// A sidecar naming a file outside modelsFolder, or a URL that is not https, is ignored.
    Q_INVOKABLE QStringList restore();

    std::optional<Info> info(const QString& id) const;
    /// info() as a map: id, name, status, bytesDone, bytesTotal, bytesPerSecond, secondsLeft,
    /// partCount, currentPart, errorString, retryReason, files, unverified (bool),
    /// unverifiedReason; and bytesDoneText, bytesTotalText, bytesPerSecondText in the
    /// picker's file units (formatFileBytes).
    Q_INVOKABLE QVariantMap downloadInfo(const QString& id) const;

signals:
    void modelsFolderChanged();
    void downloadsChanged();
    void activeCountChanged();
    void policyChanged();
    void errorStringChanged();
    void statusChanged(const QString& id);
    // At most every progressIntervalMs while a download runs, and on every status change.
    void progressChanged(const QString& id);
    void finished(const QString& id, const QStringList& files);
    void failed(const QString& id, const QString& message);

private:
    struct Download {
        DownloadRequest request;  // destinations absolute
        std::vector<std::unique_ptr<DownloadTask>> tasks;
        Status status = Status::Paused;
        int current = 0;
        QString error;
        TransferRate rate;
    };

    Download* find(const QString& id) const;
    Download* owner(const QString& destination) const;
    Download& add(const DownloadRequest& request, bool startNow);
    void run(Download& download);
    void startQueued();
    void scheduleQueue();
    void advance(Download& download);
    void taskPhaseChanged(Download& download, DownloadTask* task);
    void setStatus(Download& download, Status status);
    void updateActiveCount();
    void setError(const QString& message);
    void tick();
    qint64 laterPartsBytes(const Download& download, int index) const;

    QNetworkAccessManager* m_network;
    QString m_modelsFolder;
    DownloadPolicy m_policy;
    QString m_errorString;
    QStringList m_httpOrigins;  // allowLoopbackHttp()
    std::vector<std::unique_ptr<Download>> m_downloads;
    int m_activeCount = 0;
    int m_maxConcurrent = 3;
    bool m_queueScheduled = false;
    QTimer m_progressTimer;
    QElapsedTimer m_clock;
};

} // namespace ponder::app
