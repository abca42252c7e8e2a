// The application palette's colours that QML cannot reach: Qt's Markdown
// reader colours links with QGuiApplication's palette when it parses, not
// with a Text's linkColor, so the theme's link colour has to go there.
#pragma once

#include <QColor>
#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace ponder::app {

class AppPalette : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

    /// Colour of links in Markdown text parsed from now on; re-parse text after a change.
    Q_PROPERTY(QColor link READ link WRITE setLink NOTIFY linkChanged)

public:
    explicit AppPalette(QObject* parent = nullptr);

    QColor link() const;
    void setLink(const QColor& colour);

signals:
    void linkChanged();
};

} // namespace ponder::app
