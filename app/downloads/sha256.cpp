#include "sha256.h"

#include <openssl/evp.h>

#include <new>

namespace ponder::app {

void Sha256::Free::operator()(EVP_MD_CTX* context) const
{
    EVP_MD_CTX_free(context);
}

Sha256::Sha256() : m_context(EVP_MD_CTX_new())
{
    // Both fail only when memory runs out; treat them like a failed new.
    if (!m_context || EVP_DigestInit_ex(m_context.get(), EVP_sha256(), nullptr) != 1)
        throw std::bad_alloc();
}

Sha256::~Sha256() = default;

void Sha256::addData(QByteArrayView data)
{
    if (!data.isEmpty())
        EVP_DigestUpdate(m_context.get(), data.data(), size_t(data.size()));
}

QByteArray Sha256::result() const
{
    // Finalising consumes a context, so finalise a copy.
    std::unique_ptr<EVP_MD_CTX, Free> copy(EVP_MD_CTX_new());
    if (!copy || EVP_MD_CTX_copy_ex(copy.get(), m_context.get()) != 1)
        throw std::bad_alloc();
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    EVP_DigestFinal_ex(copy.get(), reinterpret_cast<unsigned char*>(digest.data()), &length);
    digest.truncate(int(length));
    return digest;
}

QByteArray Sha256::hash(QByteArrayView data)
{
    Sha256 sha;
    sha.addData(data);
    return sha.result();
}

} // namespace ponder::app
