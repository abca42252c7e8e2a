// What a click in the UI asks of the desktop: putting text on the clipboard
// and opening a link in the browser. Kept out of the controllers, which
// hold the conversation, not the desktop; a QML singleton so any view can
// reach it without one being passed down.
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace ponder::app {

class DesktopActions : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit DesktopActions(QObject* parent = nullptr);

    /// Copies `text` to the clipboard (a message, a code block).
    Q_INVOKABLE static void copyText(const QString& text);
    /// Opens a link from an answer in the system's browser; http and https
    /// only, so model output cannot open local files or programs. False
    /// when refused or the desktop could not open it.
    Q_INVOKABLE static bool openLink(const QString& url);
    /// Whether openLink would hand `url` to the browser (the link dialog asks it too).
    Q_INVOKABLE static bool isWebLink(const QString& url);
};

} // namespace ponder::app
