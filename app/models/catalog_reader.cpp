// CatalogReader's typed field readers (catalog_reader.h): one JSON value
// each, checked, its problem recorded with its JSON path. They change when a
// kind of value does, not when the catalog's schema gains a field.
#include "catalog_reader.h"

#include <QUrl>

#include <cmath>

namespace ponder::app {

bool CatalogReader::fail(const QString& path, const QString& problem)
{
    if (error.isEmpty())
        error = path + QStringLiteral(": ") + problem;
    return false;
}

bool CatalogReader::string(const QJsonObject& o, const QString& path, const char* key, QString& out, bool required)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() && !required)
        return true;
    if (!v.isString() || v.toString().isEmpty())
        return fail(path + u'.' + QLatin1String(key), QStringLiteral("expected a non-empty string"));
    out = v.toString();
    return true;
}

bool CatalogReader::integer(const QJsonObject& o, const QString& path, const char* key, qint64 min, qint64 max, qint64& out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || d != std::floor(d) || d < double(min) || d > double(max))
        return fail(path + u'.' + QLatin1String(key),
                    QStringLiteral("expected a whole number from %1 to %2").arg(min).arg(max));
    out = qint64(d);
    return true;
}

bool CatalogReader::u32(const QJsonObject& o, const QString& path, const char* key, uint32_t& out, uint32_t min)
{
    qint64 value = 0;
    if (!integer(o, path, key, min, 1 << 24, value))
        return false;
    out = uint32_t(value);
    return true;
}

bool CatalogReader::positive(const QJsonObject& o, const QString& path, const char* key, float& out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble() || !(v.toDouble() > 0))
        return fail(path + u'.' + QLatin1String(key), QStringLiteral("expected a positive number"));
    out = float(v.toDouble());
    return true;
}

bool CatalogReader::boolean(const QJsonObject& o, const QString& path, const char* key, bool& out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isBool())
        return fail(path + u'.' + QLatin1String(key), QStringLiteral("expected true or false"));
    out = v.toBool();
    return true;
}

bool CatalogReader::object(const QJsonValue& v, const QString& path, QJsonObject& out)
{
    if (!v.isObject())
        return fail(path, QStringLiteral("expected an object"));
    out = v.toObject();
    return true;
}

bool CatalogReader::number(const QJsonObject& o, const QString& path, const char* key, double min, double max,
                         std::optional<double>& out, bool required)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() && !required)
        return true;
    if (!v.isDouble() || !(v.toDouble() >= min && v.toDouble() <= max))
        return fail(path + u'.' + QLatin1String(key), QStringLiteral("expected a number from %1 to %2").arg(min).arg(max));
    out = v.toDouble();
    return true;
}

bool CatalogReader::url(const QJsonObject& o, const QString& path, const char* key, QString& out, bool required)
{
    if (!string(o, path, key, out, required))
        return false;
    const QUrl parsed(out, QUrl::StrictMode);
    if (!out.isEmpty() && (!parsed.isValid() || parsed.scheme() != QLatin1String("https") || parsed.host().isEmpty()))
        return fail(path + u'.' + QLatin1String(key), QStringLiteral("expected an https URL"));
    return true;
}

} // namespace ponder::app
