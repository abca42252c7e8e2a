// One Ponder per user and data folder: the first launch listens on a local
// socket; a later launch (another .gguf double-clicked in the file manager)
// connects, hands over its file, and exits without opening a window, an
// engine or the database, so there is never a second engine on the GPU or
// a second writer of the conversation store. The running window then comes
// to the front and offers to load the file (Main.qml).
//
// The socket is named from the user and the data folder, so test runs with
// XDG folders of their own never meet each other or the user's Ponder, and
// lives in the runtime folder (XDG_RUNTIME_DIR, private to the user). A
// socket file left by a crash is removed only when nothing answers on it.
//
// The message is one line of JSON, {"open": "/absolute/path.gguf"} or {}
// (just come to the front), answered by one line: "ok" or "refused: why".
// The receiver treats it as hostile: at most kMaxMessageBytes, one path,
// which must name an existing regular file ending in .gguf that starts with
// the GGUF magic; anything else is refused with the reason, and nothing is
// opened.
//
// Main.qml sees it as its `singleInstance` property (a QtObject: main.cpp
// sets it; tests may too), null when this Ponder runs alone (--new-instance).
#pragma once

#include <QLocalServer>
#include <QObject>
#include <QString>

#include <expected>
#include <optional>

namespace ponder::app {

class SingleInstance : public QObject {
    Q_OBJECT

public:
    // A message longer than this (bytes, the newline included) is refused unread.
    static constexpr qsizetype kMaxMessageBytes = 8192;
    // How long either side waits for the other, in ms.
    static constexpr int kTimeoutMs = 3000;

    // What a second launch got from the running one.
    struct HandOff {
        bool accepted = false;
        QString reply;  // "ok", or "refused: why", or why there was no answer
    };

    // The socket of this user's Ponder with this data folder (setUpApplication first).
    static QString defaultServerName();
    // Reaches the Ponder listening on `serverName` and hands it `file` (an
    // absolute path; empty: just come to the front). nullopt when nothing
    // listens there; else what it answered.
    static std::optional<HandOff> handOff(const QString& serverName, const QString& file,
                                          int timeoutMs = kTimeoutMs);
    // The message's path (empty for "come to the front"), or why it is refused.
    static std::expected<QString, QString> parseMessage(const QByteArray& message);
    // The message handOff() sends for `file`.
    static QByteArray message(const QString& file);

    explicit SingleInstance(const QString& serverName, QObject* parent = nullptr);

    // Starts listening. A socket file nobody answers on (a crash's) is
    // removed first; false when another Ponder answers there (hand off to
    // it instead) or listening fails (errorString).
    bool listen();
    QString serverName() const { return m_serverName; }
    QString errorString() const { return m_server.errorString(); }

signals:
    // Another launch asked to open `path` (checked: a regular .gguf file).
    void fileReceived(const QString& path);
    // Another launch started with no file: come to the front.
    void activationRequested();
    // A message was refused: `why`, in words (for the log; the sender prints it).
    void refused(const QString& why);

private:
    void accept();

    QString m_serverName;
    QLocalServer m_server;
};

} // namespace ponder::app
