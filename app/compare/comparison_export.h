// A comparison written out for people: as JSON (comparison_json.h's
// exportDocument) and as a PNG of items of the page (the statistics chart
// and table, the heat map), grabbed whole (QQuickItem::grabToImage, so a
// heat map longer than its view comes out entire) and stacked top to bottom.
#pragma once

#include <QColor>
#include <QList>
#include <QString>

#include "comparison.h"

class QQuickItem;

namespace ponder::app::comparison_export {

bool writeJson(const Comparison& comparison, const QString& path, QString* error);

// Waits (up to 10 s an item) for each grab; false with `error` when an item
// is not in a shown window or a file cannot be written.
bool writePng(const QList<QQuickItem*>& items, const QString& path, const QColor& background, QString* error);

} // namespace ponder::app::comparison_export
