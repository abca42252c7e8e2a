#include "comparison_export.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QQuickItem>
#include <QQuickItemGrabResult>
#include <QQuickWindow>
#include <QSaveFile>
#include <QTimer>

#include "comparison_json.h"

namespace ponder::app::comparison_export {
namespace {

// lupdate takes a ExportText::tr() call's context from its class.
struct ExportText {
    Q_DECLARE_TR_FUNCTIONS(ComparisonExport)
};

QImage grab(QQuickItem* item)
{
    if (!item || !item->window() || item->width() <= 0 || item->height() <= 0)
        return {};
    QSharedPointer<QQuickItemGrabResult> result = item->grabToImage();
    if (!result)
        return {};
    QEventLoop loop;
    QObject::connect(result.data(), &QQuickItemGrabResult::ready, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    item->window()->update();
    loop.exec();
    return result->image();
}

} // namespace

bool writeJson(const Comparison& comparison, const QString& path, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(comparison_json::exportDocument(comparison).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
        if (error)
            *error = ExportText::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool writePng(const QList<QQuickItem*>& items, const QString& path, const QColor& background, QString* error)
{
    QList<QImage> images;
    int width = 0;
    int height = 0;
    for (QQuickItem* item : items) {
        const QImage image = grab(item);
        if (image.isNull()) {
            if (error)
                *error = ExportText::tr("Cannot take a picture of the page: it is not shown.");
            return false;
        }
        images << image;
        width = std::max(width, image.width());
        height += image.height();
    }
    if (images.isEmpty()) {
        if (error)
            *error = ExportText::tr("Nothing to export.");
        return false;
    }
    QImage sheet(width, height, QImage::Format_ARGB32);
    sheet.fill(background);
    QPainter painter(&sheet);
    int y = 0;
    for (const QImage& image : images) {
        painter.drawImage(0, y, image);
        y += image.height();
    }
    painter.end();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !sheet.save(&file, "PNG") || !file.commit()) {
        if (error)
            *error = ExportText::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace ponder::app::comparison_export
