// SHA-256 of the bytes already on disk, off the UI thread: a resumed
// download re-hashes its partial file (up to tens of gigabytes) rather than
// trust a saved digest, and then keeps feeding the same hash as data arrives.
#pragma once

#include <QFuture>
#include <QString>

#include <memory>

#include "sha256.h"

namespace ponder::app {

struct PrefixHash {
    // SHA-256 fed with the file's first bytes, ready for more; null on error.
    std::shared_ptr<Sha256> hash;
    QString error;  // why the file could not be read, in words; empty on success
};

// Hashes the first `bytes` bytes of the file at `path` on Qt's global thread
// pool, reading it in 1 MiB pieces. Cancelling the future stops the reading
// at the next piece; a file shorter than `bytes` is an error.
QFuture<PrefixHash> hashFilePrefix(const QString& path, qint64 bytes);

} // namespace ponder::app
