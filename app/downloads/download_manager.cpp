#include "download_manager.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QStandardPaths>

#include <algorithm>

#include "byte_format.h"
#include "split_name.h"

namespace ponder::app {
namespace {

// A size for the download list, as the picker shows file sizes; "?" while unknown.
QString fileBytesText(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("?") : formatFileBytes(uint64_t(bytes));
}

// Running, or waiting for a slot to run in: what pause() stops and a new start() may not replace.
bool isRunningOrQueued(DownloadManager::Status status)
{
    return DownloadManager::isRunning(status) || status == DownloadManager::Status::Queued;
}

// "Model-Q4_K_M-00001-of-00002.gguf" → "Model-Q4_K_M.gguf": one id for all parts.
QString idFor(const DownloadRequest& request)
{
    const QString name = QFileInfo(request.parts.first().destination).fileName();
    return request.parts.size() > 1 ? splitModelName(name) : name;
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

bool DownloadManager::isRunning(Status status)
{
    return status == Status::Checking || status == Status::Downloading || status == Status::Retrying ||
           status == Status::Verifying;
}

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

bool DownloadManager::allowLoopbackHttp(const QUrl& origin)
{
    if (!isLoopbackHttpOrigin(origin))
        return false;
    const QString key = urlOrigin(origin);
    if (!m_httpOrigins.contains(key))
        m_httpOrigins.append(key);
    return true;
}

QString DownloadManager::start(const DownloadRequest& request)
{
    setError(QString());
    if (const std::optional<QString> problem = request.problem()) {
        setError(tr("Cannot download: %1").arg(*problem));
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
            setError(tr("Cannot download %1: a download with that name is running").arg(resolved.name));
            return {};
        }
        // Replaced: its tasks save their state on the way out, and the new
        // ones take up from it only if it is for the same files.
        m_downloads.erase(std::find_if(m_downloads.begin(), m_downloads.end(),
                                       [existing](const auto& d) { return d.get() == existing; }));
    }
    for (const DownloadPart& part : resolved.parts) {
        if (const Download* other = owner(part.destination)) {
            setError(tr("Cannot download %1: %2 is already being downloaded for %3")
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
        const std::optional<DownloadRequest> request =
            DownloadRequest::fromJson(state->download, m_modelsFolder, m_httpOrigins);
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
    for (size_t i = 0; i < download->tasks.size(); ++i) {
        const DownloadTask& task = *download->tasks[i];
        info.bytesDone += task.bytesDone();
        total = total < 0 || task.bytesTotal() < 0 ? -1 : total + task.bytesTotal();
        info.files.append(task.part().destination);
        const bool complete = task.phase() == DownloadTask::Phase::Verified || task.phase() == DownloadTask::Phase::Done;
        if (complete && task.unverified() && !info.unverified) {
            info.unverified = true;
            info.unverifiedReason = download->tasks.size() > 1
                ? QStringLiteral("part %1 of %2: %3").arg(i + 1).arg(download->tasks.size()).arg(task.unverifiedReason())
                : task.unverifiedReason();
        }
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
        {QStringLiteral("runningOrQueued"), isRunningOrQueued(i->status)},  // what Pause applies to
        {QStringLiteral("bytesDone"), i->bytesDone},
        {QStringLiteral("bytesTotal"), i->bytesTotal},
        {QStringLiteral("bytesPerSecond"), i->bytesPerSecond},
        {QStringLiteral("secondsLeft"), i->secondsLeft},
        {QStringLiteral("partCount"), i->partCount},
        {QStringLiteral("currentPart"), i->currentPart},
        {QStringLiteral("errorString"), i->errorString},
        {QStringLiteral("retryReason"), i->retryReason},
        {QStringLiteral("files"), i->files},
        {QStringLiteral("unverified"), i->unverified},
        {QStringLiteral("unverifiedReason"), i->unverifiedReason},
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

} // namespace ponder::app
