// SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA instructions
// where they exist: about 10x QCryptographicHash's portable code in Qt 6.4
// (1.8 GB/s against 0.18 GB/s here, BENCHMARKS.md). That is the difference
// between a 1 Gbit/s download keeping the UI thread 7% busy hashing or 70%,
// and between re-hashing a 40 GB partial file in 22 s or in 4 minutes.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace ponder::app {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void addData(QByteArrayView data);
    // The digest of everything added so far; more can be added after.
    QByteArray result() const;
    QString hexResult() const { return QString::fromLatin1(result().toHex()); }

    static QByteArray hash(QByteArrayView data);

private:
    struct Free {
        void operator()(EVP_MD_CTX* context) const;
    };
    std::unique_ptr<EVP_MD_CTX, Free> m_context;
};

} // namespace ponder::app
