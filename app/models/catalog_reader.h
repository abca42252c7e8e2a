// The reader behind ModelCatalog::fromJson: each function reads one value
// of resources/catalog.json (schema in resources/CATALOG.md), checks it, and
// on a problem records the JSON path of the value and what is wrong with it
// ("models[2].quants[4].revision: …"), then returns false so the caller
// stops. Only the first problem is kept: it is the one the user can fix.
//
// Internal to app/models: the typed field readers are in catalog_reader.cpp,
// the readers of the schema's parts (a model, its config, scores and quants,
// the typicalQuality block) in catalog_section_readers.cpp.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cstdint>
#include <optional>

#include "model_catalog.h"

namespace ponder::app {

class CatalogReader {
public:
    QString error;  // "path: problem" of the first problem; empty while all is well

    bool fail(const QString& path, const QString& problem);

    // Typed fields of an object; `path` is the object's own JSON path.
    bool string(const QJsonObject& o, const QString& path, const char* key, QString& out, bool required = true);
    // A whole number in [min, max] (JSON numbers are doubles: exact up to 2^53).
    bool integer(const QJsonObject& o, const QString& path, const char* key, qint64 min, qint64 max, qint64& out);
    bool u32(const QJsonObject& o, const QString& path, const char* key, uint32_t& out, uint32_t min = 1);
    bool positive(const QJsonObject& o, const QString& path, const char* key, float& out);
    bool boolean(const QJsonObject& o, const QString& path, const char* key, bool& out);
    bool object(const QJsonValue& v, const QString& path, QJsonObject& out);
    // A number in [min, max]; absent is fine when not required.
    bool number(const QJsonObject& o, const QString& path, const char* key, double min, double max,
                std::optional<double>& out, bool required);
    // An https URL: the catalog's sources are shown, never fetched.
    bool url(const QJsonObject& o, const QString& path, const char* key, QString& out, bool required = true);

    // The schema's parts (catalog_section_readers.cpp).
    bool config(const QJsonObject& o, const QString& path, ModelConfig& c);
    bool typicalQuality(const QJsonObject& o, const QString& path, CatalogTypicalQuality& t);
    bool quality(const QJsonObject& o, const QString& path, CatalogQuality& q);
    bool quant(const QJsonObject& o, const QString& path, CatalogQuant& q);
    bool model(const QJsonObject& o, const QString& path, CatalogModel& m);
};

} // namespace ponder::app
