#include "secret_store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSettings>

#include <qt6keychain/keychain.h>

#include "key_file.h"

Q_LOGGING_CATEGORY(lcSecrets, "ponder.secrets")

namespace ponder::app {
namespace {

// Errors that mean no keyring answered (no Secret Service, no session
// bus), as against one that answered and refused or failed.
bool noKeyring(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented ||
           error == QKeychain::OtherError;
}

} // namespace

SecretStore::SecretStore(QString service, QString folder, QObject* parent)
    : QObject(parent), m_service(service.isEmpty() ? QCoreApplication::applicationName() : std::move(service)),
      m_folder(folder.isEmpty() ? QFileInfo(QSettings().fileName()).absolutePath() : std::move(folder))
{
    if (!keyringPossible())
        m_place = Place::File;
}

bool SecretStore::keyringPossible()
{
#ifdef Q_OS_LINUX
    // The Secret Service and KWallet both answer over the session bus.
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") ||
           (!runtime.isEmpty() && QFileInfo::exists(runtime + QStringLiteral("/bus")));
#else
    return true;
#endif
}

QString SecretStore::filePath(const QString& name) const
{
    return m_folder + u'/' + name;
}

QString SecretStore::whereText() const
{
    switch (m_place) {
    case Place::Keyring: return tr("Stored in the system keyring");
    case Place::File: return tr("Stored in %1 (no keyring found)").arg(QDir::toNativeSeparators(m_folder));
    case Place::Unknown: break;
    }
    return QString();
}

void SecretStore::setPlace(Place place)
{
    if (m_place == place)
        return;
    m_place = place;
    emit placeChanged();
}

void SecretStore::writeKeyring(const QString& name, const QString& value,
                               std::function<void(bool ok, const QString& why)> done)
{
    QKeychain::Job* job = nullptr;
    if (value.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(m_service, this);
    } else {
        auto* write = new QKeychain::WritePasswordJob(m_service, this);
        write->setTextData(value);
        job = write;
    }
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [this, value, done = std::move(done)](QKeychain::Job* finished) {
        const QKeychain::Error error = finished->error();
        const bool ok = error == QKeychain::NoError || (value.isEmpty() && error == QKeychain::EntryNotFound);
        if (ok)
            setPlace(Place::Keyring);
        else if (noKeyring(error))
            setPlace(Place::File);
        else
            qCInfo(lcSecrets) << "the keyring refused" << finished->key() << finished->errorString();
        done(ok, finished->errorString());
    });
    job->start();  // auto-deletes once finished has been emitted
}

void SecretStore::read(const QString& name, std::function<void(const QString& value)> done)
{
    if (m_place == Place::File && !keyringPossible())
        return done(KeyFile(filePath(name)).read());
    auto* job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [this, name, done = std::move(done)](QKeychain::Job* finished) {
        const QKeychain::Error error = finished->error();
        const KeyFile file(filePath(name));
        if (error == QKeychain::NoError) {
            setPlace(Place::Keyring);
            done(static_cast<QKeychain::ReadPasswordJob*>(finished)->textData());
            return;
        }
        if (error == QKeychain::EntryNotFound) {
            setPlace(Place::Keyring);
            const QString fromFile = file.read();
            if (!fromFile.isEmpty())
                migrate(name);
            done(fromFile);
            return;
        }
        if (noKeyring(error))
            setPlace(Place::File);
        // A keyring that answered but refused (locked, denied): the file, if any.
        done(file.read());
    });
    job->start();
}

void SecretStore::write(const QString& name, const QString& value, std::function<void(const QString& error)> done)
{
    if (m_place == Place::File && !keyringPossible()) {
        const auto saved = KeyFile(filePath(name)).write(value);
        return done(saved ? QString() : saved.error());
    }
    writeKeyring(name, value, [this, name, value, done = std::move(done)](bool ok, const QString& why) {
        const KeyFile file(filePath(name));
        if (ok) {
            // In the keyring: no copy stays in a file.
            if (QFile::exists(file.path()) && !QFile::remove(file.path()))
                return done(tr("saved in the keyring, but the old file %1 could not be deleted")
                                .arg(QDir::toNativeSeparators(file.path())));
            return done(QString());
        }
        if (m_place == Place::Keyring)
            return done(tr("the keyring refused it: %1").arg(why));
        const auto saved = file.write(value);
        done(saved ? QString() : saved.error());
    });
}

void SecretStore::migrate(const QString& name, std::function<void(bool moved)> done)
{
    const KeyFile file(filePath(name));
    const QString value = file.read();
    if (value.isEmpty() || !keyringPossible()) {
        if (done)
            done(false);
        return;
    }
    writeKeyring(name, value, [path = file.path(), done = std::move(done)](bool ok, const QString&) {
        // Only once the keyring holds it: a failed write keeps the file.
        const bool moved = ok && QFile::remove(path);
        if (moved)
            qCInfo(lcSecrets) << "moved" << path << "into the keyring";
        if (done)
            done(moved);
    });
}

} // namespace ponder::app
