#include "desktop_actions.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QUrl>

Q_LOGGING_CATEGORY(lcDesktop, "ponder.desktop")

namespace ponder::app {

DesktopActions::DesktopActions(QObject* parent)
    : QObject(parent)
{
}

void DesktopActions::copyText(const QString& text)
{
    if (QClipboard* clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

bool DesktopActions::isWebLink(const QString& url)
{
    const QUrl link(url, QUrl::StrictMode);
    const QString scheme = link.scheme().toLower();
    return link.isValid() && !link.host().isEmpty() &&
           (scheme == QLatin1String("http") || scheme == QLatin1String("https"));
}

bool DesktopActions::openLink(const QString& url)
{
    if (!isWebLink(url)) {
        qCInfo(lcDesktop) << "not opening link" << url;
        return false;
    }
    return QDesktopServices::openUrl(QUrl(url, QUrl::StrictMode));
}

} // namespace ponder::app
