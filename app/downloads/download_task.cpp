// DownloadTask's life: construction from what an earlier run left, start,
// pause, discard, failure and the phase the UI shows. The work is in three
// files that change for different reasons: download_transfer.cpp (HTTP),
// download_part_file.cpp (the .part, its state and lock, the final rename),
// download_verify.cpp (the SHA-256 check and the file listing).
#include "download_task.h"

#include <QFileInfo>
#include <QLocale>

Q_LOGGING_CATEGORY(lcDownload, "ponder.download")

namespace ponder::app {

DownloadTask::DownloadTask(QNetworkAccessManager* network, const DownloadPart& part, const DownloadPolicy& policy,
                           QObject* parent)
    : QObject(parent), m_network(network), m_part(part), m_policy(policy), m_size(part.expectedSize),
      m_sha(part.expectedSha256.toLower())
{
    m_stallTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        dropReply();
        retry(tr("no data arrived for %1 s").arg(QLocale().toString(m_policy.stallTimeoutMs / 1000.0)));
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &DownloadTask::begin);
    m_listingTimer.setSingleShot(true);
    connect(&m_listingTimer, &QTimer::timeout, this, [this] {
        acceptUnverified(tr("its repository's file list did not arrive within %1 s")
                             .arg(QLocale().toString(m_policy.listingTimeoutMs / 1000.0)));
    });
    qint64 trusted = 0;
    if (const std::optional<DownloadState> state = matchingState(&trusted)) {
        m_done = trusted;
        if (m_size < 0)
            m_size = state->size;
    }
}

DownloadTask::~DownloadTask()
{
    cancelHashing();
    dropListing();
    if (m_phase == Phase::Transferring || m_phase == Phase::Waiting) {
        dropReply();
        checkpoint();
    }
    closePart();
}

void DownloadTask::start()
{
    if (isActive() || m_phase == Phase::Verified || m_phase == Phase::Done)
        return;
    m_error.clear();
    m_retryReason.clear();
    m_failedTries = 0;
    if (!takeLock()) {
        // Not fail(): its checkpoint would overwrite the other writer's state.
        m_error = tr("its partial file is in use by another Ponder");
        setPhase(Phase::Failed);
        return;
    }
    if (!ensurePlainPart())
        return;
    // A hash in memory covers bytes this object wrote itself, as long as
    // nobody changed the file since; otherwise trust only what the disk says.
    if (m_hash && QFileInfo(partPath()).size() == m_done)
        begin();
    else
        resumeFromDisk();
}

void DownloadTask::pause()
{
    if (!isActive())
        return;
    const bool checking = m_phase == Phase::Checking;
    cancelHashing();
    dropReply();
    dropListing();  // start() verifies again
    m_retryTimer.stop();
    if (!checking)
        checkpoint();
    closePart();
    setPhase(Phase::Paused);
}

void DownloadTask::discard()
{
    cancelHashing();
    dropReply();
    dropListing();
    m_retryTimer.stop();
    closePart();
    if (takeLock())  // never delete another writer's files
        removeFiles();
    m_lock.reset();
    m_hash.reset();
    m_done = 0;
    m_error.clear();
    setPhase(Phase::Idle);
}

void DownloadTask::fail(const QString& reason)
{
    cancelHashing();
    dropReply();
    dropListing();
    m_retryTimer.stop();
    checkpoint();
    closePart();
    m_error = reason;
    qCInfo(lcDownload) << m_part.url << "failed:" << reason;
    setPhase(Phase::Failed);
}

void DownloadTask::setPhase(Phase phase)
{
    if (phase == m_phase)
        return;
    m_phase = phase;
    emit phaseChanged();
}

} // namespace ponder::app
