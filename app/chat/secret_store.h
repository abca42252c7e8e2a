// Where Ponder keeps its secrets (the API key and user:password of the
// server the chat talks to, the key of the app's own server): the system
// keyring when a Secret Service answers (QtKeychain: libsecret on Linux,
// the Keychain on macOS, the Credential Store on Windows), else a private
// file of its own beside the settings (KeyFile), never the settings file.
//
// Every call is asynchronous (QtKeychain's jobs run over D-Bus, and a
// keyring may ask the user to unlock it): nothing blocks the GUI thread.
// The keyring is touched only when a secret is read or written, or when
// migrate() finds a file to move, so starting Ponder never asks for it.
//
// Where no keyring can answer (Linux without a session bus: CI, a bare
// console) the store is its files, decided at once and answered
// synchronously, as KeyFile always was.
//
// migrate(): a key file left from before (or from a start without a
// keyring) moves into the keyring once one answers, and the file is
// removed; if the keyring cannot take it, the file stays.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace ponder::app {

class SecretStore : public QObject {
    Q_OBJECT

public:
    enum class Place {
        Unknown,  // no secret read or written yet
        Keyring,
        File,     // no keyring answered: private files beside the settings
    };

    // Entries of the keyring's service `service` (empty: the application's
    // name), with their fallback files in `folder` (empty: the folder of
    // QSettings' file), one per entry name.
    explicit SecretStore(QString service = {}, QString folder = {}, QObject* parent = nullptr);

    // The secret `name`, or empty when none is saved; migrates its file.
    void read(const QString& name, std::function<void(const QString& value)> done);
    // Saves `value` as `name` (empty removes it); `done` gets the reason,
    // in words for the user, when it could not be saved, else empty.
    void write(const QString& name, const QString& value, std::function<void(const QString& error)> done);
    // Moves `name`'s file into the keyring when there is a file and a
    // keyring answers; `done` (optional) says whether it moved.
    void migrate(const QString& name, std::function<void(bool moved)> done = {});

    // False where no keyring can answer, decided without asking one (Linux:
    // no session bus); the store is then its files, answered at once.
    static bool keyringPossible();

    Place place() const { return m_place; }
    // Where the secrets are, for the dialogs: "Stored in the system keyring"
    // or "Stored in FILE (no keyring found)"; empty while unknown.
    QString whereText() const;
    // The fallback file of `name`.
    QString filePath(const QString& name) const;

signals:
    void placeChanged();

private:
    void setPlace(Place place);
    // Writes `value` to the keyring; `done(true)` when it took it, false when no keyring answered or it failed.
    void writeKeyring(const QString& name, const QString& value, std::function<void(bool ok, const QString& why)> done);

    QString m_service;
    QString m_folder;
    Place m_place = Place::Unknown;
};

} // namespace ponder::app
