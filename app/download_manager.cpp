#include "download_manager.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

#include "model_fit.h"

namespace ponder::app {
namespace {

bool isRunning(DownloadManager::Status status)
{
    return status == DownloadManager::Status::Checking || status == DownloadManager::Status::Downloading ||
           status == DownloadManager::Status::Retrying;
}

// A size for the download list, as the picker shows file sizes; "?" while unknown.
QString fileBytesText(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("?") : formatFileBytes(uint64_t(bytes));
}

// Running, or waiting for a slot to run in: what pause() stops and a new start() may not replace.
bool isRunningOrQueued(DownloadManager::Status status)
{
    return isRunning(status) || status == DownloadManager::Status::Queued;
}

// "Model-Q4_K_M-00001-of-00002.gguf" → "Model-Q4_K_M.gguf": one id for all parts.
QString idFor(const DownloadRequest& request)
{
    static const QRegularExpression partSuffix(QStringLiteral("-\\d{5}-of-\\d{5}(\\.[^.]*)?$"));
    QString name = QFileInfo(request.parts.first().destination).fileName();
    if (request.parts.size() > 1)
        name.replace(partSuffix, QStringLiteral("\\1"));
    return name;
}

bool sameFiles(const DownloadRequest& a, const DownloadRequest& b)
{
    if (a.parts.size() != b.parts.size())
        return false;
    for (qsizetype i = 0; i < a.parts.size(); ++i)
        if (a.parts[i].url != b.parts[i].url || a.parts[i].destination != b.parts[i].destination)
            return false;
    return true;
}

} // namespace

DownloadManager::DownloadManager(QObject* parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)), m_modelsFolder(defaultModelsFolder())
{
    m_progressTimer.setInterval(250);
    connect(&m_progressTimer, &QTimer::timeout, this, &DownloadManager::tick);
    m_clock.start();
}

DownloadManager::~DownloadManager()
{
    // Before m_network goes: the tasks' replies belong to it.
    m_downloads.clear();
}

QString DownloadManager::defaultModelsFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/models");
}

void DownloadManager::setModelsFolder(const QString& folder)
{
    if (folder == m_modelsFolder)
        return;
    m_modelsFolder = folder;
    emit modelsFolderChanged();
}

QStringList DownloadManager::downloadIds() const
{
    QStringList ids;
    for (const auto& download : m_downloads)
        ids.append(download->request.id);
    return ids;
}

void DownloadManager::setStallTimeoutMs(int ms)
{
    if (ms > 0 && ms != m_policy.stallTimeoutMs) {
        m_policy.stallTimeoutMs = ms;
        emit policyChanged();
    }
}

void DownloadManager::setRetryDelayMs(int ms)
{
    if (ms >= 0 && ms != m_policy.retryDelayMs) {
        m_policy.retryDelayMs = ms;
        emit policyChanged();
    }
}

void DownloadManager::setMaxConcurrent(int count)
{
    if (count >= 1 && count != m_maxConcurrent) {
        m_maxConcurrent = count;
        emit policyChanged();
        scheduleQueue();
    }
}

void DownloadManager::setMaxRetries(int count)
{
    if (count >= 0 && count != m_policy.maxRetries) {
        m_policy.maxRetries = count;
        emit policyChanged();
    }
}

void DownloadManager::setProgressIntervalMs(int ms)
{
    if (ms > 0 && ms != m_progressTimer.interval()) {
        m_progressTimer.setInterval(ms);
        emit policyChanged();
    }
}

void DownloadManager::setFreeSpaceProbe(FreeSpaceProbe probe)
{
    m_policy.freeSpace = std::move(probe);
}

QString DownloadManager::start(const DownloadRequest& request)
{
    setError(QString());
    if (const std::optional<QString> problem = request.problem()) {
        setError(QStringLiteral("Cannot download: %1").arg(*problem));
        return {};
    }
    DownloadRequest resolved = request.resolvedIn(m_modelsFolder);
    if (resolved.id.isEmpty())
        resolved.id = idFor(resolved);
    if (resolved.name.isEmpty())
        resolved.name = resolved.id;
    if (Download* existing = find(resolved.id)) {
        if (existing->status != Status::Finished && sameFiles(existing->request, resolved)) {
            resume(resolved.id);
            return resolved.id;
        }
        if (isRunningOrQueued(existing->status)) {
            setError(QStringLiteral("Cannot download %1: a download with that name is running").arg(resolved.name));
            return {};
        }
        // Replaced: its tasks save their state on the way out, and the new
        // ones take up from it only if it is for the same files.
        m_downloads.erase(std::find_if(m_downloads.begin(), m_downloads.end(),
                                       [existing](const auto& d) { return d.get() == existing; }));
    }
    for (const DownloadPart& part : resolved.parts) {
        if (const Download* other = owner(part.destination)) {
            setError(QStringLiteral("Cannot download %1: %2 is already being downloaded for %3")
                         .arg(resolved.name, QDir::toNativeSeparators(part.destination), other->request.name));
            return {};
        }
    }
    add(resolved, true);
    return resolved.id;
}

QString DownloadManager::startDownload(const QUrl& url, const QString& fileName, qint64 expectedSize,
                                       const QString& sha256)
{
    DownloadRequest request;
    request.parts.append(DownloadPart{url, fileName, expectedSize, sha256});
    return start(request);
}

QString DownloadManager::startParts(const QVariantList& parts, const QString& name)
{
    DownloadRequest request;
    request.name = name;
    for (const QVariant& value : parts) {
        const QVariantMap map = value.toMap();
        request.parts.append(DownloadPart{map.value(QStringLiteral("url")).toUrl(),
                                          map.value(QStringLiteral("file")).toString(),
                                          map.value(QStringLiteral("size"), -1).toLongLong(),
                                          map.value(QStringLiteral("sha256")).toString()});
    }
    return start(request);
}

