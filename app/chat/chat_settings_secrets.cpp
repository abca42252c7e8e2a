// ChatSettings' keys (chat_settings.h): kept in SecretStore (the system
// keyring when one answers, else private files), read when first needed.
#include "chat_settings.h"

#include <QSettings>

#include <memory>
#include <utility>

#include "secret_store.h"

namespace ponder::app {
namespace {

// The settings' key of `name`, as in chat_settings.cpp.
QString key(const char* name)
{
    return QStringLiteral("chat/") + QString::fromLatin1(name);
}

} // namespace

QString ChatSettings::secretsWhere() const
{
    return m_secrets->whereText();
}

bool ChatSettings::secretsInKeyring() const
{
    return m_secrets->place() == SecretStore::Place::Keyring;
}

bool ChatSettings::hasSecret(const QString& member, const char* name) const
{
    if (!member.isEmpty() || m_secretsLoaded)
        return !member.isEmpty();
    return QSettings().value(key("secretsInKeyring")).toStringList().contains(QLatin1String(name));
}

// The names (never the values) of the secrets the keyring holds, so the
// dialogs can say a key is saved without reading the keyring at start.
void ChatSettings::markSavedInKeyring(const char* name, bool saved)
{
    QSettings settings;
    QStringList names = settings.value(key("secretsInKeyring")).toStringList();
    names.removeAll(QLatin1String(name));
    if (saved)
        names << QLatin1String(name);
    settings.setValue(key("secretsInKeyring"), names);
}

void ChatSettings::loadSecrets(std::function<void()> done)
{
    if (m_secretsLoaded)
        return done();
    m_secretsWaiting << std::move(done);
    if (m_secretsWaiting.size() > 1)
        return;  // a read is under way
    auto remaining = std::make_shared<int>(3);
    auto fill = [this, remaining](QString* member) {
        return [this, remaining, member](const QString& value) {
            if (member->isEmpty())  // one typed meanwhile stands
                *member = value;
            if (--*remaining > 0)
                return;
            m_secretsLoaded = true;
            emit changed();
            const auto waiting = std::exchange(m_secretsWaiting, {});
            for (const auto& function : waiting)
                function();
        };
    };
    m_secrets->read(QLatin1String(kServerApiKeyName), fill(&m_serverApiKey));
    m_secrets->read(QLatin1String(kServerLoginName), fill(&m_serverLogin));
    m_secrets->read(QLatin1String(kServeApiKeyName), fill(&m_serveApiKey));
}

// In the keyring when one answers, else in the secret's private file
// (SecretStore); at once where there is no keyring, later where there is.
void ChatSettings::saveSecret(QString& member, const QString& value, const char* name)
{
    if (value == member && m_serverKeyError.isEmpty() && (m_secretsLoaded || !value.isEmpty()))
        return;
    member = value;
    m_secrets->write(QLatin1String(name), value, [this, name, saved = !value.isEmpty()](const QString& error) {
        m_serverKeyError = error;
        if (error.isEmpty() && m_secrets->place() == SecretStore::Place::Keyring)
            markSavedInKeyring(name, saved);
        emit changed();
    });
    emit changed();
}

} // namespace ponder::app
