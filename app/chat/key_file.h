// A secret (the OpenAI-compatible server's API key, or the user:password a
// server address carried) in a file of its own
// beside the settings file, never in the settings file itself: QSettings
// creates and rewrites its file with the default permissions, so a key there
// would be readable by other accounts, at least until a chmod after the fact.
//
// write() creates a new file with owner-only permissions from the start
// (O_CREAT|O_EXCL with mode 0600, so no moment exists where it is readable
// by others and no planted symlink is followed), checks the permissions it
// got, and renames it over the old one atomically.
#pragma once

#include <QString>

#include <expected>

namespace ponder::app {

class KeyFile {
public:
    explicit KeyFile(QString path) : m_path(std::move(path)) {}
    // "server-api-key" in the folder of QSettings' file for this application.
    static KeyFile serverApiKey();
    // "server-login" beside it: the user:password@ of the saved server address.
    static KeyFile serverLogin();
    // "serve-api-key" beside it: the key clients of the app's own server send.
    static KeyFile serveApiKey();

    QString path() const { return m_path; }
    // The key, or empty when there is no file (or it cannot be read).
    QString read() const;
    // Saves `key`, or removes the file when it is empty. On failure nothing
    // new is saved and the error says why, in words for the user.
    std::expected<void, QString> write(const QString& key) const;

private:
    QString m_path;
};

} // namespace ponder::app