void DownloadManager::pause(const QString& id)
{
    Download* download = find(id);
    if (!download || !isRunningOrQueued(download->status))
        return;
    if (download->status != Status::Queued)
        download->tasks[size_t(download->current)]->pause();
    setStatus(*download, Status::Paused);
}

void DownloadManager::resume(const QString& id)
{
    Download* download = find(id);
    if (download && (download->status == Status::Paused || download->status == Status::Failed))
        run(*download);
}

void DownloadManager::cancel(const QString& id)
{
    const auto it = std::find_if(m_downloads.begin(), m_downloads.end(),
                                 [&id](const auto& d) { return d->request.id == id; });
    if (it == m_downloads.end())
        return;
    std::unique_ptr<Download> download = std::move(*it);
    m_downloads.erase(it);
    for (std::unique_ptr<DownloadTask>& task : download->tasks) {
        task->disconnect(this);
        if (task->phase() != DownloadTask::Phase::Done)
            task->discard();
        // Later: cancel() may be called from a slot of this very task's signal.
        task.release()->deleteLater();
    }
    updateActiveCount();
    scheduleQueue();
    emit downloadsChanged();
}

QStringList DownloadManager::restore()
{
    QStringList added;
    const QDir folder(m_modelsFolder);
    for (const QFileInfo& entry : folder.entryInfoList({QStringLiteral("*.part.json")}, QDir::Files, QDir::Name)) {
        const std::optional<DownloadState> state = DownloadState::read(entry.absoluteFilePath());
        if (!state)
            continue;
        const std::optional<DownloadRequest> request = DownloadRequest::fromJson(state->download, m_modelsFolder);
        if (!request || find(request->id))
            continue;
        const bool taken = std::any_of(request->parts.begin(), request->parts.end(),
                                       [this](const DownloadPart& part) { return owner(part.destination); });
        if (taken)
            continue;
        add(*request, false);
        added.append(request->id);
    }
    return added;
}

std::optional<DownloadManager::Info> DownloadManager::info(const QString& id) const
{
    const Download* download = find(id);
    if (!download)
        return std::nullopt;
    Info info;
    info.id = download->request.id;
    info.name = download->request.name;
    info.status = download->status;
    info.partCount = int(download->tasks.size());
    info.currentPart = download->current;
    info.errorString = download->error;
    qint64 total = 0;
    for (const auto& task : download->tasks) {
        info.bytesDone += task->bytesDone();
        total = total < 0 || task->bytesTotal() < 0 ? -1 : total + task->bytesTotal();
        info.files.append(task->part().destination);
    }
    info.bytesTotal = total;
    if (info.status == Status::Retrying)
        info.retryReason = download->tasks[size_t(download->current)]->retryReason();
    if (isRunning(info.status)) {
        info.bytesPerSecond = download->rate.bytesPerSecond();
        if (total >= 0)
            info.secondsLeft = download->rate.secondsFor(total - info.bytesDone);
    }
    return info;
}

QVariantMap DownloadManager::downloadInfo(const QString& id) const
{
    const std::optional<Info> i = info(id);
    if (!i)
        return {};
    return {
        {QStringLiteral("id"), i->id},
        {QStringLiteral("name"), i->name},
        {QStringLiteral("status"), int(i->status)},  // compares with DownloadManager.Downloading in QML
        {QStringLiteral("bytesDone"), i->bytesDone},
        {QStringLiteral("bytesTotal"), i->bytesTotal},
        {QStringLiteral("bytesPerSecond"), i->bytesPerSecond},
        {QStringLiteral("secondsLeft"), i->secondsLeft},
        {QStringLiteral("partCount"), i->partCount},
        {QStringLiteral("currentPart"), i->currentPart},
        {QStringLiteral("errorString"), i->errorString},
        {QStringLiteral("retryReason"), i->retryReason},
        {QStringLiteral("files"), i->files},
        {QStringLiteral("bytesDoneText"), fileBytesText(i->bytesDone)},
        {QStringLiteral("bytesTotalText"), fileBytesText(i->bytesTotal)},
        {QStringLiteral("bytesPerSecondText"), fileBytesText(qint64(i->bytesPerSecond))},
    };
}

DownloadManager::Download* DownloadManager::find(const QString& id) const
{
    for (const auto& download : m_downloads)
        if (download->request.id == id)
            return download.get();
    return nullptr;
}

// The download (not finished) that writes `destination`, if any.
DownloadManager::Download* DownloadManager::owner(const QString& destination) const
{
    for (const auto& download : m_downloads)
        if (download->status != Status::Finished)
            for (const DownloadPart& part : download->request.parts)
                if (part.destination == destination)
                    return download.get();
    return nullptr;
}

DownloadManager::Download& DownloadManager::add(const DownloadRequest& request, bool startNow)
{
    auto download = std::make_unique<Download>();
    Download* d = download.get();
    d->request = request;
    const QJsonObject json = request.toJson(m_modelsFolder);
    for (const DownloadPart& part : request.parts) {
        auto task = std::make_unique<DownloadTask>(m_network, part, m_policy);
        task->setDownloadJson(json);
        DownloadTask* t = task.get();
        connect(t, &DownloadTask::phaseChanged, this, [this, d, t] { taskPhaseChanged(*d, t); });
        d->tasks.push_back(std::move(task));
    }
    m_downloads.push_back(std::move(download));
    emit downloadsChanged();
    if (startNow)
        run(*d);
    return *d;
}

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
        download.error = QStringLiteral("Download of %1 failed: %2").arg(download.request.name, reason);
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
