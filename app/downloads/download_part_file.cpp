// DownloadTask, the files on disk: the .part and its .part.json state
// (download_state.h), the lock that keeps one writer per .part, resuming
// what an earlier run left (re-hashed off the UI thread), checkpoints, the
// disk-space check, and the rename of the finished .part over <dest>. Apart
// from the HTTP side (download_transfer.cpp) and the checks of a complete
// file (download_verify.cpp) because what a file on disk can be trusted for
// changes with the file system, not with the protocol.
#include "download_task.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QStorageInfo>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "unverified_mark.h"

namespace ponder::app {
namespace {

QString native(const QString& path)
{
    return QDir::toNativeSeparators(path);
}

std::filesystem::path fsPath(const QString& path)
{
    return std::filesystem::path(path.toStdU16String());
}

// The .part is ours to truncate only while it is a plain file: a symlink
// planted there would make us cut and overwrite whatever it points at.
bool isRegularOrAbsent(const QString& path)
{
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::symlink_status(fsPath(path), error);
    return status.type() == std::filesystem::file_type::not_found || status.type() == std::filesystem::file_type::regular;
}

// Opens (creating) the .part for reading and writing without following a
// symlink, and only if it is a regular file. Returns why not, or empty.
QString openRegularFile(QFile& file, const QString& path)
{
    file.setFileName(path);
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno == ELOOP ? DownloadTask::tr("it is a link") : QString::fromLocal8Bit(std::strerror(errno));
    struct stat info {};
    const bool regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
    // Unbuffered: a write the disk refuses fails in write(), not later in a flush.
    if (regular && file.open(fd, QIODevice::ReadWrite | QIODevice::Unbuffered, QFileDevice::AutoCloseHandle))
        return {};
    ::close(fd);
    return regular ? file.errorString() : DownloadTask::tr("it is not a regular file");
#else
    if (!isRegularOrAbsent(path))
        return DownloadTask::tr("it is not a regular file");
    return file.open(QIODevice::ReadWrite | QIODevice::Unbuffered) ? QString() : file.errorString();
#endif
}

} // namespace

qint64 availableDiskSpace(const QString& directory)
{
    const QStorageInfo storage(directory);
    return storage.isValid() && storage.isReady() ? storage.bytesAvailable() : -1;
}

// Anything but a plain file at the .part (a link?) is refused and left
// alone, before start() re-hashes, truncates or deletes it.
bool DownloadTask::ensurePlainPart()
{
    if (isRegularOrAbsent(partPath()))
        return true;
    fail(tr("%1 is not a regular file (a link?); it was left as it is").arg(native(partPath())));
    return false;
}

bool DownloadTask::takeLock()
{
    if (m_lock)
        return true;
    QDir().mkpath(QFileInfo(m_part.destination).absolutePath());
    auto lock = std::make_unique<QLockFile>(lockPath());
    lock->setStaleLockTime(0);  // a live owner keeps it however long it downloads; a dead one's is taken over
    if (!lock->tryLock(0))
        return false;
    m_lock = std::move(lock);
    return true;
}

bool DownloadTask::accept()
{
    if (m_phase != Phase::Verified)
        return false;
    // The mark goes first and away last: a crash in between leaves a file
    // marked unverified that was verified, never the other way round.
    const QString markPath = UnverifiedMark::pathFor(m_part.destination);
    const bool hadMark = QFileInfo::exists(markPath) || QFileInfo(markPath).isSymLink();
    if (unverified()) {
        const UnverifiedMark mark{m_unverifiedReason, m_part.url.toString(QUrl::FullyEncoded), m_actualSha, m_done};
        if (QString error; !mark.write(m_part.destination, &error)) {
            fail(error);
            return false;
        }
    }
    // std::filesystem::rename replaces an existing file atomically (rename(2),
    // MoveFileEx): readers see the old file or the new one, never a half.
    std::error_code error;
    std::filesystem::rename(fsPath(partPath()), fsPath(m_part.destination), error);
    if (error) {
        if (unverified() && !hadMark)
            UnverifiedMark::remove(m_part.destination);  // the file there is the old one, unmarked before
        fail(tr("could not rename %1 to %2: %3")
                 .arg(native(partPath()), native(m_part.destination), QString::fromStdString(error.message())));
        return false;
    }
    if (!unverified() && !UnverifiedMark::remove(m_part.destination))
        qCWarning(lcDownload) << "could not remove" << markPath << "of the file this verified one replaced";
    QFile::remove(statePath());
    m_lock.reset();
    setPhase(Phase::Done);
    return true;
}

// The state an earlier run left for this very file (same URL, and no
// contradiction with the size and SHA-256 the caller expects), with the
// bytes it vouches for: no more than the state counted nor the .part holds.
std::optional<DownloadState> DownloadTask::matchingState(qint64* trustedBytes) const
{
    *trustedBytes = 0;
    std::optional<DownloadState> state = DownloadState::read(statePath());
    const QFileInfo info(partPath());
    if (!state || !info.exists() || state->url != m_part.url.toString(QUrl::FullyEncoded))
        return std::nullopt;
    if (m_part.expectedSize >= 0 && state->size >= 0 && state->size != m_part.expectedSize)
        return std::nullopt;
    if (!m_part.expectedSha256.isEmpty() && !state->sha256.isEmpty() &&
        state->sha256 != m_part.expectedSha256.toLower())
        return std::nullopt;
    *trustedBytes = qMin(state->bytesDone, info.size());
    return state;
}

// Picks up the .part an earlier run left and re-hashes the bytes it can
// trust in the background; anything else there is thrown away.
void DownloadTask::resumeFromDisk()
{
    m_hash.reset();
    m_done = 0;
    qint64 trusted = 0;
    const std::optional<DownloadState> state = matchingState(&trusted);
    if (trusted <= 0) {
        if (QFile::exists(partPath()) || QFile::exists(statePath()))
            qCInfo(lcDownload) << "not resuming" << partPath() << (state ? "(no data)" : "(no state, or another file's)");
        removeFiles();
        startOver();
        begin();
        return;
    }
    if (m_size < 0)
        m_size = state->size;
    if (m_sha.isEmpty())
        m_sha = state->sha256;
    // Bytes past the saved count were written after the last checkpoint;
    // they are probably fine, but nothing vouches for them.
    const qint64 onDisk = QFileInfo(partPath()).size();
    if (onDisk > trusted && !QFile::resize(partPath(), trusted)) {
        removeFiles();
        startOver();
        begin();
        return;
    }
    if (onDisk != state->bytesDone)
        qCInfo(lcDownload) << partPath() << "holds" << onDisk << "bytes, its state" << state->bytesDone
                           << ": resuming from" << trusted;
    m_done = trusted;
    setPhase(Phase::Checking);
    m_hashWatcher = new QFutureWatcher<PrefixHash>(this);
    connect(m_hashWatcher, &QFutureWatcherBase::finished, this, &DownloadTask::hashed);
    m_hashWatcher->setFuture(hashFilePrefix(partPath(), trusted));
}

void DownloadTask::hashed()
{
    const QFuture<PrefixHash> future = m_hashWatcher->future();
    m_hashWatcher->deleteLater();
    m_hashWatcher = nullptr;
    if (future.isCanceled() || future.resultCount() == 0)
        return;
    const PrefixHash result = future.result();
    if (result.hash) {
        m_hash = result.hash;
    } else {
        qCWarning(lcDownload) << "starting over:" << result.error;
        startOver();
    }
    begin();
}

void DownloadTask::cancelHashing()
{
    if (!m_hashWatcher)
        return;
    m_hashWatcher->future().cancel();
    delete m_hashWatcher;
    m_hashWatcher = nullptr;
}

// Forgets every byte: an empty .part (if any) and a fresh hash. What the file
// must turn out to be (m_size, m_sha) stays.
void DownloadTask::startOver()
{
    m_done = 0;
    m_hash = std::make_shared<Sha256>();
    if (m_file.isOpen()) {
        m_file.resize(0);
        m_file.seek(0);
    } else {
        // Removed, not truncated: unlinking a symlink leaves its target alone.
        QFile::remove(partPath());
    }
}

bool DownloadTask::openPart()
{
    if (!m_file.isOpen()) {
        QDir().mkpath(QFileInfo(m_part.destination).absolutePath());
        if (const QString error = openRegularFile(m_file, partPath()); !error.isEmpty()) {
            fail(tr("could not write %1: %2").arg(native(partPath()), error));
            return false;
        }
    }
    if ((m_file.size() != m_done && !m_file.resize(m_done)) || !m_file.seek(m_done)) {
        fail(tr("could not write %1: %2").arg(native(partPath()), m_file.errorString()));
        return false;
    }
    if (!m_hash)
        m_hash = std::make_shared<Sha256>();
    return true;
}

void DownloadTask::closePart()
{
    if (m_file.isOpen())
        m_file.close();
}

// Saves the state with the bytes written so far. Writes are unbuffered, so
// every counted byte is already with the operating system.
void DownloadTask::checkpoint()
{
    m_sinceCheckpoint.restart();
    if (!m_file.isOpen() && !QFile::exists(partPath()))
        return;
    DownloadState state;
    state.url = m_part.url.toString(QUrl::FullyEncoded);
    state.size = m_size;
    state.sha256 = m_sha;
    state.bytesDone = m_done;
    state.download = m_downloadJson;
    QString error;
    if (!state.write(statePath(), &error))
        qCWarning(lcDownload) << error;
}

void DownloadTask::removeFiles()
{
    QFile::remove(partPath());
    QFile::remove(statePath());
}

bool DownloadTask::hasRoomFor(qint64 bytes)
{
    if (bytes <= 0 || !m_policy.freeSpace)
        return true;
    const QString folder = QFileInfo(m_part.destination).absolutePath();
    QDir().mkpath(folder);
    const qint64 free = m_policy.freeSpace(folder);
    if (free < 0 || free >= bytes)
        return true;
    const QLocale locale;
    fail(tr("not enough disk space: it needs %1 more, and %2 has %3 free")
             .arg(locale.formattedDataSize(bytes), native(folder), locale.formattedDataSize(free)));
    return false;
}

} // namespace ponder::app
