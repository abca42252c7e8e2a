#include "file_hash.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QPromise>
#include <QThreadPool>

#include <vector>

namespace ponder::app {
namespace {

// lupdate takes a tr() call's context from its class.
struct HashText {
    Q_DECLARE_TR_FUNCTIONS(FileHash)
};

constexpr qint64 kPieceBytes = 1024 * 1024;

PrefixHash hashNow(const QString& path, qint64 bytes, const QPromise<PrefixHash>& promise)
{
    auto hash = std::make_shared<Sha256>();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {nullptr, HashText::tr("could not read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString())};
    std::vector<char> piece(size_t(qMin(kPieceBytes, qMax<qint64>(bytes, 1))));
    for (qint64 left = bytes; left > 0;) {
        if (promise.isCanceled())
            return {nullptr, QStringLiteral("cancelled")};
        const qint64 read = file.read(piece.data(), qMin<qint64>(left, qint64(piece.size())));
        if (read <= 0)
            return {nullptr, read < 0 ? HashText::tr("could not read %1: %2")
                                            .arg(QDir::toNativeSeparators(path), file.errorString())
                                      : HashText::tr("%1 is shorter than expected")
                                            .arg(QDir::toNativeSeparators(path))};
        hash->addData(QByteArrayView(piece.data(), read));
        left -= read;
    }
    return {std::move(hash), QString()};
}

} // namespace

QFuture<PrefixHash> hashFilePrefix(const QString& path, qint64 bytes)
{
    // QThreadPool takes a copyable function; the promise is move-only.
    auto promise = std::make_shared<QPromise<PrefixHash>>();
    QFuture<PrefixHash> future = promise->future();
    promise->start();
    QThreadPool::globalInstance()->start([promise, path, bytes] {
        promise->addResult(hashNow(path, bytes, *promise));
        promise->finish();
    });
    return future;
}

} // namespace ponder::app
