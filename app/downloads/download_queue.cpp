// DownloadManager: running downloads, at most maxConcurrent at once, the
// rest queued oldest first; a download's parts one after another; progress.
#include "download_manager.h"

#include <algorithm>

namespace ponder::app {

void DownloadManager::run(Download& download)
{
    download.error.clear();
    download.rate.reset();
    if (m_activeCount >= m_maxConcurrent) {
        setStatus(download, Status::Queued);
        return;
    }
    advance(download);
}

// Gives free slots to queued downloads, oldest first. With a slot free,
// run() leaves its download active, finished or failed before it returns,
// so the count is current on the next turn.
void DownloadManager::startQueued()
{
    m_queueScheduled = false;
    while (m_activeCount < m_maxConcurrent) {
        const auto next = std::find_if(m_downloads.begin(), m_downloads.end(),
                                       [](const auto& d) { return d->status == Status::Queued; });
        if (next == m_downloads.end())
            return;
        Download& download = **next;
        run(download);
        if (download.status == Status::Queued)
            return;  // cannot happen (see above); never spin on it
    }
}

// Later, not now: a slot is freed from inside a task's signal, or a
// caller's slot, and starting the next download there would re-enter them.
void DownloadManager::scheduleQueue()
{
    if (m_queueScheduled)
        return;
    m_queueScheduled = true;
    QMetaObject::invokeMethod(this, &DownloadManager::startQueued, Qt::QueuedConnection);
}

// Starts the first part not yet verified; once all are, puts them in place.
void DownloadManager::advance(Download& download)
{
    for (size_t i = 0; i < download.tasks.size(); ++i) {
        DownloadTask* task = download.tasks[i].get();
        if (task->phase() == DownloadTask::Phase::Verified || task->phase() == DownloadTask::Phase::Done)
            continue;
        download.current = int(i);
        task->setLaterPartsBytes(laterPartsBytes(download, int(i)));
        task->start();  // its phase changes arrive in taskPhaseChanged()
        return;
    }
    for (const auto& task : download.tasks)
        if (task->phase() == DownloadTask::Phase::Verified && !task->accept())
            return;  // that task failed, and so did the download
    const QString id = download.request.id;
    QStringList files;
    for (const DownloadPart& part : download.request.parts)
        files.append(part.destination);
    setStatus(download, Status::Finished);
    emit finished(id, files);
}

void DownloadManager::taskPhaseChanged(Download& download, DownloadTask* task)
{
    switch (task->phase()) {
    case DownloadTask::Phase::Checking:
        setStatus(download, Status::Checking);
        break;
    case DownloadTask::Phase::Transferring:
        setStatus(download, Status::Downloading);
        break;
    case DownloadTask::Phase::Waiting:
        setStatus(download, Status::Retrying);
        break;
    case DownloadTask::Phase::Verifying:
        setStatus(download, Status::Verifying);
        break;
    case DownloadTask::Phase::Verified:
        advance(download);
        break;
    case DownloadTask::Phase::Failed: {
        QString reason = task->errorString();
        if (download.tasks.size() > 1) {
            const auto index = std::find_if(download.tasks.begin(), download.tasks.end(),
                                            [task](const auto& t) { return t.get() == task; }) - download.tasks.begin();
            reason = QStringLiteral("part %1 of %2: %3").arg(index + 1).arg(download.tasks.size()).arg(reason);
        }
        download.error = tr("Download of %1 failed: %2").arg(download.request.name, reason);
        const QString id = download.request.id;
        const QString message = download.error;
        setStatus(download, Status::Failed);
        emit failed(id, message);
        break;
    }
    case DownloadTask::Phase::Idle:
    case DownloadTask::Phase::Paused:
    case DownloadTask::Phase::Done:
        break;  // our own discard(), pause() and accept()
    }
}

// Emits last: a slot may cancel (and so delete) the download.
void DownloadManager::setStatus(Download& download, Status status)
{
    if (download.status == status)
        return;
    const bool freesASlot = isRunning(download.status) && !isRunning(status);
    download.status = status;
    if (!isRunning(status))
        download.rate.reset();
    const QString id = download.request.id;
    updateActiveCount();
    if (freesASlot)
        scheduleQueue();
    emit statusChanged(id);
    emit progressChanged(id);
}

void DownloadManager::updateActiveCount()
{
    const int count = int(std::count_if(m_downloads.begin(), m_downloads.end(),
                                        [](const auto& d) { return isRunning(d->status); }));
    if (count > 0 && !m_progressTimer.isActive())
        m_progressTimer.start();
    else if (count == 0)
        m_progressTimer.stop();
    if (count != m_activeCount) {
        m_activeCount = count;
        emit activeCountChanged();
    }
}

void DownloadManager::setError(const QString& message)
{
    if (message != m_errorString) {
        m_errorString = message;
        emit errorStringChanged();
    }
}

// Samples every running download's speed and reports its progress.
void DownloadManager::tick()
{
    const qint64 now = m_clock.elapsed();
    QStringList running;
    for (const auto& download : m_downloads) {
        if (!isRunning(download->status))
            continue;
        qint64 received = 0;
        for (const auto& task : download->tasks)
            received += task->bytesReceived();
        download->rate.sample(received, now);
        running.append(download->request.id);
    }
    for (const QString& id : running)
        emit progressChanged(id);
}

qint64 DownloadManager::laterPartsBytes(const Download& download, int index) const
{
    qint64 bytes = 0;
    for (size_t i = size_t(index) + 1; i < download.tasks.size(); ++i) {
        const DownloadTask& task = *download.tasks[i];
        if (task.bytesTotal() > 0)
            bytes += task.bytesTotal() - task.bytesDone();
    }
    return bytes;
}

} // namespace ponder::app
