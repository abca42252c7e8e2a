#include "app_palette.h"

#include <QGuiApplication>
#include <QPalette>

namespace ponder::app {

AppPalette::AppPalette(QObject* parent) : QObject(parent) {}

QColor AppPalette::link() const
{
    return QGuiApplication::palette().color(QPalette::Link);
}

void AppPalette::setLink(const QColor& colour)
{
    if (!colour.isValid() || colour == link())
        return;
    QPalette palette = QGuiApplication::palette();
    for (QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled})
        palette.setColor(group, QPalette::Link, colour);
    QGuiApplication::setPalette(palette);
    emit linkChanged();
}

} // namespace ponder::app
